"""No stored text holds a character XML 1.0 forbids: the catalogue's write path cleans what
comes in (a vertical tab from Word, a NUL from a broken RIS file), and migration 4 cleans
what an older catalogue already holds."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields, replace

import pytest

from library import Author, Catalogue, Copy, Record, Series, Support
from library.db import migrate, register_functions, schema_version
from library.loans import Loans
from library.rows import xml_safe_record
from library.text import XML_FORBIDDEN, xml_safe

DIRTY = "Guide\x0bde la\x00 médiation\x1f sociale\ufffe"


def test_xml_safe_turns_each_forbidden_character_into_a_space_and_keeps_the_rest():
    assert xml_safe(DIRTY) == "Guide de la  médiation  sociale "
    assert xml_safe("ligne 1\nligne 2\ttab\r") == "ligne 1\nligne 2\ttab\r"
    assert xml_safe("page 1\fpage 2\x00", keep="\f") == "page 1\fpage 2 "
    assert not XML_FORBIDDEN.search(xml_safe("".join(map(chr, range(0x20)))))


def test_the_catalogue_stores_nothing_xml_forbids(instance):
    with Catalogue.in_instance(instance) as cat:
        record = cat.add(
            Record(
                title=DIRTY,
                authors=(Author("Bélise\x00, Marie"),),
                keywords=("cœur\x0bde ville",),
                notes="note\x07",
                support=Support.PAPIER,
                copies=(Copy("CRPV\x000001", "361\x0b MED", "Salle\x1b"),),
            ),
            text="page 1\fpage\x00 2",
        )
        assert record.id is not None
        stored = cat.get(record.id)
        values = [stored.title, stored.notes, *stored.keywords, stored.authors[0].name]
        values += [stored.copies[0].barcode, stored.copies[0].call_number]
        assert not any(XML_FORBIDDEN.search(v) for v in values)
        assert stored.title == "Guide de la  médiation  sociale"
        assert cat.text(record.id) == "page 1\fpage  2"  # the page separator stays
        saved = cat.save(Record(**{**_fields(stored), "subtitle": "sous\x08titre"}), text="x\x01y")
        assert saved.subtitle == "sous titre" and cat.text(record.id) == "x y"
        borrower = Loans(cat).add_borrower("Paul\x00 Témoin", notes="appel\x0b")
        assert borrower.name == "Paul Témoin" and borrower.notes == "appel"


def _fields(record: Record) -> dict[str, object]:
    return {name: getattr(record, name) for name in Record.__slots__}  # type: ignore[attr-defined]


def test_migration_4_cleans_what_an_older_catalogue_holds(tmp_path):
    conn = sqlite3.connect(str(tmp_path / "old.sqlite3"), isolation_level=None)
    register_functions(conn)  # later migrations compute lookup keys with them
    assert migrate(conn, up_to=3) == 3
    now = "2013-03-04T10:00:00Z"
    conn.execute(
        "INSERT INTO records (id, title, keywords, support, created_at, updated_at, rev)"
        " VALUES (1, ?, ?, 'papier', ?, ?, 1), (2, 'Propre', '[]', 'papier', ?, ?, 2)",
        ("\x0b\x0c", json.dumps(["a\x0bb", "propre"]), now, now, now, now),
    )
    conn.execute("UPDATE counters SET value = 2 WHERE name = 'rev'")
    conn.executemany(
        "INSERT INTO record_authors VALUES (1, ?, ?, 'person')",
        [(0, "Nom\x00, Prénom"), (1, "\x1f")],
    )
    conn.execute("INSERT INTO record_texts VALUES (1, ?)", ("p1\fp2\x00",))
    conn.execute(
        "INSERT INTO copies (record_id, barcode, location, created_at) VALUES (1, ?, ?, ?)",
        ("CB\x0001", "Salle\x0b", now),
    )
    conn.execute(
        "INSERT INTO borrowers (name, notes, created_at, updated_at) VALUES (?, ?, ?, ?)",
        ("Paul\x00", "n\x0b", now, now),
    )
    assert migrate(conn) >= 4 and schema_version(conn) >= 4
    conn.close()
    with Catalogue.open(tmp_path / "old.sqlite3") as cat:
        dirty, clean = cat.get(1), cat.get(2)
        assert dirty.title == "Sans titre"
        assert dirty.keywords == ("a b", "propre")
        assert [a.name for a in dirty.authors] == ["Nom , Prénom"]
        assert cat.text(1) == "p1\fp2 "
        assert [(c.barcode, c.location) for c in dirty.copies] == [("CB 01", "Salle ")]
        assert dirty.rev > 2 and clean.rev == 2  # the index catches up on the cleaned one only
        borrower = Loans(cat).borrowers()[0]
        # migration 11 then splits the name and rebuilds the display name from its parts
        assert (borrower.name, borrower.family_name, borrower.notes) == ("Paul", "Paul", "n ")


def _places(record: Record) -> list[str]:
    return [
        *(getattr(record, f.name) for f in fields(Record) if f.type == "str"),
        *record.keywords,
        *record.territories,
        *(part for s in record.series for part in (s.title, s.number)),
        *(a.name for a in record.authors),
        *(part for c in record.copies for part in (c.barcode, c.call_number, c.location)),
    ]


_CLEAN = Record(
    title="Guide",
    subtitle="de la médiation",
    authors=(Author("Bélise, Marie"),),
    keywords=("cœur de ville",),
    territories=("Trinité",),
    series=(Series("Études", "3"),),
    copies=(Copy("CRPV0001", "361 MED", "Salle"),),
    notes="note",
)


@pytest.mark.parametrize("place", range(len(_places(_CLEAN))))
def test_a_forbidden_character_anywhere_in_a_record_is_cleaned(place):
    """The clean record is returned as it is (one search of all its texts); a single
    forbidden character in any one of its texts is still found and cleaned."""
    assert xml_safe_record(_CLEAN) is _CLEAN
    dirty = _with_text(_CLEAN, place, "a\x0bb")
    assert _places(dirty)[place] == "a\x0bb"
    cleaned = xml_safe_record(dirty)
    assert _places(cleaned)[place] == "a b"
    assert not any(XML_FORBIDDEN.search(text) for text in _places(cleaned))


def _with_text(record: Record, place: int, text: str) -> Record:
    """`record` with its `place`-th text (in `_places` order) replaced."""
    names = [f.name for f in fields(Record) if f.type == "str"]
    if place < len(names):
        return replace(record, **{names[place]: text})
    place -= len(names)
    lists = [
        ("keywords", lambda _old, new: new),
        ("territories", lambda _old, new: new),
    ]
    for name, make in lists:
        values = list(getattr(record, name))
        if place < len(values):
            values[place] = make(values[place], text)
            return replace(record, **{name: tuple(values)})
        place -= len(values)
    series = [(s, part) for s in record.series for part in ("title", "number")]
    if place < len(series):
        s, part = series[place]
        return replace(record, series=(replace(s, **{part: text}),))
    place -= len(series)
    if place < len(record.authors):
        return replace(record, authors=(replace(record.authors[0], name=text),))
    place -= len(record.authors)
    part = ("barcode", "call_number", "location")[place]
    return replace(record, copies=(replace(record.copies[0], **{part: text}),))


def test_an_import_tags_and_stores_each_new_record_clean(instance):
    from typing import cast

    from indexer.importing import ImportPlan, PlannedRow, apply_import
    from indexer.tagging import TagInput, ThemeTagger

    seen: list[TagInput] = []

    class Recorder:
        def tag(self, doc: TagInput) -> list[object]:
            seen.append(doc)
            return []

    dirty = Record(
        title="Plan\x01 local",
        abstract="Quartier\x0b prioritaire",
        keywords=("cœur\x1fde ville",),
        support=Support.PAPIER,
        copies=(Copy("CRPV\x000002", "361 MED", "Salle"),),
    )
    plan = ImportPlan(rows=[PlannedRow(1, dirty, "create")])
    with Catalogue.in_instance(instance) as cat:
        apply_import(cat, plan, cast(ThemeTagger, Recorder()))
        stored = cat.get(plan.created_ids[0])
    assert (seen[0].title, seen[0].abstract) == ("Plan  local", "Quartier  prioritaire")
    assert stored.title == "Plan  local" and stored.abstract == "Quartier  prioritaire"
    assert stored.keywords == ("cœur de ville",) and stored.copies[0].barcode == "CRPV 0002"
