"""Holdings: the paper copies of the records (barcode, call number, shelf, state) and the works
that link records of one document (a paper edition and its PDF)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import TYPE_CHECKING

from .db import utc_now
from .errors import InvalidRecord, NotFound
from .models import Copy, CopyStatus, Record
from .rows import copy_from_row, stored_copy_status, xml_safe_copy
from .text import xml_safe


class Holdings:
    """Copies and works of the catalogue (mixed into `Catalogue`, which gives `conn`, the
    transaction and the record helpers)."""

    conn: sqlite3.Connection

    if TYPE_CHECKING:  # given by Catalogue

        def transaction(self) -> AbstractContextManager[object]: ...
        def _require(self, record_id: int) -> None: ...
        def _bump_rev(self) -> int: ...
        def _touch_record(self, record_id: int, now: str | None) -> None: ...
        def get_many(self, ids: Iterable[int]) -> dict[int, Record]: ...

    def add_copy(self, record_id: int, copy: Copy, now: str | None = None) -> Copy:
        with self.transaction():
            self._require(record_id)
            rev = self._bump_rev()
            copy_id = self._insert_copy(record_id, copy, now or utc_now())
            self.conn.execute("UPDATE records SET rev = ? WHERE id = ?", (rev, record_id))
        return replace(copy, id=copy_id)

    def update_copy(
        self,
        copy_id: int,
        *,
        call_number: str,
        location: str,
        status: CopyStatus,
        now: str | None = None,
    ) -> Copy:
        """Change a copy's shelf data or physical state (being on loan is not set here)."""
        with self.transaction():
            row = self.conn.execute(
                "SELECT record_id FROM copies WHERE id = ?", (copy_id,)
            ).fetchone()
            if row is None:
                raise NotFound("copy", copy_id)
            self.conn.execute(
                "UPDATE copies SET call_number = ?, location = ?, status = ? WHERE id = ?",
                (
                    xml_safe(call_number).strip(),
                    xml_safe(location).strip(),
                    stored_copy_status(status),
                    copy_id,
                ),
            )
            self._touch_record(row["record_id"], now)
        return self._copy_by_id(copy_id)

    def remove_copy(self, copy_id: int, now: str | None = None) -> None:
        """Delete a copy entered by mistake; one that was ever lent is withdrawn instead."""
        with self.transaction():
            row = self.conn.execute(
                "SELECT record_id FROM copies WHERE id = ?", (copy_id,)
            ).fetchone()
            if row is None:
                raise NotFound("copy", copy_id)
            try:
                self.conn.execute("DELETE FROM copies WHERE id = ?", (copy_id,))
            except sqlite3.IntegrityError as exc:
                raise InvalidRecord("copies", "copy has a loan history: withdraw it") from exc
            self._touch_record(row["record_id"], now)

    def link_work(self, record_ids: Sequence[int], now: str | None = None) -> int:
        """Make records one work (a paper edition and its PDF); returns the work id."""
        ids = sorted(set(record_ids))
        if len(ids) < 2:
            raise InvalidRecord("work_id", "a work links at least two records")
        with self.transaction():
            for rid in ids:
                self._require(rid)
            marks = ",".join("?" * len(ids))
            known = [
                r[0]
                for r in self.conn.execute(
                    f"SELECT work_id FROM records WHERE id IN ({marks}) AND work_id IS NOT NULL",
                    ids,
                )
            ]
            work_id = min(known) if known else ids[0]
            # Records already in one of these works join the merged work too.
            members = set(ids)
            for old in set(known):
                members.update(
                    r[0]
                    for r in self.conn.execute("SELECT id FROM records WHERE work_id = ?", (old,))
                )
            for rid in sorted(members):
                self.conn.execute("UPDATE records SET work_id = ? WHERE id = ?", (work_id, rid))
                self._touch_record(rid, now)
        return work_id

    def unlink_work(self, record_id: int, now: str | None = None) -> None:
        """Take a record out of its work (a work of one record is dissolved)."""
        with self.transaction():
            row = self.conn.execute(
                "SELECT work_id FROM records WHERE id = ?", (record_id,)
            ).fetchone()
            if row is None:
                raise NotFound("record", record_id)
            if row["work_id"] is None:
                return
            self.conn.execute("UPDATE records SET work_id = NULL WHERE id = ?", (record_id,))
            self._touch_record(record_id, now)
            rest = [
                r[0]
                for r in self.conn.execute(
                    "SELECT id FROM records WHERE work_id = ?", (row["work_id"],)
                )
            ]
            if len(rest) == 1:
                self.conn.execute("UPDATE records SET work_id = NULL WHERE id = ?", (rest[0],))
                self._touch_record(rest[0], now)

    def work_members(self, record_id: int) -> list[Record]:
        """The other live records of a record's work."""
        row = self.conn.execute("SELECT work_id FROM records WHERE id = ?", (record_id,)).fetchone()
        if row is None or row["work_id"] is None:
            return []
        ids = [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM records WHERE work_id = ? AND id != ? AND deleted = 0 ORDER BY id",
                (row["work_id"], record_id),
            )
        ]
        found = self.get_many(ids)
        return [found[i] for i in ids]

    def copy_by_barcode(self, barcode: str) -> tuple[int, Copy]:
        row = self.conn.execute(
            f"SELECT {_COPY_COLUMNS} FROM copies c {_ACTIVE_LOAN_JOIN} WHERE c.barcode = ?",
            (barcode.strip(),),
        ).fetchone()
        if row is None:
            raise NotFound("copy", barcode)
        return row["record_id"], copy_from_row(row)

    def availability(self) -> dict[int, tuple[str, ...]]:
        """{record_id: ("en-rayon", "en-pret")} for live paper records, from their copies now.

        Read at each search rather than indexed: it changes with every loan."""
        out: dict[int, tuple[str, ...]] = {}
        for rid, on_shelf, on_loan in self.conn.execute(_AVAILABILITY_SQL):
            values = (("en-rayon",) if on_shelf else ()) + (("en-pret",) if on_loan else ())
            if values:
                out[rid] = values
        return out

    def availability_stamp(self) -> tuple[int, int, int]:
        """Changes whenever availability() may: a record or copy changed (both bump the rev
        counter), a loan started (new id) or ended (fewer active). Cheap: callers cache with it."""
        row = self.conn.execute(
            "SELECT (SELECT value FROM counters WHERE name = 'rev'),"
            " (SELECT count(*) FROM loans WHERE return_date IS NULL),"
            " (SELECT coalesce(max(id), 0) FROM loans)"
        ).fetchone()
        return (int(row[0] or 0), int(row[1]), int(row[2]))

    def barcodes(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT barcode FROM copies")}

    # -- internals -----------------------------------------------------------------------

    def _copy_by_id(self, copy_id: int) -> Copy:
        row = self.conn.execute(
            f"SELECT {_COPY_COLUMNS} FROM copies c {_ACTIVE_LOAN_JOIN} WHERE c.id = ?", (copy_id,)
        ).fetchone()
        if row is None:
            raise NotFound("copy", copy_id)
        return copy_from_row(row)

    def _insert_copy(self, record_id: int, copy: Copy, now: str) -> int:
        copy = xml_safe_copy(copy)
        try:
            cur = self.conn.execute(_INSERT_COPY, _copy_values(record_id, copy, now))
        except sqlite3.IntegrityError as exc:
            raise _copy_refused(exc, copy.barcode) from exc
        return int(cur.lastrowid or 0)

    def _insert_copies(self, record_id: int, copies: Sequence[Copy], now: str) -> None:
        """A new record's copies in one statement (their texts already XML-safe)."""
        try:
            self.conn.executemany(
                _INSERT_COPY, [_copy_values(record_id, copy, now) for copy in copies]
            )
        except sqlite3.IntegrityError as exc:
            raise _copy_refused(exc, self._clashing_barcode(record_id, copies)) from exc

    def _clashing_barcode(self, record_id: int, copies: Sequence[Copy]) -> str:
        """The barcode of `copies` given twice, or already held by another record."""
        seen: set[str] = set()
        for copy in copies:
            barcode = copy.barcode.strip()
            if (
                barcode in seen
                or self.conn.execute(
                    "SELECT 1 FROM copies WHERE barcode = ? AND record_id != ?",
                    (barcode, record_id),
                ).fetchone()
            ):
                return copy.barcode
            seen.add(barcode)
        return copies[0].barcode if copies else ""

    def _copies_of(self, ids: Sequence[int]) -> dict[int, tuple[Copy, ...]]:
        marks = ",".join("?" * len(ids))
        out: dict[int, list[Copy]] = {}
        for row in self.conn.execute(
            f"SELECT {_COPY_COLUMNS} FROM copies c {_ACTIVE_LOAN_JOIN}"
            f" WHERE c.record_id IN ({marks}) ORDER BY c.record_id, c.id",
            list(ids),
        ):
            out.setdefault(row["record_id"], []).append(copy_from_row(row))
        return {k: tuple(v) for k, v in out.items()}


# A copy is on loan when it has an active loan (library/loans.py); loans never touch a
# record's rev, so OAI datestamps and the index do not move with the desk.
_ACTIVE_LOAN_JOIN = "LEFT JOIN loans l ON l.copy_id = c.id AND l.return_date IS NULL"
_COPY_COLUMNS = "c.*, l.due_date AS loan_due_date"
_AVAILABILITY_SQL = f"""
    SELECT c.record_id, sum(c.status = 'available' AND l.id IS NULL) > 0, sum(l.id IS NOT NULL) > 0
    FROM copies c JOIN records r ON r.id = c.record_id {_ACTIVE_LOAN_JOIN}
    WHERE r.deleted = 0
    GROUP BY c.record_id
"""


_INSERT_COPY = (
    "INSERT INTO copies (record_id, barcode, call_number, location, status, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)


def _copy_values(record_id: int, copy: Copy, now: str) -> tuple:
    return (
        record_id,
        copy.barcode.strip(),
        copy.call_number,
        copy.location,
        stored_copy_status(copy.status),
        now,
    )


def _copy_refused(exc: sqlite3.IntegrityError, barcode: str) -> InvalidRecord:
    message = str(exc)
    if "UNIQUE" in message:
        return InvalidRecord("barcode", f"barcode {barcode!r} already exists")
    if "paper" in message:
        return InvalidRecord("copies", "copies belong to paper records")
    return InvalidRecord("copies", message)
