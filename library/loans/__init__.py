"""Loans of paper copies: borrowers, check-out, return, renewal, reservations, overdue loans.

The rules that must never break are enforced by the database (migration 0002: a partial
unique index, CHECK constraints, triggers). This package adds the policy (loan periods per
borrower category, a renewal limit, the reservation queue), the reads of the desk and the
dashboard, and turns the database's refusals into `LoanRefused(reason)`, which the CLI and the
web app translate into one French sentence. Every function that depends on the date takes
`today`: nothing here reads the clock for a date.

Rooms: `desk` (the `Loans` class: check-out, return, renewal, reads), `borrowers` (and their
personal-data requests), `reservations` (the queue), `statistics` (the dashboard's figures),
`refusals` (the reason codes), `models` (the values).
"""

from .borrowers import BORROWER_FIELDS, DEFAULT_CATEGORIES
from .desk import Loans
from .models import (
    REMINDER_LEVELS,
    Borrower,
    CheckIn,
    Loan,
    LoanPolicy,
    Overdue,
    Reminder,
    ReminderDue,
    Reservation,
)
from .refusals import LoanRefusal, LoanRefused, refusal_from_database

__all__ = [
    "BORROWER_FIELDS",
    "DEFAULT_CATEGORIES",
    "REMINDER_LEVELS",
    "Borrower",
    "CheckIn",
    "Loan",
    "LoanPolicy",
    "LoanRefusal",
    "LoanRefused",
    "Loans",
    "Overdue",
    "ReminderDue",
    "Reminder",
    "Reservation",
    "refusal_from_database",
]
