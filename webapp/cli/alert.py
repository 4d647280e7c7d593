"""`fonds alert add|list|remove|send`: the veille by e-mail (subscribers and their digests)."""

from __future__ import annotations

from typing import Any

import click

from library import audit
from library.alerts import AlertError, Alerts, Subscriber, SubscriptionKind

from ..alerts.compose import confirmation_message
from ..alerts.core import MailNotReady, alerts_for, describe, require_mail, search_value
from ..alerts.messages import alert_problem, mail_failure
from ..alerts.messages import mail_problem as mail_problem_text
from ..alerts.sending import SearchMatcher, send_run
from ..alerts.sending import dry_run as preview_run
from ..mail import Mailer, MailError, MailFailure
from .env import EXIT_REFUSED, EXIT_UNAVAILABLE, CliError, Env, pass_env, print_json
from .users import cli_actor


def _alerts(env: Env) -> Alerts:
    return alerts_for(env.catalogue(), env.config)


def _mail_ready(env: Env) -> tuple[Any, str]:
    try:
        return require_mail(env.config)
    except MailNotReady as exc:
        raise CliError(mail_problem_text(exc.problem), EXIT_REFUSED) from None


@click.group("alert")
def command() -> None:
    """Veille par courriel : abonnés, confirmations et envoi des nouveautés."""


@command.command("add")
@click.argument("email", metavar="ADRESSE")
@click.option(
    "--theme", "themes", multiple=True, metavar="SLUG", help="Thématique suivie (répétable)."
)
@click.option("--query", default="", metavar="TEXTE", help="Recherche suivie (mots cherchés).")
@click.option("--bulletin", is_flag=True, help="Lettre d'information mensuelle (bulletin).")
@click.option(
    "--origin",
    default="ajout par la documentaliste (ligne de commande)",
    show_default=True,
    metavar="TEXTE",
    help="Origine du consentement, enregistrée avec l'abonné.",
)
@pass_env
def add(
    env: Env, email: str, themes: tuple[str, ...], query: str, bulletin: bool, origin: str
) -> None:
    """Abonner ADRESSE et lui envoyer le courriel de confirmation (l'abonnement commence quand
    le lien est confirmé)."""
    labels = env.vocabulary().vocabulary.labels()
    unknown = [t for t in themes if t not in labels]
    if unknown:
        raise CliError(
            f"thématique inconnue : {', '.join(unknown)} (voir `fonds vocab list`)", EXIT_REFUSED
        )
    settings, base = _mail_ready(env)
    wanted: list[tuple[SubscriptionKind, str]] = [(SubscriptionKind.THEME, t) for t in themes]
    if query.strip():
        value = search_value({"q": [query.strip()]}, labels)
        wanted.append((SubscriptionKind.SEARCH, value))
    if bulletin:
        wanted.append((SubscriptionKind.BULLETIN, ""))
    alerts = _alerts(env)
    try:
        subscriber, token = alerts.request(email, wanted, origin=origin)
    except AlertError as exc:
        raise CliError(alert_problem(exc)) from None
    audit.log(
        env.catalogue(),
        cli_actor(),
        "subscriber.add",
        target_type="subscriber",
        target_id=subscriber.id,
        summary=f"Abonné n° {subscriber.id} : demande d'abonnement ({len(wanted)} suivi(s))",
    )
    message = confirmation_message(subscriber, token, config=env.config, base=base, labels=labels)
    try:
        with Mailer(settings) as mailer:
            mailer.send(message)
    except MailError as exc:
        raise CliError(
            f"demande enregistrée, mais la confirmation n'est pas partie : {mail_failure(exc)} ; "
            "relancez la même commande plus tard",
            EXIT_UNAVAILABLE,
        ) from None
    click.echo(
        f"Confirmation envoyée à {subscriber.email} : l'abonnement commencera quand le lien "
        "du courriel sera confirmé."
    )


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@pass_env
def list_subscribers(env: Env, as_json: bool) -> None:
    """Lister les abonnés et ce qu'ils suivent."""
    labels = env.vocabulary().vocabulary.labels()
    found = _alerts(env).subscribers()
    if as_json:
        print_json([_public(s, labels) for s in found])
        return
    for s in found:
        state = "confirmé" if s.confirmed else "en attente de confirmation"
        click.echo(f"{s.id}\t{s.email}\t{state}")
        for sub in s.subscriptions:
            flag = "" if sub.confirmed else " (à confirmer)"
            click.echo(f"\t- {describe(sub, labels)}{flag}")
    if not found:
        click.echo("Aucun abonné.")


@command.command("remove")
@click.argument("email", metavar="ADRESSE")
@pass_env
def remove(env: Env, email: str) -> None:
    """Désabonner ADRESSE et effacer tout ce qui le concerne."""
    alerts = _alerts(env)
    try:
        subscriber = alerts.by_email(email)
    except AlertError as exc:
        raise CliError(alert_problem(exc)) from None
    with env.catalogue().transaction():
        alerts.erase(subscriber.id)
        audit.log(
            env.catalogue(),
            cli_actor(),
            "subscriber.erase",
            target_type="subscriber",
            target_id=subscriber.id,
            summary=f"Abonné n° {subscriber.id} désabonné et effacé",
        )
    click.echo(f"{subscriber.email} est désabonné·e ; ses données sont effacées.")


@command.command("send")
@click.option("--dry-run", is_flag=True, help="Montrer ce qui partirait, sans rien envoyer.")
@click.option("--json", "as_json", is_flag=True, help="Compte rendu en JSON.")
@pass_env
def send(env: Env, dry_run: bool, as_json: bool) -> None:
    """Envoyer à chaque abonné les nouveautés qui correspondent à ses abonnements (à lancer
    par cron), et les lettres d'information en attente."""
    alerts = _alerts(env)
    labels = env.vocabulary().vocabulary.labels()
    matcher = SearchMatcher(env.finder, labels)
    if dry_run:
        report = preview_run(alerts, matcher, up_to=alerts.newest_record_id())
        if as_json:
            print_json(report.to_json())
            return
        for planned in report.planned:
            what = "résumé" if planned["kind"] == "digest" else "lettre d'information"
            click.echo(f"{planned['email']}\t{what}\t{len(planned['records'])} notice(s)")
        click.echo(
            f"{len(report.planned)} courriel(s) partiraient (simulation : rien n'est envoyé)."
        )
        return
    settings, base = _mail_ready(env)
    report = send_run(
        env.catalogue(), alerts, matcher, settings, base=base, config=env.config, labels=labels
    )
    if as_json:
        print_json(report.to_json())
    else:
        click.echo(
            f"{len(report.sent)} courriel(s) envoyé(s), {len(report.failed)} refusé(s), "
            f"{report.queued} résumé(s) préparé(s)."
        )
        for failed in report.failed:
            click.echo(
                f"refusé : {failed['email']} ({failed['detail']}) — nouvel essai au prochain envoi"
            )
    if report.stopped:
        error = MailError(MailFailure(report.stopped), report.stopped_detail)
        raise CliError(
            f"envoi interrompu : {mail_failure(error)} ; ce qui n'est pas parti partira au "
            "prochain envoi",
            EXIT_UNAVAILABLE,
        )
    if report.failed:
        raise CliError(
            f"{len(report.failed)} courriel(s) refusé(s) par le serveur : nouvel essai au "
            "prochain envoi",
            EXIT_REFUSED,
        )


def _public(subscriber: Subscriber, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "id": subscriber.id,
        "email": subscriber.email,
        "confirmed": subscriber.confirmed,
        "confirmed_at": subscriber.confirmed_at,
        "created_at": subscriber.created_at,
        "consent_origin": subscriber.consent_origin,
        "subscriptions": [
            {
                "kind": s.kind.value,
                "value": s.value,
                "label": describe(s, labels),
                "confirmed": s.confirmed,
            }
            for s in subscriber.subscriptions
        ],
    }


__all__ = ["command"]
