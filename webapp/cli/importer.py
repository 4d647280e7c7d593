"""`fonds import FILE`: records from the spreadsheet of paper holdings and from partners' files
(RIS, BibTeX, MARCXML, ISO 2709 in UNIMARC or MARC 21, oai_dc, CSL-JSON, our own JSON)."""

from __future__ import annotations

from pathlib import Path

import click

from indexer.importing import ImportPlan, import_file
from library import Catalogue
from library.formats.holdings_csv import RowError
from library.formats.readers import read_file, sniff

from .env import EXIT_REFUSED, CliError, Env, pass_env, print_json
from .messages import import_reason, row_message

FORMAT_NAMES = (
    "csv",
    "ris",
    "bibtex",
    "marcxml",
    "iso2709",
    "marc21",
    "oai_dc",
    "json",
    "csl-json",
)


def _format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    with path.open("rb") as f:
        head = f.read(4096)
    found = sniff(head, path.suffix)
    if found is None:
        raise CliError(
            f"format de {path.name} inconnu : précisez --format ({', '.join(FORMAT_NAMES)})"
        )
    return found


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    help="Format de FILE (par défaut : d'après son contenu, puis son extension).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Montrer ce qui serait créé, mis à jour ou ignoré, sans rien changer.",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Importer les notices valides d'un fichier abîmé (toujours le cas pour le CSV).",
)
@click.option("--json", "as_json", is_flag=True, help="Afficher le résultat en JSON.")
@pass_env
def command(
    env: Env, file: Path, fmt: str | None, dry_run: bool, skip_invalid: bool, as_json: bool
) -> None:
    """Importer les notices de FILE, en une seule transaction.

    Les notices dont l'identifiant d'origine est connu sont mises à jour ; celles dont le
    code-barres, l'ISBN, ou le titre et l'année sont déjà au catalogue sont ignorées comme
    doublons. Un fichier abîmé (MARC tronqué, RIS sans ER, accolades BibTeX déséquilibrées…)
    est refusé avec la position de chaque défaut, sauf avec --skip-invalid ; les lignes CSV en
    erreur sont signalées et les lignes valides importées."""
    try:
        name = _format_of(file, fmt)
    except CliError as exc:
        if as_json:
            print_json(_refusal(file, None, dry_run, [exc.format_message()], "ligne", []))
        raise
    parsed = read_file(name, file.read_bytes(), source=file.name)
    unit = parsed.unit
    if not parsed.rows and parsed.errors and (parsed.errors[0].line == 1 or name != "csv"):
        first = parsed.errors[0]
        more = f" (et {len(parsed.errors) - 1} autres erreurs)" if len(parsed.errors) > 1 else ""
        if as_json:
            reasons = [f"{unit} {e.line} : {row_message(e)}" for e in parsed.errors]
            print_json(_refusal(file, name, dry_run, reasons, unit, parsed.errors))
        raise CliError(
            f"{file.name}, {unit} {first.line} : {row_message(first)}{more}", EXIT_REFUSED
        )
    strict = name != "csv" and not skip_invalid
    if (dry_run or (strict and parsed.errors)) and not env.paths.exists():
        catalogue = Catalogue.open(":memory:")  # a preview for a new instance: all creations
    else:
        catalogue = env.catalogue(create=not (dry_run or (strict and parsed.errors)))
    run = import_file(
        catalogue,
        parsed,
        strict=strict,
        dry_run=dry_run,
        theme_labels=env.vocabulary().vocabulary.labels(),
        repository=str(env.config["OAI_REPOSITORY_DOMAIN"]),
        tagger=env.tagger,
        # One sync, as a batch (env.index() would first sync it as single saves).
        index=lambda: env.index(create=True, sync=False),
    )
    plan, refused = run.plan, run.refused
    if as_json:
        document = {"file": file.name, "format": name, "dry_run": dry_run, "refused": refused}
        document.update(plan.to_json(import_reason, row_message))
        document["reasons"] = (
            [f"{unit} {e.line} : {row_message(e)}" for e in plan.errors] if refused else []
        )
        print_json(document)
    else:
        _print(file, name, plan, dry_run, refused)
    if refused:
        raise CliError(
            f"{file.name} : {len(plan.errors)} erreur(s), rien n'a été importé "
            "(--skip-invalid importe les notices valides)",
            EXIT_REFUSED,
        )


def _refusal(
    file: Path,
    name: str | None,
    dry_run: bool,
    reasons: list[str],
    unit: str,
    errors: list[RowError],
) -> dict[str, object]:
    """The JSON document of a file refused before any record was read."""
    return {
        "file": file.name,
        "format": name,
        "dry_run": dry_run,
        "refused": True,
        "reasons": reasons,
        "created": 0,
        "updated": 0,
        "skipped": 0,
        "unit": unit,
        "errors": [{"line": e.line, "message": row_message(e)} for e in errors],
        "warnings": [],
        "rows": [],
        "ids": [],
        "updated_ids": [],
    }


def _print(file: Path, name: str, plan: ImportPlan, dry_run: bool, refused: bool) -> None:
    created, updated, skipped = plan.count("create"), plan.count("update"), plan.count("skip")
    conditional = dry_run or refused
    verbs = (
        ("seraient créées", "seraient mises à jour") if conditional else ("créées", "mises à jour")
    )
    unit = plan.unit
    errors = f"{len(plan.errors)} {unit}s en erreur" if plan.errors else "aucune erreur"
    click.echo(
        f"{file.name} ({name}) : {created} notices {verbs[0]}, {updated} {verbs[1]}, "
        f"{skipped} ignorées (doublons), {errors}"
    )
    for row in plan.rows:
        if row.action == "skip":
            click.echo(f"  {unit} {row.line} ignorée : {import_reason(row)}")
        elif row.action == "update":
            click.echo(f"  {unit} {row.line} : {import_reason(row)} ({', '.join(row.changes)})")
        elif dry_run:
            click.echo(f"  {unit} {row.line} : nouvelle notice « {row.record.title} »")
    for error in plan.errors:
        click.echo(f"  {unit} {error.line} en erreur : {row_message(error)}")
    for warning in plan.warnings:
        click.echo(f"  {unit} {warning.line} : {row_message(warning)}")
