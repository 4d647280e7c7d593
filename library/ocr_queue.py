"""The OCR queue in the catalogue: which records wait for text recognition, and what came of it.

An item stays `pending` until the transaction that stores its recognised text marks it `done`,
so a run killed at any moment leaves the queue as it was for the items not finished. A failure
is kept with a reason code and its detail (translated by the edges), and counted: transient
failures (a crashed Tesseract) are retried by the next run, up to `MAX_ATTEMPTS`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .catalogue import Catalogue, utc_now
from .errors import NotFound
from .models import SourceFile
from .rows import file_from_row

MAX_ATTEMPTS = 3  # transient failures retried this many times in all before the item is 'failed'


class OcrStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class OcrItem:
    record_id: int
    status: OcrStatus
    pages: str  # '' = every page, else '1,3-5'
    attempts: int
    error_code: str
    error_detail: str
    ocr_sha256: str | None
    ocr_pages: int | None
    seconds: float | None
    queued_at: str
    updated_at: str


class OcrQueue:
    """The queue of one catalogue (it shares the catalogue's connection and transactions)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.conn = catalogue.conn

    def enqueue(self, record_id: int, *, pages: str = "", now: str | None = None) -> None:
        """Put a record in the queue (again): pending, attempts reset."""
        now = now or utc_now()
        self.conn.execute(
            "INSERT INTO ocr_queue (record_id, status, pages, queued_at, updated_at)"
            " VALUES (?, 'pending', ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET"
            " status = 'pending', pages = excluded.pages, attempts = 0, error_code = '',"
            " error_detail = '', updated_at = excluded.updated_at",
            (record_id, pages, now, now),
        )

    def forget(self, record_id: int) -> None:
        """Take a record out of the queue (its file now has text)."""
        self.conn.execute("DELETE FROM ocr_queue WHERE record_id = ?", (record_id,))

    def get(self, record_id: int) -> OcrItem:
        row = self.conn.execute("SELECT * FROM ocr_queue WHERE record_id = ?", (record_id,))
        found = row.fetchone()
        if found is None:
            raise NotFound("ocr_queue", record_id)
        return _item(found)

    def find(self, record_id: int) -> OcrItem | None:
        try:
            return self.get(record_id)
        except NotFound:
            return None

    def items(self, statuses: Sequence[OcrStatus] = (OcrStatus.PENDING,)) -> list[OcrItem]:
        """Items of live records in these states, oldest first."""
        marks = ", ".join("?" * len(statuses))
        rows = self.conn.execute(
            f"SELECT q.* FROM ocr_queue q JOIN records r ON r.id = q.record_id"
            f" WHERE r.deleted = 0 AND q.status IN ({marks}) ORDER BY q.queued_at, q.record_id",
            tuple(s.value for s in statuses),
        )
        return [_item(r) for r in rows]

    def waiting(self) -> list[OcrItem]:
        """What `fonds check` and the dashboard list: pending and failed items of live records."""
        return self.items((OcrStatus.PENDING, OcrStatus.FAILED))

    def done_file(self, record_id: int) -> str | None:
        """The sha256 of the searchable PDF made for a record, if any."""
        row = self.conn.execute(
            "SELECT ocr_sha256 FROM ocr_queue WHERE record_id = ? AND status = 'done'",
            (record_id,),
        ).fetchone()
        return row[0] if row else None

    def searchable_file(self, record_id: int) -> SourceFile | None:
        """The searchable PDF made for a record (text layer added), if its OCR is done."""
        row = self.conn.execute(
            "SELECT f.* FROM ocr_queue q JOIN files f ON f.sha256 = q.ocr_sha256"
            " WHERE q.record_id = ? AND q.status = 'done'",
            (record_id,),
        ).fetchone()
        return file_from_row(row) if row else None

    def mark_done(
        self,
        record_id: int,
        *,
        ocr_sha256: str | None,
        ocr_pages: int,
        seconds: float,
        now: str | None = None,
    ) -> None:
        """Called inside the transaction that stores the recognised text."""
        self.conn.execute(
            "UPDATE ocr_queue SET status = 'done', ocr_sha256 = ?, ocr_pages = ?, seconds = ?,"
            " attempts = attempts + 1, error_code = '', error_detail = '', updated_at = ?"
            " WHERE record_id = ?",
            (ocr_sha256, ocr_pages, seconds, now or utc_now(), record_id),
        )

    def mark_failed(
        self,
        record_id: int,
        code: str,
        detail: str = "",
        *,
        transient: bool = False,
        now: str | None = None,
    ) -> OcrStatus:
        """Note a failure; a transient one leaves the item pending until MAX_ATTEMPTS."""
        with self.catalogue.transaction():
            self.conn.execute(
                "UPDATE ocr_queue SET attempts = attempts + 1, error_code = ?, error_detail = ?,"
                " status = CASE WHEN ? AND attempts + 1 < ? THEN 'pending' ELSE 'failed' END,"
                " updated_at = ? WHERE record_id = ?",
                (code, detail, transient, MAX_ATTEMPTS, now or utc_now(), record_id),
            )
            return self.get(record_id).status


def _item(row: sqlite3.Row) -> OcrItem:
    return OcrItem(
        record_id=row["record_id"],
        status=OcrStatus(row["status"]),
        pages=row["pages"],
        attempts=row["attempts"],
        error_code=row["error_code"],
        error_detail=row["error_detail"],
        ocr_sha256=row["ocr_sha256"],
        ocr_pages=row["ocr_pages"],
        seconds=row["seconds"],
        queued_at=row["queued_at"],
        updated_at=row["updated_at"],
    )
