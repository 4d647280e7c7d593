"""Figures of the loan desk for the dashboard (anonymised loans count too)."""

from __future__ import annotations

import sqlite3
from datetime import date


class LoanStatistics:
    """Loans per month, most borrowed records, counts (mixed into `Loans`)."""

    conn: sqlite3.Connection

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
