"""`fonds export`: a search, a list of records or the whole fund, in an exchange format."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from indexer.exporting import is_everything, parse_ids, select
from indexer.search import SearchRequest
from library.catalogue import utc_now
from library.exporting import FORMATS, bundle, export
from library.formats.common import ExportContext

from .env import Env, pass_env, search_filters


def context(env: Env) -> ExportContext:
    config = env.config
    return ExportContext(
        theme_labels=env.vocabulary().vocabulary.labels(),
        repository=str(config["OAI_REPOSITORY_DOMAIN"]),
        base_url=str(config.get("BASE_URL") or ""),
        centre=str(config["SITE_NAME"]),
        generated=utc_now(),
    )


@click.command("export")
@click.argument("query", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), help="Format d'échange.")
@click.option(
    "--bundle",
    "as_bundle",
    is_flag=True,
    help="Le lot pour les partenaires : un zip de RIS, BibTeX, CSL-JSON, UNIMARC, oai_dc"
    " et manifeste.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fichier à écrire (par défaut : la sortie standard).",
)
@search_filters
@click.option(
    "--ids", "id_list", multiple=True, metavar="1,2,3", help="Ces notices, dans cet ordre."
)
@pass_env
def command(
    env: Env,
    query: tuple[str, ...],
    fmt: str | None,
    as_bundle: bool,
    output: Path | None,
    filters,
    id_list,
) -> None:
    """Exporter les notices que trouve une recherche (sans QUERY ni filtre : tout le fonds ;
    jamais les notices à la corbeille), au format --format csv, csv-comma, ris, bibtex,
    csl-json, dc, marcxml, iso2709, marc21 ou json, ou en lot pour les partenaires (--bundle)."""
    if not fmt and not as_bundle:
        raise click.UsageError("précisez --format FORMAT (ou --bundle)")
    if fmt and as_bundle:
        raise click.UsageError("--format et --bundle s'excluent")
    request = SearchRequest(q=" ".join(query), **filters)
    catalogue = env.catalogue()
    if id_list:
        records = select(catalogue, ids=parse_ids(id_list))
    elif is_everything(request):
        records = select(catalogue)
    else:
        records = select(catalogue, request=request, finder=env.finder())
    ctx = context(env)
    data = (
        bundle(records, ctx, selection=_describe(request, id_list))
        if as_bundle
        else export(fmt or "", records, ctx)
    )
    if output is None:
        if as_bundle and sys.stdout.isatty():
            raise click.UsageError("un lot est un zip : précisez -o FICHIER.zip")
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)
    what = "lot partenaire" if as_bundle else fmt
    plural = "s" if len(records) > 1 else ""
    click.echo(
        f"{len(records)} notice{plural} exportée{plural} ({what})"
        + (f" dans {output}" if output else ""),
        err=True,
    )


def _describe(request: SearchRequest, id_list: tuple[str, ...]) -> str:
    if id_list:
        return "notices " + ",".join(id_list)
    if is_everything(request):
        return "tout le fonds"
    parts = [f"q={request.q}"] if request.q else []
    for name, values in request.filters().items():
        parts += [f"{name}={v}" for v in values]
    return " ".join(parts)
