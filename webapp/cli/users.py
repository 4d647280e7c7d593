"""`fonds user add|passwd|list|disable|enable`: the documentalists' accounts.

There is no default account and no default password: the first account is created here."""

from __future__ import annotations

import getpass
import sys

import click

from library import audit
from library.users import AccountError, Users

from ..messages import account_problem
from ..policies import scrypt_cost
from .env import CliError, Env, pass_env, print_json


def cli_actor() -> str:
    """Who acts from the command line, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise CliError("aucun mot de passe lu sur l'entrée standard")
        return password
    return click.prompt(
        "Mot de passe", hide_input=True, confirmation_prompt="Répétez le mot de passe"
    )


@click.group("user")
def command() -> None:
    """Comptes des documentalistes (les identifiants de l'espace de travail)."""


@command.command("add")
@click.argument("login", metavar="IDENTIFIANT")
@click.option("--name", "display_name", default="", help="Nom affiché dans l'espace de travail.")
@click.option("--password-stdin", is_flag=True, help="Lire le mot de passe sur l'entrée standard.")
@pass_env
def add(env: Env, login: str, display_name: str, password_stdin: bool) -> None:
    """Créer le compte IDENTIFIANT (le mot de passe est demandé deux fois, jamais affiché)."""
    users = Users(env.catalogue(create=True), cost=scrypt_cost(env.config))
    password = _read_password(password_stdin)
    try:
        with env.catalogue().transaction():
            user = users.add(login, password, display_name=display_name)
            audit.log(
                env.catalogue(),
                cli_actor(),
                "user.add",
                target_type="user",
                target_id=user.id,
                summary=f"Compte {user.login} créé",
            )
    except AccountError as exc:
        raise CliError(account_problem(exc)) from None
    click.echo(f"compte {user.login} créé")


@command.command("passwd")
@click.argument("login", metavar="IDENTIFIANT")
@click.option("--password-stdin", is_flag=True, help="Lire le mot de passe sur l'entrée standard.")
@pass_env
def passwd(env: Env, login: str, password_stdin: bool) -> None:
    """Changer le mot de passe de IDENTIFIANT (ses sessions ouvertes sont closes)."""
    users = Users(env.catalogue(), cost=scrypt_cost(env.config))
    try:
        users.get(login)
        password = _read_password(password_stdin)
        with env.catalogue().transaction():
            user = users.set_password(login, password)
            audit.log(
                env.catalogue(),
                cli_actor(),
                "user.passwd",
                target_type="user",
                target_id=user.id,
                summary=f"Mot de passe de {user.login} changé",
            )
    except AccountError as exc:
        raise CliError(account_problem(exc)) from None
    click.echo(f"mot de passe de {user.login} changé")


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")
@pass_env
def list_users(env: Env, as_json: bool) -> None:
    """Lister les comptes."""
    users = Users(env.catalogue()).all()
    if as_json:
        print_json(
            [
                {
                    "login": u.login,
                    "name": u.display_name,
                    "active": u.active,
                    "created_at": u.created_at,
                    "last_login_at": u.last_login_at,
                }
                for u in users
            ]
        )
        return
    if not users:
        click.echo("aucun compte : créez-en un avec `fonds user add IDENTIFIANT`")
    for u in users:
        state = "" if u.active else " (désactivé)"
        last = f", dernière connexion {u.last_login_at}" if u.last_login_at else ""
        click.echo(f"{u.login}{state} — {u.display_name or 'sans nom'}{last}")


def _set_active(env: Env, login: str, active: bool) -> None:
    users = Users(env.catalogue())
    try:
        with env.catalogue().transaction():
            user = users.set_active(login, active)
            audit.log(
                env.catalogue(),
                cli_actor(),
                "user.enable" if active else "user.disable",
                target_type="user",
                target_id=user.id,
                summary=f"Compte {user.login} {'réactivé' if active else 'désactivé'}",
            )
    except AccountError as exc:
        raise CliError(account_problem(exc)) from None
    click.echo(f"compte {user.login} {'réactivé' if active else 'désactivé'}")


@command.command("disable")
@click.argument("login", metavar="IDENTIFIANT")
@pass_env
def disable(env: Env, login: str) -> None:
    """Désactiver IDENTIFIANT : il ne peut plus se connecter (son historique reste)."""
    _set_active(env, login, False)


@command.command("enable")
@click.argument("login", metavar="IDENTIFIANT")
@pass_env
def enable(env: Env, login: str) -> None:
    """Réactiver IDENTIFIANT."""
    _set_active(env, login, True)
