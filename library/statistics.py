"""Counts for the dashboard that the catalogue's `stats()` does not give."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from .catalogue import Catalogue


def acquisitions_per_year(catalogue: Catalogue) -> list[tuple[int, int]]:
    """[(year, live records catalogued that year)], oldest first, missing years filled with 0."""
    counts = {
        int(y): n
        for y, n in catalogue.conn.execute(
            "SELECT substr(created_at, 1, 4), count(*) FROM records WHERE deleted = 0 GROUP BY 1"
        )
        if y and y.isdigit()
    }
    if not counts:
        return []
    return [(y, counts.get(y, 0)) for y in range(min(counts), max(counts) + 1)]


def publications_per_year(catalogue: Catalogue) -> list[tuple[int, int]]:
    """[(publication year, live records)], oldest first, missing years filled with 0."""
    counts = dict(
        catalogue.conn.execute(
            "SELECT year, count(*) FROM records WHERE deleted = 0 AND year IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    if not counts:
        return []
    return [(y, counts.get(y, 0)) for y in range(min(counts), max(counts) + 1)]


# -- activity by period (issue 12) -----------------------------------------------------------

VIEW_KINDS = ("consultation", "telechargement")


def count_view(conn: sqlite3.Connection, record_id: int, kind: str, day: date) -> bool:
    """Count one consultation of a record's page or one download of its file, that day. Only
    numbers are kept: no address, no session, nothing about the reader. A count that cannot be
    written (a read-only copy of the catalogue, a lock held too long) is let go: False."""
    if kind not in VIEW_KINDS:
        raise ValueError(kind)
    try:
        conn.execute(
            "INSERT INTO record_views (day, record_id, kind, n) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (day, record_id, kind) DO UPDATE SET n = n + 1",
            (day.isoformat(), record_id, kind),
        )
    except sqlite3.OperationalError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Activity:
    """What happened between two dates (inclusive), per month and per thematic."""

    start: date
    end: date
    months: list[str]  # "YYYY-MM", every month of the period
    per_month: dict[str, dict[str, int]]  # measure -> month -> count
    per_theme: dict[str, dict[str, int]]  # measure -> theme slug -> count

    def total(self, measure: str) -> int:
        return sum(self.per_month[measure].values())


MEASURES = ("prets", "retours", "notices", "consultations", "telechargements")


def activity(conn: sqlite3.Connection, start: date, end: date) -> Activity:
    """Loans, returns, new records, consultations and downloads between `start` and `end`."""
    if end < start:
        start, end = end, start
    a, b = start.isoformat(), end.isoformat()
    # The effective thematics of a record, as the catalogue shows them.
    themed = (
        " JOIN record_themes t ON t.record_id = {rid} AND (t.manual = 'add'"
        " OR (t.manual IS NULL AND t.auto_score IS NOT NULL))"
    )
    sources = {
        "prets": (
            "SELECT {group}, count(*) FROM loans l JOIN copies c ON c.id = l.copy_id"
            "{themes} WHERE l.loan_date BETWEEN ? AND ? GROUP BY 1",
            "substr(l.loan_date, 1, 7)",
            "c.record_id",
        ),
        "retours": (
            "SELECT {group}, count(*) FROM loans l JOIN copies c ON c.id = l.copy_id"
            "{themes} WHERE l.return_date BETWEEN ? AND ? GROUP BY 1",
            "substr(l.return_date, 1, 7)",
            "c.record_id",
        ),
        "notices": (
            "SELECT {group}, count(*) FROM records r{themes}"
            " WHERE r.deleted = 0 AND substr(r.created_at, 1, 10) BETWEEN ? AND ?"
            " GROUP BY 1",
            "substr(r.created_at, 1, 7)",
            "r.id",
        ),
        "consultations": (
            "SELECT {group}, sum(v.n) FROM record_views v{themes}"
            " WHERE v.kind = 'consultation' AND v.day BETWEEN ? AND ? GROUP BY 1",
            "substr(v.day, 1, 7)",
            "v.record_id",
        ),
        "telechargements": (
            "SELECT {group}, sum(v.n) FROM record_views v{themes}"
            " WHERE v.kind = 'telechargement' AND v.day BETWEEN ? AND ?"
            " GROUP BY 1",
            "substr(v.day, 1, 7)",
            "v.record_id",
        ),
    }
    per_month: dict[str, dict[str, int]] = {}
    per_theme: dict[str, dict[str, int]] = {}
    for measure, (sql, month, rid) in sources.items():
        per_month[measure] = {
            k: int(n) for k, n in conn.execute(sql.format(group=month, themes=""), (a, b))
        }
        per_theme[measure] = {
            k: int(n)
            for k, n in conn.execute(
                sql.format(group="t.slug", themes=themed.format(rid=rid)), (a, b)
            )
        }
    months = []
    year, month_n = start.year, start.month
    while (year, month_n) <= (end.year, end.month):
        months.append(f"{year:04d}-{month_n:02d}")
        year, month_n = (year, month_n + 1) if month_n < 12 else (year + 1, 1)
    return Activity(start, end, months, per_month, per_theme)
