"""`fonds retag`: re-apply the tagger (after a vocabulary edit) and bring the index up to date."""

from __future__ import annotations

import click

from indexer.retagging import RetagScope, retag

from .env import Env, pass_env, print_json


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
    report = retag(
        env.catalogue(),
        env.tagger(),
        scope=RetagScope(scope or RetagScope.UNTAGGED),
        dry_run=dry_run,
        index=lambda: env.index(sync=False),
    )
    if as_json:
        print_json(report.as_dict())
        return
    from .tags import model_status

    click.echo(f"Marquage : {model_status(env)}")
    prefix = "Simulation (rien n'est écrit) — " if dry_run else ""
    click.echo(
        f"{prefix}notices re-étiquetées : {report.retagged} ; modifiées : {report.changed} ;"
        f" sans thématique : {report.untagged}"
    )
