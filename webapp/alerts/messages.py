"""The French sentences of the veille by e-mail, for the pages and the CLI."""

from __future__ import annotations

from library.alerts import AlertError, AlertProblem

from ..mail import MailError, MailFailure

ALERT_PROBLEMS = {
    AlertProblem.INVALID_EMAIL: "Cette adresse électronique n'est pas valide : {detail}",
    AlertProblem.NOTHING_TO_FOLLOW: (
        "Choisissez au moins une chose à suivre : une thématique, une recherche ou la lettre "
        "d'information."
    ),
    AlertProblem.INVALID_SUBSCRIPTION: "Abonnement impossible : « {detail} » n'existe pas.",
    AlertProblem.NO_CONSENT: (
        "Indiquez l'origine du consentement (par exemple : « demande écrite lors de la "
        "journée du 12 mars »)."
    ),
    AlertProblem.UNKNOWN_TOKEN: (
        "Ce lien de confirmation n'est pas (ou plus) valable. Si vous l'avez déjà utilisé, votre "
        "abonnement est enregistré ; sinon, abonnez-vous de nouveau."
    ),
    AlertProblem.TOKEN_EXPIRED: (
        "Ce lien de confirmation a expiré. Abonnez-vous de nouveau : un nouveau lien vous sera "
        "envoyé."
    ),
    AlertProblem.ALREADY_CONFIRMED: "Votre abonnement est déjà confirmé : rien de plus à faire.",
    AlertProblem.BAD_UNSUBSCRIBE: (
        "Ce lien de désabonnement n'est pas valable : il a peut-être déjà servi (l'abonnement est "
        "alors déjà résilié) ou il a été mal copié."
    ),
    AlertProblem.NOT_SUBSCRIBED: "Aucun abonné avec cette adresse : {detail}",
    AlertProblem.BAD_MONTH: "Mois invalide « {detail} » : écrivez-le AAAA-MM, par exemple 2013-05.",
    AlertProblem.NEWSLETTER_SENT: (
        "La lettre d'information de {detail} est déjà partie : elle n'est envoyée qu'une fois."
    ),
}

MAIL_FAILURES = {
    MailFailure.NOT_CONFIGURED: (
        "l'envoi de courriels n'est pas configuré (SMTP_HOST et MAIL_FROM) {detail}"
    ),
    MailFailure.UNAVAILABLE: "le serveur de courriel est injoignable ({detail})",
    MailFailure.AUTH_REFUSED: (
        "le serveur de courriel refuse l'identification (SMTP_USER, SMTP_PASSWORD) : {detail}"
    ),
    MailFailure.RECIPIENT_REFUSED: "le serveur de courriel refuse le destinataire : {detail}",
    MailFailure.REFUSED: "le serveur de courriel refuse le message : {detail}",
}

MAIL_PROBLEMS = {
    "no-smtp": (
        "L'envoi de courriels n'est pas configuré : indiquez SMTP_HOST et MAIL_FROM (et, selon le "
        "serveur, SMTP_PORT, SMTP_SECURITY, SMTP_USER, SMTP_PASSWORD) dans la configuration."
    ),
    "bad-security": "SMTP_SECURITY doit valoir none, starttls ou tls.",
    "no-base-url": (
        "BASE_URL n'est pas configurée : les liens des courriels (notices, confirmation, "
        "désabonnement) doivent mener à l'adresse publique du site, pas à 127.0.0.1. "
        'Indiquez-la (par exemple BASE_URL = "https://fonds.example.org").'
    ),
}


def alert_problem(exc: AlertError) -> str:
    return ALERT_PROBLEMS[exc.problem].format(detail=exc.detail)


def mail_failure(exc: MailError) -> str:
    return MAIL_FAILURES[exc.failure].format(detail=exc.detail).strip()


def mail_problem(problem: str) -> str:
    return MAIL_PROBLEMS.get(problem, problem)
