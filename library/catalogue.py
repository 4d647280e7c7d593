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
from pathlib import Path

from . import db
from .authorities import LinkedNames, link_names, variants_of, write_links
from .db import utc_now
from .errors import InvalidRecord, NotFound
from .holdings import Holdings
from .keys import title_key
from .models import (
    Author,
    AuthorKind,
    AuthorRole,
    DocType,
    Record,
    RecordBrief,
    SourceFile,
    Stats,
    Support,
    ThemeAssignment,
    ThemeSource,
)
from .paths import PathMemory
from .periodicals import Periodicals
from .rows import (
    RECORD_COLUMNS,
    ThemeRow,
    file_from_row,
    record_from_row,
    record_values,
    theme_order,
    theme_row,
    to_json,
    validate,
    xml_safe_record,
)
from .text import xml_safe
from .themes import ADD, DECISIONS, effective_sql

CATALOGUE_FILE = "catalogue.sqlite3"


class Catalogue(Holdings, PathMemory, Periodicals):
    """The records of one instance. Open with `Catalogue.open(path)`; close when done.

    Copies and works (`library.holdings.Holdings`), the files the ingest has seen
    (`library.paths.PathMemory`) and periodicals with their issues and articles' hosts
    (`library.periodicals.Periodicals`) are written in their own modules."""

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
        return self.get(self.insert(record, text=text, now=now))

    def insert(
        self,
        record: Record,
        *,
        text: str | None = None,
        now: str | None = None,
        xml_safe: bool = False,
    ) -> int:
        """`add` without reading the record back: its id, for a batch that needs no more
        (an import of 10,000 rows spent a quarter of its catalogue time reading them).
        `xml_safe`: the record's texts are those `xml_safe_record` gave (an import cleans a
        record before tagging it), so they are not scanned a second time."""
        if not xml_safe:
            record = xml_safe_record(record)
        validate(record)
        now = now or utc_now()
        with self.transaction():
            rev = self._bump_rev()
            values, linked = self._linked_values(record, now)
            cur = self.conn.execute(
                f"INSERT INTO records ({', '.join(RECORD_COLUMNS)}, created_at, updated_at,"
                f" deleted, rev) VALUES ({', '.join('?' * len(RECORD_COLUMNS))}, ?, ?, 0, ?)",
                (*values, record.created_at or now, now, rev),
            )
            record_id = int(cur.lastrowid or 0)
            write_links(self.conn, record_id, linked, new=True)
            if record.host is not None:
                self._write_host(record_id, record.host, now)
            if record.copies:  # XML-safe with the record (above)
                self._insert_copies(record_id, record.copies, now)
            if text is not None:
                self._write_text(record_id, text)
            if record.themes:
                self._write_new_themes(record_id, record.themes, now)
        return record_id

    def save(self, record: Record, *, text: str | None = None, now: str | None = None) -> Record:
        """Write back every descriptive field of an existing record (not its copies or themes)."""
        if record.id is None:
            raise InvalidRecord("id", "a record must be added before it is saved")
        record_id = record.id
        record = xml_safe_record(record)
        validate(record)
        now = now or utc_now()
        with self.transaction():
            self._require(record_id)
            rev = self._bump_rev()
            assignments = ", ".join(f"{c} = ?" for c in RECORD_COLUMNS)
            values, linked = self._linked_values(record, now)
            self.conn.execute(
                f"UPDATE records SET {assignments}, updated_at = ?, rev = ? WHERE id = ?",
                (*values, now, rev, record_id),
            )
            write_links(self.conn, record_id, linked)
            self._write_host(record_id, record.host, now)
            if text is not None:
                self._write_text(record_id, text)
        return self.get(record_id)

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
            rows = self.conn.execute(
                f"SELECT * FROM records WHERE id IN ({marks})", chunk
            ).fetchall()
            authors = self._authors_of(chunk)
            themes = self._themes_of(chunk)
            copies = self._copies_of(chunk)
            hosts = self._hosts_of(chunk)
            files = self._files_of([r["file_sha256"] for r in rows if r["file_sha256"]])
            variants = variants_of(self.conn, chunk)
            for row in rows:
                rid = row["id"]
                result[rid] = record_from_row(
                    row,
                    authors.get(rid, ()),
                    themes.get(rid, ()),
                    copies.get(rid, ()),
                    files.get(row["file_sha256"]),
                )
                if rid in variants:
                    result[rid] = replace(result[rid], name_variants=variants[rid])
                if rid in hosts:
                    result[rid] = replace(result[rid], host=hosts[rid])
        return result

    def briefs(self, ids: Iterable[int]) -> dict[int, RecordBrief]:
        """What a list of results shows of each record, as get_many gives it (deleted ones
        included: callers filter; unknown ids are left out), read without the copies, files,
        series or the tagger's evidence a whole record carries."""
        ids = list(dict.fromkeys(int(i) for i in ids))
        result: dict[int, RecordBrief] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT id, title, year, doc_type, support, language, call_number, abstract,"
                f" deleted, keywords FROM records WHERE id IN ({marks})",
                chunk,
            ).fetchall()
            authors = self._authors_of(chunk)
            themes = self._themes_of(chunk, evidence=False)
            for (
                rid,
                title,
                year,
                doc_type,
                support,
                language,
                call_number,
                abstract,
                deleted,
                keywords,
            ) in rows:
                result[rid] = RecordBrief(
                    id=rid,
                    title=title,
                    authors=authors.get(rid, ()),
                    year=year,
                    doc_type=DocType(doc_type),
                    support=Support(support),
                    language=language,
                    theme_slugs=tuple(t.slug for t in themes.get(rid, ())),
                    call_number=call_number,
                    abstract=abstract,
                    deleted=bool(deleted),
                    keywords=tuple(json.loads(keywords or "[]")),
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
        if decision is not None and decision not in DECISIONS:
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

    # -- health ------------------------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """What SQLite finds wrong with the catalogue file itself (empty when sound)."""
        problems = [m for (m,) in self.conn.execute("PRAGMA integrity_check") if m != "ok"]
        problems += [
            f"broken reference in table {row[0]}"
            for row in self.conn.execute("PRAGMA foreign_key_check")
        ]
        return problems

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
                f" WHERE r.deleted = 0 AND {effective_sql('t')} GROUP BY 1 ORDER BY 1"
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

    def _bump_rev(self) -> int:
        return self.conn.execute(
            "UPDATE counters SET value = value + 1 WHERE name = 'rev' RETURNING value"
        ).fetchone()[0]

    def _linked_values(self, record: Record, now: str) -> tuple[list[object], LinkedNames]:
        """The record's column values with its names in their authorities' preferred forms,
        and its authors and links to write: resolved before the record is written, nothing
        read back (`link_record` does the same for a record already stored)."""
        values = list(record_values(record))
        linked = link_names(
            self.conn, _author_rows(record.authors), record.publisher, str(values[_SERIES]), now
        )
        values[_PUBLISHER], values[_SERIES] = linked.publisher, linked.series
        return values, linked

    def _write_text(self, record_id: int, text: str) -> None:
        self.conn.execute(
            "INSERT INTO record_texts (record_id, text) VALUES (?, ?)"
            " ON CONFLICT (record_id) DO UPDATE SET text = excluded.text",
            (record_id, xml_safe(text, keep="\f")),  # form feeds separate the pages
        )

    def _write_theme(self, record_id: int, theme: ThemeAssignment, now: str | None) -> None:
        if theme.source is ThemeSource.MANUAL:
            self.conn.execute(_MANUAL_THEME, (record_id, theme.slug, now or utc_now()))
        else:
            self.conn.execute(_AUTO_THEME, _auto_theme_values(record_id, theme))

    def _write_new_themes(
        self, record_id: int, themes: Sequence[ThemeAssignment], now: str
    ) -> None:
        """A new record's thematics, one statement per source when no slug comes twice (no
        row to update, so their order does not matter); one by one otherwise."""
        if len({t.slug for t in themes}) < len(themes):
            for theme in themes:
                self._write_theme(record_id, theme, now)
            return
        manual = [t for t in themes if t.source is ThemeSource.MANUAL]
        self.conn.executemany(_MANUAL_THEME, [(record_id, t.slug, now) for t in manual])
        self.conn.executemany(
            _AUTO_THEME,
            [
                _auto_theme_values(record_id, t)
                for t in themes
                if t.source is not ThemeSource.MANUAL
            ],
        )

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

    def _themes_of(
        self, ids: Sequence[int], *, evidence: bool = True
    ) -> dict[int, tuple[ThemeAssignment, ...]]:
        marks = ",".join("?" * len(ids))
        out: dict[int, list[ThemeAssignment]] = {}
        for row in self.conn.execute(
            f"SELECT * FROM record_themes WHERE record_id IN ({marks})", list(ids)
        ):
            theme = theme_row(row, evidence=evidence)
            if not theme.effective:
                continue
            if theme.manual == ADD:
                assignment = ThemeAssignment(
                    theme.slug, ThemeSource.MANUAL, theme.auto_score, theme.auto_evidence
                )
            else:
                assignment = ThemeAssignment(
                    theme.slug, ThemeSource.AUTO, theme.auto_score, theme.auto_evidence
                )
            out.setdefault(row["record_id"], []).append(assignment)
        return {k: tuple(sorted(v, key=theme_order)) for k, v in out.items()}

    def _files_of(self, shas: Sequence[str]) -> dict[str, SourceFile]:
        if not shas:
            return {}
        marks = ",".join("?" * len(shas))
        rows = self.conn.execute(f"SELECT * FROM files WHERE sha256 IN ({marks})", list(shas))
        return {r["sha256"]: file_from_row(r) for r in rows}


_PUBLISHER, _SERIES = RECORD_COLUMNS.index("publisher"), RECORD_COLUMNS.index("series")
_MANUAL_THEME = (
    "INSERT INTO record_themes (record_id, slug, manual, manual_at) VALUES (?, ?, 'add', ?)"
    " ON CONFLICT (record_id, slug) DO UPDATE SET manual = 'add', manual_at = excluded.manual_at"
)
_AUTO_THEME = (
    "INSERT INTO record_themes (record_id, slug, auto_score, auto_evidence) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (record_id, slug) DO UPDATE SET auto_score = excluded.auto_score,"
    " auto_evidence = excluded.auto_evidence"
)


def _auto_theme_values(record_id: int, theme: ThemeAssignment) -> tuple:
    evidence = to_json(theme.evidence) if theme.evidence else None
    return (record_id, theme.slug, theme.score if theme.score is not None else 0.0, evidence)


def _author_rows(authors: Sequence[Author]) -> list[tuple[int, str, str, str]]:
    """(position, name, kind, role) of the authors a record stores (blank names left out)."""
    return [
        (i, a.name.strip(), a.kind.value, AuthorRole(a.role).value)
        for i, a in enumerate(authors)
        if a.name.strip()
    ]


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
