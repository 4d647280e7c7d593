"""`fonds borrower add|list|show|suspend|reactivate|export|erase`: the people who borrow."""

from __future__ import annotations

import click

from library import NotFound, audit
from library.loans import LoanRefused, Loans

from ..messages import loan_refusal
from ..policies import categories, loan_policy
from .env import ROW_ID, CliError, Env, pass_env, print_json
from .users import cli_actor


def _desk(env: Env) -> Loans:
    return Loans(env.catalogue(create=True), loan_policy(env.config))


@click.group("borrower")
def command() -> None:
    """Emprunteurs (nom, organisme, catégorie, contact) et leurs données personnelles."""


@command.command("add")
@click.option(
    "--name",
    required=True,
    help="Nom de l'emprunteur : « Prénom Nom », « NOM Prénom » ou « Nom, Prénom ».",
)
@click.option("--organisation", default="", help="Employeur ou association.")
@click.option(
    "--category",
    default="autre",
    show_default=True,
    help="Catégorie d'emprunteur (voir BORROWER_CATEGORIES) : fixe la durée du prêt.",
)
@click.option("--email", default="", help="Adresse électronique.")
@click.option("--phone", default="", help="Téléphone.")
@click.option("--card", default="", help="Code-barres de la carte (unique).")
@click.option("--address", default="", help="Adresse postale (lignes séparées par \\n).")
@click.option("--json", "as_json", is_flag=True, help='Afficher {"id": N, ...} en JSON.')
@pass_env
def add(
    env: Env,
    name: str,
    organisation: str,
    category: str,
    email: str,
    phone: str,
    card: str,
    address: str,
    as_json: bool,
) -> None:
    """Inscrire un emprunteur ; affiche son numéro."""
    known = categories(env.config)
    if category not in known:
        raise CliError(f"catégorie inconnue : {category} (connues : {', '.join(known)})")
    desk = _desk(env)
    try:
        with env.catalogue().transaction():
            borrower = desk.add_borrower(
                name,
                organisation=organisation,
                category=category,
                email=email,
                phone=phone,
                card_barcode=card,
                address=address.replace("\\n", "\n"),
            )
            audit.log(
                env.catalogue(),
                cli_actor(),
                "borrower.add",
                target_type="borrower",
                target_id=borrower.id,
                summary=f"Emprunteur n° {borrower.id} inscrit",
            )
    except LoanRefused as exc:
        raise CliError(loan_refusal(exc)) from None
    if as_json:
        print_json(_public(borrower))
    else:
        click.echo(borrower.id)


@command.command("list")
@click.argument("query", metavar="[RECHERCHE]", required=False, default="")
@click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")
@pass_env
def list_borrowers(env: Env, query: str, as_json: bool) -> None:
    """Lister les emprunteurs (ceux dont le nom, l'organisme ou l'adresse contient RECHERCHE)."""
    found = _desk(env).borrowers(query)
    if as_json:
        print_json([_public(b) for b in found])
        return
    for b in found:
        flags = " [suspendu]" if b.suspended else ""
        org = f" — {b.organisation}" if b.organisation else ""
        click.echo(f"{b.id}\t{b.name}{org}{flags} — {b.active_loans} prêt(s) en cours")


@command.command("show")
@click.argument("borrower_id", metavar="EMPRUNTEUR", type=ROW_ID)
@click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")
@pass_env
def show(env: Env, borrower_id: int, as_json: bool) -> None:
    """Un emprunteur et ses prêts en cours."""
    desk = _desk(env)
    borrower = _get(desk, borrower_id)
    loans = desk.active_loans(borrower_id)
    if as_json:
        data = _public(borrower)
        data["loans"] = [
            {
                "barcode": x.barcode,
                "record_id": x.record_id,
                "title": x.title,
                "due_date": x.due_date.isoformat(),
            }
            for x in loans
        ]
        print_json(data)
        return
    click.echo(
        f"Emprunteur n° {borrower.id} : {borrower.name}"
        + (" (suspendu)" if borrower.suspended else "")
    )
    for label, value in (
        ("Organisme", borrower.organisation),
        ("Catégorie", borrower.category),
        ("Courriel", borrower.email),
        ("Téléphone", borrower.phone),
    ):
        if value:
            click.echo(f"{label:<11} {value}")
    for loan in loans:
        click.echo(
            f"En prêt     {loan.barcode} — {loan.title} — retour le {loan.due_date:%d/%m/%Y}"
        )


@command.command("suspend")
@click.argument("borrower_id", metavar="EMPRUNTEUR", type=ROW_ID)
@click.option("--reason", default="", help="Motif (affiché à la banque de prêt).")
@pass_env
def suspend(env: Env, borrower_id: int, reason: str) -> None:
    """Suspendre un emprunteur : ni prêt, ni prolongation, ni réservation."""
    _suspend(env, borrower_id, True, reason)


@command.command("reactivate")
@click.argument("borrower_id", metavar="EMPRUNTEUR", type=ROW_ID)
@pass_env
def reactivate(env: Env, borrower_id: int) -> None:
    """Lever une suspension."""
    _suspend(env, borrower_id, False, "")


@command.command("export")
@click.argument("borrower_id", metavar="EMPRUNTEUR", type=ROW_ID)
@pass_env
def export(env: Env, borrower_id: int) -> None:
    """Tout ce que le fonds sait d'un emprunteur, en JSON (droit d'accès, RGPD)."""
    desk = _desk(env)
    _get(desk, borrower_id)
    print_json(desk.export_borrower(borrower_id))


@command.command("erase")
@click.argument("borrower_id", metavar="EMPRUNTEUR", type=ROW_ID)
@click.option("--yes", is_flag=True, help="Ne pas demander de confirmation.")
@pass_env
def erase(env: Env, borrower_id: int, yes: bool) -> None:
    """Effacer les données personnelles d'un emprunteur (RGPD) ; les statistiques de prêt
    anonymes sont conservées."""
    desk = _desk(env)
    borrower = _get(desk, borrower_id)
    if not yes:
        click.confirm(f"Effacer définitivement les données de {borrower.name} ?", abort=True)
    try:
        with env.catalogue().transaction():
            kept = desk.erase_borrower(borrower_id)
            audit.log(
                env.catalogue(),
                cli_actor(),
                "borrower.erase",
                target_type="borrower",
                target_id=borrower_id,
                summary=f"Emprunteur n° {borrower_id} effacé (RGPD), {kept} prêt(s) anonymisé(s)",
            )
    except LoanRefused as exc:
        raise CliError(loan_refusal(exc)) from None
    click.echo(f"emprunteur n° {borrower_id} effacé ; {kept} prêt(s) conservé(s) anonymement")


def _suspend(env: Env, borrower_id: int, suspended: bool, reason: str) -> None:
    desk = _desk(env)
    _get(desk, borrower_id)
    with env.catalogue().transaction():
        desk.set_suspended(borrower_id, suspended, reason)
        audit.log(
            env.catalogue(),
            cli_actor(),
            "borrower.suspend" if suspended else "borrower.reactivate",
            target_type="borrower",
            target_id=borrower_id,
            summary=f"Emprunteur n° {borrower_id} {'suspendu' if suspended else 'réactivé'}",
        )
    click.echo(f"emprunteur n° {borrower_id} {'suspendu' if suspended else 'réactivé'}")


def _get(desk: Loans, borrower_id: int):
    try:
        return desk.borrower(borrower_id)
    except NotFound:
        raise CliError(f"emprunteur n° {borrower_id} introuvable") from None


def _public(borrower) -> dict:
    data = borrower.as_dict()
    data.pop("calendar_token", None)
    return data
