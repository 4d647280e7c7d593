"""The workspace side of the veille (/admin/abonnes/): subscribers (add with the consent's
origin, export and erase their data), deliveries that failed, and the monthly newsletter
(write its introduction, preview it, send it once)."""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from library.alerts import AlertError, Subscriber, SubscriptionKind

from .. import services
from ..alerts.compose import (
    bulletin_sections,
    confirmation_message,
    month_label,
    newsletter_preview,
)
from ..alerts.core import (
    MailNotReady,
    alerts_for,
    describe,
    mail_problem,
    require_mail,
    search_value,
)
from ..alerts.messages import alert_problem, mail_failure
from ..alerts.messages import mail_problem as mail_problem_text
from ..alerts.sending import dispatch
from ..mail import Mailer, MailError
from .admin_common import record_audit, today

bp = Blueprint("subscribers", __name__, url_prefix="/admin/abonnes")


def _alerts() -> Any:
    return alerts_for(services.get_catalogue(), current_app.config)


@bp.app_template_global("veille_overview")
def veille_overview() -> dict[str, Any]:
    """For the workspace home: is mail configured, and what failed."""
    problem = mail_problem(current_app.config)
    counts = _alerts().counts()
    return {"problem": mail_problem_text(problem) if problem else "", **counts}


@bp.get("/")
def index() -> str:
    alerts = _alerts()
    labels = services.theme_labels()
    problem = mail_problem(current_app.config)
    return render_template(
        "admin/alerts/index.html",
        subscribers=alerts.subscribers(),
        counts=alerts.counts(),
        problems=alerts.problems(),
        mail_problem=mail_problem_text(problem) if problem else "",
        describe=lambda s: describe(s, labels),
    )


@bp.route("/nouveau", methods=["GET", "POST"])
def new() -> Any:
    labels = services.theme_labels()
    values: dict[str, Any] = {
        "email": request.form.get("email", "").strip()[:254],
        "themes": [t for t in request.form.getlist("theme") if t][:50],
        "query": request.form.get("recherche", "").strip()[:500],
        "bulletin": bool(request.form.get("bulletin")),
        "origin": request.form.get("origine", "").strip()[:300],
    }
    problem = mail_problem(current_app.config)
    if request.method == "GET":
        return _form(values, labels, None, problem)
    if problem:
        return _form(values, labels, mail_problem_text(problem), problem), 400
    unknown = [t for t in values["themes"] if t not in labels]
    if unknown:
        return _form(values, labels, f"Thématique inconnue : {unknown[0]}", None), 400
    wanted = [(SubscriptionKind.THEME, t) for t in values["themes"]]
    if values["query"]:
        wanted.append((SubscriptionKind.SEARCH, search_value({"q": [values["query"]]}, labels)))
    if values["bulletin"]:
        wanted.append((SubscriptionKind.BULLETIN, ""))
    alerts = _alerts()
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            subscriber, token = alerts.request(
                values["email"],
                wanted,
                origin=f"documentaliste : {values['origin']}" if values["origin"] else "",
            )
            record_audit(
                "subscriber.add",
                target_type="subscriber",
                target_id=subscriber.id,
                summary=f"Abonné n° {subscriber.id} ajouté (confirmation demandée)",
            )
    except AlertError as exc:
        return _form(values, labels, alert_problem(exc), None), 400
    try:
        settings, base = require_mail(current_app.config)
        with Mailer(settings) as mailer:
            mailer.send(
                confirmation_message(
                    subscriber, token, config=current_app.config, base=base, labels=labels
                )
            )
    except MailError as exc:
        flash(
            f"Abonné enregistré, mais la confirmation n'est pas partie : {mail_failure(exc)}. "
            "Réessayez l'ajout plus tard.",
            "error",
        )
    except MailNotReady as exc:
        flash(mail_problem_text(exc.problem), "error")
    else:
        flash(
            f"Courriel de confirmation envoyé à {subscriber.email} : l'abonnement commencera "
            "quand la personne aura confirmé.",
            "success",
        )
    return redirect(url_for("subscribers.show", subscriber_id=subscriber.id))


def _form(values: dict[str, Any], labels: dict[str, str], error: str | None, problem: Any) -> str:
    return render_template(
        "admin/alerts/form.html",
        values=values,
        labels=labels,
        error=error,
        mail_problem=mail_problem_text(problem) if problem else "",
    )


@bp.get("/<id:subscriber_id>")
def show(subscriber_id: int) -> str:
    subscriber = _get(subscriber_id)
    labels = services.theme_labels()
    return render_template(
        "admin/alerts/show.html",
        subscriber=subscriber,
        describe=lambda s: describe(s, labels),
        data=_alerts().export(subscriber_id),
    )


@bp.get("/<id:subscriber_id>/donnees.json")
def export(subscriber_id: int) -> Response:
    """Everything held about the subscriber (GDPR right of access), as a JSON download."""
    _get(subscriber_id)
    data = _alerts().export(subscriber_id)
    record_audit(
        "subscriber.export",
        target_type="subscriber",
        target_id=subscriber_id,
        summary=f"Données de l'abonné n° {subscriber_id} exportées",
    )
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="abonne-{subscriber_id}.json"'},
    )


@bp.post("/<id:subscriber_id>/effacer")
def erase(subscriber_id: int) -> BaseResponse:
    subscriber = _get(subscriber_id)
    if request.form.get("confirmation") != "EFFACER":
        flash("Pour effacer, tapez EFFACER dans la case de confirmation.", "error")
        return redirect(url_for("subscribers.show", subscriber_id=subscriber_id))
    catalogue = services.get_catalogue()
    with catalogue.transaction():
        _alerts().erase(subscriber_id)
        record_audit(
            "subscriber.erase",
            target_type="subscriber",
            target_id=subscriber_id,
            summary=f"Abonné n° {subscriber_id} désabonné et effacé (RGPD)",
        )
    flash(f"{subscriber.email} est désabonné·e ; toutes ses données sont effacées.", "success")
    return redirect(url_for("subscribers.index"))


@bp.post("/envois/<id:delivery_id>/ecarter")
def dismiss(delivery_id: int) -> BaseResponse:
    _alerts().dismiss(delivery_id)
    flash("Envoi retiré de la liste.", "success")
    return redirect(url_for("subscribers.index"))


# -- the monthly newsletter -------------------------------------------------------------------


def _month_arg() -> str:
    raw = (request.values.get("mois") or "").strip()
    if raw:
        return raw[:20]
    now = today()
    return f"{now.year:04d}-{now.month:02d}"


@bp.route("/lettre", methods=["GET", "POST"])
def newsletter() -> Any:
    alerts = _alerts()
    month = _month_arg()
    try:
        letter = alerts.newsletter(month)
        if request.method == "POST":
            letter = alerts.save_newsletter(month, request.form.get("introduction", ""))
            record_audit(
                "newsletter.edit",
                target_type="newsletter",
                target_id=letter.id,
                summary=f"Lettre d'information de {month} : introduction enregistrée",
            )
            flash("Introduction enregistrée : relisez l'aperçu avant d'envoyer.", "success")
            return redirect(url_for("subscribers.newsletter", mois=month))
    except AlertError as exc:
        flash(alert_problem(exc), "error")
        if request.method == "POST":
            return redirect(url_for("subscribers.newsletter", mois=month[:7]))
        month = f"{today().year:04d}-{today().month:02d}"
        letter = alerts.newsletter(month)
    labels = services.theme_labels()
    base = str(current_app.config.get("BASE_URL") or request.url_root).rstrip("/")
    if letter is None:
        from library.alerts import Newsletter

        letter_view = Newsletter(0, month, "", "", "", None, None)
    else:
        letter_view = letter
    text, html = newsletter_preview(
        services.get_catalogue(), letter_view, config=current_app.config, base=base, labels=labels
    )
    count = sum(
        len(s.records)
        for s in bulletin_sections(services.get_catalogue(), month, base=base, labels=labels)
    )
    problem = mail_problem(current_app.config)
    return render_template(
        "admin/alerts/newsletter.html",
        month=month,
        month_label=month_label(month),
        letter=letter,
        introduction=letter.introduction if letter else "",
        preview_text=text,
        preview_html=html,
        count=count,
        recipients=alerts.bulletin_subscribers(),
        letters=alerts.newsletters(),
        mail_problem=mail_problem_text(problem) if problem else "",
    )


@bp.get("/lettre/apercu.html")
def newsletter_preview_page() -> Response:
    """The letter's HTML as subscribers will see it, for the preview frame: its inline styles
    are allowed here only, in a sandbox, framed by the workspace alone."""
    month = _month_arg()
    try:
        letter = _alerts().newsletter(month)
    except AlertError:
        abort(404)
    if letter is None:
        from library.alerts import Newsletter

        letter = Newsletter(0, month, "", "", "", None, None)
    base = str(current_app.config.get("BASE_URL") or request.url_root).rstrip("/")
    _, html = newsletter_preview(
        services.get_catalogue(),
        letter,
        config=current_app.config,
        base=base,
        labels=services.theme_labels(),
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.post("/lettre/envoyer")
def newsletter_send() -> BaseResponse:
    month = _month_arg()
    back = redirect(url_for("subscribers.newsletter", mois=month[:7]))
    if request.form.get("confirmation") != "ENVOYER":
        flash("Pour envoyer, tapez ENVOYER dans la case de confirmation.", "error")
        return back
    try:
        settings, base = require_mail(current_app.config)
    except MailNotReady as exc:
        flash(mail_problem_text(exc.problem), "error")
        return back
    alerts = _alerts()
    catalogue = services.get_catalogue()
    from ..security import actor

    try:
        with catalogue.transaction():
            queued = alerts.queue_newsletter(month, actor())
            letter = alerts.newsletter(month)
            record_audit(
                "newsletter.send",
                target_type="newsletter",
                target_id=letter.id if letter else None,
                summary=f"Lettre d'information de {month} envoyée à {queued} abonné(s)",
            )
    except AlertError as exc:
        flash(alert_problem(exc), "error")
        return back
    report = dispatch(
        catalogue,
        alerts,
        settings,
        base=base,
        config=current_app.config,
        labels=services.theme_labels(),
        kinds=("newsletter",),
    )
    message = (
        f"Lettre d'information envoyée : {len(report.sent)} courriel(s) parti(s) sur {queued}."
    )
    if report.stopped or report.failed:
        message += " Les autres partiront au prochain envoi automatique (`fonds alert send`)."
        flash(message, "warning")
    else:
        flash(message, "success")
    return back


def _get(subscriber_id: int) -> Subscriber:
    try:
        return _alerts().subscriber(subscriber_id)
    except AlertError:
        abort(404)
