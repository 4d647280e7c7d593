"""`fonds reindex`: rebuild the search index from the catalogue alone."""

from __future__ import annotations

import time

import click

from indexer.search import rebuild_index

from .env import Env, pass_env


@click.command("reindex")
@pass_env
def command(env: Env) -> None:
    """Reconstruire l'index de recherche à partir du catalogue, dans un dossier neuf mis en place
    à la fin (les recherches continuent pendant ce temps)."""
    started = time.monotonic()
    report = rebuild_index(env.catalogue(), env.index(sync=False))
    click.echo(
        f"index reconstruit : {report.indexed} notices en {time.monotonic() - started:.1f} s"
    )
