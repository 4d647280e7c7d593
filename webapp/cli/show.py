"""`fonds show ID`: one record with all its fields."""

from __future__ import annotations

import click

from library import NotFound
from library.formats.records_json import record_to_dict

from .env import ROW_ID, CliError, Env, pass_env, print_json
from .messages import support_label


@click.command("show")
@click.argument("record_id", metavar="NOTICE", type=ROW_ID)
@click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")
@pass_env
def command(env: Env, record_id: int, as_json: bool) -> None:
    """Afficher la notice NOTICE."""
    try:
        record = env.catalogue().get(record_id)
    except NotFound:
        raise CliError(f"notice n° {record_id} introuvable") from None
    data = record_to_dict(record, env.vocabulary().vocabulary.labels())
    if as_json:
        print_json(data)
        return
    click.echo(f"Notice n° {record.id}{' (dans la corbeille)' if record.deleted else ''}")
    rows = [
        ("Titre", record.title),
        ("Sous-titre", record.subtitle),
        ("Auteurs", "; ".join(a.display for a in record.authors)),
        ("Éditeur", ", ".join(x for x in (record.publisher, record.place) if x)),
        ("Date", record.date),
        ("Type", record.doc_type.label),
        ("Support", support_label(record.support)),
        ("Langue", record.language),
        ("Pages", str(record.pages or "")),
        ("ISBN", record.isbn),
        ("ISSN", record.issn),
        ("Cote", record.call_number),
        ("Mots-clés", ", ".join(record.keywords)),
        ("Territoires", ", ".join(record.territories)),
        ("Résumé", record.abstract),
        ("Fichier", record.file.original_name if record.file else ""),
    ]
    for label, value in rows:
        if value:
            click.echo(f"{label:<12} {value}")
    for theme in data["themes"]:
        how = "manuelle" if theme["source"] == "manual" else f"auto, score {theme['score']:.2f}"
        click.echo(f"Thématique  {theme['label']} ({how})")
    for copy in data["copies"]:
        click.echo(
            f"Exemplaire  {copy['barcode']} — {copy['call_number']} — {copy['location']} — {copy['status']}"
        )
