"""`fonds search`: the same search the web app serves, for the terminal and for scripts."""

from __future__ import annotations

import click

from indexer.search import SORTS, SearchRequest

from .env import Env, pass_env, print_json, search_filters
from .messages import concept_reading, query_note


@click.command("search")
@click.argument("query", metavar="[RECHERCHE]...", nargs=-1)
@search_filters
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    help="Par défaut : pertinence avec une requête, plus récents d'abord sans.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="Résultats par page.",
)
@click.option(
    "--page", type=click.IntRange(min=1), default=1, show_default=True, help="Page à afficher."
)
@click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")
@pass_env
def command(
    env: Env,
    query: tuple[str, ...],
    filters: dict,
    sort,
    limit,
    page,
    as_json,
) -> None:
    """Chercher dans le fonds (sans RECHERCHE : tout le fonds, les plus récents d'abord)."""
    request = SearchRequest(
        q=" ".join(query),
        **filters,
        sort=sort or "",
        page=page,
        per_page=limit,
    )
    result = env.finder().search(request)
    if as_json:
        print_json({**result.to_json(), "messages": [query_note(n) for n in result.notes]})
        return
    for note in result.notes:
        click.echo(f"Note : {query_note(note)}")
    if result.concepts and result.total:
        labels = env.vocabulary().vocabulary.labels()
        readings = [
            concept_reading(term, labels.get(slug, slug) if slug else "")
            for slug, term in zip(result.concepts, result.concept_terms, strict=True)
        ]
        click.echo("Requête comprise comme " + " et ".join(readings) + ".")
    if result.related and result.total:
        terms = ", ".join(f"« {t} »" for t in result.related)
        click.echo(f"Termes associés cherchés aussi : {terms}.")
    if result.relaxed:
        click.echo(
            "Aucun document ne contient tous les mots : voici ceux qui en contiennent au moins un."
        )
    plural = "s" if result.total > 1 else ""
    click.echo(f"{result.total} document{plural} ({result.took_ms:.0f} ms)")
    if result.suggestion and result.corrected:
        click.echo(f"Aucun document ne contient ces mots : résultats pour « {result.suggestion} »")
    elif result.suggestion:
        click.echo(f"Vouliez-vous dire : {result.suggestion} ?")
    if result.complete is not None and result.total:
        others = result.total - result.complete
        click.echo(
            f"{result.complete} document{'s' if result.complete > 1 else ''} avec tous les mots, "
            f"{others} avec une partie seulement (à la suite)."
        )
    first = (page - 1) * limit
    shown_partial = False
    for n, hit in enumerate(result.hits, start=first + 1):
        if hit.partial and not shown_partial:
            click.echo("— Documents qui contiennent une partie des mots —")
            shown_partial = True
        authors_text = "; ".join(hit.authors[:3]) + (" et al." if len(hit.authors) > 3 else "")
        line = f"{n}. [{hit.id}] {hit.title}"
        details = [
            d for d in (authors_text, str(hit.year or ""), hit.doc_type, ", ".join(hit.themes)) if d
        ]
        click.echo(line)
        if details:
            click.echo("   " + " · ".join(details))
        if hit.snippet:
            click.echo("   " + click.wrap_text(hit.snippet, 96, subsequent_indent="   ").lstrip())
        if hit.matched_keywords:
            keywords = " ; ".join(keyword for keyword, _ in hit.matched_keywords)
            click.echo("   Mots-clés : " + keywords)
