"""Public pages of the veille by e-mail (/alertes/…): subscribe with only an address (from a
thematic, a search or for the bulletin), confirm with a button press (double opt-in: a mail
scanner that follows the link confirms nothing), and unsubscribe in one click (RFC 8058: the
link's secret is the key, no session, no CSRF token)."""

from __future__ import annotations

import hashlib
import time
from typing import Any
from urllib.parse import parse_qs

from flask import Blueprint, Response, current_app, render_template, request

from library import audit
from library.alerts import AlertError, AlertProblem, SubscriptionKind
from library.users import LoginThrottle, ThrottlePolicy

from .. import security, services
from ..alerts.compose import confirmation_message
from ..alerts.core import (
    MailNotReady,
    alerts_for,
    describe,
    describe_search,
    mail_problem,
    require_mail,
    search_value,
)
from ..alerts.messages import alert_problem
from ..mail import Mailer, MailError

bp = Blueprint("alerts", __name__, url_prefix="/alertes")

UNSUBSCRIBE_PREFIX = "/alertes/desabonnement/"  # CSRF-exempt: the link's secret is the key
WINDOW_SECONDS = 3600


def _alerts() -> Any:
    return alerts_for(services.get_catalogue(), current_app.config)


def _private(response: Response) -> Response:
    """Pages reached through a secret link: never cached, never leaked in a Referer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _page(template: str, status: int = 200, **context: Any) -> Response:
    response = current_app.make_response((render_template(template, **context), status))
    return _private(response)


# -- subscribing ------------------------------------------------------------------------------


@bp.route("/abonnement", methods=["GET", "POST"])
def subscribe() -> Response:
    labels = services.theme_labels()
    source = request.form if request.method == "POST" else request.args
    themes = [t for t in source.getlist("theme") if t][:50]
    search = source.get("recherche", "")[:2000]
    if search:
        search = search_value(parse_qs(search), labels)
        only_themes = parse_qs(search)
        if search and set(only_themes) == {"theme"} and request.method == "GET":
            themes += [t for t in only_themes["theme"] if t not in themes]
            search = ""
    values: dict[str, Any] = {
        "email": source.get("email", "").strip()[:254],
        "themes": themes,
        "search": search,
        "search_label": describe_search(search, labels) if search else "",
        "bulletin": source.get("bulletin", "") in ("1", "oui", "on"),
    }
    unavailable = mail_problem(current_app.config)
    if request.method == "GET" or unavailable:
        status = 503 if (unavailable and request.method == "POST") else 200
        return _page(
            "alerts/subscribe.html",
            status,
            values=values,
            labels=labels,
            error=None,
            unavailable=bool(unavailable),
        )
    unknown = [t for t in themes if t not in labels]
    if unknown:
        error = alert_problem(AlertError(AlertProblem.INVALID_SUBSCRIPTION, unknown[0]))
        return _form_error(values, labels, error)
    wanted = [(SubscriptionKind.THEME, t) for t in themes]
    if search:
        wanted.append((SubscriptionKind.SEARCH, search))
    if values["bulletin"]:
        wanted.append((SubscriptionKind.BULLETIN, ""))
    wait = _throttle(values["email"])
    if wait > 0:
        minutes = max(1, round(wait / 60))
        error = (
            f"Trop de demandes d'abonnement pour cette adresse ou depuis votre connexion : "
            f"réessayez dans {minutes} minute(s)."
        )
        response = _form_error(values, labels, error, 429)
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    alerts = _alerts()
    try:
        subscriber, token = alerts.request(
            values["email"], wanted, origin="formulaire d'abonnement du site public"
        )
    except AlertError as exc:
        return _form_error(values, labels, alert_problem(exc))
    audit.log(
        services.get_catalogue(),
        "public",
        "subscriber.request",
        target_type="subscriber",
        target_id=subscriber.id,
        summary=f"Abonné n° {subscriber.id} : demande d'abonnement depuis le site",
    )
    try:
        settings, base = require_mail(current_app.config)
        with Mailer(settings) as mailer:
            mailer.send(
                confirmation_message(
                    subscriber, token, config=current_app.config, base=base, labels=labels
                )
            )
    except (MailError, MailNotReady):
        current_app.logger.warning("confirmation mail to subscriber %s failed", subscriber.id)
        return _page(
            "alerts/message.html",
            503,
            title="Envoi impossible",
            kind="error",
            message="Le courriel de confirmation n'a pas pu partir : réessayez dans "
            "un moment. Rien n'est envoyé tant que vous n'avez pas confirmé.",
        )
    return _page("alerts/requested.html", email=subscriber.email)


def _form_error(
    values: dict[str, Any], labels: dict[str, str], error: str, status: int = 400
) -> Response:
    return _page(
        "alerts/subscribe.html",
        status,
        values=values,
        labels=labels,
        error=error,
        unavailable=False,
    )


def _throttle(email: str) -> float:
    """Seconds to wait before another request is allowed; each request counts (the login
    throttle, with its own keys), so the form cannot be used to flood someone's mailbox."""
    config = current_app.config
    policy = ThrottlePolicy(
        max_failures_per_login=int(config.get("ALERT_SUBSCRIBE_PER_ADDRESS") or 3),
        max_failures_per_ip=int(config.get("ALERT_SUBSCRIBE_PER_IP") or 10),
        window_seconds=WINDOW_SECONDS,
    )
    throttle = LoginThrottle(services.get_catalogue(), policy)
    key = "abonnement:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]
    ip = "abonnement:" + security.client_address()
    now = time.time()
    wait = throttle.retry_after(key, ip, now)
    if wait <= 0:
        throttle.record(key, ip, False, now)
    return wait


# -- confirming -------------------------------------------------------------------------------

_TOKEN_STATUS = {
    AlertProblem.UNKNOWN_TOKEN: 404,
    AlertProblem.TOKEN_EXPIRED: 410,
    AlertProblem.ALREADY_CONFIRMED: 200,
}


@bp.route("/confirmer/<token>", methods=["GET", "POST"])
def confirm(token: str) -> Response:
    alerts = _alerts()
    labels = services.theme_labels()
    try:
        if request.method == "GET":
            subscriber = alerts.by_token(token)
            waiting = [describe(s, labels) for s in subscriber.subscriptions if not s.confirmed]
            return _page(
                "alerts/confirm.html", email=subscriber.email, waiting=waiting, token=token
            )
        subscriber = alerts.confirm(token)
    except AlertError as exc:
        status = _TOKEN_STATUS.get(exc.problem, 400)
        kind = "info" if status == 200 else "error"
        return _page(
            "alerts/message.html",
            status,
            title="Confirmation de l'abonnement",
            kind=kind,
            message=alert_problem(exc),
        )
    audit.log(
        services.get_catalogue(),
        "public",
        "subscriber.confirm",
        target_type="subscriber",
        target_id=subscriber.id,
        summary=f"Abonné n° {subscriber.id} : abonnement confirmé par le lien du courriel",
    )
    return _page(
        "alerts/confirmed.html",
        email=subscriber.email,
        follows=[describe(s, labels) for s in subscriber.active()],
        unsubscribe=f"{UNSUBSCRIBE_PREFIX}{subscriber.id}/{subscriber.unsubscribe_key}",
    )


# -- unsubscribing ----------------------------------------------------------------------------


@bp.route("/desabonnement/<id:subscriber_id>/<key>", methods=["GET", "POST"])
def unsubscribe(subscriber_id: int, key: str) -> Response:
    """GET: a page with a button. POST: done at once, from that button or from the mail
    client's one-click unsubscribe (List-Unsubscribe-Post)."""
    alerts = _alerts()
    try:
        if request.method == "GET":
            subscriber = alerts.by_unsubscribe_key(subscriber_id, key)
            return _page("alerts/unsubscribe.html", email=subscriber.email)
        alerts.unsubscribe(subscriber_id, key)
    except AlertError as exc:
        return _page(
            "alerts/message.html",
            404,
            title="Désabonnement",
            kind="error",
            message=alert_problem(exc),
        )
    audit.log(
        services.get_catalogue(),
        "public",
        "subscriber.unsubscribe",
        target_type="subscriber",
        target_id=subscriber_id,
        summary=f"Abonné n° {subscriber_id} désabonné (ses données sont effacées)",
    )
    return _page(
        "alerts/message.html",
        title="Désabonnement",
        kind="success",
        message="Vous êtes désabonné·e : vous ne recevrez plus aucun courriel de "
        "veille, et votre adresse est effacée.",
    )
