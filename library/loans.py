"""Loans of paper copies: borrowers, check-out, return, renewal, reservations, overdue loans.

The rules that must never break are enforced by the database (migration 0002: a partial
unique index, CHECK constraints, triggers). This module adds the policy (loan periods per
borrower category, a renewal limit, the reservation queue), the reads of the desk and the
dashboard, and turns the database's refusals into `LoanRefused(reason)`, which the CLI and the
web app translate into one French sentence. Every function that depends on the date takes
`today`: nothing here reads the clock for a date.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from . import db
from .catalogue import Catalogue, utc_now
from .errors import CatalogueError, NotFound
from .names import split_person_name
from .text import fold, xml_safe


class LoanRefusal(StrEnum):
    """Why the desk said no; each has a French sentence at the edge (webapp/messages.py)."""

    UNKNOWN_COPY = "unknown-copy"
    UNKNOWN_BORROWER = "unknown-borrower"
    NOT_LENDABLE = "not-lendable"  # not a paper record: electronic documents are not lent
    RECORD_DELETED = "record-deleted"
    COPY_UNAVAILABLE = "copy-unavailable"  # missing or withdrawn
    ALREADY_ON_LOAN = "already-on-loan"
    BORROWER_SUSPENDED = "borrower-suspended"
    NOT_ON_LOAN = "not-on-loan"
    RENEWAL_LIMIT = "renewal-limit"
    RESERVED = "reserved"  # others are ahead in the reservation queue
    BAD_DATE = "bad-date"
    BORROWER_HAS_LOANS = "borrower-has-loans"
    ALREADY_RESERVED = "already-reserved"
    RESERVATION_NEEDLESS = "reservation-needless"  # a copy is on the shelf
    HOLDS_COPY = "holds-copy"  # the borrower already has a copy of it
    NOTHING_TO_RESERVE = "nothing-to-reserve"  # no paper copy at all
    UNKNOWN_RESERVATION = "unknown-reservation"
    INVALID_BORROWER = "invalid-borrower"
    CARD_TAKEN = "card-taken"  # another borrower has this card barcode
    NO_CONTACT = "no-contact"  # an e-mail reminder to a borrower without an e-mail address


class LoanRefused(CatalogueError):
    """The desk's refusal: `reason` says which rule, `detail` gives the facts (a date, a name)."""

    def __init__(self, reason: LoanRefusal, detail: str = "") -> None:
        super().__init__(f"{reason.value}{': ' + detail if detail else ''}")
        self.reason = reason
        self.detail = detail


# The stable texts of the database's RAISE()s (migration 0002), and what they mean.
_DATABASE_REFUSALS = {
    "loan refused: unknown copy": LoanRefusal.UNKNOWN_COPY,
    "loan refused: not a paper record": LoanRefusal.NOT_LENDABLE,
    "loan refused: record deleted": LoanRefusal.RECORD_DELETED,
    "loan refused: copy not available": LoanRefusal.COPY_UNAVAILABLE,
    "loan refused: borrower suspended": LoanRefusal.BORROWER_SUSPENDED,
    "loan refused: already on loan": LoanRefusal.ALREADY_ON_LOAN,
    "loan refused: loan already returned": LoanRefusal.NOT_ON_LOAN,
    "loan refused: borrower has active loans": LoanRefusal.BORROWER_HAS_LOANS,
    "UNIQUE constraint failed: loans.copy_id": LoanRefusal.ALREADY_ON_LOAN,
    "UNIQUE constraint failed: borrowers.card_barcode": LoanRefusal.CARD_TAKEN,
    "UNIQUE constraint failed: reservations.record_id, reservations.borrower_id": LoanRefusal.ALREADY_RESERVED,
    "FOREIGN KEY constraint failed": LoanRefusal.UNKNOWN_BORROWER,
    "CHECK constraint failed": LoanRefusal.BAD_DATE,
}

DEFAULT_CATEGORIES: dict[str, str] = {
    "etat": "Agent de l'État",
    "collectivite": "Collectivité territoriale",
    "association": "Association",
    "etudiant": "Étudiant·e",
    "autre": "Autre",
}
_BORROWER_REF = re.compile(r"^(\d{1,9})$|\(n°\s*(\d{1,9})\)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# What a borrower's record holds (the form's fields); `name`, the display name, is derived.
BORROWER_FIELDS = (
    "family_name",
    "given_names",
    "card_barcode",
    "organisation",
    "category",
    "email",
    "phone",
    "address",
    "notes",
)
_STORED_FIELDS = ("name", *BORROWER_FIELDS)
REMINDER_LEVELS = {1: "Première relance", 2: "Deuxième relance", 3: "Dernière relance"}


@dataclass(frozen=True, slots=True)
class LoanPolicy:
    """How long loans last and how often they may be renewed (from the configuration)."""

    default_days: int = 21
    days_by_category: Mapping[str, int] = field(default_factory=dict)
    max_renewals: int = 2
    renewal_days: int | None = None  # None: the borrower's loan period again

    def loan_days(self, category: str) -> int:
        return int(self.days_by_category.get(category, self.default_days))

    def renewal_period(self, category: str) -> int:
        return int(self.renewal_days or self.loan_days(category))


@dataclass(frozen=True, slots=True)
class Borrower:
    id: int
    name: str
    organisation: str = ""
    category: str = "autre"
    email: str = ""
    phone: str = ""
    notes: str = ""
    suspended: bool = False
    suspended_reason: str = ""
    calendar_token: str | None = None
    created_at: str = ""
    updated_at: str = ""
    active_loans: int = 0
    family_name: str = ""
    given_names: str = ""
    card_barcode: str = ""
    address: str = ""

    @property
    def sort_name(self) -> str:
        """ "FAMILY, Given" as lists show it."""
        if self.given_names:
            return f"{self.family_name}, {self.given_names}"
        return self.family_name or self.name

    @property
    def has_contact(self) -> bool:
        return bool(self.email or self.phone or self.address)

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class Loan:
    id: int
    copy_id: int
    barcode: str
    record_id: int
    title: str
    borrower_id: int | None  # None once the borrower was erased (anonymised history)
    borrower_name: str
    borrower_category: str
    loan_date: date
    due_date: date
    return_date: date | None
    renewals: int
    call_number: str = ""

    @property
    def active(self) -> bool:
        return self.return_date is None

    def days_late(self, today: date) -> int:
        """Days past the due date (0 when not late or returned)."""
        if not self.active:
            return 0
        return max(0, (today - self.due_date).days)


@dataclass(frozen=True, slots=True)
class Reminder:
    level: int  # 1 first, 2 second, 3 final (REMINDER_LEVELS)
    sent_on: date
    channel: str  # "lettre" or "courriel"


@dataclass(frozen=True, slots=True)
class Overdue:
    """An overdue loan as the desk chases it: who to reach, and the reminders already sent."""

    loan: Loan
    borrower: Borrower | None
    reminders: tuple[Reminder, ...] = ()

    @property
    def next_level(self) -> int | None:
        """The level of the next reminder, None once the final one was sent."""
        sent = max((r.level for r in self.reminders), default=0)
        return sent + 1 if sent < 3 else None


@dataclass(frozen=True, slots=True)
class Reservation:
    id: int
    record_id: int
    title: str
    borrower_id: int
    borrower_name: str
    reserved_on: date
    status: str
    position: int = 0  # 1 = next in the queue (waiting reservations only)


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A return: the loan as closed, and who is waiting for the document, if anyone."""

    loan: Loan
    next_reservation: Reservation | None


@dataclass(frozen=True, slots=True)
class _CopyInfo:
    id: int
    record_id: int
    barcode: str
    status: str
    support: str
    deleted: bool


_LOAN_SELECT = """
    SELECT l.*, c.barcode, c.record_id, c.call_number, r.title, b.name AS borrower_name
    FROM loans l JOIN copies c ON c.id = l.copy_id JOIN records r ON r.id = c.record_id
    LEFT JOIN borrowers b ON b.id = l.borrower_id
"""
_RESERVATION_SELECT = """
    SELECT v.*, r.title, b.name AS borrower_name FROM reservations v
    JOIN records r ON r.id = v.record_id JOIN borrowers b ON b.id = v.borrower_id
"""


class Loans:
    """The loan desk of one catalogue. Shares the catalogue's connection."""

    def __init__(self, catalogue: Catalogue, policy: LoanPolicy | None = None) -> None:
        self.catalogue = catalogue
        self.conn = catalogue.conn
        self.policy = policy or LoanPolicy()

    # -- borrowers --------------------------------------------------------------------------

    def add_borrower(
        self,
        name: str = "",
        *,
        family_name: str = "",
        given_names: str = "",
        card_barcode: str = "",
        organisation: str = "",
        category: str = "autre",
        email: str = "",
        phone: str = "",
        address: str = "",
        notes: str = "",
        now: str | None = None,
    ) -> Borrower:
        """Register a borrower: family and given names apart, or one `name` split as written."""
        if name and not (family_name or given_names):
            family_name, given_names = split_person_name(name)
        values = _borrower_values(
            family_name=family_name,
            given_names=given_names,
            card_barcode=card_barcode,
            organisation=organisation,
            category=category,
            email=email,
            phone=phone,
            address=address,
            notes=notes,
        )
        now = now or utc_now()
        with self._refusals():
            cur = self.conn.execute(
                f"INSERT INTO borrowers ({', '.join(_STORED_FIELDS)}, created_at, updated_at)"
                f" VALUES ({', '.join('?' * (len(_STORED_FIELDS) + 2))})",
                (*values, now, now),
            )
        return self.borrower(int(cur.lastrowid or 0))

    def update_borrower(self, borrower_id: int, now: str | None = None, **fields: str) -> Borrower:
        current = self.borrower(borrower_id)
        merged = {name: fields.get(name, getattr(current, name)) for name in BORROWER_FIELDS}
        if fields.get("name") and not (fields.get("family_name") or fields.get("given_names")):
            merged["family_name"], merged["given_names"] = split_person_name(fields["name"])
        values = _borrower_values(**merged)
        assignments = ", ".join(f"{name} = ?" for name in _STORED_FIELDS)
        with self._refusals():
            self.conn.execute(
                f"UPDATE borrowers SET {assignments}, updated_at = ? WHERE id = ?",
                (*values, now or utc_now(), borrower_id),
            )
        return self.borrower(borrower_id)

    def find_borrowers(self, typed: str, *, limit: int = 20) -> list[Borrower]:
        """The borrowers a desk entry may mean: a card barcode or a number matches exactly
        ("12", "Marie Joseph (n° 12)" from the suggestions); else every word typed must
        begin a word of the name (accents and case ignored), family name first in the list."""
        typed = " ".join(typed.split())
        if not typed:
            return []
        card = self.conn.execute(
            "SELECT id FROM borrowers WHERE card_barcode = ?", (typed,)
        ).fetchone()
        if card is not None:
            return [self.borrower(card[0])]
        ref = _BORROWER_REF.search(typed)
        if ref is not None:
            try:
                return [self.borrower(int(ref.group(1) or ref.group(2)))]
            except NotFound:
                return []
        words = fold(typed.replace(",", " ")).split()
        found = []
        rows = self.conn.execute(
            "SELECT id, given_names, family_name FROM borrowers"
            " ORDER BY family_name COLLATE NOCASE, given_names COLLATE NOCASE, id"
        )
        for borrower_id, given, family in rows:
            have = fold(f"{given} {family}").replace("-", " ").split()
            if all(any(h.startswith(w) for h in have) for w in words):
                found.append(self.borrower(borrower_id))
                if len(found) >= limit:
                    break
        return found

    def borrower(self, borrower_id: int) -> Borrower:
        row = self.conn.execute(
            "SELECT b.*, (SELECT count(*) FROM loans l WHERE l.borrower_id = b.id"
            " AND l.return_date IS NULL) AS active_loans FROM borrowers b WHERE b.id = ?",
            (borrower_id,),
        ).fetchone()
        if row is None:
            raise NotFound("borrower", borrower_id)
        return _borrower(row)

    def borrowers(self, query: str = "", *, limit: int = 500) -> list[Borrower]:
        """Borrowers by family name, filtered by a part of their name, organisation, email or
        card."""
        like = f"%{query.strip()}%"
        rows = self.conn.execute(
            "SELECT b.*, (SELECT count(*) FROM loans l WHERE l.borrower_id = b.id"
            " AND l.return_date IS NULL) AS active_loans FROM borrowers b"
            " WHERE b.name LIKE ? OR b.organisation LIKE ? OR b.email LIKE ?"
            " OR b.card_barcode LIKE ?"
            " ORDER BY b.family_name COLLATE NOCASE, b.given_names COLLATE NOCASE, b.id LIMIT ?",
            (like, like, like, like, limit),
        )
        return [_borrower(r) for r in rows]

    def set_suspended(
        self, borrower_id: int, suspended: bool, reason: str = "", now: str | None = None
    ) -> Borrower:
        self.borrower(borrower_id)
        self.conn.execute(
            "UPDATE borrowers SET suspended = ?, suspended_reason = ?, updated_at = ? WHERE id = ?",
            (int(suspended), reason.strip() if suspended else "", now or utc_now(), borrower_id),
        )
        return self.borrower(borrower_id)

    def erase_borrower(self, borrower_id: int) -> int:
        """GDPR erasure: the person disappears; their past loans stay, anonymised (category and
        dates only), for statistics. Refused while they hold copies. Returns loans anonymised."""
        self.borrower(borrower_id)
        with db.transaction(self.conn), self._refusals():
            kept = self.conn.execute(
                "SELECT count(*) FROM loans WHERE borrower_id = ?", (borrower_id,)
            ).fetchone()[0]
            self.conn.execute("DELETE FROM borrowers WHERE id = ?", (borrower_id,))
        return int(kept)

    def export_borrower(self, borrower_id: int) -> dict[str, Any]:
        """Everything held about a borrower (GDPR right of access), as JSON-able data."""
        borrower = self.borrower(borrower_id)
        data = borrower.as_dict()
        data.pop("active_loans")
        data.pop("calendar_token")
        data["loans"] = [
            {
                "barcode": loan.barcode,
                "record_id": loan.record_id,
                "title": loan.title,
                "loan_date": loan.loan_date.isoformat(),
                "due_date": loan.due_date.isoformat(),
                "return_date": loan.return_date.isoformat() if loan.return_date else None,
                "renewals": loan.renewals,
            }
            for loan in self.borrower_history(borrower_id)
        ]
        data["reservations"] = [
            {
                "record_id": r.record_id,
                "title": r.title,
                "reserved_on": r.reserved_on.isoformat(),
                "status": r.status,
            }
            for r in self.reservations_of(borrower_id, include_closed=True)
        ]
        return data

    def calendar_token(self, borrower_id: int, *, renew: bool = False) -> str:
        """The secret of the borrower's due-dates calendar feed (created on first use)."""
        borrower = self.borrower(borrower_id)
        if borrower.calendar_token and not renew:
            return borrower.calendar_token
        token = secrets.token_urlsafe(24)
        self.conn.execute(
            "UPDATE borrowers SET calendar_token = ? WHERE id = ?", (token, borrower_id)
        )
        return token

    def borrower_by_token(self, token: str) -> Borrower | None:
        if not token or len(token) > 100:
            return None
        row = self.conn.execute(
            "SELECT id FROM borrowers WHERE calendar_token = ?", (token,)
        ).fetchone()
        return self.borrower(row[0]) if row else None

    # -- the desk ---------------------------------------------------------------------------

    def check_out(
        self,
        barcode: str,
        borrower_id: int,
        *,
        today: date,
        due: date | None = None,
        now: str | None = None,
    ) -> Loan:
        """Lend a copy. The clear refusals are checked first; the database has the last word."""
        with db.transaction(self.conn), self._refusals():
            copy = self._copy(barcode)
            borrower = self._borrower_for_desk(borrower_id)
            if copy.support != "papier":
                raise LoanRefused(LoanRefusal.NOT_LENDABLE, barcode)
            if copy.deleted:
                raise LoanRefused(LoanRefusal.RECORD_DELETED, barcode)
            active = self._active_loan(copy.id)
            if active is not None:
                raise LoanRefused(LoanRefusal.ALREADY_ON_LOAN, active.due_date.isoformat())
            if copy.status != "available":
                raise LoanRefused(LoanRefusal.COPY_UNAVAILABLE, copy.status)
            if borrower.suspended:
                raise LoanRefused(LoanRefusal.BORROWER_SUSPENDED, borrower.suspended_reason)
            reservation = self._claim_reservation(copy.record_id, borrower_id)
            due = due or today + timedelta(days=self.policy.loan_days(borrower.category))
            if due < today:
                raise LoanRefused(LoanRefusal.BAD_DATE, due.isoformat())
            cur = self.conn.execute(
                "INSERT INTO loans (copy_id, borrower_id, borrower_category, loan_date, due_date,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    copy.id,
                    borrower_id,
                    borrower.category,
                    today.isoformat(),
                    due.isoformat(),
                    now or utc_now(),
                ),
            )
            if reservation is not None:
                self.conn.execute(
                    "UPDATE reservations SET status = 'fulfilled', closed_on = ? WHERE id = ?",
                    (today.isoformat(), reservation),
                )
            return self.loan(int(cur.lastrowid or 0))

    def check_in(self, barcode: str, *, today: date) -> CheckIn:
        """Return a copy; says who is next in the reservation queue."""
        with db.transaction(self.conn), self._refusals():
            copy = self._copy(barcode)
            active = self._active_loan(copy.id)
            if active is None:
                raise LoanRefused(LoanRefusal.NOT_ON_LOAN, barcode)
            if today < active.loan_date:
                raise LoanRefused(LoanRefusal.BAD_DATE, today.isoformat())
            self.conn.execute(
                "UPDATE loans SET return_date = ? WHERE id = ? AND return_date IS NULL",
                (today.isoformat(), active.id),
            )
            queue = self.queue(copy.record_id)
            return CheckIn(self.loan(active.id), queue[0] if queue else None)

    def renew(self, barcode: str, *, today: date) -> Loan:
        """Extend a loan by the borrower's period, unless the limit is reached or others wait."""
        with db.transaction(self.conn), self._refusals():
            copy = self._copy(barcode)
            active = self._active_loan(copy.id)
            if active is None:
                raise LoanRefused(LoanRefusal.NOT_ON_LOAN, barcode)
            if active.renewals >= self.policy.max_renewals:
                raise LoanRefused(LoanRefusal.RENEWAL_LIMIT, str(self.policy.max_renewals))
            assert active.borrower_id is not None  # an active loan always has its borrower
            borrower = self.borrower(active.borrower_id)
            if borrower.suspended:
                raise LoanRefused(LoanRefusal.BORROWER_SUSPENDED, borrower.suspended_reason)
            waiting = [r for r in self.queue(copy.record_id) if r.borrower_id != borrower.id]
            if waiting:
                raise LoanRefused(LoanRefusal.RESERVED, str(len(waiting)))
            period = self.policy.renewal_period(borrower.category)
            due = max(active.due_date, today) + timedelta(days=period)
            self.conn.execute(
                "UPDATE loans SET due_date = ?, renewals = renewals + 1 WHERE id = ?",
                (due.isoformat(), active.id),
            )
            return self.loan(active.id)

    # -- reservations -----------------------------------------------------------------------

    def reserve(
        self, record_id: int, borrower_id: int, *, today: date, now: str | None = None
    ) -> Reservation:
        """Join the queue for a paper record none of whose copies is free on the shelf."""
        with db.transaction(self.conn), self._refusals():
            record = self.catalogue.get(record_id)
            borrower = self._borrower_for_desk(borrower_id)
            lendable = [c for c in record.copies if c.status.value in ("available", "on_loan")]
            if record.support.value != "papier" or not lendable or record.deleted:
                raise LoanRefused(LoanRefusal.NOTHING_TO_RESERVE, str(record_id))
            if borrower.suspended:
                raise LoanRefused(LoanRefusal.BORROWER_SUSPENDED, borrower.suspended_reason)
            if any(loan.record_id == record_id for loan in self.active_loans(borrower_id)):
                raise LoanRefused(LoanRefusal.HOLDS_COPY, str(record_id))
            queue = self.queue(record_id)
            if any(r.borrower_id == borrower_id for r in queue):
                raise LoanRefused(LoanRefusal.ALREADY_RESERVED, str(record_id))
            on_shelf = sum(1 for c in record.copies if c.status.value == "available")
            if on_shelf > len(queue):
                raise LoanRefused(LoanRefusal.RESERVATION_NEEDLESS, str(record_id))
            cur = self.conn.execute(
                "INSERT INTO reservations (record_id, borrower_id, reserved_on, created_at)"
                " VALUES (?, ?, ?, ?)",
                (record_id, borrower_id, today.isoformat(), now or utc_now()),
            )
            reservation_id = int(cur.lastrowid or 0)
        return next(r for r in self.queue(record_id) if r.id == reservation_id)

    def cancel_reservation(self, reservation_id: int, *, today: date) -> Reservation:
        row = self.conn.execute(
            "SELECT id FROM reservations WHERE id = ? AND status = 'waiting'", (reservation_id,)
        ).fetchone()
        if row is None:
            raise LoanRefused(LoanRefusal.UNKNOWN_RESERVATION, str(reservation_id))
        self.conn.execute(
            "UPDATE reservations SET status = 'cancelled', closed_on = ? WHERE id = ?",
            (today.isoformat(), reservation_id),
        )
        return self._reservation(reservation_id)

    def queue(self, record_id: int) -> list[Reservation]:
        """Waiting reservations of a record, first come first served."""
        rows = self.conn.execute(
            _RESERVATION_SELECT + " WHERE v.record_id = ? AND v.status = 'waiting' ORDER BY v.id",
            (record_id,),
        )
        return [_reservation(r, position) for position, r in enumerate(rows, 1)]

    def waiting_reservations(self) -> list[Reservation]:
        out: list[Reservation] = []
        rows = self.conn.execute(
            _RESERVATION_SELECT + " WHERE v.status = 'waiting' ORDER BY v.record_id, v.id"
        ).fetchall()
        position, previous = 0, None
        for row in rows:
            position = position + 1 if row["record_id"] == previous else 1
            previous = row["record_id"]
            out.append(_reservation(row, position))
        return out

    def reservations_of(
        self, borrower_id: int, *, include_closed: bool = False
    ) -> list[Reservation]:
        where = "" if include_closed else " AND v.status = 'waiting'"
        rows = self.conn.execute(
            _RESERVATION_SELECT + f" WHERE v.borrower_id = ?{where} ORDER BY v.id", (borrower_id,)
        ).fetchall()
        out = []
        for row in rows:
            position = 0
            if row["status"] == "waiting":
                position = (
                    1
                    + self.conn.execute(
                        "SELECT count(*) FROM reservations WHERE record_id = ? AND status = 'waiting'"
                        " AND id < ?",
                        (row["record_id"], row["id"]),
                    ).fetchone()[0]
                )
            out.append(_reservation(row, position))
        return out

    # -- reading ----------------------------------------------------------------------------

    def loan(self, loan_id: int) -> Loan:
        row = self.conn.execute(_LOAN_SELECT + " WHERE l.id = ?", (loan_id,)).fetchone()
        if row is None:
            raise NotFound("loan", loan_id)
        return _loan(row)

    def active_loans(self, borrower_id: int | None = None) -> list[Loan]:
        where, args = " WHERE l.return_date IS NULL", ()
        if borrower_id is not None:
            where, args = where + " AND l.borrower_id = ?", (borrower_id,)
        rows = self.conn.execute(_LOAN_SELECT + where + " ORDER BY l.due_date, l.id", args)
        return [_loan(r) for r in rows]

    def overdue(self, today: date) -> list[Loan]:
        """Active loans past their due date, the latest first."""
        rows = self.conn.execute(
            _LOAN_SELECT + " WHERE l.return_date IS NULL AND l.due_date < ?"
            " ORDER BY l.due_date, l.id",
            (today.isoformat(),),
        )
        return [_loan(r) for r in rows]

    def overdue_to_chase(self, today: date) -> list[Overdue]:
        """Overdue loans with their borrower's contact and the reminders already sent."""
        people: dict[int, Borrower] = {}
        out = []
        for loan in self.overdue(today):
            if loan.borrower_id is not None and loan.borrower_id not in people:
                people[loan.borrower_id] = self.borrower(loan.borrower_id)
            sent = tuple(
                Reminder(row[0], date.fromisoformat(row[1]), row[2])
                for row in self.conn.execute(
                    "SELECT level, sent_on, channel FROM reminders WHERE loan_id = ?"
                    " ORDER BY level",
                    (loan.id,),
                )
            )
            out.append(Overdue(loan, people.get(loan.borrower_id or 0), sent))
        return out

    def record_reminder(
        self, loan_id: int, level: int, *, today: date, channel: str = "lettre"
    ) -> Reminder:
        """Keep that a reminder of this level went out today (once per level and loan)."""
        if level not in REMINDER_LEVELS or channel not in ("lettre", "courriel"):
            raise ValueError(f"reminder level {level!r} or channel {channel!r}")
        self.conn.execute(
            "INSERT INTO reminders (loan_id, level, sent_on, channel, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (loan_id, level) DO NOTHING",
            (loan_id, level, today.isoformat(), channel, utc_now()),
        )
        row = self.conn.execute(
            "SELECT level, sent_on, channel FROM reminders WHERE loan_id = ? AND level = ?",
            (loan_id, level),
        ).fetchone()
        return Reminder(row[0], date.fromisoformat(row[1]), row[2])

    def borrower_history(self, borrower_id: int) -> list[Loan]:
        rows = self.conn.execute(
            _LOAN_SELECT + " WHERE l.borrower_id = ? ORDER BY l.loan_date DESC, l.id DESC",
            (borrower_id,),
        )
        return [_loan(r) for r in rows]

    def record_history(self, record_id: int) -> list[Loan]:
        rows = self.conn.execute(
            _LOAN_SELECT + " WHERE c.record_id = ? ORDER BY l.loan_date DESC, l.id DESC",
            (record_id,),
        )
        return [_loan(r) for r in rows]

    # -- statistics (anonymised loans count too) --------------------------------------------

    def loans_per_month(self, today: date, months: int = 12) -> list[tuple[str, int]]:
        """[("YYYY-MM", loans started that month)] for the `months` months up to today's."""
        keys = []
        year, month = today.year, today.month
        for _ in range(months):
            keys.append(f"{year:04d}-{month:02d}")
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        keys.reverse()
        counts = dict(
            self.conn.execute(
                "SELECT substr(loan_date, 1, 7), count(*) FROM loans WHERE loan_date >= ?"
                " GROUP BY 1",
                (keys[0] + "-01",),
            ).fetchall()
        )
        return [(k, int(counts.get(k, 0))) for k in keys]

    def most_borrowed(self, limit: int = 10) -> list[tuple[int, str, int]]:
        """[(record_id, title, loans)] of the most borrowed live records."""
        rows = self.conn.execute(
            "SELECT c.record_id, r.title, count(*) AS n FROM loans l"
            " JOIN copies c ON c.id = l.copy_id JOIN records r ON r.id = c.record_id"
            " WHERE r.deleted = 0 GROUP BY c.record_id ORDER BY n DESC, r.title LIMIT ?",
            (limit,),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def loans_by_category(self) -> dict[str, int]:
        return dict(
            self.conn.execute(
                "SELECT borrower_category, count(*) FROM loans GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )

    def counts(self, today: date) -> dict[str, int]:
        active, overdue = self.conn.execute(
            "SELECT count(*), coalesce(sum(due_date < ?), 0) FROM loans WHERE return_date IS NULL",
            (today.isoformat(),),
        ).fetchone()
        total = self.conn.execute("SELECT count(*) FROM loans").fetchone()[0]
        borrowers = self.conn.execute("SELECT count(*) FROM borrowers").fetchone()[0]
        waiting = self.conn.execute(
            "SELECT count(*) FROM reservations WHERE status = 'waiting'"
        ).fetchone()[0]
        return {
            "active": active,
            "overdue": overdue,
            "total": total,
            "borrowers": borrowers,
            "reservations": waiting,
        }

    # -- internals --------------------------------------------------------------------------

    def _copy(self, barcode: str) -> _CopyInfo:
        row = self.conn.execute(
            "SELECT c.id, c.record_id, c.barcode, c.status, r.support, r.deleted FROM copies c"
            " JOIN records r ON r.id = c.record_id WHERE c.barcode = ?",
            (barcode.strip(),),
        ).fetchone()
        if row is None:
            raise LoanRefused(LoanRefusal.UNKNOWN_COPY, barcode.strip())
        return _CopyInfo(row[0], row[1], row[2], row[3], row[4], bool(row[5]))

    def _borrower_for_desk(self, borrower_id: int) -> Borrower:
        try:
            return self.borrower(borrower_id)
        except NotFound:
            raise LoanRefused(LoanRefusal.UNKNOWN_BORROWER, str(borrower_id)) from None

    def _active_loan(self, copy_id: int) -> Loan | None:
        row = self.conn.execute(
            _LOAN_SELECT + " WHERE l.copy_id = ? AND l.return_date IS NULL", (copy_id,)
        ).fetchone()
        return _loan(row) if row else None

    def _claim_reservation(self, record_id: int, borrower_id: int) -> int | None:
        """The reservation this check-out fulfils; refuses when others come first.

        With S copies on the shelf, the first S borrowers of the queue may take one; anyone
        else only when the queue is shorter than S."""
        queue = self.queue(record_id)
        if not queue:
            return None
        on_shelf = self.conn.execute(
            "SELECT count(*) FROM copies c WHERE c.record_id = ? AND c.status = 'available'"
            " AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.copy_id = c.id"
            " AND l.return_date IS NULL)",
            (record_id,),
        ).fetchone()[0]
        mine = next((r for r in queue if r.borrower_id == borrower_id), None)
        if mine is not None and mine.position <= on_shelf:
            return mine.id
        if mine is None and len(queue) < on_shelf:
            return None
        raise LoanRefused(LoanRefusal.RESERVED, queue[0].borrower_name)

    def _reservation(self, reservation_id: int) -> Reservation:
        row = self.conn.execute(
            _RESERVATION_SELECT + " WHERE v.id = ?", (reservation_id,)
        ).fetchone()
        if row is None:
            raise LoanRefused(LoanRefusal.UNKNOWN_RESERVATION, str(reservation_id))
        return _reservation(row, 0)

    @staticmethod
    def _refusals() -> _Translate:
        return _Translate()


class _Translate:
    """Turn the database's refusals (IntegrityError from a trigger or a constraint) into
    LoanRefused: the clear checks above normally speak first, this is the last word."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: object) -> bool:
        if isinstance(exc, sqlite3.IntegrityError):
            raise refusal_from_database(exc) from exc
        return False


def refusal_from_database(exc: sqlite3.IntegrityError) -> LoanRefused:
    message = str(exc)
    for text, reason in _DATABASE_REFUSALS.items():
        if text in message:
            return LoanRefused(reason, message)
    return LoanRefused(LoanRefusal.INVALID_BORROWER, message)


def _borrower_values(
    *,
    family_name: str,
    given_names: str,
    card_barcode: str,
    organisation: str,
    category: str,
    email: str,
    phone: str,
    address: str,
    notes: str,
) -> tuple[str | None, ...]:
    """The stored values, display name first, checked and tidied; LoanRefused when invalid."""
    family_name, given_names, card_barcode, organisation, category, email, phone, address, notes = (
        xml_safe(v)
        for v in (
            family_name,
            given_names,
            card_barcode,
            organisation,
            category,
            email,
            phone,
            address,
            notes,
        )
    )
    family = " ".join(family_name.split())
    given = " ".join(given_names.split())
    email = email.strip()
    card = "".join(card_barcode.split())
    if not family and not given:
        raise LoanRefused(LoanRefusal.INVALID_BORROWER, "name")
    if not family:
        family, given = given, ""
    if email and not _EMAIL.match(email):
        raise LoanRefused(LoanRefusal.INVALID_BORROWER, "email")
    if (
        len(family) > 200
        or len(given) > 200
        or len(organisation) > 200
        or len(card) > 64
        or len(address) > 500
        or len(notes) > 2000
    ):
        raise LoanRefused(LoanRefusal.INVALID_BORROWER, "length")
    address_lines = [" ".join(line.split()) for line in address.splitlines()]
    return (
        f"{given} {family}".strip(),
        family,
        given,
        card or None,
        " ".join(organisation.split()),
        (category or "autre").strip(),
        email,
        " ".join(phone.split()),
        "\n".join(line for line in address_lines if line),
        notes.strip(),
    )


def _borrower(row: sqlite3.Row) -> Borrower:
    return Borrower(
        id=row["id"],
        name=row["name"],
        organisation=row["organisation"],
        category=row["category"],
        email=row["email"],
        phone=row["phone"],
        notes=row["notes"],
        suspended=bool(row["suspended"]),
        suspended_reason=row["suspended_reason"],
        calendar_token=row["calendar_token"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        active_loans=row["active_loans"],
        family_name=row["family_name"],
        given_names=row["given_names"],
        card_barcode=row["card_barcode"] or "",
        address=row["address"],
    )


def _loan(row: sqlite3.Row) -> Loan:
    return Loan(
        id=row["id"],
        copy_id=row["copy_id"],
        barcode=row["barcode"],
        record_id=row["record_id"],
        title=row["title"],
        borrower_id=row["borrower_id"],
        borrower_name=row["borrower_name"] or "",
        borrower_category=row["borrower_category"],
        loan_date=date.fromisoformat(row["loan_date"]),
        due_date=date.fromisoformat(row["due_date"]),
        return_date=date.fromisoformat(row["return_date"]) if row["return_date"] else None,
        renewals=row["renewals"],
        call_number=row["call_number"],
    )


def _reservation(row: sqlite3.Row, position: int) -> Reservation:
    return Reservation(
        id=row["id"],
        record_id=row["record_id"],
        title=row["title"],
        borrower_id=row["borrower_id"],
        borrower_name=row["borrower_name"],
        reserved_on=date.fromisoformat(row["reserved_on"]),
        status=row["status"],
        position=position if row["status"] == "waiting" else 0,
    )
