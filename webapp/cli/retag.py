"""`fonds retag`: re-apply the tagger (after a vocabulary edit) and bring the index up to date."""

from __future__ import annotations

import click

from indexer.tagging import TagInput
from library import Catalogue, Record, ThemeAssignment

from .env import Env, pass_env, print_json

_CHUNK = 200


@click.command("retag")
@click.option(
    "--all",
    "scope",
    flag_value="all",
    help="Toutes les notices vivantes (les décisions manuelles l'emportent toujours).",
)
@click.option(
    "--auto-only",
    "scope",
    flag_value="auto-only",
    help="Seulement les notices sans aucune décision manuelle.",
)
@click.option("--dry-run", is_flag=True, help="Montrer ce qui changerait sans rien écrire.")
@click.option("--json", "as_json", is_flag=True, help="Résumé en JSON.")
@pass_env
def command(env: Env, scope: str | None, dry_run: bool, as_json: bool) -> None:
    """Ré-appliquer le marquage thématique automatique.

    \b
    Sans option : les notices qui n'ont aucune thématique.
    --auto-only  : les notices sans aucune décision manuelle du documentaliste.
    --all        : toutes les notices vivantes.
    Dans tous les cas, une thématique ajoutée ou retirée à la main reste telle quelle :
    seules les propositions automatiques sont remplacées. L'index est ensuite mis à jour.
    Quand l'instance a un modèle appris (« fonds tags train »), c'est lui qui décide parmi
    les thématiques que les termes du vocabulaire font apparaître.
    """
    catalogue = env.catalogue()
    tagger = env.tagger()
    manual = catalogue.manual_labels()
    counts = {"retagged": 0, "changed": 0, "untagged": 0}
    ids = catalogue.ids()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        records = catalogue.get_many(chunk)
        texts = catalogue.texts(chunk)
        for record_id in chunk:
            record = records[record_id]
            if not _selected(record, scope, manual):
                continue
            proposals = tagger.tag(TagInput.from_record(record, texts.get(record_id, "")))
            counts["retagged"] += 1
            if _differs(catalogue, record_id, proposals):
                counts["changed"] += 1
                if not dry_run:
                    catalogue.set_auto_themes(record_id, proposals)
            if not _effective(manual.get(record_id, {}), proposals):
                counts["untagged"] += 1
    if not dry_run and counts["changed"]:
        from indexer.search import sync_index

        sync_index(catalogue, env.index(sync=False), compact=True)
    if as_json:
        print_json(
            {
                **counts,
                "scope": scope or "untagged",
                "dry_run": dry_run,
                "model": tagger.model is not None,
            }
        )
        return
    from .tags import model_status

    click.echo(f"Marquage : {model_status(env)}")
    prefix = "Simulation (rien n'est écrit) — " if dry_run else ""
    click.echo(
        f"{prefix}notices re-étiquetées : {counts['retagged']} ; modifiées : {counts['changed']} ;"
        f" sans thématique : {counts['untagged']}"
    )


def _selected(record: Record, scope: str | None, manual: dict[int, dict[str, str]]) -> bool:
    if record.deleted:
        return False
    if scope == "all":
        return True
    if scope == "auto-only":
        return record.id not in manual
    return not record.themes


def _differs(catalogue: Catalogue, record_id: int, proposals: list[ThemeAssignment]) -> bool:
    before = {
        row.slug: (round(row.auto_score, 4), row.auto_evidence)
        for row in catalogue.theme_rows(record_id)
        if row.auto_score is not None
    }
    after = {p.slug: (round(p.score or 0.0, 4), p.evidence) for p in proposals}
    return before != after


def _effective(decisions: dict[str, str], proposals: list[ThemeAssignment]) -> set[str]:
    auto = {p.slug for p in proposals if decisions.get(p.slug) != "remove"}
    return auto | {slug for slug, d in decisions.items() if d == "add"}
