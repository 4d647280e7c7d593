"""The catalogue's migrations: `NNNN_name.sql` files applied in order by library.db.migrate,
and the Python steps of the few that must rewrite data SQL cannot clean well (DATA_STEPS:
run right after that version's SQL, in the same transaction)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from ..authorities import link_all
from ..text import XML_FORBIDDEN, xml_safe

# (table, column, what a value left blank becomes: None = leave the row as it is)
_TEXT_COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    *(
        ("records", column, None)
        for column in (
            "subtitle publisher place date language isbn issn call_number abstract url notes source"
        ).split()
    ),
    ("records", "title", "Sans titre"),
    ("copies", "call_number", None),
    ("copies", "location", None),
    ("files", "original_name", "document"),
    ("file_paths", "reason", None),
    *(
        ("borrowers", column, None)
        for column in "organisation category email phone notes suspended_reason".split()
    ),
    ("borrowers", "name", "?"),
    ("users", "display_name", None),
)


def clean_stored_text(conn: sqlite3.Connection) -> None:
    """Replace every character XML 1.0 forbids in stored text by a space (see text.xml_safe),
    and give the records that changed a new revision so that the search index catches up.
    The audit log is append-only and keeps its text as written (it only goes into HTML)."""
    changed_records: set[int] = set()
    for table, column, blank in _TEXT_COLUMNS:
        for rowid in _clean(conn, table, column, blank):
            if table == "records":
                changed_records.add(rowid)
    changed_records |= _clean_json_lists(conn)
    for rowid in _clean(conn, "record_texts", "text", None, keep="\f"):
        changed_records.add(rowid)  # record_texts' rowid is its record_id
    for rowid, name in _dirty(conn, "record_authors", "name"):
        record_id = conn.execute(
            "SELECT record_id FROM record_authors WHERE rowid = ?", (rowid,)
        ).fetchone()[0]
        cleaned = xml_safe(name).strip()
        if cleaned:
            conn.execute("UPDATE record_authors SET name = ? WHERE rowid = ?", (cleaned, rowid))
        else:  # a name made of control characters only names nobody
            conn.execute("DELETE FROM record_authors WHERE rowid = ?", (rowid,))
        changed_records.add(record_id)
    for rowid, barcode in _dirty(conn, "copies", "barcode"):
        cleaned = " ".join(xml_safe(barcode).split()) or f"sans-code-{rowid}"
        try:
            conn.execute("UPDATE copies SET barcode = ? WHERE rowid = ?", (cleaned, rowid))
        except sqlite3.IntegrityError:  # another copy already has that barcode
            conn.execute(
                "UPDATE copies SET barcode = ? WHERE rowid = ?", (f"{cleaned}-{rowid}", rowid)
            )
    for record_id in sorted(changed_records):
        rev = conn.execute(
            "UPDATE counters SET value = value + 1 WHERE name = 'rev' RETURNING value"
        ).fetchone()[0]
        conn.execute("UPDATE records SET rev = ? WHERE id = ?", (rev, record_id))


def _dirty(conn: sqlite3.Connection, table: str, column: str) -> list[tuple[int, str]]:
    rows = conn.execute(f"SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL")
    return [
        (rowid, value)
        for rowid, value in rows
        if isinstance(value, str) and XML_FORBIDDEN.search(value)
    ]


def _clean(
    conn: sqlite3.Connection, table: str, column: str, blank: str | None, keep: str = ""
) -> list[int]:
    changed = []
    for rowid, value in _dirty(conn, table, column):
        cleaned = xml_safe(value, keep=keep)
        if not cleaned.strip() and blank is not None:
            cleaned = blank
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (cleaned, rowid))
        changed.append(rowid)
    return changed


def _clean_json_lists(conn: sqlite3.Connection) -> set[int]:
    """keywords and territories: JSON lists, whose escapes (\\u000b) hide the characters."""
    changed = set()
    for column in ("keywords", "territories"):
        for rowid, raw in conn.execute(f"SELECT id, {column} FROM records").fetchall():
            try:
                values = json.loads(raw)
            except (TypeError, ValueError):
                continue
            if not isinstance(values, list):
                continue
            cleaned = [xml_safe(v) if isinstance(v, str) else v for v in values]
            if cleaned != values:
                conn.execute(
                    f"UPDATE records SET {column} = ? WHERE id = ?",
                    (json.dumps(cleaned, ensure_ascii=False), rowid),
                )
                changed.add(rowid)
    return changed


DATA_STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {
    4: clean_stored_text,
    14: link_all,  # every existing record linked to its authorities (0014_authorities.sql)
}
