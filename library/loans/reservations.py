"""The reservation queue: first come, first served, for paper records none of whose copies is
free on the shelf."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING

from .. import db
from ..catalogue import Catalogue, utc_now
from .models import RESERVATION_SELECT, Borrower, Loan, Reservation, reservation_from_row
from .refusals import LoanRefusal, LoanRefused, refusals


class ReservationQueue:
    """Reservations (mixed into `Loans`, which gives `conn`, `catalogue` and the desk's reads)."""

    conn: sqlite3.Connection
    catalogue: Catalogue

    if TYPE_CHECKING:  # given by Loans

        def _borrower_for_desk(self, borrower_id: int) -> Borrower: ...
        def active_loans(self, borrower_id: int | None = None) -> list[Loan]: ...

    def reserve(
        self, record_id: int, borrower_id: int, *, today: date, now: str | None = None
    ) -> Reservation:
        """Join the queue for a paper record none of whose copies is free on the shelf."""
        with db.transaction(self.conn), refusals():
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
            RESERVATION_SELECT + " WHERE v.record_id = ? AND v.status = 'waiting' ORDER BY v.id",
            (record_id,),
        )
        return [reservation_from_row(r, position) for position, r in enumerate(rows, 1)]

    def waiting_reservations(self) -> list[Reservation]:
        out: list[Reservation] = []
        rows = self.conn.execute(
            RESERVATION_SELECT + " WHERE v.status = 'waiting' ORDER BY v.record_id, v.id"
        ).fetchall()
        position, previous = 0, None
        for row in rows:
            position = position + 1 if row["record_id"] == previous else 1
            previous = row["record_id"]
            out.append(reservation_from_row(row, position))
        return out

    def reservations_of(
        self, borrower_id: int, *, include_closed: bool = False
    ) -> list[Reservation]:
        where = "" if include_closed else " AND v.status = 'waiting'"
        rows = self.conn.execute(
            RESERVATION_SELECT + f" WHERE v.borrower_id = ?{where} ORDER BY v.id", (borrower_id,)
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
            out.append(reservation_from_row(row, position))
        return out

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
            RESERVATION_SELECT + " WHERE v.id = ?", (reservation_id,)
        ).fetchone()
        if row is None:
            raise LoanRefused(LoanRefusal.UNKNOWN_RESERVATION, str(reservation_id))
        return reservation_from_row(row, 0)
