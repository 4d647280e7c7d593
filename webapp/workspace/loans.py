"""The loan desk (/admin/prets/): check out, return and renew by barcode, reservations,
overdue loans with reminder letters (text) and a CSV export, loan history of a record.

Every refusal comes from library.loans (the database has the last word) and is shown as one
French sentence; every operation is logged in the audit log, in the same transaction."""

from __future__ import annotations

import re
from datetime import date
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

from library import NotFound
from library.formats.spreadsheet import csv_bytes
from library.loans import Loan, LoanRefused

from .. import services
from ..messages import french_date, loan_refusal
from .admin_common import desk, record_audit, today

bp = Blueprint("loans", __name__, url_prefix="/admin/prets")

_BORROWER_REF = re.compile(r"(?:n°\s*)?(\d{1,9})\)?\s*$")


def borrower_ref(raw: str) -> int | None:
    """A borrower typed at the desk: "12", or "Marie Joseph (n° 12)" from the suggestions."""
    match = _BORROWER_REF.search(raw.strip())
    return int(match.group(1)) if match else None


def _back() -> Response:
    from ..security import safe_next

    return redirect(safe_next(request.form.get("retour")) or url_for("loans.desk"))  # type: ignore[return-value]


@bp.get("/", endpoint="desk")
def desk_page() -> str:
    loans = desk()
    now = today()
    active = loans.active_loans()
    return render_template(
        "admin/loans/desk.html",
        active=active,
        today=now,
        borrowers=loans.borrowers(limit=1000),
        counts=loans.counts(now),
        default_days=loans.policy.default_days,
    )


@bp.post("/sortie")
def check_out() -> Response:
    barcode = request.form.get("barcode", "").strip()[:64]
    borrower_id = borrower_ref(request.form.get("emprunteur", ""))
    due_raw = request.form.get("echeance", "").strip()
    if not barcode or borrower_id is None:
        flash("Indiquez le code-barres de l'exemplaire et le numéro de l'emprunteur.", "error")
        return _back()
    try:
        due = date.fromisoformat(due_raw) if due_raw else None
    except ValueError:
        flash("Date de retour au format AAAA-MM-JJ.", "error")
        return _back()
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            loan = desk().check_out(barcode, borrower_id, today=today(), due=due)
            record_audit(
                "loan.out",
                target_type="loan",
                target_id=loan.id,
                summary=f"{loan.barcode} prêté à l'emprunteur n° {borrower_id}",
            )
    except LoanRefused as exc:
        flash(f"Prêt refusé — {loan_refusal(exc)}", "error")
        return _back()
    flash(
        f"{loan.barcode} « {loan.title} » prêté à {loan.borrower_name} jusqu'au "
        f"{french_date(loan.due_date.isoformat())}.",
        "success",
    )
    return _back()


@bp.post("/retour")
def check_in() -> Response:
    barcode = request.form.get("barcode", "").strip()[:64]
    if not barcode:
        flash("Indiquez le code-barres de l'exemplaire rendu.", "error")
        return _back()
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            done = desk().check_in(barcode, today=today())
            record_audit(
                "loan.return",
                target_type="loan",
                target_id=done.loan.id,
                summary=f"{done.loan.barcode} rendu",
            )
    except LoanRefused as exc:
        flash(f"Retour impossible — {loan_refusal(exc)}", "error")
        return _back()
    loan = done.loan
    late = (loan.return_date - loan.due_date).days if loan.return_date else 0
    flash(
        f"{loan.barcode} « {loan.title} » rendu par {loan.borrower_name}"
        + (f", avec {late} jour(s) de retard." if late > 0 else "."),
        "success",
    )
    if done.next_reservation is not None:
        r = done.next_reservation
        flash(
            f"Réservé : mettez ce document de côté pour {r.borrower_name} (emprunteur n° "
            f"{r.borrower_id}), premier de la file d'attente.",
            "warning",
        )
    return _back()


@bp.post("/prolongation")
def renew() -> Response:
    barcode = request.form.get("barcode", "").strip()[:64]
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            loan = desk().renew(barcode, today=today())
            record_audit(
                "loan.renew",
                target_type="loan",
                target_id=loan.id,
                summary=f"{loan.barcode} prolongé",
            )
    except LoanRefused as exc:
        flash(f"Prolongation refusée — {loan_refusal(exc)}", "error")
        return _back()
    flash(
        f"{loan.barcode} prolongé jusqu'au {french_date(loan.due_date.isoformat())} "
        f"(prolongation n° {loan.renewals}).",
        "success",
    )
    return _back()


# -- overdue loans, reminders -------------------------------------------------------------


@bp.get("/retards")
def overdue() -> str:
    now = today()
    late = desk().overdue(now)
    return render_template("admin/loans/overdue.html", late=late, today=now)


@bp.get("/retards.csv")
def overdue_csv() -> Response:
    now = today()
    loans = desk()
    header = [
        "code_barres",
        "titre",
        "cote",
        "emprunteur",
        "organisme",
        "courriel",
        "telephone",
        "date_pret",
        "date_retour_prevue",
        "jours_de_retard",
    ]
    people = {}
    rows = []
    for loan in loans.overdue(now):
        if loan.borrower_id not in people and loan.borrower_id is not None:
            people[loan.borrower_id] = loans.borrower(loan.borrower_id)
        who = people.get(loan.borrower_id)
        rows.append(
            [
                loan.barcode,
                loan.title,
                loan.call_number,
                loan.borrower_name,
                who.organisation if who else "",
                who.email if who else "",
                who.phone if who else "",
                loan.loan_date.isoformat(),
                loan.due_date.isoformat(),
                loan.days_late(now),
            ]
        )
    return Response(
        csv_bytes(header, rows),  # formulas neutralised, with a BOM for Excel
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="retards-{now.isoformat()}.csv"'},
    )


@bp.get("/relances")
def reminders() -> str:
    letters = _letters()
    return render_template("admin/loans/reminders.html", letters=letters, today=today())


@bp.get("/relances.txt")
def reminders_text() -> Response:
    letters = _letters()
    separator = "\n\n" + "-" * 72 + "\n\n"
    body = separator.join(text for _, _, text in letters) or "Aucun prêt en retard.\n"
    return Response(
        body,
        mimetype="text/plain",
        headers={
            "Content-Disposition": f'attachment; filename="relances-{today().isoformat()}.txt"'
        },
    )


def _letters() -> list[tuple[Any, list[Loan], str]]:
    """One letter per borrower with overdue loans: (borrower, loans, text)."""
    now = today()
    loans = desk()
    grouped: dict[int, list[Loan]] = {}
    for loan in loans.overdue(now):
        if loan.borrower_id is not None:
            grouped.setdefault(loan.borrower_id, []).append(loan)
    out = []
    for borrower_id, items in grouped.items():
        borrower = loans.borrower(borrower_id)
        text = render_template(
            "admin/loans/reminder.txt",
            borrower=borrower,
            loans=items,
            today=now,
            contact=current_app.config.get("LOAN_DESK_CONTACT", ""),
        )
        out.append((borrower, items, text))
    return out


# -- reservations and history -------------------------------------------------------------


@bp.get("/reservations")
def reservations() -> str:
    return render_template(
        "admin/loans/reservations.html",
        waiting=desk().waiting_reservations(),
        borrowers=desk().borrowers(limit=1000),
    )


@bp.post("/reservations")
def reserve() -> Response:
    ref = request.form.get("document", "").strip()[:64]
    borrower_id = borrower_ref(request.form.get("emprunteur", ""))
    catalogue = services.get_catalogue()
    record_id = None
    if ref:
        try:
            record_id = catalogue.copy_by_barcode(ref)[0]
        except NotFound:
            record_id = int(ref) if ref.isdigit() and len(ref) < 10 else None
    if record_id is None or borrower_id is None:
        flash("Indiquez le document (code-barres ou n° de notice) et l'emprunteur.", "error")
        return _back()
    try:
        with catalogue.transaction():
            made = desk().reserve(record_id, borrower_id, today=today())
            record_audit(
                "reservation.add",
                target_type="reservation",
                target_id=made.id,
                summary=f"Réservation de la notice n° {record_id} "
                f"par l'emprunteur n° {borrower_id}",
            )
    except LoanRefused as exc:
        flash(f"Réservation refusée — {loan_refusal(exc)}", "error")
        return _back()
    except NotFound:
        flash(f"Notice n° {record_id} introuvable.", "error")
        return _back()
    flash(
        f"Réservation enregistrée : {made.borrower_name} est n° {made.position} dans la file "
        f"pour « {made.title} ».",
        "success",
    )
    return _back()


@bp.post("/reservations/<id:reservation_id>/annuler")
def cancel(reservation_id: int) -> Response:
    catalogue = services.get_catalogue()
    try:
        with catalogue.transaction():
            done = desk().cancel_reservation(reservation_id, today=today())
            record_audit(
                "reservation.cancel",
                target_type="reservation",
                target_id=reservation_id,
                summary=f"Réservation de la notice n° {done.record_id} annulée",
            )
    except LoanRefused as exc:
        flash(loan_refusal(exc), "error")
        return _back()
    flash("Réservation annulée.", "success")
    return _back()


@bp.get("/notice/<id:record_id>")
def record_history(record_id: int) -> str:
    try:
        record = services.get_catalogue().get(record_id)
    except NotFound:
        abort(404)
    return render_template(
        "admin/loans/history.html",
        record=record,
        history=desk().record_history(record_id),
        queue=desk().queue(record_id),
        today=today(),
    )
