"""Queries for what the fund shares: OAI-PMH headers by datestamp, acquisitions by date.

Datestamps are `records.updated_at` (UTC, to the second): every catalogue write that changes
what a record says moves it; loans do not. Deleted records keep their row, so harvesters
learn of deletions (OAI-PMH `deletedRecord` = persistent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .catalogue import Catalogue
from .themes import effective_sql

_EFFECTIVE_THEME = effective_sql("t")


@dataclass(frozen=True, slots=True)
class Header:
    id: int
    datestamp: str
    deleted: bool


@dataclass(frozen=True, slots=True)
class SetFilter:
    """A selective harvest: records of one thematic and/or one document type."""

    theme: str | None = None  # a slug, or "" for "any thematic"
    doc_type: str | None = None


def _where(
    since: str | None, until: str | None, sets: SetFilter | None, after: tuple[str, int] | None
) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if since:
        clauses.append("r.updated_at >= ?")
        params.append(since)
    if until:
        clauses.append("r.updated_at <= ?")
        params.append(until)
    if after:
        clauses.append("(r.updated_at > ? OR (r.updated_at = ? AND r.id > ?))")
        params += [after[0], after[0], after[1]]
    if sets and sets.doc_type:
        clauses.append("r.doc_type = ?")
        params.append(sets.doc_type)
    if sets and sets.theme is not None:
        slug_clause = " AND t.slug = ?" if sets.theme else ""
        clauses.append(
            f"EXISTS (SELECT 1 FROM record_themes t WHERE t.record_id = r.id AND {_EFFECTIVE_THEME}"
            f"{slug_clause})"
        )
        if sets.theme:
            params.append(sets.theme)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def headers(
    catalogue: Catalogue,
    *,
    since: str | None = None,
    until: str | None = None,
    sets: SetFilter | None = None,
    after: tuple[str, int] | None = None,
    limit: int | None = None,
) -> list[Header]:
    """Records (deleted ones included) changed in [since, until], oldest change first."""
    where, params = _where(since, until, sets, after)
    sql = f"SELECT r.id, r.updated_at, r.deleted FROM records r{where} ORDER BY r.updated_at, r.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [Header(i, u, bool(d)) for i, u, d in catalogue.conn.execute(sql, params)]


def count_headers(
    catalogue: Catalogue,
    *,
    since: str | None = None,
    until: str | None = None,
    sets: SetFilter | None = None,
    after: tuple[str, int] | None = None,
) -> int:
    where, params = _where(since, until, sets, after)
    return catalogue.conn.execute(f"SELECT count(*) FROM records r{where}", params).fetchone()[0]


def earliest_datestamp(catalogue: Catalogue) -> str | None:
    return catalogue.conn.execute("SELECT min(updated_at) FROM records").fetchone()[0]


def exists(catalogue: Catalogue, record_id: int) -> bool:
    return (
        catalogue.conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone()
        is not None
    )


def newest_first(
    catalogue: Catalogue,
    ids: Sequence[int] | None = None,
    *,
    since: str | None = None,
    before: str | None = None,
) -> list[int]:
    """Live record ids by entry into the fund, newest first: the acquisition date when the
    record has one (a retro-catalogued old book is not news), else the day it was catalogued;
    within `ids` when given, entered in [since, before) when given."""
    clauses, params = ["deleted = 0"], []
    if since:
        clauses.append(f"{_ENTERED} >= ?")
        params.append(since)
    if before:
        clauses.append(f"{_ENTERED} < ?")
        params.append(before)
    sql = f"SELECT id, {_ENTERED} FROM records WHERE {' AND '.join(clauses)}"
    rows = catalogue.conn.execute(sql, params).fetchall()
    if ids is not None:
        wanted = set(ids)
        rows = [r for r in rows if r[0] in wanted]
    rows.sort(key=lambda r: (r[1], r[0]), reverse=True)
    return [r[0] for r in rows]


# When a record entered the fund, as a timestamp comparable with created_at (library.alerts'
# entered_the_fund says the same for one record).
_ENTERED = "(CASE WHEN acquired_on != '' THEN acquired_on || 'T00:00:00Z' ELSE created_at END)"


def by_source_identifier(catalogue: Catalogue, identifier: str) -> list[int]:
    """Records imported with this identifier of origin (`source` ends with '#<identifier>')."""
    rows = catalogue.conn.execute(
        "SELECT id FROM records WHERE origin_id = ? AND origin_id != '' ORDER BY deleted, id",
        (identifier,),
    )
    return [r[0] for r in rows]
