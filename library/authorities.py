"""Authorities: persons, organisations, publishers and collections as records of their own
(one preferred form, variant forms, dates, a note) that catalogue records point to.

A record keeps its names as text too (record_authors.name, records.publisher, the titles of
records.series), always equal to its authorities' preferred forms: `link_record` rewrites them
when a record is written, `rename` and `merge` when an authority changes. Every reader of a
record (exports, pages, facets) thus sees the preferred form without knowing of authorities;
the search index also gets the variants (`variants_of`), so a search on one finds the record.

A typed name is looked up by its key (`name_key`: case, accents, punctuation and spacing set
aside) among the preferred forms and the variants of its kind; a name found nowhere creates an
authority. The refusals (`AuthorityRefused`) carry a reason code and its facts; the edge
words them (webapp.messages.authority_refusal).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

from . import db
from .db import utc_now
from .errors import CatalogueError, NotFound
from .models import Author, Record
from .text import clean_line, fold, sort_key

NAME_LIMIT = 300
DATES_LIMIT = 100
NOTE_LIMIT = 2000
VARIANTS_LIMIT = 50
SPELLING = "="  # marks the key of a variant that only spells the preferred form otherwise


class AuthorityKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    PUBLISHER = "publisher"
    COLLECTION = "collection"


# Kinds whose authorities may merge into each other (an author first taken for a person
# may turn out to be an organisation); a publisher never becomes a collection.
_AUTHOR_KINDS = frozenset({AuthorityKind.PERSON, AuthorityKind.ORGANISATION})


class AuthorityRefused(CatalogueError):
    """What the documentalist asked cannot be done: the field at fault, a reason code and its
    facts (worded in French at the edge: webapp.messages.authority_refusal).

    Reasons: merge-itself, merge-kinds, in-use (count), name-empty, name-too-long (limit),
    variant-too-long (limit), too-many-variants (limit), dates-too-long (limit),
    note-too-long (limit), name-taken and variant-taken (form, authority_id, authority_name).
    """

    def __init__(self, field: str, reason: str, **facts: object) -> None:
        super().__init__(f"{field}: {reason} {facts}" if facts else f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.facts = facts


@dataclass(frozen=True, slots=True)
class Authority:
    id: int
    kind: AuthorityKind
    name: str  # the preferred form
    variants: tuple[str, ...] = ()  # other forms: "see" references to the preferred one
    dates: str = ""  # "1950-2012", "fondée en 1978"…
    note: str = ""
    uses: int = 0  # links from records (deleted records included: they can be restored)
    created_at: str = ""
    updated_at: str = ""


@lru_cache(maxsize=8192)  # the same names come back record after record (publishers…)
def name_key(name: str) -> str:
    """The form names are compared in: 'DANIEL, Justin' and 'Daniel Justin' are one name."""
    return sort_key(name) or " ".join(fold(name).split())


# -- linking records ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LinkedNames:
    """A record's names pointed to their authorities, as the catalogue stores them."""

    authors: list[tuple[int, str, str, str, int]]  # (position, preferred form, kind, role, id)
    publisher: str
    series: str  # the record's `series` column (JSON)
    links: list[tuple[str, int, int]]  # (field, position, authority id): publisher, series
    changed: bool  # a name is written in another form (or a name given twice is dropped)


def link_names(
    conn: sqlite3.Connection,
    authors: Iterable[tuple[int, str, str, str]],
    publisher: str,
    series_text: str,
    now: str | None = None,
) -> LinkedNames:
    """Resolve a record's names (authors as (position, name, kind, role), its publisher and
    its collections) to their authorities, found by name or created, in that order."""
    now = now or utc_now()
    changed = False
    rows: list[tuple[int, str, str, str, int]] = []
    seen: set[tuple[int, str]] = set()
    for position, name, kind, role in authors:
        authority_id, preferred = resolve(conn, AuthorityKind(kind), name, now=now)
        if (authority_id, role) in seen:  # two forms of one name, same role: keep the first
            changed = True
            continue
        seen.add((authority_id, role))
        changed |= preferred != name
        rows.append((position, preferred, kind, role, authority_id))
    links: list[tuple[str, int, int]] = []
    if publisher.strip():
        authority_id, preferred = resolve(conn, AuthorityKind.PUBLISHER, publisher, now=now)
        links.append(("publisher", 0, authority_id))
        changed |= preferred != publisher
        publisher = preferred
    series = _series_list(series_text)
    series_changed = False
    for position, item in enumerate(series):
        title = item.get("title", "") if isinstance(item, dict) else ""
        if not isinstance(title, str) or not title.strip():
            continue
        authority_id, preferred = resolve(conn, AuthorityKind.COLLECTION, title, now=now)
        links.append(("series", position, authority_id))
        if preferred != title:
            item["title"] = preferred
            series_changed = True
    if series_changed:
        series_text = json.dumps(series, ensure_ascii=False)
        changed = True
    return LinkedNames(rows, publisher, series_text, links, changed)


def write_links(
    conn: sqlite3.Connection, record_id: int, linked: LinkedNames, *, new: bool = False
) -> None:
    """Store a record's linked authors and links (its `publisher` and `series` columns are
    the caller's: `linked` gives them). `new`: the record has no author or link yet."""
    if not new:
        conn.execute("DELETE FROM record_authors WHERE record_id = ?", (record_id,))
        conn.execute("DELETE FROM record_authority_links WHERE record_id = ?", (record_id,))
    conn.executemany(
        "INSERT INTO record_authors (record_id, position, name, kind, role, authority_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(record_id, *row) for row in linked.authors],
    )
    conn.executemany(
        "INSERT INTO record_authority_links (record_id, field, position, authority_id)"
        " VALUES (?, ?, ?, ?)",
        [(record_id, *link) for link in linked.links],
    )


def link_record(conn: sqlite3.Connection, record_id: int, now: str | None = None) -> bool:
    """Point a stored record's authors, publisher and collections to their authorities
    (found by name, or created) and write their preferred forms back into the record.
    Call it inside the write's transaction. True when a name of the record changed."""
    authors = conn.execute(
        "SELECT position, name, kind, role FROM record_authors WHERE record_id = ?"
        " ORDER BY position",
        (record_id,),
    ).fetchall()
    row = conn.execute(
        "SELECT publisher, series FROM records WHERE id = ?", (record_id,)
    ).fetchone()
    if row is None:
        raise NotFound("record", record_id)
    linked = link_names(conn, authors, row[0], row[1], now)
    write_links(conn, record_id, linked)
    if (linked.publisher, linked.series) != (row[0], row[1]):
        conn.execute(
            "UPDATE records SET publisher = ?, series = ? WHERE id = ?",
            (linked.publisher, linked.series, record_id),
        )
    return linked.changed


def resolve(
    conn: sqlite3.Connection, kind: AuthorityKind, name: str, *, now: str | None = None
) -> tuple[int, str]:
    """(id, preferred form) of the authority a name designates, created when there is none."""
    # stored names are already XML-safe and trimmed (rows.xml_safe_record): spacing is enough
    name = " ".join(name.split())[:NAME_LIMIT] or "?"
    key = name_key(name)
    found = _find_by_key(conn, kind, key)
    if found is not None:
        return found
    now = now or utc_now()
    cur = conn.execute(
        "INSERT INTO authorities (kind, name, name_key, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (kind.value, name, key, now, now),
    )
    return int(cur.lastrowid or 0), name


def preferred_names(conn: sqlite3.Connection, names: Iterable[str]) -> tuple[str, ...]:
    """Each author's name as the catalogue writes it: the preferred form of the person or
    organisation it designates (by its own spelling or a variant: 'DANIEL, J.' -> 'Daniel,
    Justin'), else the name as given. What a search filter on an author compares with."""
    out = []
    for name in names:
        key = name_key(" ".join(name.split()))
        found = None
        for kind in (AuthorityKind.PERSON, AuthorityKind.ORGANISATION):
            found = _find_by_key(conn, kind, key)
            if found is not None:
                break
        out.append(found[1] if found is not None else name)
    return tuple(dict.fromkeys(out))


def preferred_forms(conn: sqlite3.Connection, record: Record) -> Record:
    """The record with each name that designates a known authority written in its preferred
    form, as storing it would write it (nothing is created): what an import compares with the
    stored record, so a file written with a variant is not an update each time."""
    authors: list[Author] = []
    seen: set[tuple[str, str]] = set()
    for author in record.authors:
        found = _find_by_key(conn, AuthorityKind(author.kind.value), name_key(author.name))
        name = found[1] if found else author.name
        if (name, author.role) in seen:  # two forms of one name, same role: stored once
            continue
        seen.add((name, author.role))
        authors.append(replace(author, name=name))
    publisher = record.publisher
    if publisher.strip():
        found = _find_by_key(conn, AuthorityKind.PUBLISHER, name_key(publisher))
        publisher = found[1] if found else publisher
    series = []
    for item in record.series:
        found = _find_by_key(conn, AuthorityKind.COLLECTION, name_key(item.title))
        series.append(replace(item, title=found[1]) if found else item)
    return replace(record, authors=tuple(authors), publisher=publisher, series=tuple(series))


def variants_of(conn: sqlite3.Connection, record_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """{record_id: the variant forms of its authorities}, for the search index."""
    if not record_ids:
        return {}
    marks = ",".join("?" * len(record_ids))
    out: dict[int, list[str]] = {}
    for rid, name in conn.execute(
        "SELECT l.record_id, v.name FROM ("
        f" SELECT record_id, authority_id FROM record_authors WHERE record_id IN ({marks})"
        "  AND authority_id IS NOT NULL"
        f" UNION SELECT record_id, authority_id FROM record_authority_links"
        f"  WHERE record_id IN ({marks})"
        ") l JOIN authority_variants v ON v.authority_id = l.authority_id"
        " ORDER BY l.record_id, v.name",
        [*record_ids, *record_ids],
    ):
        out.setdefault(rid, []).append(name)
    return {k: tuple(v) for k, v in out.items()}


def link_all(conn: sqlite3.Connection) -> None:
    """The data step of migration 0014: every existing record linked to its authorities.
    A record whose names changed (two spellings of one name now show the preferred form; the
    other is kept as a variant) gets a new revision, so the search index catches up."""
    now = utc_now()
    for (record_id,) in conn.execute("SELECT id FROM records ORDER BY id").fetchall():
        _keep_spellings(conn, record_id)
        if link_record(conn, record_id, now):
            rev = conn.execute(
                "UPDATE counters SET value = value + 1 WHERE name = 'rev' RETURNING value"
            ).fetchone()[0]
            conn.execute("UPDATE records SET rev = ? WHERE id = ?", (rev, record_id))


def _keep_spellings(conn: sqlite3.Connection, record_id: int) -> None:
    """Before a record is linked, each spelling it uses that an authority of its kind does
    not hold yet becomes a variant of that authority: nothing typed before is lost."""
    names: list[tuple[AuthorityKind, str]] = [
        (AuthorityKind(kind), name)
        for name, kind in conn.execute(
            "SELECT name, kind FROM record_authors WHERE record_id = ?", (record_id,)
        )
    ]
    publisher, series_text = conn.execute(
        "SELECT publisher, series FROM records WHERE id = ?", (record_id,)
    ).fetchone()
    if publisher.strip():
        names.append((AuthorityKind.PUBLISHER, publisher))
    for item in _series_list(series_text):
        if isinstance(item, dict) and isinstance(item.get("title"), str) and item["title"].strip():
            names.append((AuthorityKind.COLLECTION, item["title"]))
    for kind, name in names:
        name = clean_line(name)[:NAME_LIMIT]
        key = name_key(name)
        row = conn.execute(
            "SELECT id, name FROM authorities WHERE kind = ? AND name_key = ?", (kind.value, key)
        ).fetchone()
        if row is None or row[1] == name:
            continue
        conn.execute(
            "INSERT OR IGNORE INTO authority_variants (authority_id, kind, name, name_key)"
            " VALUES (?, ?, ?, ?)",
            (row[0], kind.value, name, SPELLING + fold(name)),
        )


def _find_by_key(conn: sqlite3.Connection, kind: AuthorityKind, key: str) -> tuple[int, str] | None:
    """The authority whose preferred form, else a variant, has this key."""
    row = conn.execute(
        "SELECT id, name FROM authorities WHERE kind = ?1 AND name_key = ?2"
        " UNION ALL SELECT a.id, a.name FROM authority_variants v JOIN authorities a"
        " ON a.id = v.authority_id WHERE v.kind = ?1 AND v.name_key = ?2 LIMIT 1",
        (kind.value, key),
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def _series_list(text: str) -> list:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


# -- the documentalist's operations -----------------------------------------------------------


class Authorities:
    """The authority file of a catalogue (`Authorities(catalogue.conn)`). The writes return
    the ids of the records whose description changed, for the caller to re-index them."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # reading

    def get(self, authority_id: int) -> Authority:
        found = self._many(f"WHERE a.id = {int(authority_id)}", ())
        if not found:
            raise NotFound("authority", authority_id)
        return found[0]

    def search(
        self, kind: AuthorityKind | None = None, q: str = "", *, limit: int = 200, offset: int = 0
    ) -> list[Authority]:
        """Authorities in alphabetical order, of one kind or all, whose preferred form or a
        variant contains the words of `q`."""
        where, params = self._filter(kind, q)
        return self._many(where, params, limit=limit, offset=offset)

    def count(self, kind: AuthorityKind | None = None, q: str = "") -> int:
        where, params = self._filter(kind, q)
        return self.conn.execute(f"SELECT count(*) FROM authorities a {where}", params).fetchone()[
            0
        ]

    def suggest(self, kind: AuthorityKind, typed: str, *, limit: int = 10) -> list[Authority]:
        """Completions of what is being typed: authorities of `kind` whose preferred form or a
        variant has a word starting with it (the preferred form first when both match)."""
        key = name_key(typed)
        if not key:
            return []
        pattern = _like(key)
        return self._many(
            "WHERE a.kind = ? AND (a.name_key LIKE ? ESCAPE '\\' OR a.name_key LIKE ? ESCAPE '\\'"
            " OR EXISTS (SELECT 1 FROM authority_variants v WHERE v.authority_id = a.id AND"
            " (v.name_key LIKE ? ESCAPE '\\' OR v.name_key LIKE ? ESCAPE '\\')))",
            (kind.value, pattern + "%", "% " + pattern + "%", pattern + "%", "% " + pattern + "%"),
            limit=limit,
            order="(a.name_key NOT LIKE ? ESCAPE '\\'), ",
            order_params=(pattern + "%",),
        )

    def records_using(self, authority_id: int) -> list[int]:
        """Ids of the records that point to the authority (deleted ones included)."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT record_id FROM record_authors WHERE authority_id = ?"
                " UNION SELECT record_id FROM record_authority_links WHERE authority_id = ?"
                " ORDER BY 1",
                (authority_id, authority_id),
            )
        ]

    # writing

    def create(
        self,
        kind: AuthorityKind,
        name: str,
        *,
        variants: Iterable[str] = (),
        dates: str = "",
        note: str = "",
        now: str | None = None,
    ) -> Authority:
        name, dates, note = _checked(name, dates, note)
        key = name_key(name)
        now = now or utc_now()
        with db.transaction(self.conn):
            self._refuse_taken(kind, key, name, None)
            cur = self.conn.execute(
                "INSERT INTO authorities (kind, name, name_key, dates, note, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (kind.value, name, key, dates, note, now, now),
            )
            authority_id = int(cur.lastrowid or 0)
            self._set_variants(authority_id, kind, name, variants)
        return self.get(authority_id)

    def update(
        self,
        authority_id: int,
        *,
        name: str,
        variants: Iterable[str],
        dates: str = "",
        note: str = "",
        now: str | None = None,
    ) -> tuple[Authority, list[int]]:
        """Write the whole authority. A new preferred form renames it: every record shows the
        new form, and the old one stays as a variant (a search on it still finds them)."""
        name, dates, note = _checked(name, dates, note)
        now = now or utc_now()
        with db.transaction(self.conn):
            before = self.get(authority_id)
            key = name_key(name)
            variants = list(variants)
            if name != before.name:
                variants.append(before.name)
            self._refuse_taken(before.kind, key, name, authority_id)
            self.conn.execute(
                "UPDATE authorities SET name = ?, name_key = ?, dates = ?, note = ?,"
                " updated_at = ? WHERE id = ?",
                (name, key, dates, note, now, authority_id),
            )
            self._set_variants(authority_id, before.kind, name, variants)
            after = self.get(authority_id)
            touched: list[int] = []
            if after.name != before.name:
                touched = self._write_names(authority_id, after.name, now)
            elif set(after.variants) != set(before.variants):
                touched = self._touch(self.records_using(authority_id), now)
        return after, touched

    def rename(self, authority_id: int, name: str, now: str | None = None) -> list[int]:
        """A new preferred form; the old one is kept as a variant. Returns the records changed."""
        current = self.get(authority_id)
        _, touched = self.update(
            authority_id,
            name=name,
            variants=current.variants,
            dates=current.dates,
            note=current.note,
            now=now,
        )
        return touched

    def merge(self, source_id: int, target_id: int, now: str | None = None) -> list[int]:
        """Fold `source` into `target`: its records point to the target and show its preferred
        form, its forms become variants of the target, and it is deleted."""
        if source_id == target_id:
            raise AuthorityRefused("target", "merge-itself")
        now = now or utc_now()
        with db.transaction(self.conn):
            source, target = self.get(source_id), self.get(target_id)
            if source.kind != target.kind and not {source.kind, target.kind} <= _AUTHOR_KINDS:
                raise AuthorityRefused("target", "merge-kinds")
            records = self.records_using(source_id)
            self.conn.execute(
                "UPDATE record_authors SET authority_id = ?, kind = ? WHERE authority_id = ?",
                (target_id, target.kind.value, source_id),
            )
            # The same person twice with the same role on one record: the first row stays.
            self.conn.execute(
                "DELETE FROM record_authors WHERE authority_id = ? AND EXISTS (SELECT 1 FROM"
                " record_authors o WHERE o.record_id = record_authors.record_id"
                " AND o.authority_id = record_authors.authority_id AND o.role = record_authors.role"
                " AND o.position < record_authors.position)",
                (target_id,),
            )
            self.conn.execute(
                "UPDATE record_authority_links SET authority_id = ? WHERE authority_id = ?",
                (target_id, source_id),
            )
            self.conn.execute("DELETE FROM authorities WHERE id = ?", (source_id,))
            for form in (source.name, *source.variants):
                key = name_key(form)
                if form == target.name:
                    continue
                if key == name_key(target.name):
                    key = SPELLING + fold(form)
                # A form another authority of the target's kind holds (possible only across
                # person and organisation) stays with that one.
                self.conn.execute(
                    "INSERT OR IGNORE INTO authority_variants (authority_id, kind, name,"
                    " name_key) VALUES (?, ?, ?, ?)",
                    (target_id, target.kind.value, form, key),
                )
            self.conn.execute(
                "UPDATE authorities SET updated_at = ? WHERE id = ?", (now, target_id)
            )
            touched = set(self._write_names(target_id, target.name, now))
            touched |= set(self._touch(records, now))
        return sorted(touched)

    def delete(self, authority_id: int) -> None:
        """Delete an authority no record uses; one still used is refused."""
        with db.transaction(self.conn):
            self.get(authority_id)
            used = self.records_using(authority_id)
            if used:
                raise AuthorityRefused("authority", "in-use", count=len(used))
            self.conn.execute("DELETE FROM authorities WHERE id = ?", (authority_id,))

    # internals

    def _filter(self, kind: AuthorityKind | None, q: str) -> tuple[str, tuple[str, ...]]:
        clauses: list[str] = []
        params: list[str] = []
        if kind is not None:
            clauses.append("a.kind = ?")
            params.append(kind.value)
        for word in name_key(q).split() if q.strip() else []:
            pattern = "%" + _like(word) + "%"
            clauses.append(
                "(a.name_key LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM authority_variants v"
                " WHERE v.authority_id = a.id AND v.name_key LIKE ? ESCAPE '\\'))"
            )
            params += [pattern, pattern]
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)

    def _many(
        self,
        where: str,
        params: Sequence[object],
        *,
        limit: int = 1000,
        offset: int = 0,
        order: str = "",
        order_params: Sequence[object] = (),
    ) -> list[Authority]:
        rows = self.conn.execute(
            "SELECT a.*, (SELECT count(*) FROM record_authors r WHERE r.authority_id = a.id)"
            " + (SELECT count(*) FROM record_authority_links l WHERE l.authority_id = a.id)"
            f" AS uses FROM authorities a {where} ORDER BY {order}a.name_key, a.id"
            " LIMIT ? OFFSET ?",
            (*params, *order_params, limit, offset),
        ).fetchall()
        ids = [r["id"] for r in rows]
        variants: dict[int, list[str]] = {}
        if ids:
            marks = ",".join("?" * len(ids))
            for aid, name in self.conn.execute(
                "SELECT authority_id, name FROM authority_variants"
                f" WHERE authority_id IN ({marks}) ORDER BY name_key",
                ids,
            ):
                variants.setdefault(aid, []).append(name)
        return [
            Authority(
                id=r["id"],
                kind=AuthorityKind(r["kind"]),
                name=r["name"],
                variants=tuple(variants.get(r["id"], ())),
                dates=r["dates"],
                note=r["note"],
                uses=r["uses"],
                created_at=r["created_at"],
                updated_at=r["updated_at"],
            )
            for r in rows
        ]

    def _refuse_taken(
        self, kind: AuthorityKind, key: str, name: str, authority_id: int | None
    ) -> None:
        found = _find_by_key(self.conn, kind, key)
        if found is not None and found[0] != authority_id:
            raise AuthorityRefused(
                "name", "name-taken", form=name, authority_id=found[0], authority_name=found[1]
            )

    def _set_variants(
        self, authority_id: int, kind: AuthorityKind, name: str, variants: Iterable[str]
    ) -> None:
        """Replace the variants. A variant that differs from the preferred form only by case,
        accents or punctuation is kept as a spelling (its key marked '='): it needs no look-up
        of its own, the preferred form's key finds it already."""
        self.conn.execute("DELETE FROM authority_variants WHERE authority_id = ?", (authority_id,))
        own_key = name_key(name)
        kept: dict[str, str] = {}
        for raw in variants:
            variant = clean_line(raw)
            if not variant or variant == name:
                continue
            if len(variant) > NAME_LIMIT:
                raise AuthorityRefused("variants", "variant-too-long", limit=NAME_LIMIT)
            key = name_key(variant)
            if key == own_key:
                key = SPELLING + fold(variant)
            elif key not in kept:
                found = _find_by_key(self.conn, kind, key)
                if found is not None and found[0] != authority_id:
                    raise AuthorityRefused(
                        "variants",
                        "variant-taken",
                        form=variant,
                        authority_id=found[0],
                        authority_name=found[1],
                    )
            kept.setdefault(key, variant)
        if len(kept) > VARIANTS_LIMIT:
            raise AuthorityRefused("variants", "too-many-variants", limit=VARIANTS_LIMIT)
        self.conn.executemany(
            "INSERT INTO authority_variants (authority_id, kind, name, name_key)"
            " VALUES (?, ?, ?, ?)",
            [(authority_id, kind.value, v, k) for k, v in kept.items()],
        )

    def _write_names(self, authority_id: int, name: str, now: str) -> list[int]:
        """Every record of the authority shows `name`: authors, publisher, collections."""
        self.conn.execute(
            "UPDATE record_authors SET name = ? WHERE authority_id = ?", (name, authority_id)
        )
        self.conn.execute(
            "UPDATE records SET publisher = ? WHERE id IN (SELECT record_id FROM"
            " record_authority_links WHERE authority_id = ? AND field = 'publisher')",
            (name, authority_id),
        )
        for record_id, position, series_text in self.conn.execute(
            "SELECT l.record_id, l.position, r.series FROM record_authority_links l"
            " JOIN records r ON r.id = l.record_id WHERE l.authority_id = ? AND l.field = 'series'",
            (authority_id,),
        ).fetchall():
            series = _series_list(series_text)
            if position < len(series) and isinstance(series[position], dict):
                series[position]["title"] = name
                self.conn.execute(
                    "UPDATE records SET series = ? WHERE id = ?",
                    (json.dumps(series, ensure_ascii=False), record_id),
                )
        return self._touch(self.records_using(authority_id), now)

    def _touch(self, record_ids: Iterable[int], now: str) -> list[int]:
        """New revision and datestamp for records whose description changed."""
        ids = sorted(set(record_ids))
        for record_id in ids:
            rev = self.conn.execute(
                "UPDATE counters SET value = value + 1 WHERE name = 'rev' RETURNING value"
            ).fetchone()[0]
            self.conn.execute(
                "UPDATE records SET rev = ?, updated_at = ? WHERE id = ?", (rev, now, record_id)
            )
        return ids


def _checked(name: str, dates: str, note: str) -> tuple[str, str, str]:
    name = clean_line(name)
    if not name:
        raise AuthorityRefused("name", "name-empty")
    if len(name) > NAME_LIMIT:
        raise AuthorityRefused("name", "name-too-long", limit=NAME_LIMIT)
    dates = clean_line(dates)
    if len(dates) > DATES_LIMIT:
        raise AuthorityRefused("dates", "dates-too-long", limit=DATES_LIMIT)
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        raise AuthorityRefused("note", "note-too-long", limit=NOTE_LIMIT)
    return name, dates, note


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
