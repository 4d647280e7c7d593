"""The audit log: who changed what and when, with a before/after summary. Append-only (the
database refuses updates and deletions). Borrowers' personal data never goes in: their
changes are logged by field name only, so an erasure leaves nothing behind here."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .catalogue import Catalogue, utc_now

MAX_VALUE = 200  # characters kept of each before/after value
MASKED = "•••"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    target_type: str
    target_id: int | None
    summary: str
    changes: dict[str, list[Any]]


def log(
    catalogue: Catalogue,
    actor: str,
    action: str,
    *,
    target_type: str = "",
    target_id: int | None = None,
    summary: str = "",
    changes: Mapping[str, list[Any]] | None = None,
    now: str | None = None,
) -> int:
    """Append one entry; call it inside the transaction of the change it describes."""
    cur = catalogue.conn.execute(
        "INSERT INTO audit_log (at, actor, action, target_type, target_id, summary, changes)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            now or utc_now(),
            actor,
            action,
            target_type,
            target_id,
            summary[:500],
            json.dumps(dict(changes), ensure_ascii=False) if changes else None,
        ),
    )
    return int(cur.lastrowid or 0)


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any], *, masked: Iterable[str] = ()
) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields that differ; masked fields show no value."""
    hidden = set(masked)
    out: dict[str, list[Any]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in hidden:
            out[name] = [MASKED, MASKED]
        else:
            out[name] = [_short(old), _short(new)]
    return out


def entries(
    catalogue: Catalogue,
    *,
    limit: int = 50,
    offset: int = 0,
    actor: str | None = None,
    target_type: str | None = None,
    target_id: int | None = None,
) -> tuple[list[AuditEntry], int]:
    """A page of entries, the latest first, and how many match in all."""
    where, args = _filters(actor, target_type, target_id)
    total = catalogue.conn.execute(f"SELECT count(*) FROM audit_log{where}", args).fetchone()[0]
    rows = catalogue.conn.execute(
        f"SELECT * FROM audit_log{where} ORDER BY id DESC LIMIT ? OFFSET ?",
        (*args, limit, offset),
    )
    return [_entry(r) for r in rows], total


def actors(catalogue: Catalogue) -> list[str]:
    return [r[0] for r in catalogue.conn.execute("SELECT DISTINCT actor FROM audit_log ORDER BY 1")]


def _filters(
    actor: str | None, target_type: str | None, target_id: int | None
) -> tuple[str, tuple[Any, ...]]:
    clauses: list[str] = []
    args: list[Any] = []
    if actor:
        clauses.append("actor = ?")
        args.append(actor)
    if target_type:
        clauses.append("target_type = ?")
        args.append(target_type)
    if target_id is not None:
        clauses.append("target_id = ?")
        args.append(target_id)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(args)


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_VALUE:
        return value[: MAX_VALUE - 1] + "…"
    if isinstance(value, list | tuple):
        return _short(", ".join(str(v) for v in value))
    return value


def _entry(row: sqlite3.Row) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        at=row["at"],
        actor=row["actor"],
        action=row["action"],
        target_type=row["target_type"],
        target_id=row["target_id"],
        summary=row["summary"],
        changes=json.loads(row["changes"]) if row["changes"] else {},
    )
