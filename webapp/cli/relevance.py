"""`fonds relevance --judgements FILE [--json]`: how well the search ranks judged queries."""

from __future__ import annotations

from pathlib import Path

import click

from indexer.relevance import NDCG_AT, RECALL_AT, JudgementError, evaluate, load_judgements

from .env import EXIT_REFUSED, CliError, Env, pass_env, print_json

MESSAGES = {
    "unreadable": "fichier de jugements illisible : {detail}",
    "invalid": "fichier de jugements invalide (TOML) : {detail}",
    "no-query": "requête vide dans le fichier de jugements (requête n° {detail})",
    "no-judgement": "aucun document jugé pour la requête « {detail} »",
    "bad-grade": "note hors de 0 à 2 : {detail}",
    "graded-twice": "titre noté à la fois dans `relevant` et dans `pooled` : {detail}",
    "empty": "aucune requête dans {detail}",
    "unknown-title": "titre(s) absent(s) du fonds : {detail}",
}


@click.command("relevance")
@click.option(
    "--judgements",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Fichier TOML des requêtes jugées (notes 0 à 2 par titre de document).",
)
@click.option("--json", "as_json", is_flag=True, help="Résultat en JSON.")
@pass_env
def command(env: Env, path: Path, as_json: bool) -> None:
    """Mesurer la pertinence : nDCG@5, MRR et rappel@10 par requête et au total."""
    finder = env.finder()
    try:
        report = evaluate(
            env.catalogue(),
            lambda request: [hit.id for hit in finder.search(request).hits],
            load_judgements(path),
        )
    except JudgementError as exc:
        raise CliError(MESSAGES[exc.code].format(detail=exc.detail), EXIT_REFUSED) from exc
    if as_json:
        print_json(report.to_json())
        return
    click.echo(f"nDCG@{NDCG_AT}   MRR   rappel@{RECALL_AT}  requête")
    for score in report.scores:
        mark = "  (réservée)" if score.held_out else ""
        click.echo(f"{score.ndcg:6.3f}  {score.rr:5.3f}  {score.recall:6.3f}    {score.q}{mark}")
    click.echo("")
    for name, figures in report.groups.items():
        click.echo(
            f"{name:<16} nDCG@{NDCG_AT} {figures.ndcg:.3f}  MRR {figures.mrr:.3f}"
            f"  rappel@{RECALL_AT} {figures.recall:.3f}  ({figures.queries} requêtes)"
        )
