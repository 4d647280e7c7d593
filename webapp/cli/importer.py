"""`fonds import FILE`: records from a spreadsheet of paper holdings (and, later, partners' files)."""

from __future__ import annotations

from pathlib import Path

import click

from indexer.importing import ImportPlan, apply_import, plan_import
from indexer.search import sync_index
from library.formats.holdings_csv import read_holdings

from .env import EXIT_REFUSED, CliError, Env, pass_env, print_json

READERS = {"csv": read_holdings}


def _format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    suffix = path.suffix.lower().lstrip(".")
    if suffix in READERS:
        return suffix
    raise CliError(f"format de {path.name} inconnu : précisez --format ({', '.join(READERS)})")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(READERS)), help="Format of FILE (default: from its extension).")
@click.option("--dry-run", is_flag=True, help="Show what would be created or skipped; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@pass_env
def command(env: Env, file: Path, fmt: str | None, dry_run: bool, as_json: bool) -> None:
    """Import records from FILE. Bad rows are reported with their line number; the valid rows
    are imported (all in one transaction). Rows whose barcode, ISBN, or title and year are
    already in the catalogue are skipped as duplicates."""
    reader = READERS[_format_of(file, fmt)]
    parsed = reader(file.read_bytes(), source=file.name)
    if not parsed.rows and parsed.errors and parsed.errors[0].line == 1:
        raise CliError(f"{file.name}, ligne 1 : {parsed.errors[0].message}", EXIT_REFUSED)
    catalogue = env.catalogue(create=not dry_run)
    plan = plan_import(catalogue, parsed)
    if not dry_run:
        apply_import(catalogue, plan, env.tagger())
        sync_index(catalogue, env.index(create=True))
    if as_json:
        print_json({"dry_run": dry_run, **plan.to_json()})
    else:
        _print(file, plan, dry_run)


def _print(file: Path, plan: ImportPlan, dry_run: bool) -> None:
    created, skipped = plan.count("create"), plan.count("skip")
    verb = "seraient créées" if dry_run else "créées"
    click.echo(f"{file.name} : {created} notices {verb}, {skipped} ignorées (doublons), "
               f"{len(plan.errors)} lignes en erreur")  # fmt: skip
    for row in plan.rows:
        if row.action == "skip":
            click.echo(f"  ligne {row.line} ignorée : {row.reason}")
    for error in plan.errors:
        click.echo(f"  ligne {error.line} en erreur : {error.message}")
    for warning in plan.warnings:
        click.echo(f"  ligne {warning.line} : {warning.message}")
