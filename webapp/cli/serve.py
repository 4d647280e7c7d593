"""`fonds serve`: the web application behind a production WSGI server (waitress)."""

from __future__ import annotations

import gc

import click

from .env import Env, pass_env


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option(
    "--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port d'écoute."
)
# Searches run one at a time (indexer/search/admission.py); the threads beyond the one searching
# wait for their turn, or serve what needs no search (record pages, files, the workspace). With
# 4, six costly searches at once took every thread, and an ordinary search sent among them
# waited for a thread before it could wait for its turn.
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Fils d'exécution du serveur.",
)
@pass_env
def command(env: Env, host: str, port: int, threads: int) -> None:
    """Servir le site (recherche, notices, espace de travail, OAI-PMH, fils) sur HOST:PORT."""
    import waitress

    from indexer.search import SearchRequest

    from .. import create_app
    from ..services import get_finder

    app = create_app(instance_path=env.root)
    with app.app_context():
        # open and synchronise the index, and build what searches read (the rows, the facets),
        # before the first visitor
        get_finder().search(SearchRequest())
    settle_heap()
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    click.echo(f"Fonds est servi sur http://{shown}:{port}/ (Ctrl+C pour arrêter)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="Fonds", _quiet=True)


# Allocations between two young-generation collections (Python's default is 700). A search
# allocates tens of thousands of short-lived objects that reference counting frees; collecting
# every 700 of them cost the slowest searches of a 20,000-document fund ~5% of their CPU.
YOUNG_COLLECTION_EVERY = 10_000


def settle_heap() -> None:
    """Take what the server loaded at start (the index's rows and facets, the vocabulary) out
    of the garbage collector's sight, and collect young objects less often. A full collection
    went through those 100,000 objects each time: 80 ms, landing on whichever search it
    interrupted. Objects created later (after a catalogue change) are collected as usual."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, old)
