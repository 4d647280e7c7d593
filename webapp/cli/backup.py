"""`fonds backup OUT.zip`: the whole fund in one file, taken safely while the app runs."""

from __future__ import annotations

from pathlib import Path

import click

from library.backup import BackupError, create_backup

from ..messages import backup_problem
from .env import EXIT_NO_INSTANCE, CliError, Env, pass_env


@click.command("backup")
@click.argument("out", metavar="FICHIER", type=click.Path(dir_okay=False, path_type=Path))
@pass_env
def command(env: Env, out: Path) -> None:
    """Sauvegarder tout le fonds dans FICHIER (zip), même pendant que le site tourne.

    La sauvegarde contient le catalogue, les fichiers déposés, le vocabulaire et la
    configuration ; l'index de recherche n'y est pas : « fonds restore » le reconstruit."""
    if not env.paths.exists():
        raise CliError(f"pas de catalogue dans {env.root}", EXIT_NO_INSTANCE)
    try:
        report = create_backup(env.root, out)
    except BackupError as exc:
        raise CliError(backup_problem(exc)) from None
    click.echo(
        f"sauvegarde écrite : {report.path} — {report.records} notices, {report.files} "
        f"fichiers, {report.size / 2**20:.1f} Mo"
    )
    if report.missing_files:
        click.echo(
            f"attention : {len(report.missing_files)} fichier(s) absent(s) du dépôt "
            "(lancez `fonds check`)",
            err=True,
        )
