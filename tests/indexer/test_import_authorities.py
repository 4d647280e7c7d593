"""Importing into a fund with authorities: names are compared in their preferred forms, so a
partner's file written with a variant is up to date on its second import."""

from __future__ import annotations

from dataclasses import replace

from indexer.importing import plan_import
from library import Author, Catalogue, Record
from library.authorities import Authorities, AuthorityKind
from library.formats.holdings_csv import ParsedFile


def test_a_file_written_with_a_variant_is_up_to_date_on_its_second_import(tmp_path):
    cat = Catalogue.open(tmp_path / "c.sqlite3")
    Authorities(cat.conn).create(AuthorityKind.PERSON, "Daniel, Justin", variants=["DANIEL, J."])
    incoming = Record(
        "Kaz",
        authors=(Author("DANIEL, J."),),
        publisher="Ibis Rouge",
        source="import:partenaire.ris#K1",
    )
    stored = cat.add(incoming)
    assert [a.name for a in stored.authors] == ["Daniel, Justin"]
    plan = plan_import(cat, ParsedFile(rows=[(1, incoming)]))
    assert [(r.action, r.reason_code) for r in plan.rows] == [("skip", "up-to-date")]
    changed = replace(incoming, publisher="Karthala")
    plan = plan_import(cat, ParsedFile(rows=[(1, changed)]))
    assert [(r.action, r.changes) for r in plan.rows] == [("update", ("publisher",))]
    cat.close()
