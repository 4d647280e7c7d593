"""The catalogue as its users see it: records in, records out, decisions kept."""

from __future__ import annotations

import sqlite3

import pytest

from library import (
    Author,
    AuthorKind,
    Catalogue,
    Copy,
    InvalidRecord,
    NotFound,
    Record,
    Support,
    ThemeAssignment,
    ThemeSource,
)
from library.db import schema_version


@pytest.fixture
def catalogue(instance):
    with Catalogue.in_instance(instance) as cat:
        yield cat


def paper(**overrides) -> Record:
    values = dict(
        title="Évaluation du contrat urbain de cohésion sociale de Fort-de-France",
        authors=(
            Author("Joseph-Angélique, Marie"),
            Author("Ville de Fort-de-France", AuthorKind.ORGANISATION),
        ),
        year=2009,
        support=Support.PAPIER,
        keywords=("évaluation", "CUCS"),
    )
    values.update(overrides)
    return Record(**values)


def test_a_record_comes_back_as_it_was_stored(catalogue):
    stored = catalogue.add(paper(), text="Texte intégral")
    again = catalogue.get(stored.id)
    assert again.title.startswith("Évaluation")
    assert [a.name for a in again.authors] == ["Joseph-Angélique, Marie", "Ville de Fort-de-France"]
    assert again.authors[0].display == "Marie Joseph-Angélique"
    assert again.keywords == ("évaluation", "CUCS")
    assert catalogue.text(stored.id) == "Texte intégral"


def test_the_catalogue_is_in_wal_mode_with_foreign_keys_and_migrated(catalogue):
    assert catalogue.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert catalogue.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert schema_version(catalogue.conn) >= 1


def test_every_write_moves_the_revision_forward(catalogue):
    record = catalogue.add(paper())
    first = catalogue.revisions()[record.id][0]
    catalogue.save(record)
    catalogue.delete(record.id)
    rev, deleted = catalogue.revisions()[record.id]
    assert rev > first and deleted


def test_soft_deleted_records_stay_known_and_can_be_restored(catalogue):
    record = catalogue.add(paper())
    catalogue.delete(record.id)
    assert catalogue.count() == 0 and catalogue.get(record.id).deleted
    catalogue.restore(record.id)
    assert catalogue.count() == 1 and not catalogue.get(record.id).deleted


def test_a_manual_decision_survives_re_tagging(catalogue):
    record = catalogue.add(paper())
    auto = ThemeAssignment("evaluation", ThemeSource.AUTO, 0.8, {"terms": {"cucs": 3}})
    catalogue.set_auto_themes(record.id, [auto, ThemeAssignment("sante", ThemeSource.AUTO, 0.4)])
    catalogue.set_manual_theme(record.id, "sante", "remove", by="doc")
    catalogue.set_manual_theme(record.id, "jeunesse", "add", by="doc")
    catalogue.set_auto_themes(record.id, [ThemeAssignment("sante", ThemeSource.AUTO, 0.9)])
    themes = catalogue.get(record.id).themes
    assert [(t.slug, t.source) for t in themes] == [("jeunesse", ThemeSource.MANUAL)]
    assert catalogue.manual_labels() == {record.id: {"sante": "remove", "jeunesse": "add"}}


@pytest.mark.parametrize("manual_first", [True, False])
def test_a_new_record_keeps_each_thematic_it_comes_with(catalogue, manual_first):
    evidence = {"terms": [{"term": "logement", "count": 2, "field": "title"}], "passages": []}
    auto = ThemeAssignment("logement", ThemeSource.AUTO, 0.7, evidence)
    manual = ThemeAssignment("logement", ThemeSource.MANUAL)
    given = (manual, auto) if manual_first else (auto, manual)
    record = catalogue.add(paper(themes=(*given, ThemeAssignment("sante", ThemeSource.AUTO, 0.4))))
    (logement,) = [row for row in catalogue.theme_rows(record.id) if row.slug == "logement"]
    assert (logement.manual, logement.auto_score, logement.auto_evidence) == ("add", 0.7, evidence)
    assert [(t.slug, t.source) for t in catalogue.get(record.id).themes] == [
        ("logement", ThemeSource.MANUAL),
        ("sante", ThemeSource.AUTO),
    ]
    other = catalogue.add(
        paper(title="Autre", themes=(auto, ThemeAssignment("sante", ThemeSource.MANUAL)))
    )
    assert {(r.slug, r.manual, r.auto_score) for r in catalogue.theme_rows(other.id)} == {
        ("logement", None, 0.7),
        ("sante", "add", None),
    }


def test_automatic_thematics_come_best_first(catalogue):
    record = catalogue.add(paper())
    catalogue.set_auto_themes(
        record.id,
        [
            ThemeAssignment("sante", ThemeSource.AUTO, 0.3),
            ThemeAssignment("logement", ThemeSource.AUTO, 0.7),
        ],
    )
    assert catalogue.get(record.id).theme_slugs == ("logement", "sante")


def test_barcodes_are_unique_and_only_paper_has_copies(catalogue):
    record = catalogue.add(paper(copies=(Copy("CRPV0001", "307.1 EVA", "Salle"),)))
    with pytest.raises(InvalidRecord, match="already exists"):
        catalogue.add_copy(record.id, Copy("CRPV0001"))
    electronic = catalogue.add(paper(support=Support.ELECTRONIQUE, title="PDF"))
    with pytest.raises(InvalidRecord, match="paper"):
        catalogue.add_copy(electronic.id, Copy("CRPV0002"))
    assert catalogue.copy_by_barcode("CRPV0001")[0] == record.id


def test_a_new_record_whose_copies_clash_is_refused_whole_naming_the_barcode(catalogue):
    catalogue.add(paper(copies=(Copy("CRPV0001"),)))
    before = catalogue.count()
    taken = paper(title="Deuxième", copies=(Copy("CRPV0005"), Copy("CRPV0001")))
    with pytest.raises(InvalidRecord, match="'CRPV0001' already exists"):
        catalogue.add(taken)
    twice = paper(title="Troisième", copies=(Copy("CRPV0007"), Copy("CRPV0008"), Copy("CRPV0007")))
    with pytest.raises(InvalidRecord, match="'CRPV0007' already exists"):
        catalogue.add(twice)
    assert catalogue.count() == before  # nothing of either record was kept
    for barcode in ("CRPV0005", "CRPV0008"):
        with pytest.raises(NotFound):
            catalogue.copy_by_barcode(barcode)
    electronic = paper(support=Support.ELECTRONIQUE, title="PDF", copies=(Copy("CRPV0009"),))
    with pytest.raises(InvalidRecord):
        catalogue.add(electronic)


def test_invalid_records_are_refused_before_touching_the_database(catalogue):
    with pytest.raises(InvalidRecord):
        catalogue.add(paper(title="   "))
    with pytest.raises(InvalidRecord):
        catalogue.add(paper(year=20091))
    assert catalogue.count(include_deleted=True) == 0


def test_unknown_records_raise_not_found(catalogue):
    with pytest.raises(NotFound):
        catalogue.get(42)


def test_duplicates_are_found_by_isbn_and_by_title_and_year(catalogue):
    first = catalogue.add(paper(isbn="9782110000000"))
    assert catalogue.find_duplicates(paper(isbn="9782110000000", title="Autre")) == [
        (first.id, "isbn")
    ]
    same_title = paper(title="EVALUATION du Contrat urbain de cohesion sociale de Fort de France")
    assert catalogue.find_duplicates(same_title) == [(first.id, "title")]
    assert catalogue.find_duplicates(paper(year=2011)) == []


def test_a_failed_transaction_leaves_nothing_behind(catalogue):
    with pytest.raises(sqlite3.IntegrityError), catalogue.transaction():
        catalogue.conn.execute("INSERT INTO counters (name, value) VALUES ('x', 1)")
        catalogue.conn.execute("INSERT INTO counters (name, value) VALUES ('x', 2)")
    assert catalogue.conn.execute("SELECT count(*) FROM counters WHERE name='x'").fetchone()[0] == 0


def test_every_reader_counts_the_same_thematics(catalogue):
    """GIVEN a record with each combination of proposal and decision
    WHEN the record, the statistics, the review list and a harvest read its thematics
    THEN they agree with the one rule of `library.themes`."""
    from library.harvest import SetFilter, headers
    from library.review import review_list
    from library.themes import effective_slugs

    record = catalogue.add(paper())
    proposed = {"logement", "sante", "emploi"}
    catalogue.set_auto_themes(
        record.id, [ThemeAssignment(slug, ThemeSource.AUTO, 0.8) for slug in sorted(proposed)]
    )
    decisions = {"sante": "remove", "jeunesse": "add", "culture": "remove"}
    for slug, decision in decisions.items():
        catalogue.set_manual_theme(record.id, slug, decision, by="doc")

    expected = effective_slugs(decisions, proposed)
    assert expected == {"logement", "emploi", "jeunesse"}
    assert set(catalogue.get(record.id).theme_slugs) == expected
    assert set(catalogue.stats().by_theme) == expected
    assert record.id not in {item.record_id for item in review_list(catalogue)["no-theme"]}
    for slug in ("logement", "sante", "jeunesse", "culture"):
        harvested = headers(catalogue, sets=SetFilter(theme=slug))
        assert bool(harvested) == (slug in expected), slug


def test_a_migration_numbered_below_one_already_applied_is_still_applied(tmp_path, monkeypatch):
    """Branches developed side by side each add a migration: a catalogue that already took
    the higher-numbered one must still get the lower one when it arrives."""
    from library import db

    shipped = db.migrations()
    late = shipped[-2]  # the newest but one: independent of the last
    monkeypatch.setattr(db, "migrations", lambda: [m for m in shipped if m != late])
    conn = db.connect(tmp_path / "catalogue.sqlite3")
    assert late[0] not in db.applied_migrations(conn)
    assert schema_version(conn) == shipped[-1][0]
    conn.close()

    monkeypatch.setattr(db, "migrations", lambda: shipped)
    conn = db.connect(tmp_path / "catalogue.sqlite3")
    assert db.applied_migrations(conn) == {m[0] for m in shipped}
    conn.close()
    # and the catalogue works with every table and column the late migration brought
    Catalogue.open(tmp_path / "catalogue.sqlite3").close()


def test_a_catalogue_from_before_the_ledger_keeps_its_migrations(tmp_path):
    from library import db

    conn = db.connect(tmp_path / "catalogue.sqlite3")
    conn.execute("DROP TABLE schema_migrations")  # as made by an older Fonds
    conn.close()
    conn = db.connect(tmp_path / "catalogue.sqlite3")
    assert db.applied_migrations(conn) == {m[0] for m in db.migrations()}
    conn.close()
