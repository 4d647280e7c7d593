"""`fonds restore ARCHIVE --instance DIR [--force]`: a backup back into an instance folder,
its search index rebuilt, then checked like `fonds check`: success is reported only when the
check passes."""

from __future__ import annotations

from pathlib import Path

import click

from indexer.consistency import checkup
from library.backup import BackupError, restore_backup
from library.store import FileStore

from .env import EXIT_REFUSED, CliError, Env, pass_env
from .messages import backup_problem, check_problem


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--instance",
    "target",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dossier de l'instance où restaurer (par défaut : l'option générale --instance).",
)
@click.option(
    "--force", is_flag=True, help="Remplacer le contenu d'un dossier d'instance non vide."
)
@pass_env
def command(env: Env, archive: Path, target: Path | None, force: bool) -> None:
    """Restaurer ARCHIVE (faite par « fonds backup ») ; refuse un dossier non vide sans --force."""
    root = target or env.root
    try:
        report = restore_backup(archive, root, force=force)
    except BackupError as exc:
        raise CliError(backup_problem(exc)) from None
    restored = Env(report.instance)
    try:
        problems = checkup(
            restored.catalogue(),
            restored.index(sync=False),
            FileStore(restored.paths.store_dir),
            rebuild=True,
        ).problems
    finally:
        restored.close()
    for problem in problems:
        click.echo(f"problème : {check_problem(problem)}", err=True)
    if problems:
        # A restore is the last line of defence: never call it a success unless it checks out.
        raise CliError(
            f"restauration dans {report.instance} inachevée : la vérification a trouvé "
            f"{len(problems)} problème(s) ; essayez « fonds --instance {report.instance} "
            "check --repair »",
            EXIT_REFUSED,
        )
    click.echo(
        f"instance restaurée dans {report.instance} : {report.records} notices, "
        f"{report.files} fichiers (sauvegarde du {report.created_at}) ; index reconstruit "
        "et vérifié"
    )
