"""Connections to the catalogue and its migrations. Only `library` speaks SQL."""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

BUSY_TIMEOUT_MS = 30_000
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def utc_now() -> str:
    """Timestamps are UTC to the second, as OAI-PMH datestamps are."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def connect(path: Path | str) -> sqlite3.Connection:
    """Open the catalogue (WAL, foreign keys on, waiting for other writers) and migrate it."""
    conn = sqlite3.connect(
        str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    register_functions(conn)
    migrate(conn)
    return conn


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions migrations use to compute lookup keys the way the code does."""
    from .keys import origin_id, title_key  # keys imports nothing from db
    from .names import family_name, given_names

    conn.create_function("fonds_title_key", 1, title_key, deterministic=True)
    conn.create_function("fonds_origin_id", 1, origin_id, deterministic=True)
    conn.create_function("fonds_family_name", 1, family_name, deterministic=True)
    conn.create_function("fonds_given_names", 1, given_names, deterministic=True)


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped with the package, in order."""
    return list(_shipped_migrations())


@functools.cache
def _shipped_migrations() -> tuple[tuple[int, str, str], ...]:
    """Read once per process: every connection (one per web request) asks for them."""
    found = []
    for entry in resources.files("library.migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return tuple(sorted(found))


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, up_to: int | None = None) -> int:
    """Apply the pending migrations (up to version `up_to`, default all), each in its own
    transaction with its Python data step if it has one; return the schema version.

    Which migrations a catalogue has is kept in a ledger table, not inferred from the highest
    version: a migration numbered below one already applied (branches developed side by side
    each add their own) is still applied."""
    from .migrations import DATA_STEPS

    _open_ledger(conn)
    applied = applied_migrations(conn)  # read once; checked again under the write lock
    for version, name, sql in migrations():
        if (up_to is not None and version > up_to) or version in applied:
            continue
        with transaction(conn):
            # Another process may have migrated while we waited for the write lock.
            if version in applied_migrations(conn):
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            if version in DATA_STEPS:
                DATA_STEPS[version](conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (version, name)
            )
            conn.execute(f"PRAGMA user_version = {max(version, schema_version(conn))}")
    return schema_version(conn)


def applied_migrations(conn: sqlite3.Connection) -> set[int]:
    return {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}


def _open_ledger(conn: sqlite3.Connection) -> None:
    """Create the ledger of applied migrations; a catalogue made before it has every
    migration up to its user_version (migrations were then applied strictly in order)."""
    exists = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    if conn.execute(exists).fetchone():
        return
    with transaction(conn):
        if conn.execute(exists).fetchone():
            return
        conn.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        )
        current = schema_version(conn)
        conn.executemany(
            "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
            [(version, name) for version, name, _ in migrations() if version <= current],
        )


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction taken up front (BEGIN IMMEDIATE), so it never fails half-way on a lock."""
    if conn.in_transaction:  # nested: the outer transaction decides
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def _statements(sql: str) -> Iterator[str]:
    """Split a script into complete statements (triggers included) without executescript,
    which would commit the migration's transaction early."""
    pending = ""
    for line in sql.splitlines(keepends=True):
        if not pending and (not line.strip() or line.lstrip().startswith("--")):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending[:60]!r}")
