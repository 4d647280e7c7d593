"""Authorities (issue 10): records point to persons, organisations, publishers and collections
that have one preferred form and variants; merge, rename and delete keep every record right."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from library import Author, AuthorKind, AuthorRole, Catalogue, Record, Series
from library.authorities import Authorities, AuthorityKind, AuthorityRefused, name_key
from library.db import migrate, register_functions
from library.formats.readers import READERS
from library.rows import RECORD_COLUMNS, record_values

SAMPLE_FUND = Path(__file__).resolve().parents[2] / "corpus" / "catalogue.csv"
PERSON = AuthorityKind.PERSON


@pytest.fixture
def cat(tmp_path: Path):
    with Catalogue.open(tmp_path / "c.sqlite3") as catalogue:
        yield catalogue


def by_name(auth: Authorities, kind: AuthorityKind, name: str) -> int:
    found = [a for a in auth.search(kind, name) if a.name == name]
    assert len(found) == 1, auth.search(kind)
    return found[0].id


def test_a_record_points_to_authorities_created_from_its_names(cat):
    stored = cat.add(
        Record(
            "Les quartiers",
            authors=(Author("Daniel, Justin"), Author("ACSÉ", AuthorKind.ORGANISATION)),
            publisher="L'Harmattan",
            series=(Series("Logiques sociales", "12"),),
        )
    )
    auth = Authorities(cat.conn)
    kinds = {(a.kind, a.name, a.uses) for a in auth.search()}
    assert kinds == {
        (AuthorityKind.PERSON, "Daniel, Justin", 1),
        (AuthorityKind.ORGANISATION, "ACSÉ", 1),
        (AuthorityKind.PUBLISHER, "L'Harmattan", 1),
        (AuthorityKind.COLLECTION, "Logiques sociales", 1),
    }
    for authority in auth.search():
        assert auth.records_using(authority.id) == [stored.id]


def test_a_name_typed_otherwise_shows_the_preferred_form(cat):
    cat.add(Record("Un", authors=(Author("Daniel, Justin"),), publisher="L'Harmattan"))
    second = cat.add(Record("Deux", authors=(Author("DANIEL,  justin"),), publisher="l'harmattan"))
    assert [a.name for a in second.authors] == ["Daniel, Justin"]
    assert second.publisher == "L'Harmattan"
    assert len(Authorities(cat.conn).search(PERSON)) == 1


def test_a_variant_leads_to_its_authority(cat):
    auth = Authorities(cat.conn)
    auth.create(PERSON, "Daniel, Justin", variants=["DANIEL, J."], dates="1961-")
    stored = cat.add(Record("Trois", authors=(Author("Daniel, J."),)))
    assert [a.name for a in stored.authors] == ["Daniel, Justin"]
    assert stored.name_variants == ("DANIEL, J.",)


def test_merge_moves_every_record_and_keeps_the_forms_as_variants(cat):
    one = cat.add(
        Record("Un", authors=(Author("Daniel, Justin"), Author("Dupont, Marie", role="editor")))
    )
    two = cat.add(
        Record("Deux", authors=(Author("DANIEL, J."), Author("Daniel, Justin", role="translator")))
    )
    three = cat.add(Record("Trois", authors=(Author("DANIEL, J."), Author("Daniel, Justin"))))
    auth = Authorities(cat.conn)
    source, target = by_name(auth, PERSON, "DANIEL, J."), by_name(auth, PERSON, "Daniel, Justin")

    changed = auth.merge(source, target)

    assert changed == sorted([one.id, two.id, three.id])
    assert [(a.name, a.role) for a in cat.get(two.id).authors] == [
        ("Daniel, Justin", AuthorRole.AUTHOR),
        ("Daniel, Justin", AuthorRole.TRANSLATOR),
    ]
    # the same person twice with the same role: once
    assert [a.name for a in cat.get(three.id).authors] == ["Daniel, Justin"]
    merged = auth.get(target)
    assert merged.variants == ("DANIEL, J.",) and merged.uses == 4
    with pytest.raises(Exception, match="not found"):
        auth.get(source)
    # a later record typed with the old form goes to the merged authority
    four = cat.add(Record("Quatre", authors=(Author("Daniel, J."),)))
    assert [a.name for a in four.authors] == ["Daniel, Justin"]
    assert cat.get(two.id).rev > two.rev  # the index will re-read the records that changed


def test_merging_an_authority_into_itself_is_refused_and_changes_nothing(cat):
    cat.add(Record("Un", authors=(Author("Daniel, Justin"),)))
    auth = Authorities(cat.conn)
    aid = by_name(auth, PERSON, "Daniel, Justin")
    with pytest.raises(AuthorityRefused, match="merge-itself"):
        auth.merge(aid, aid)
    assert auth.get(aid).uses == 1


def test_a_publisher_cannot_be_merged_into_a_collection(cat):
    cat.add(Record("Un", publisher="Karthala", series=(Series("Hommes et sociétés"),)))
    auth = Authorities(cat.conn)
    publisher = by_name(auth, AuthorityKind.PUBLISHER, "Karthala")
    collection = by_name(auth, AuthorityKind.COLLECTION, "Hommes et sociétés")
    with pytest.raises(AuthorityRefused, match="merge-kinds"):
        auth.merge(publisher, collection)
    assert auth.get(publisher).uses == 1 and auth.get(collection).uses == 1


def test_rename_shows_the_new_form_on_every_record_and_keeps_the_old_as_variant(cat):
    one = cat.add(Record("Un", publisher="Ibis rouge", series=(Series("Espace outre-mer", "3"),)))
    two = cat.add(Record("Deux", series=(Series("Autre", "1"), Series("espace outre-mer", "4"))))
    auth = Authorities(cat.conn)
    collection = by_name(auth, AuthorityKind.COLLECTION, "Espace outre-mer")

    changed = auth.rename(collection, "Espace outre-mer (Ibis rouge)")

    assert changed == [one.id, two.id]
    assert cat.get(one.id).series == (Series("Espace outre-mer (Ibis rouge)", "3"),)
    assert cat.get(two.id).series == (
        Series("Autre", "1"),
        Series("Espace outre-mer (Ibis rouge)", "4"),
    )
    assert auth.get(collection).variants == ("Espace outre-mer",)
    assert "Espace outre-mer" in cat.get(one.id).name_variants
    publisher = by_name(auth, AuthorityKind.PUBLISHER, "Ibis rouge")
    auth.rename(publisher, "Ibis Rouge éditions")
    assert cat.get(one.id).publisher == "Ibis Rouge éditions"


def test_a_rename_to_the_name_of_another_authority_is_refused(cat):
    cat.add(Record("Un", authors=(Author("Daniel, Justin"), Author("Dupont, Marie"))))
    auth = Authorities(cat.conn)
    marie = by_name(auth, PERSON, "Dupont, Marie")
    with pytest.raises(AuthorityRefused, match="name-taken"):
        auth.rename(marie, "DANIEL, Justin")
    with pytest.raises(AuthorityRefused, match="name-empty"):
        auth.rename(marie, "   ")
    assert [a.name for a in cat.get(1).authors] == ["Daniel, Justin", "Dupont, Marie"]


def test_a_variant_that_is_another_authority_s_preferred_form_is_refused(cat):
    cat.add(Record("Un", authors=(Author("Daniel, Justin"), Author("Dupont, Marie"))))
    auth = Authorities(cat.conn)
    marie = by_name(auth, PERSON, "Dupont, Marie")
    with pytest.raises(AuthorityRefused, match="variant-taken.*Daniel, Justin"):
        auth.update(marie, name="Dupont, Marie", variants=["Dupont, M.", "daniel justin"])
    assert auth.get(marie).variants == ()  # nothing half-saved
    after, _ = auth.update(marie, name="Dupont, Marie", variants=["Dupont, M.", "DUPONT, Marie"])
    assert after.variants == ("DUPONT, Marie", "Dupont, M.")


def test_deleting_an_authority_still_used_is_refused(cat):
    cat.add(Record("Un", authors=(Author("Daniel, Justin"),)))
    auth = Authorities(cat.conn)
    used = by_name(auth, PERSON, "Daniel, Justin")
    with pytest.raises(AuthorityRefused, match="in-use.*'count': 1"):
        auth.delete(used)
    unused = auth.create(PERSON, "Personne, Inconnue")
    auth.delete(unused.id)
    assert [a.name for a in auth.search(PERSON)] == ["Daniel, Justin"]


def test_suggestions_complete_a_preferred_form_or_a_variant(cat):
    auth = Authorities(cat.conn)
    auth.create(PERSON, "Daniel, Justin", variants=["Justin Daniel"])
    auth.create(PERSON, "Dupont, Marie")
    auth.create(AuthorityKind.PUBLISHER, "Dunod")
    assert [a.name for a in auth.suggest(PERSON, "d")] == ["Daniel, Justin", "Dupont, Marie"]
    assert [a.name for a in auth.suggest(PERSON, "JUST")] == ["Daniel, Justin"]
    assert [a.name for a in auth.suggest(PERSON, "%")] == []
    assert name_key("DANIEL,  Justin") == name_key("Daniel Justin")


# -- the migration of existing records -------------------------------------------------------


def old_catalogue(path: Path, records: list[Record]) -> None:
    """A catalogue as it was before authorities (schema 13), holding `records`."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    register_functions(conn)
    migrate(conn, up_to=13)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(records)")}
    kept = [i for i, c in enumerate(RECORD_COLUMNS) if c in columns]
    names = [RECORD_COLUMNS[i] for i in kept]
    now = "2013-03-04T10:00:00Z"
    for rev, record in enumerate(records, start=1):
        values = record_values(record)
        cur = conn.execute(
            f"INSERT INTO records ({', '.join(names)}, created_at, updated_at, rev)"
            f" VALUES ({', '.join('?' * len(names))}, ?, ?, ?)",
            (*(values[i] for i in kept), now, now, rev),
        )
        conn.executemany(
            "INSERT INTO record_authors (record_id, position, name, kind, role)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (cur.lastrowid, i, a.name, a.kind.value, a.role.value)
                for i, a in enumerate(record.authors)
            ],
        )
    conn.execute("UPDATE counters SET value = ? WHERE name = 'rev'", (len(records),))
    conn.close()


def test_migration_links_every_name_of_the_sample_fund_without_losing_any(tmp_path):
    parsed = READERS["csv"](SAMPLE_FUND.read_bytes(), source=SAMPLE_FUND.name)
    records = [record for _, record in parsed.rows]
    assert len(records) > 100
    records += [
        Record("Justin 1", authors=(Author("Daniel, Justin"),), series=(Series("Kaz", "2"),)),
        Record("Justin 2", authors=(Author("DANIEL, J."),), publisher="Ibis Rouge"),
        Record("Justin 3", authors=(Author("DANIEL, JUSTIN"),), publisher="IBIS ROUGE"),
        Record("Deux séries", series=(Series("Kaz", "3"), Series("Recherches", "hors-série"))),
    ]
    path = tmp_path / "old.sqlite3"
    old_catalogue(path, records)

    with Catalogue.open(path) as cat:  # opening migrates
        auth = Authorities(cat.conn)
        by_id = {a.id: a for a in auth.search(limit=10_000)}
        forms = {(a.kind.value, f) for a in by_id.values() for f in (a.name, *a.variants)}
        stored = [cat.get(i) for i in cat.ids()]
        for before, after in zip(records, stored, strict=True):
            assert after.title == before.title
            # every author is linked, in order, with its role; a spelling that is not the
            # preferred form is kept as a variant of the authority
            rows = cat.conn.execute(
                "SELECT name, kind, role, authority_id FROM record_authors WHERE record_id = ?"
                " ORDER BY position",
                (after.id,),
            ).fetchall()
            assert [(r[1], r[2]) for r in rows] == [
                (a.kind.value, a.role.value) for a in before.authors
            ]
            for author, row in zip(before.authors, rows, strict=True):
                assert row["authority_id"] in by_id
                assert row["name"] == by_id[row["authority_id"]].name
                assert (author.kind.value, author.name) in forms
            if before.publisher:
                assert ("publisher", before.publisher) in forms
                assert name_key(after.publisher) == name_key(before.publisher)
            assert [s.number for s in after.series] == [s.number for s in before.series]
            for series in before.series:
                assert ("collection", series.title) in forms
        links = cat.conn.execute(
            "SELECT count(*) FROM record_authority_links WHERE field = 'publisher'"
        ).fetchone()[0]
        assert links == sum(1 for r in records if r.publisher)
        assert (
            cat.conn.execute(
                "SELECT count(*) FROM record_authors WHERE authority_id IS NULL"
            ).fetchone()[0]
            == 0
        )

        justin = by_name(auth, PERSON, "Daniel, Justin")
        assert auth.get(justin).variants == ("DANIEL, JUSTIN",)
        assert cat.get(len(records) - 1).rev > len(records)  # renamed: the index will catch up
        # the two people found by the migration can then be merged
        auth.merge(by_name(auth, PERSON, "DANIEL, J."), justin)
        assert {a.name for r in stored[-4:-1] for a in cat.get(r.id).authors} == {"Daniel, Justin"}
        assert json.loads(
            cat.conn.execute(
                "SELECT series FROM records WHERE id = ?", (stored[-1].id,)
            ).fetchone()[0]
        ) == [{"title": "Kaz", "number": "3"}, {"title": "Recherches", "number": "hors-série"}]


def test_exports_carry_the_preferred_forms_after_a_merge_and_a_rename(cat):
    from library.exporting import export
    from library.formats.common import ExportContext

    cat.add(Record("Un", authors=(Author("Daniel, Justin"),), publisher="Ibis rouge"))
    cat.add(Record("Deux", authors=(Author("DANIEL, J."),), series=(Series("Kaz", "2"),)))
    auth = Authorities(cat.conn)
    auth.merge(by_name(auth, PERSON, "DANIEL, J."), by_name(auth, PERSON, "Daniel, Justin"))
    auth.rename(by_name(auth, AuthorityKind.COLLECTION, "Kaz"), "Kaz et lakou")
    auth.rename(by_name(auth, AuthorityKind.PUBLISHER, "Ibis rouge"), "Ibis Rouge éditions")
    records = [cat.get(i) for i in cat.ids()]
    for name in ("ris", "csv", "marcxml", "csl-json"):
        exported = export(name, records, ExportContext()).decode("utf-8")
        assert "DANIEL, J." not in exported, name
        assert exported.count("Daniel") >= 2, name
        assert "Ibis Rouge éditions" in exported and "Kaz et lakou" in exported, name
