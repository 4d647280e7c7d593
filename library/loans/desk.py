"""The loan desk: check-out, return, renewal, the reads of the loans (overdue, history) and the
reminders sent for overdue loans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .. import db
from ..catalogue import Catalogue, utc_now
from ..errors import NotFound
from .borrowers import BorrowerBook
from .models import (
    LOAN_SELECT,
    REMINDER_LEVELS,
    Borrower,
    CheckIn,
    Loan,
    LoanPolicy,
    Overdue,
    Reminder,
    ReminderDue,
    loan_from_row,
)
from .refusals import LoanRefusal, LoanRefused, refusals
from .reservations import ReservationQueue
from .statistics import LoanStatistics


@dataclass(frozen=True, slots=True)
class _CopyInfo:
    id: int
    record_id: int
    barcode: str
    status: str
    support: str
    deleted: bool


class Loans(BorrowerBook, ReservationQueue, LoanStatistics):
    """The loan desk of one catalogue. Shares the catalogue's connection.

    Borrowers (`BorrowerBook`), the reservation queue (`ReservationQueue`) and the figures
    (`LoanStatistics`) are written in their own modules; this class is the desk itself."""

    def __init__(self, catalogue: Catalogue, policy: LoanPolicy | None = None) -> None:
        self.catalogue = catalogue
        self.conn = catalogue.conn
        self.policy = policy or LoanPolicy()

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
        with db.transaction(self.conn), refusals():
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
        with db.transaction(self.conn), refusals():
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
        with db.transaction(self.conn), refusals():
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

    # -- reading ----------------------------------------------------------------------------

    def loan(self, loan_id: int) -> Loan:
        row = self.conn.execute(LOAN_SELECT + " WHERE l.id = ?", (loan_id,)).fetchone()
        if row is None:
            raise NotFound("loan", loan_id)
        return loan_from_row(row)

    def active_loans(self, borrower_id: int | None = None) -> list[Loan]:
        where = " WHERE l.return_date IS NULL"
        args: tuple[int, ...] = ()
        if borrower_id is not None:
            where, args = where + " AND l.borrower_id = ?", (borrower_id,)
        rows = self.conn.execute(LOAN_SELECT + where + " ORDER BY l.due_date, l.id", args)
        return [loan_from_row(r) for r in rows]

    def overdue(self, today: date) -> list[Loan]:
        """Active loans past their due date, the latest first."""
        rows = self.conn.execute(
            LOAN_SELECT + " WHERE l.return_date IS NULL AND l.due_date < ?"
            " ORDER BY l.due_date, l.id",
            (today.isoformat(),),
        )
        return [loan_from_row(r) for r in rows]

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

    def reminders_due(self, today: date) -> list[ReminderDue]:
        """One letter per borrower with overdue loans, at the next level of reminder their
        loans call for (the highest among them: a second letter goes to whoever already had a
        first)."""
        grouped: dict[int, list[Overdue]] = {}
        for item in self.overdue_to_chase(today):
            if item.borrower is not None:
                grouped.setdefault(item.borrower.id, []).append(item)
        out = []
        for items in grouped.values():
            borrower = items[0].borrower
            assert borrower is not None
            level = max((item.next_level or 3) for item in items)
            sent = [r for item in items for r in item.reminders]
            previous = max((r.sent_on for r in sent), default=None)
            out.append(ReminderDue(borrower, tuple(items), level, previous))
        return out

    def record_reminders(self, due: ReminderDue, *, today: date, channel: str = "lettre") -> None:
        """Keep that this letter went out today, at its level, for each loan in it."""
        for item in due.items:
            self.record_reminder(item.loan.id, due.level, today=today, channel=channel)

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
            LOAN_SELECT + " WHERE l.borrower_id = ? ORDER BY l.loan_date DESC, l.id DESC",
            (borrower_id,),
        )
        return [loan_from_row(r) for r in rows]

    def record_history(self, record_id: int) -> list[Loan]:
        rows = self.conn.execute(
            LOAN_SELECT + " WHERE c.record_id = ? ORDER BY l.loan_date DESC, l.id DESC",
            (record_id,),
        )
        return [loan_from_row(r) for r in rows]

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
            LOAN_SELECT + " WHERE l.copy_id = ? AND l.return_date IS NULL", (copy_id,)
        ).fetchone()
        return loan_from_row(row) if row else None
