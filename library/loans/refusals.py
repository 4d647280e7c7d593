"""Why the loan desk says no: a reason code (and its facts), worded in French at the edge.

The rules that must never break are enforced by the database (migration 0002: a partial
unique index, CHECK constraints, triggers); `refusals()` turns its refusals into
`LoanRefused(reason)` too, so a caller sees one kind of refusal whoever caught the mistake.
"""

from __future__ import annotations

import sqlite3
from enum import StrEnum
from typing import Literal

from ..errors import CatalogueError


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


def refusals() -> _Translate:
    """A context in which the database's refusals become `LoanRefused`."""
    return _Translate()


class _Translate:
    """Turn the database's refusals (IntegrityError from a trigger or a constraint) into
    LoanRefused: the clear checks above normally speak first, this is the last word."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, exc_type: type | None, exc: BaseException | None, tb: object
    ) -> Literal[False]:
        if isinstance(exc, sqlite3.IntegrityError):
            raise refusal_from_database(exc) from exc
        return False


def refusal_from_database(exc: sqlite3.IntegrityError) -> LoanRefused:
    message = str(exc)
    for text, reason in _DATABASE_REFUSALS.items():
        if text in message:
            return LoanRefused(reason, message)
    return LoanRefused(LoanRefusal.INVALID_BORROWER, message)
