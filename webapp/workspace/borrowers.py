"""Borrowers (/admin/emprunteurs/): register, edit, suspend and reactivate, history, GDPR
export and erasure; and the public iCalendar feed of a borrower's due dates
(/calendrier/<secret>.ics, no session: the secret is the key, and it can be renewed)."""

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

from library import NotFound, audit
from library.loans import BORROWER_FIELDS, Borrower, LoanRefused

from .. import services
from ..messages import loan_refusal
from ..policies import categories
from .admin_common import desk, record_audit, today
from .icalendar import due_dates_calendar

bp = Blueprint("borrowers", __name__, url_prefix="/admin/emprunteurs")
public = Blueprint("calendar", __name__)

# Personal data: the audit log records that these changed, never their values.
PERSONAL = (
    "family_name",
    "given_names",
    "card_barcode",
    "organisation",
    "email",
    "phone",
    "address",
    "notes",
)


def _typed() -> dict[str, str]:
    """The form's fields; a single `name` (older forms, scripts) is split by the library."""
    values = {name: request.form.get(name, "").strip() for name in BORROWER_FIELDS}
    if request.form.get("name"):
        values["name"] = request.form["name"].strip()
    return values


@bp.get("/")
def index() -> str:
    q = request.args.get("q", "").strip()[:100]
    return render_template(
        "admin/borrowers/index.html",
        borrowers=desk().borrowers(q),
        q=q,
        categories=categories(current_app.config),
    )


@bp.route("/nouveau", methods=["GET", "POST"])
def new() -> Any:
    values = _typed()
    if request.method == "GET":
        values["category"] = "autre"
        return _form(values, None, None)
    problem = _check_category(values)
    if problem:
        return _form(values, None, problem), 400
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            borrower = desk().add_borrower(**values)
            record_audit(
                "borrower.add",
                target_type="borrower",
                target_id=borrower.id,
                summary=f"Emprunteur n° {borrower.id} inscrit",
            )
    except LoanRefused as exc:
        return _form(values, None, loan_refusal(exc)), 400
    flash(f"{borrower.name} inscrit·e sous le n° {borrower.id}.", "success")
    return redirect(url_for("borrowers.show", borrower_id=borrower.id))


@bp.route("/<id:borrower_id>", methods=["GET", "POST"])
def show(borrower_id: int) -> Any:
    borrower = _get(borrower_id)
    if request.method == "POST":
        values = _typed()
        problem = _check_category(values)
        if problem:
            return _page(borrower, values, problem), 400
        catalogue = services.get_catalogue()
        try:
            with catalogue.transaction():
                changed = desk().update_borrower(borrower_id, **values)
                before = {k: getattr(borrower, k) for k in BORROWER_FIELDS}
                after = {k: getattr(changed, k) for k in BORROWER_FIELDS}
                record_audit(
                    "borrower.edit",
                    target_type="borrower",
                    target_id=borrower_id,
                    summary=f"Fiche de l'emprunteur n° {borrower_id} modifiée",
                    changes=audit.diff(before, after, masked=PERSONAL),
                )
        except LoanRefused as exc:
            return _page(borrower, values, loan_refusal(exc)), 400
        flash("Fiche enregistrée.", "success")
        return redirect(url_for("borrowers.show", borrower_id=borrower_id))
    return _page(borrower, {name: getattr(borrower, name) for name in BORROWER_FIELDS}, None)


@bp.post("/<id:borrower_id>/suspendre")
def suspend(borrower_id: int) -> BaseResponse:
    return _suspend(borrower_id, True)


@bp.post("/<id:borrower_id>/reactiver")
def reactivate(borrower_id: int) -> BaseResponse:
    return _suspend(borrower_id, False)


def _suspend(borrower_id: int, suspended: bool) -> BaseResponse:
    _get(borrower_id)
    catalogue = services.get_catalogue()
    with catalogue.transaction():
        desk().set_suspended(borrower_id, suspended, request.form.get("motif", "")[:200])
        record_audit(
            "borrower.suspend" if suspended else "borrower.reactivate",
            target_type="borrower",
            target_id=borrower_id,
            summary=f"Emprunteur n° {borrower_id} {'suspendu' if suspended else 'réactivé'}",
        )
    flash(
        "Emprunteur suspendu : plus de prêt ni de prolongation."
        if suspended
        else "Emprunteur réactivé.",
        "success",
    )
    return redirect(url_for("borrowers.show", borrower_id=borrower_id))


@bp.get("/<id:borrower_id>/donnees.json")
def export(borrower_id: int) -> BaseResponse:
    """Everything held about the borrower (GDPR right of access), as a JSON download."""
    _get(borrower_id)
    data = desk().export_borrower(borrower_id)
    record_audit(
        "borrower.export",
        target_type="borrower",
        target_id=borrower_id,
        summary=f"Données de l'emprunteur n° {borrower_id} exportées",
    )
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="emprunteur-{borrower_id}.json"'},
    )


@bp.post("/<id:borrower_id>/effacer")
def erase(borrower_id: int) -> BaseResponse:
    borrower = _get(borrower_id)
    if request.form.get("confirmation") != "EFFACER":
        flash("Pour effacer, tapez EFFACER dans la case de confirmation.", "error")
        return redirect(url_for("borrowers.show", borrower_id=borrower_id))
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            kept = desk().erase_borrower(borrower_id)
            record_audit(
                "borrower.erase",
                target_type="borrower",
                target_id=borrower_id,
                summary=f"Emprunteur n° {borrower_id} effacé (RGPD) ; {kept} prêt(s) anonymisé(s)",
            )
    except LoanRefused as exc:
        flash(loan_refusal(exc), "error")
        return redirect(url_for("borrowers.show", borrower_id=borrower_id))
    flash(
        f"Données de {borrower.name} effacées ; {kept} prêt(s) conservé(s) sans nom pour les "
        "statistiques.",
        "success",
    )
    return redirect(url_for("borrowers.index"))


@bp.post("/<id:borrower_id>/calendrier")
def calendar_token(borrower_id: int) -> BaseResponse:
    _get(borrower_id)
    desk().calendar_token(borrower_id, renew=True)
    record_audit(
        "borrower.calendar",
        target_type="borrower",
        target_id=borrower_id,
        summary=f"Lien d'agenda de l'emprunteur n° {borrower_id} (re)créé",
    )
    flash("Nouveau lien d'agenda créé ; l'ancien ne fonctionne plus.", "success")
    return redirect(url_for("borrowers.show", borrower_id=borrower_id) + "#agenda")


@bp.get("/<id:borrower_id>/echeances.ics")
def calendar_download(borrower_id: int) -> BaseResponse:
    _get(borrower_id)
    return _ics(desk().active_loans(borrower_id), f"emprunteur-{borrower_id}.ics")


@public.get("/calendrier/<token>.ics")
def calendar_feed(token: str) -> BaseResponse:
    borrower = desk().borrower_by_token(token)
    if borrower is None:
        abort(404)
    return _ics(desk().active_loans(borrower.id), "prets.ics")


def _ics(loans: list[Any], filename: str) -> BaseResponse:
    domain = current_app.config.get("OAI_REPOSITORY_DOMAIN") or "fonds.local"
    body = due_dates_calendar(
        loans, calendar_name=f"Prêts — {current_app.config['SITE_NAME']}", domain=domain
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def _get(borrower_id: int) -> Borrower:
    try:
        return desk().borrower(borrower_id)
    except NotFound:
        abort(404)


def _check_category(values: dict[str, str]) -> str | None:
    known = categories(current_app.config)
    values["category"] = values.get("category") or "autre"
    if values["category"] not in known:
        return "Catégorie inconnue."
    return None


def _form(values: dict[str, str], borrower: Borrower | None, error: str | None) -> str:
    return render_template(
        "admin/borrowers/form.html",
        values=values,
        borrower=borrower,
        error=error,
        categories=categories(current_app.config),
    )


def _page(borrower: Borrower, values: dict[str, Any], error: str | None) -> str:
    loans = desk()
    token = borrower.calendar_token
    return render_template(
        "admin/borrowers/show.html",
        borrower=borrower,
        values=values,
        error=error,
        categories=categories(current_app.config),
        active=loans.active_loans(borrower.id),
        history=loans.borrower_history(borrower.id)[:50],
        reservations=loans.reservations_of(borrower.id),
        today=today(),
        barcode=request.args.get("barcode", "")[:64],
        calendar_url=url_for("calendar.calendar_feed", token=token, _external=True)
        if token
        else None,
    )
