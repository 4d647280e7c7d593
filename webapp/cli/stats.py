"""`fonds stats`: the size of the fund, by support, type, thematic and language."""

from __future__ import annotations

import dataclasses

import click

from .env import Env, pass_env, print_json


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")
@pass_env
def command(env: Env, as_json: bool) -> None:
    """Les chiffres du catalogue : par support, type, thématique et langue."""
    stats = env.catalogue().stats()
    if as_json:
        print_json(dataclasses.asdict(stats))
        return
    click.echo(f"Notices : {stats.live} (supprimées : {stats.deleted})")
    for title, counts in (
        ("Par support", stats.by_support),
        ("Par type", stats.by_type),
        ("Par thématique", stats.by_theme),
        ("Par langue", stats.by_language),
    ):
        click.echo(f"{title} :")
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            click.echo(f"  {key:<28} {n:>6}")
