"""The ingest's memory: the files stored for records, and every path the indexer has seen
(size, mtime, content digest, what became of it), so an unchanged file is never read twice."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .db import utc_now
from .models import SourceFile
from .rows import file_from_row
from .text import xml_safe


@dataclass(frozen=True, slots=True)
class PathState:
    """What the indexer last saw at a path."""

    size: int
    mtime_ns: int
    sha256: str | None
    status: str
    reason: str
    record_id: int | None


class PathMemory:
    """Files and paths of the catalogue (mixed into `Catalogue`, which gives `conn`)."""

    conn: sqlite3.Connection

    def add_file(self, source: SourceFile, now: str | None = None) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO files (sha256, original_name, media_type, size, store_path,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                source.sha256,
                xml_safe(source.original_name),
                source.media_type,
                source.size,
                source.store_path,
                now or utc_now(),
            ),
        )

    def files(self) -> list[SourceFile]:
        rows = self.conn.execute("SELECT * FROM files ORDER BY sha256")
        return [file_from_row(r) for r in rows]

    def path_states(self) -> dict[bytes, PathState]:
        return {
            bytes(r["path"]): PathState(
                r["size"], r["mtime_ns"], r["sha256"], r["status"], r["reason"], r["record_id"]
            )
            for r in self.conn.execute("SELECT * FROM file_paths")
        }

    def remember_path(
        self,
        path: bytes,
        *,
        size: int,
        mtime_ns: int,
        sha256: str | None,
        status: str,
        reason: str = "",
        record_id: int | None = None,
        now: str | None = None,
    ) -> None:
        self.conn.execute(
            "INSERT INTO file_paths (path, size, mtime_ns, sha256, status, reason, record_id,"
            " seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET"
            " size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256,"
            " status = excluded.status, reason = excluded.reason,"
            " record_id = excluded.record_id, seen_at = excluded.seen_at",
            (path, size, mtime_ns, sha256, status, reason, record_id, now or utc_now()),
        )

    def paths_with_content(self, sha256: str) -> list[bytes]:
        """Every path a file with this content was seen at (to copy it back into the store)."""
        rows = self.conn.execute("SELECT path FROM file_paths WHERE sha256 = ?", (sha256,))
        return [bytes(r[0]) for r in rows]

    def paths_of(self, record_id: int) -> list[bytes]:
        rows = self.conn.execute(
            "SELECT path FROM file_paths WHERE record_id = ? ORDER BY seen_at", (record_id,)
        )
        return [bytes(r[0]) for r in rows]
