"""`fonds autorites liste|fusionner|renommer`: the authority file from the command line
(persons, organisations, publishers, collections). Merges and renames are audited and the
records they change are re-indexed before the command returns, as in the workspace."""

from __future__ import annotations

from typing import Any

import click

from library import NotFound, audit
from library.authorities import Authorities, Authority, AuthorityKind, AuthorityRefused

from ..messages import authority_refusal
from .env import EXIT_REFUSED, CliError, Env, pass_env, print_json
from .users import cli_actor

KINDS = {
    "personne": AuthorityKind.PERSON,
    "organisme": AuthorityKind.ORGANISATION,
    "editeur": AuthorityKind.PUBLISHER,
    "collection": AuthorityKind.COLLECTION,
}
LABELS = {kind: word for word, kind in KINDS.items()}


@click.group("autorites")
def command() -> None:
    """Autorités : personnes, organismes, éditeurs et collections (formes retenues et rejetées)."""


def _get(auth: Authorities, authority_id: int) -> Authority:
    try:
        return auth.get(authority_id)
    except NotFound:
        raise CliError(f"pas d'autorité n° {authority_id}", EXIT_REFUSED) from None


def _json(a: Authority) -> dict[str, Any]:
    return {
        "id": a.id,
        "type": LABELS[a.kind],
        "forme_retenue": a.name,
        "formes_rejetees": list(a.variants),
        "dates": a.dates,
        "note": a.note,
        "notices": a.uses,
    }


@command.command("liste")
@click.argument("recherche", required=False, default="")
@click.option("--type", "kind", type=click.Choice(list(KINDS)), help="Un seul type d'autorité.")
@click.option(
    "--limit",
    default=200,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Nombre d'autorités affichées au plus.",
)
@click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")
@pass_env
def list_authorities(env: Env, recherche: str, kind: str | None, limit: int, as_json: bool) -> None:
    """Lister les autorités (celles dont une forme contient les mots de RECHERCHE)."""
    auth = Authorities(env.catalogue().conn)
    found = auth.search(KINDS[kind] if kind else None, recherche, limit=limit)
    if as_json:
        print_json([_json(a) for a in found])
        return
    for a in found:
        variants = f" (aussi : {' ; '.join(a.variants)})" if a.variants else ""
        click.echo(f"{a.id}\t{LABELS[a.kind]}\t{a.name}{variants} — {a.uses} notice(s)")


@command.command("fusionner")
@click.argument("source", type=click.IntRange(1))
@click.argument("cible", type=click.IntRange(1))
@pass_env
def merge(env: Env, source: int, cible: int) -> None:
    """Fusionner l'autorité SOURCE dans CIBLE (numéros) : ses notices passent à CIBLE."""
    catalogue = env.catalogue()
    auth = Authorities(catalogue.conn)
    before, target = _get(auth, source), _get(auth, cible)
    try:
        with catalogue.transaction():
            changed = auth.merge(source, cible)
            audit.log(
                catalogue,
                cli_actor(),
                "authority.merge",
                target_type="authority",
                target_id=cible,
                summary=(
                    f"Autorité n° {source} « {before.name} » fusionnée dans n° {cible}"
                    f" « {target.name} » ({len(changed)} notice(s))"
                ),
                changes={"autorite": [before.name, target.name]},
            )
    except AuthorityRefused as exc:
        raise CliError(authority_refusal(exc).rstrip("."), EXIT_REFUSED) from None
    env.index()  # brings the changed records into the index
    click.echo(f"« {before.name} » fusionnée dans « {target.name} » : {len(changed)} notice(s)")


@command.command("renommer")
@click.argument("autorite", type=click.IntRange(1))
@click.argument("forme")
@pass_env
def rename(env: Env, autorite: int, forme: str) -> None:
    """Donner à l'autorité AUTORITE la forme retenue FORME ; l'ancienne devient rejetée."""
    catalogue = env.catalogue()
    auth = Authorities(catalogue.conn)
    before = _get(auth, autorite)
    try:
        with catalogue.transaction():
            changed = auth.rename(autorite, forme)
            after = auth.get(autorite)
            audit.log(
                catalogue,
                cli_actor(),
                "authority.rename",
                target_type="authority",
                target_id=autorite,
                summary=(
                    f"Autorité n° {autorite} renommée « {after.name} » ({len(changed)} notice(s))"
                ),
                changes={"forme_retenue": [before.name, after.name]},
            )
    except AuthorityRefused as exc:
        raise CliError(authority_refusal(exc).rstrip("."), EXIT_REFUSED) from None
    env.index()
    click.echo(f"« {before.name} » renommée « {after.name} » : {len(changed)} notice(s)")
