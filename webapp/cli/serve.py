"""`fonds serve`: the web application behind a production WSGI server (waitress)."""

from __future__ import annotations

import click

from .env import Env, pass_env


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option(
    "--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port d'écoute."
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Fils d'exécution du serveur.",
)
@pass_env
def command(env: Env, host: str, port: int, threads: int) -> None:
    """Servir le site (recherche, notices, espace de travail, OAI-PMH, fils) sur HOST:PORT."""
    import waitress

    from .. import create_app
    from ..services import get_index

    app = create_app(instance_path=env.root)
    with app.app_context():
        get_index()  # open and synchronise the index before the first visitor
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    click.echo(f"Fonds est servi sur http://{shown}:{port}/ (Ctrl+C pour arrêter)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="Fonds", _quiet=True)
