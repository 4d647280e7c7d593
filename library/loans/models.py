"""The values of the loan desk: its policy, borrowers, loans, reminders, reservations (and their
rows)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


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


REMINDER_LEVELS = {1: "Première relance", 2: "Deuxième relance", 3: "Dernière relance"}


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
class ReminderDue:
    """One borrower's overdue loans, chased in one letter at the level they call for."""

    borrower: Borrower
    items: tuple[Overdue, ...]
    level: int  # the highest next level among the loans (REMINDER_LEVELS)
    previous: date | None  # when the last reminder of any of these loans went out

    @property
    def loans(self) -> list[Loan]:
        return [item.loan for item in self.items]


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


LOAN_SELECT = """
    SELECT l.*, c.barcode, c.record_id, c.call_number, r.title, b.name AS borrower_name
    FROM loans l JOIN copies c ON c.id = l.copy_id JOIN records r ON r.id = c.record_id
    LEFT JOIN borrowers b ON b.id = l.borrower_id
"""
RESERVATION_SELECT = """
    SELECT v.*, r.title, b.name AS borrower_name FROM reservations v
    JOIN records r ON r.id = v.record_id JOIN borrowers b ON b.id = v.borrower_id
"""


def loan_from_row(row: sqlite3.Row) -> Loan:
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


def reservation_from_row(row: sqlite3.Row, position: int) -> Reservation:
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
