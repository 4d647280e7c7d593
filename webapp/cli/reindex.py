"""`fonds reindex`: rebuild the search index from the catalogue alone."""

from __future__ import annotations

import time

import click

from indexer.search import rebuild_index

from .env import Env, pass_env


@click.command("reindex")
@pass_env
def command(env: Env) -> None:
    """Rebuild the index into a fresh folder and swap it in (searches keep working meanwhile)."""
    started = time.monotonic()
    report = rebuild_index(env.catalogue(), env.index(sync=False))
    click.echo(
        f"index reconstruit : {report.indexed} notices en {time.monotonic() - started:.1f} s"
    )
