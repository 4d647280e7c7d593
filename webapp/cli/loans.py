"""`fonds loan out|return|renew|overdue`: the loan desk from the command line.

Exit 0 when done; 1 with one French line on stderr when the desk refuses (unknown barcode,
copy already out, suspended borrower, renewal limit…)."""

from __future__ import annotations

from datetime import date

import click

from library import audit
from library.loans import LoanRefused, Loans

from ..messages import french_date, loan_refusal
from ..policies import loan_policy
from ..policies import today as configured_today
from .env import ROW_ID, CliError, Env, pass_env, print_json
from .users import cli_actor


class _Date(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"date attendue au format AAAA-MM-JJ : {value}", param, ctx)


DATE = _Date()
_DATE_OPTION = click.option(
    "--date", "on", type=DATE, default=None, help="Date de l'opération (par défaut : aujourd'hui)."
)


@click.group("loan")
def command() -> None:
    """Prêter, rendre et prolonger les exemplaires papier ; lister les retards."""


def _desk(env: Env) -> Loans:
    return Loans(env.catalogue(), loan_policy(env.config))


def _today(env: Env, on: date | None) -> date:
    return on or configured_today(env.config)


@command.command("out")
@click.argument("barcode", metavar="CODE_BARRES")
@click.argument("borrower_id", metavar="EMPRUNTEUR", type=ROW_ID)
@click.option(
    "--due",
    type=DATE,
    default=None,
    help="Date de retour prévue (par défaut : selon la durée du prêt).",
)
@_DATE_OPTION
@click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")
@pass_env
def out(
    env: Env, barcode: str, borrower_id: int, due: date | None, on: date | None, as_json: bool
) -> None:
    """Prêter l'exemplaire CODE_BARRES à l'emprunteur EMPRUNTEUR."""
    desk = _desk(env)
    try:
        with env.catalogue().transaction():
            loan = desk.check_out(barcode, borrower_id, today=_today(env, on), due=due)
            audit.log(
                env.catalogue(),
                cli_actor(),
                "loan.out",
                target_type="loan",
                target_id=loan.id,
                summary=f"{loan.barcode} prêté à l'emprunteur n° {borrower_id}",
            )
    except LoanRefused as exc:
        raise CliError(loan_refusal(exc)) from None
    if as_json:
        print_json(_loan_json(loan, _today(env, on)))
    else:
        click.echo(
            f"{loan.barcode} prêté à {loan.borrower_name} jusqu'au "
            f"{french_date(loan.due_date.isoformat())} — {loan.title}"
        )


@command.command("return")
@click.argument("barcode", metavar="CODE_BARRES")
@_DATE_OPTION
@pass_env
def give_back(env: Env, barcode: str, on: date | None) -> None:
    """Enregistrer le retour de l'exemplaire CODE_BARRES (dit qui l'a réservé ensuite)."""
    desk = _desk(env)
    try:
        with env.catalogue().transaction():
            done = desk.check_in(barcode, today=_today(env, on))
            audit.log(
                env.catalogue(),
                cli_actor(),
                "loan.return",
                target_type="loan",
                target_id=done.loan.id,
                summary=f"{done.loan.barcode} rendu",
            )
    except LoanRefused as exc:
        raise CliError(loan_refusal(exc)) from None
    late = done.loan.return_date and (done.loan.return_date - done.loan.due_date).days
    click.echo(
        f"{done.loan.barcode} rendu"
        + (f" avec {late} jour{'s' if late > 1 else ''} de retard" if late and late > 0 else "")
    )
    if done.next_reservation:
        r = done.next_reservation
        click.echo(
            f"réservé : à mettre de côté pour {r.borrower_name} (emprunteur n° {r.borrower_id})"
        )


@command.command("renew")
@click.argument("barcode", metavar="CODE_BARRES")
@_DATE_OPTION
@pass_env
def renew(env: Env, barcode: str, on: date | None) -> None:
    """Prolonger le prêt de l'exemplaire CODE_BARRES."""
    desk = _desk(env)
    try:
        with env.catalogue().transaction():
            loan = desk.renew(barcode, today=_today(env, on))
            audit.log(
                env.catalogue(),
                cli_actor(),
                "loan.renew",
                target_type="loan",
                target_id=loan.id,
                summary=f"{loan.barcode} prolongé",
            )
    except LoanRefused as exc:
        raise CliError(loan_refusal(exc)) from None
    click.echo(
        f"{loan.barcode} prolongé jusqu'au {french_date(loan.due_date.isoformat())} "
        f"(prolongation {loan.renewals})"
    )


@command.command("overdue")
@_DATE_OPTION
@click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")
@pass_env
def overdue(env: Env, on: date | None, as_json: bool) -> None:
    """Les prêts en retard, les plus anciens d'abord, avec les jours de retard."""
    today = _today(env, on)
    late = _desk(env).overdue(today)
    if as_json:
        print_json(
            {
                "date": today.isoformat(),
                "count": len(late),
                "loans": [_loan_json(x, today) for x in late],
            }
        )
        return
    if not late:
        click.echo("aucun prêt en retard")
    for x in late:
        click.echo(
            f"{x.days_late(today):>4} j  {x.barcode}  {x.title} — {x.borrower_name} "
            f"(n° {x.borrower_id}), retour prévu le {french_date(x.due_date.isoformat())}"
        )


def _loan_json(loan, today: date) -> dict:
    return {
        "id": loan.id,
        "barcode": loan.barcode,
        "record_id": loan.record_id,
        "title": loan.title,
        "borrower_id": loan.borrower_id,
        "borrower": loan.borrower_name,
        "loan_date": loan.loan_date.isoformat(),
        "due_date": loan.due_date.isoformat(),
        "renewals": loan.renewals,
        "days_late": loan.days_late(today),
    }
