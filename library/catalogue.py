"""The catalogue: records, their text, thematics, files and copies, stored in SQLite.

This is the source of truth. Every write bumps a global revision counter (`rev`), so the
derived search index can compare itself with the catalogue and catch up after a crash.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from . import db
from .errors import InvalidRecord, NotFound
from .keys import title_key
from .models import (
    Author,
    AuthorKind,
    AuthorRole,
    Copy,
    CopyStatus,
    Record,
    SourceFile,
    Stats,
    ThemeAssignment,
    ThemeSource,
)
from .rows import (
    RECORD_COLUMNS,
    PathState,
    ThemeRow,
    copy_from_row,
    file_from_row,
    record_from_row,
    record_values,
    stored_copy_status,
    theme_order,
    theme_row,
    validate,
    xml_safe_copy,
    xml_safe_record,
)
from .text import xml_safe

CATALOGUE_FILE = "catalogue.sqlite3"


def utc_now() -> str:
    """Timestamps are UTC to the second, as OAI-PMH datestamps are."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Catalogue:
    """The records of one instance. Open with `Catalogue.open(path)`; close when done."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @classmethod
    def open(cls, path: Path | str) -> Catalogue:
        return cls(db.connect(path))

    @classmethod
    def in_instance(cls, instance: Path) -> Catalogue:
        instance.mkdir(parents=True, exist_ok=True)
        return cls.open(instance / CATALOGUE_FILE)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Catalogue]:
        with db.transaction(self.conn):
            yield self

    # -- records -------------------------------------------------------------------------

    def add(self, record: Record, *, text: str | None = None, now: str | None = None) -> Record:
        """Store a new record (its id is assigned here) with its authors and copies."""
        record = xml_safe_record(record)
        validate(record)
        now = now or utc_now()
        with self.transaction():
            rev = self._bump_rev()
            values = record_values(record)
            cur = self.conn.execute(
                f"INSERT INTO records ({', '.join(RECORD_COLUMNS)}, created_at, updated_at,"
                f" deleted, rev) VALUES ({', '.join('?' * len(RECORD_COLUMNS))}, ?, ?, 0, ?)",
                (*values, record.created_at or now, now, rev),
            )
            record_id = int(cur.lastrowid or 0)
            self._write_authors(record_id, record.authors)
            for copy in record.copies:
                self._insert_copy(record_id, copy, now)
            if text is not None:
                self._write_text(record_id, text)
            for theme in record.themes:
                self._write_theme(record_id, theme, now)
        return self.get(record_id)

    def save(self, record: Record, *, text: str | None = None, now: str | None = None) -> Record:
        """Write back every descriptive field of an existing record (not its copies or themes)."""
        if record.id is None:
            raise InvalidRecord("id", "a record must be added before it is saved")
        record = xml_safe_record(record)
        validate(record)
        now = now or utc_now()
        with self.transaction():
            self._require(record.id)
            rev = self._bump_rev()
            assignments = ", ".join(f"{c} = ?" for c in RECORD_COLUMNS)
            self.conn.execute(
                f"UPDATE records SET {assignments}, updated_at = ?, rev = ? WHERE id = ?",
                (*record_values(record), now, rev, record.id),
            )
            self._write_authors(record.id, record.authors)
            if text is not None:
                self._write_text(record.id, text)
        return self.get(record.id)

    def touch(self, record_id: int, now: str | None = None) -> int:
        """Mark a record changed (new rev and datestamp) without changing its fields."""
        with self.transaction():
            self._require(record_id)
            rev = self._bump_rev()
            self.conn.execute(
                "UPDATE records SET updated_at = ?, rev = ? WHERE id = ?",
                (now or utc_now(), rev, record_id),
            )
        return rev

    def get(self, record_id: int) -> Record:
        found = self.get_many([record_id])
        if record_id not in found:
            raise NotFound("record", record_id)
        return found[record_id]

    def get_many(self, ids: Iterable[int]) -> dict[int, Record]:
        """Records by id (deleted ones included: callers filter); unknown ids are left out."""
        ids = list(dict.fromkeys(int(i) for i in ids))
        if not ids:
            return {}
        result: dict[int, Record] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(f"SELECT * FROM records WHERE id IN ({marks})", chunk)
            rows = rows.fetchall()
            authors = self._authors_of(chunk)
            themes = self._themes_of(chunk)
            copies = self._copies_of(chunk)
            files = self._files_of([r["file_sha256"] for r in rows if r["file_sha256"]])
            for row in rows:
                rid = row["id"]
                result[rid] = record_from_row(
                    row,
                    authors.get(rid, ()),
                    themes.get(rid, ()),
                    copies.get(rid, ()),
                    files.get(row["file_sha256"]),
                )
        return result

    def ids(self, *, include_deleted: bool = False) -> list[int]:
        where = "" if include_deleted else " WHERE deleted = 0"
        return [r[0] for r in self.conn.execute(f"SELECT id FROM records{where} ORDER BY id")]

    def count(self, *, include_deleted: bool = False) -> int:
        where = "" if include_deleted else " WHERE deleted = 0"
        return self.conn.execute(f"SELECT count(*) FROM records{where}").fetchone()[0]

    def text(self, record_id: int) -> str:
        row = self.conn.execute(
            "SELECT text FROM record_texts WHERE record_id = ?", (record_id,)
        ).fetchone()
        return row[0] if row else ""

    def texts(self, ids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for rid, text in self.conn.execute(
                f"SELECT record_id, text FROM record_texts WHERE record_id IN ({marks})", chunk
            ):
                out[rid] = text
        return out

    def text_heads(self, ids: Sequence[int], limit: int) -> dict[int, str]:
        """The first `limit` characters of each record's text (snippets need no more)."""
        out: dict[int, str] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for rid, text in self.conn.execute(
                f"SELECT record_id, substr(text, 1, ?) FROM record_texts"
                f" WHERE record_id IN ({marks})",
                (limit, *chunk),
            ):
                out[rid] = text
        return out

    def delete(self, record_id: int, now: str | None = None) -> None:
        """Soft delete: the record leaves search and exports but harvesters still learn of it."""
        self._set_deleted(record_id, True, now)

    def restore(self, record_id: int, now: str | None = None) -> None:
        self._set_deleted(record_id, False, now)

    def _set_deleted(self, record_id: int, deleted: bool, now: str | None) -> None:
        now = now or utc_now()
        with self.transaction():
            self._require(record_id)
            rev = self._bump_rev()
            self.conn.execute(
                "UPDATE records SET deleted = ?, deleted_at = ?, updated_at = ?, rev = ?"
                " WHERE id = ?",
                (int(deleted), now if deleted else None, now, rev, record_id),
            )

    def deleted_ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM records WHERE deleted = 1")]

    def find_by_file(self, sha256: str) -> Record | None:
        row = self.conn.execute(
            "SELECT id FROM records WHERE file_sha256 = ?", (sha256,)
        ).fetchone()
        return self.get(row[0]) if row else None

    def find_duplicates(self, record: Record) -> list[tuple[int, str]]:
        """Live records that look like `record`: same ISBN, same file, or same title and year."""
        found: dict[int, str] = {}
        exclude = record.id or -1
        if record.isbn:
            for (rid,) in self.conn.execute(
                "SELECT id FROM records WHERE isbn = ? AND id != ? AND deleted = 0",
                (record.isbn, exclude),
            ):
                found.setdefault(rid, "isbn")
        if record.file:
            for (rid,) in self.conn.execute(
                "SELECT id FROM records WHERE file_sha256 = ? AND id != ? AND deleted = 0",
                (record.file.sha256, exclude),
            ):
                found.setdefault(rid, "file")
        wanted = title_key(record.title)
        if wanted:
            for (rid,) in self.conn.execute(
                "SELECT id FROM records WHERE title_key = ? AND deleted = 0 AND id != ?"
                " AND (year IS ? OR ? IS NULL)",
                (wanted, exclude, record.year, record.year),
            ):
                found.setdefault(rid, "title")
        return sorted(found.items())

    # -- thematics -----------------------------------------------------------------------

    def theme_rows(self, record_id: int) -> list[ThemeRow]:
        """Every thematic row of a record, effective or not (rejected proposals included)."""
        rows = self.conn.execute(
            "SELECT * FROM record_themes WHERE record_id = ? ORDER BY slug", (record_id,)
        )
        return [theme_row(r) for r in rows]

    def set_auto_themes(
        self,
        record_id: int,
        proposals: Iterable[ThemeAssignment],
        *,
        now: str | None = None,
    ) -> None:
        """Replace the tagger's proposals; the documentalist's decisions stay as they are."""
        proposals = list(proposals)
        with self.transaction():
            self._require(record_id)
            rev = self._bump_rev()
            self.conn.execute(
                "UPDATE record_themes SET auto_score = NULL, auto_evidence = NULL"
                " WHERE record_id = ?",
                (record_id,),
            )
            for p in proposals:
                self._write_theme(record_id, replace(p, source=ThemeSource.AUTO), now)
            self.conn.execute(
                "DELETE FROM record_themes WHERE record_id = ? AND auto_score IS NULL"
                " AND manual IS NULL",
                (record_id,),
            )
            self.conn.execute(
                "UPDATE records SET updated_at = ?, rev = ? WHERE id = ?",
                (now or utc_now(), rev, record_id),
            )

    def set_manual_theme(
        self,
        record_id: int,
        slug: str,
        decision: str | None,
        *,
        by: str = "",
        now: str | None = None,
    ) -> None:
        """Record the documentalist's decision on a thematic: 'add', 'remove' or None (undo)."""
        if decision not in ("add", "remove", None):
            raise InvalidRecord("theme", f"unknown decision {decision!r}")
        now = now or utc_now()
        with self.transaction():
            self._require(record_id)
            rev = self._bump_rev()
            self.conn.execute(
                "INSERT INTO record_themes (record_id, slug, manual, manual_by, manual_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (record_id, slug) DO UPDATE SET"
                " manual = excluded.manual, manual_by = excluded.manual_by,"
                " manual_at = excluded.manual_at",
                (record_id, slug, decision, by if decision else None, now if decision else None),
            )
            self.conn.execute(
                "DELETE FROM record_themes WHERE record_id = ? AND slug = ?"
                " AND auto_score IS NULL AND manual IS NULL",
                (record_id, slug),
            )
            self.conn.execute(
                "UPDATE records SET updated_at = ?, rev = ? WHERE id = ?", (now, rev, record_id)
            )

    def manual_labels(self) -> dict[int, dict[str, str]]:
        """The documentalist's decisions, {record_id: {slug: 'add'|'remove'}}: labelled data."""
        out: dict[int, dict[str, str]] = {}
        for rid, slug, manual in self.conn.execute(
            "SELECT record_id, slug, manual FROM record_themes WHERE manual IS NOT NULL"
        ):
            out.setdefault(rid, {})[slug] = manual
        return out

    # -- copies --------------------------------------------------------------------------

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

    # -- files and paths -----------------------------------------------------------------

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

    def integrity_problems(self) -> list[str]:
        """What SQLite finds wrong with the catalogue file itself (empty when sound)."""
        problems = [m for (m,) in self.conn.execute("PRAGMA integrity_check") if m != "ok"]
        problems += [
            f"broken reference in table {row[0]}"
            for row in self.conn.execute("PRAGMA foreign_key_check")
        ]
        return problems

    def paths_of(self, record_id: int) -> list[bytes]:
        rows = self.conn.execute(
            "SELECT path FROM file_paths WHERE record_id = ? ORDER BY seen_at", (record_id,)
        )
        return [bytes(r[0]) for r in rows]

    # -- revisions, for the index --------------------------------------------------------

    def revisions(self) -> dict[int, tuple[int, bool]]:
        """{record_id: (rev, deleted)} for every record: what the index must mirror."""
        return {
            rid: (rev, bool(deleted))
            for rid, rev, deleted in self.conn.execute("SELECT id, rev, deleted FROM records")
        }

    def last_rev(self) -> int:
        return self.conn.execute("SELECT value FROM counters WHERE name = 'rev'").fetchone()[0]

    # -- statistics ----------------------------------------------------------------------

    def stats(self) -> Stats:
        live, deleted = self.conn.execute(
            "SELECT coalesce(sum(deleted = 0), 0), coalesce(sum(deleted = 1), 0) FROM records"
        ).fetchone()

        def grouped(sql: str) -> dict[str, int]:
            return {k: n for k, n in self.conn.execute(sql)}

        return Stats(
            live=live,
            deleted=deleted,
            by_support=grouped(
                "SELECT support, count(*) FROM records WHERE deleted = 0 GROUP BY 1 ORDER BY 1"
            ),
            by_type=grouped(
                "SELECT doc_type, count(*) FROM records WHERE deleted = 0 GROUP BY 1 ORDER BY 1"
            ),
            by_theme=grouped(
                "SELECT t.slug, count(*) FROM record_themes t JOIN records r ON r.id = t.record_id"
                " WHERE r.deleted = 0 AND (t.manual = 'add' OR (t.manual IS NULL AND"
                " t.auto_score IS NOT NULL)) GROUP BY 1 ORDER BY 1"
            ),
            by_language=grouped(
                "SELECT language, count(*) FROM records WHERE deleted = 0 GROUP BY 1 ORDER BY 1"
            ),
        )

    # -- internals -----------------------------------------------------------------------

    def _require(self, record_id: int) -> None:
        if not self.conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone():
            raise NotFound("record", record_id)

    def _touch_record(self, record_id: int, now: str | None) -> None:
        self.conn.execute(
            "UPDATE records SET updated_at = ?, rev = ? WHERE id = ?",
            (now or utc_now(), self._bump_rev(), record_id),
        )

    def _copy_by_id(self, copy_id: int) -> Copy:
        row = self.conn.execute(
            f"SELECT {_COPY_COLUMNS} FROM copies c {_ACTIVE_LOAN_JOIN} WHERE c.id = ?", (copy_id,)
        ).fetchone()
        if row is None:
            raise NotFound("copy", copy_id)
        return copy_from_row(row)

    def _bump_rev(self) -> int:
        return self.conn.execute(
            "UPDATE counters SET value = value + 1 WHERE name = 'rev' RETURNING value"
        ).fetchone()[0]

    def _write_authors(self, record_id: int, authors: Sequence[Author]) -> None:
        self.conn.execute("DELETE FROM record_authors WHERE record_id = ?", (record_id,))
        self.conn.executemany(
            "INSERT INTO record_authors (record_id, position, name, kind, role)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (record_id, i, a.name.strip(), a.kind.value, AuthorRole(a.role).value)
                for i, a in enumerate(authors)
                if a.name.strip()
            ],
        )

    def _write_text(self, record_id: int, text: str) -> None:
        self.conn.execute(
            "INSERT INTO record_texts (record_id, text) VALUES (?, ?)"
            " ON CONFLICT (record_id) DO UPDATE SET text = excluded.text",
            (record_id, xml_safe(text, keep="\f")),  # form feeds separate the pages
        )

    def _write_theme(self, record_id: int, theme: ThemeAssignment, now: str | None) -> None:
        evidence = json.dumps(theme.evidence, ensure_ascii=False) if theme.evidence else None
        if theme.source is ThemeSource.MANUAL:
            self.conn.execute(
                "INSERT INTO record_themes (record_id, slug, manual, manual_at) VALUES (?, ?,"
                " 'add', ?) ON CONFLICT (record_id, slug) DO UPDATE SET manual = 'add',"
                " manual_at = excluded.manual_at",
                (record_id, theme.slug, now or utc_now()),
            )
        else:
            self.conn.execute(
                "INSERT INTO record_themes (record_id, slug, auto_score, auto_evidence)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (record_id, slug) DO UPDATE SET"
                " auto_score = excluded.auto_score, auto_evidence = excluded.auto_evidence",
                (record_id, theme.slug, theme.score if theme.score is not None else 0.0, evidence),
            )

    def _insert_copy(self, record_id: int, copy: Copy, now: str) -> int:
        copy = xml_safe_copy(copy)
        try:
            cur = self.conn.execute(
                "INSERT INTO copies (record_id, barcode, call_number, location, status,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    record_id,
                    copy.barcode.strip(),
                    copy.call_number,
                    copy.location,
                    stored_copy_status(copy.status),
                    now,
                ),
            )
        except sqlite3.IntegrityError as exc:
            message = str(exc)
            if "UNIQUE" in message:
                raise InvalidRecord("barcode", f"barcode {copy.barcode!r} already exists") from exc
            if "paper" in message:
                raise InvalidRecord("copies", "copies belong to paper records") from exc
            raise InvalidRecord("copies", message) from exc
        return int(cur.lastrowid or 0)

    def _authors_of(self, ids: Sequence[int]) -> dict[int, tuple[Author, ...]]:
        marks = ",".join("?" * len(ids))
        out: dict[int, list[Author]] = {}
        for rid, name, kind, role in self.conn.execute(
            "SELECT record_id, name, kind, role FROM record_authors"
            f" WHERE record_id IN ({marks}) ORDER BY record_id, position",
            list(ids),
        ):
            out.setdefault(rid, []).append(Author(name, AuthorKind(kind), AuthorRole(role)))
        return {k: tuple(v) for k, v in out.items()}

    def _themes_of(self, ids: Sequence[int]) -> dict[int, tuple[ThemeAssignment, ...]]:
        marks = ",".join("?" * len(ids))
        out: dict[int, list[ThemeAssignment]] = {}
        for row in self.conn.execute(
            f"SELECT * FROM record_themes WHERE record_id IN ({marks})", list(ids)
        ):
            theme = theme_row(row)
            if not theme.effective:
                continue
            if theme.manual == "add":
                assignment = ThemeAssignment(
                    theme.slug, ThemeSource.MANUAL, theme.auto_score, theme.auto_evidence
                )
            else:
                assignment = ThemeAssignment(
                    theme.slug, ThemeSource.AUTO, theme.auto_score, theme.auto_evidence
                )
            out.setdefault(row["record_id"], []).append(assignment)
        return {k: tuple(sorted(v, key=theme_order)) for k, v in out.items()}

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

    def _files_of(self, shas: Sequence[str]) -> dict[str, SourceFile]:
        if not shas:
            return {}
        marks = ",".join("?" * len(shas))
        rows = self.conn.execute(f"SELECT * FROM files WHERE sha256 IN ({marks})", list(shas))
        return {r["sha256"]: file_from_row(r) for r in rows}


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


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
