"""The loan desk (/admin/prets/): check out, return and renew by barcode, reservations,
overdue loans with reminder letters (text) and a CSV export, loan history of a record.

Every refusal comes from library.loans (the database has the last word) and is shown as one
French sentence; every operation is logged in the audit log, in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

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
from markupsafe import Markup, escape
from werkzeug.wrappers import Response as BaseResponse

from library import NotFound
from library.formats.spreadsheet import csv_bytes
from library.loans import (
    REMINDER_LEVELS,
    Borrower,
    Loan,
    LoanRefusal,
    LoanRefused,
    Overdue,
    ReminderDue,
)

from .. import services
from ..alerts.messages import mail_failure
from ..mail import Mailer, MailError, MailSettings
from ..mail.compose import build_message
from ..messages import french_date, loan_refusal
from .admin_common import desk, record_audit, today

bp = Blueprint("loans", __name__, url_prefix="/admin/prets")


def _back(**keep: str) -> BaseResponse:
    """Back to the page the form came from, with what was typed (`keep`) filled in again."""
    from ..security import safe_next

    target = safe_next(request.form.get("retour")) or url_for("loans.desk")
    kept = {k: v for k, v in keep.items() if v}
    if kept:
        target += ("&" if "?" in target else "?") + urlencode(kept)
    return redirect(target)


@bp.get("/", endpoint="desk")
def desk_page() -> str:
    return _desk_page(
        {k: request.args.get(k, "")[:200] for k in ("barcode", "emprunteur", "echeance", "poste")},
        [],
    )


def _desk_page(typed: dict[str, str], choices: list[Any]) -> str:
    loans = desk()
    now = today()
    return render_template(
        "admin/loans/desk.html",
        active=loans.active_loans(),
        today=now,
        borrowers=loans.borrowers(limit=1000),
        counts=loans.counts(now),
        default_days=loans.policy.default_days,
        typed=typed,
        choices=choices,
    )


@bp.post("/sortie")
def check_out() -> BaseResponse | tuple[str, int]:
    barcode = request.form.get("barcode", "").strip()[:64]
    who = request.form.get("emprunteur", "").strip()[:200]
    due_raw = request.form.get("echeance", "").strip()[:10]
    typed = {"barcode": barcode, "emprunteur": who, "echeance": due_raw}
    if not barcode or not who:
        flash(
            "Indiquez le code-barres de l'exemplaire et l'emprunteur (nom, carte ou n°).", "error"
        )
        return _back(**typed)
    try:
        due = date.fromisoformat(due_raw) if due_raw else None
    except ValueError:
        flash("Date de retour au format AAAA-MM-JJ.", "error")
        return _back(**typed)
    found = desk().find_borrowers(who)
    if not found:
        flash(f"Aucun emprunteur ne correspond à « {who} » (nom, carte ou n°).", "error")
        return _back(**typed)
    if len(found) > 1:
        # Several people match what was typed: the desk asks which one, the rest kept.
        return _desk_page(typed, found), 200
    borrower_id = found[0].id
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
        return _back(**typed)
    flash(
        f"{loan.barcode} « {loan.title} » prêté à {loan.borrower_name} jusqu'au "
        f"{french_date(loan.due_date.isoformat())}.",
        "success",
    )
    return _back()


@bp.post("/retour")
def check_in() -> BaseResponse:
    barcode = request.form.get("barcode", "").strip()[:64]
    if not barcode:
        flash("Indiquez le code-barres de l'exemplaire rendu.", "error")
        return _back(poste="retour")
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
        return _back(poste="retour")
    loan = done.loan
    late = (loan.return_date - loan.due_date).days if loan.return_date else 0
    flash(
        f"{loan.barcode} « {loan.title} » rendu par {loan.borrower_name}"
        + (f", avec {late} jour{'s' if late > 1 else ''} de retard." if late > 0 else "."),
        "success",
    )
    if done.next_reservation is not None:
        r = done.next_reservation
        flash(
            f"Réservé : mettez ce document de côté pour {r.borrower_name} (emprunteur n° "
            f"{r.borrower_id}), premier de la file d'attente.",
            "warning",
        )
    return _back(poste="retour")


@bp.post("/prolongation")
def renew() -> BaseResponse:
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
    return render_template(
        "admin/loans/overdue.html",
        late=desk().overdue_to_chase(now),
        today=now,
        levels=REMINDER_LEVELS,
    )


@bp.get("/retards.csv")
def overdue_csv() -> BaseResponse:
    now = today()
    header = [
        "code_barres",
        "titre",
        "cote",
        "emprunteur",
        "organisme",
        "courriel",
        "telephone",
        "adresse",
        "date_pret",
        "date_retour_prevue",
        "jours_de_retard",
        "derniere_relance",
        "date_derniere_relance",
    ]
    rows = []
    for item in desk().overdue_to_chase(now):
        loan, who = item.loan, item.borrower
        last = item.reminders[-1] if item.reminders else None
        rows.append(
            [
                loan.barcode,
                loan.title,
                loan.call_number,
                who.sort_name if who else loan.borrower_name,
                who.organisation if who else "",
                who.email if who else "",
                who.phone if who else "",
                who.address.replace("\n", ", ") if who else "",
                loan.loan_date.isoformat(),
                loan.due_date.isoformat(),
                loan.days_late(now),
                REMINDER_LEVELS[last.level] if last else "",
                last.sent_on.isoformat() if last else "",
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
    return render_template(
        "admin/loans/reminders.html",
        letters=letters,
        today=today(),
        levels=REMINDER_LEVELS,
        contact=current_app.config.get("LOAN_DESK_CONTACT", ""),
    )


@bp.get("/relances.txt")
def reminders_text() -> BaseResponse:
    letters = _letters()
    separator = "\n\n" + "-" * 72 + "\n\n"
    body = separator.join(letter.text for letter in letters) or "Aucun prêt en retard.\n"
    return Response(
        body,
        mimetype="text/plain",
        headers={
            "Content-Disposition": f'attachment; filename="relances-{today().isoformat()}.txt"'
        },
    )


@bp.post("/relances/<id:borrower_id>/envoyee")
def reminder_sent(borrower_id: int) -> BaseResponse:
    """Keep that this borrower's letter went out today, at its level, for each loan in it."""
    try:
        desk().borrower(borrower_id)
    except NotFound:
        abort(404)
    letter = next((x for x in _letters() if x.borrower.id == borrower_id), None)
    if letter is None:
        flash("Plus aucun retard pour cet emprunteur : rien à relancer.", "warning")
        return redirect(url_for("loans.reminders"))
    catalogue = services.get_catalogue()
    now = today()
    with catalogue.transaction():
        desk().record_reminders(letter.due, today=now)
        record_audit(
            "loan.reminder",
            target_type="borrower",
            target_id=borrower_id,
            summary=f"{REMINDER_LEVELS[letter.level]} envoyée à l'emprunteur n° {borrower_id}",
        )
    flash(
        f"{REMINDER_LEVELS[letter.level]} de {letter.borrower.name} notée au "
        f"{french_date(now.isoformat())}.",
        "success",
    )
    return redirect(url_for("loans.reminders"))


@dataclass(frozen=True, slots=True)
class _Letter:
    """A reminder due (library.loans), with its text as printed or sent."""

    due: ReminderDue
    text: str

    @property
    def borrower(self) -> Borrower:
        return self.due.borrower

    @property
    def items(self) -> tuple[Overdue, ...]:
        return self.due.items

    @property
    def level(self) -> int:
        return self.due.level

    @property
    def loans(self) -> list[Loan]:
        return self.due.loans


def _letters() -> list[_Letter]:
    """The reminders due today, each with its letter's text."""
    now = today()
    return [
        _Letter(
            due,
            render_template(
                "admin/loans/reminder.txt",
                borrower=due.borrower,
                loans=due.loans,
                today=now,
                level=due.level,
                level_label=REMINDER_LEVELS[due.level],
                previous=due.previous.isoformat() if due.previous else "",
                contact=current_app.config.get("LOAN_DESK_CONTACT", ""),
            ),
        )
        for due in desk().reminders_due(now)
    ]


# -- reservations and history -------------------------------------------------------------


@bp.get("/reservations")
def reservations() -> str:
    return render_template(
        "admin/loans/reservations.html",
        waiting=desk().waiting_reservations(),
        borrowers=desk().borrowers(limit=1000),
    )


@bp.post("/reservations")
def reserve() -> BaseResponse:
    ref = request.form.get("document", "").strip()[:64]
    who = request.form.get("emprunteur", "").strip()[:200]
    found = desk().find_borrowers(who) if who else []
    if len(found) > 1:
        flash(
            f"Plusieurs emprunteurs correspondent à « {who} » : choisissez dans la liste "
            "proposée ou tapez le numéro.",
            "error",
        )
        return _back()
    borrower_id = found[0].id if found else None
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
def cancel(reservation_id: int) -> BaseResponse:
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


# -- reminders by e-mail (the mailer of webapp/mail) ---------------------------------------


@bp.post("/relances/<id:borrower_id>/courriel")
def reminder_mail(borrower_id: int) -> BaseResponse:
    """Send this borrower's letter by e-mail; kept as sent (level, date, "courriel") only
    once the server accepted it. Without an address, or when the server says no, nothing is
    noted and the letter stays on the page to print."""
    try:
        desk().borrower(borrower_id)
    except NotFound:
        abort(404)
    letter = next((x for x in _letters() if x.borrower.id == borrower_id), None)
    if letter is None:
        flash("Plus aucun retard pour cet emprunteur : rien à relancer.", "warning")
        return redirect(url_for("loans.reminders"))
    sent, problems = _mail_letters([letter])
    for problem in problems:
        flash(problem, "error")
    if sent:
        flash(
            f"{REMINDER_LEVELS[letter.level]} envoyée par courriel à {letter.borrower.email} et "
            f"notée au {french_date(today().isoformat())}.",
            "success",
        )
    return redirect(url_for("loans.reminders"))


@bp.post("/relances/courriels")
def reminders_mail() -> BaseResponse:
    """Send every letter whose borrower has an e-mail address; say who must get paper."""
    letters = _letters()
    if not letters:
        flash("Aucun prêt en retard : aucune relance à envoyer.", "warning")
        return redirect(url_for("loans.reminders"))
    sent, problems = _mail_letters(letters)
    for problem in problems:
        flash(problem, "error")
    if sent:
        flash(f"{sent} relance(s) envoyée(s) par courriel et notée(s).", "success")
    return redirect(url_for("loans.reminders"))


def _mail_letters(letters: list[_Letter]) -> tuple[int, list[str]]:
    """(letters sent, one French line per letter not sent). A letter is noted as sent only
    when the server took it; a server down or refusing the login stops the run."""
    problems: list[str] = []
    with_address = []
    for letter in letters:
        if letter.borrower.email:
            with_address.append(letter)
        else:
            refusal = LoanRefused(LoanRefusal.NO_CONTACT, letter.borrower.name)
            problems.append(loan_refusal(refusal))
    if not with_address:
        return 0, problems
    try:
        settings = MailSettings.from_config(current_app.config)
    except MailError as exc:
        return 0, [*problems, "Relances non envoyées : " + mail_failure(exc) + "."]
    if settings is None:
        return 0, [
            *problems,
            "Relances non envoyées : l'envoi de courriels n'est pas configuré (SMTP_HOST et "
            "MAIL_FROM). Imprimez les lettres.",
        ]
    sent = 0
    catalogue = services.get_catalogue()
    now = today()
    with Mailer(settings) as mailer:
        for letter in with_address:
            try:
                mailer.send(_message(letter, settings.sender))
            except MailError as exc:
                problems.append(
                    f"Relance de {letter.borrower.name} non envoyée ni notée : {mail_failure(exc)}."
                )
                if exc.failure.stops_the_run:
                    break
                continue
            with catalogue.transaction():
                desk().record_reminders(letter.due, today=now, channel="courriel")
                record_audit(
                    "loan.reminder",
                    target_type="borrower",
                    target_id=letter.borrower.id,
                    summary=f"{REMINDER_LEVELS[letter.level]} envoyée par courriel à "
                    f"l'emprunteur n° {letter.borrower.id}",
                )
            sent += 1
    return sent, problems


def _message(letter: _Letter, sender: str) -> Any:
    """The letter as an e-mail: its "Objet :" line becomes the subject."""
    first, _, body = letter.text.partition("\n")
    subject = first.removeprefix("Objet :").strip()
    body = body.lstrip("\n")
    paragraphs = "".join(
        f"<p>{escape(p).replace(chr(10), Markup('<br>'))}</p>"
        for p in body.split("\n\n")
        if p.strip()
    )
    html = f'<!doctype html><html lang="fr"><meta charset="utf-8"><body>{paragraphs}</body></html>'
    return build_message(letter.borrower.email, subject, body, html, sender=sender)
