"""What the CLI and the pages share: is mail ready, the public address, what a subscription
says in French, and how a search becomes a saved subscription."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode

from library.alerts import Subscription, SubscriptionKind
from library.models import DOC_TYPE_LABELS, DocType

from ..mail import MailError, MailSettings
from ..params import FACET_PARAMS, args_for, request_from_args

SEARCH_PARAMS = ("q", *FACET_PARAMS)


class MailNotReady(Exception):
    """Mail cannot go out with this configuration; `problem` is a code, messages.py says it."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def mail_problem(config: Mapping[str, Any]) -> str | None:
    """None when mail can be sent, else why not: no-smtp, bad-security, no-base-url."""
    try:
        settings = MailSettings.from_config(config)
    except MailError:
        return "bad-security"
    if settings is None:
        return "no-smtp"
    if not str(config.get("BASE_URL") or "").strip():
        return "no-base-url"
    return None


def require_mail(config: Mapping[str, Any]) -> tuple[MailSettings, str]:
    """The SMTP settings and the public address (without trailing slash); MailNotReady else."""
    problem = mail_problem(config)
    if problem:
        raise MailNotReady(problem)
    settings = MailSettings.from_config(config)
    assert settings is not None
    return settings, str(config["BASE_URL"]).strip().rstrip("/")


def search_value(args: Any, theme_slugs: Any = None) -> str:
    """The query string saved for a search subscription: the search's words and filters only
    (no sort, no page), in a canonical order; '' for a search that selects nothing."""
    request = request_from_args(args, theme_slugs=theme_slugs)
    pairs = [(k, v) for k, v in args_for(request) if k in SEARCH_PARAMS]
    return urlencode(pairs)


def search_request(value: str, theme_slugs: Any = None) -> Any:
    return request_from_args(parse_qs(value), theme_slugs=theme_slugs)


def describe(subscription: Subscription, labels: Mapping[str, str]) -> str:
    """What a subscription follows, for people: « Thématique : Habitat »."""
    if subscription.kind is SubscriptionKind.BULLETIN:
        return "Lettre d'information mensuelle (bulletin des nouveautés)"
    if subscription.kind is SubscriptionKind.THEME:
        return f"Thématique : {labels.get(subscription.value, subscription.value)}"
    return f"Recherche : {describe_search(subscription.value, labels)}"


def describe_search(value: str, labels: Mapping[str, str]) -> str:
    args = parse_qs(value)
    parts = []
    words = " ".join(args.get("q", [])).strip()
    if words:
        parts.append(f"« {words} »")
    themes = [labels.get(t, t) for t in args.get("theme", [])]
    if themes:
        parts.append("thématique " + ", ".join(themes))
    types = []
    for t in args.get("type", []):
        try:
            types.append(DOC_TYPE_LABELS[DocType(t)])
        except ValueError:
            types.append(t)
    if types:
        parts.append("type " + ", ".join(types))
    for name, label in (
        ("year", "année"),
        ("lang", "langue"),
        ("author", "auteur"),
        ("support", "support"),
        ("available", "disponibilité"),
    ):
        values = args.get(name, [])
        if values:
            parts.append(f"{label} " + ", ".join(values))
    return " ; ".join(parts) or "tout le fonds"


def alerts_for(catalogue: Any, config: Mapping[str, Any]) -> Any:
    """The catalogue's veille, with the configured link lifetime and number of tries."""
    from library.alerts import Alerts

    return Alerts(
        catalogue,
        token_hours=int(config.get("ALERT_CONFIRM_HOURS") or 72),
        max_attempts=int(config.get("ALERT_MAX_ATTEMPTS") or 5),
    )
