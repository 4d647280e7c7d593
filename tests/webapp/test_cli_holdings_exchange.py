"""Copies leave the building: UNIMARC 995 and MARC 21 852, one field per copy, in ISO 2709
and in XML; our own export imported into a fresh instance recreates the copies; a real
UNIMARC file from a French library system brings its copies in."""

from __future__ import annotations

import io
from pathlib import Path

import pymarc
import pytest
from click.testing import CliRunner
from lxml import etree

from library import Catalogue, Copy, DocType, Record, Support
from library.models import CopyStatus
from webapp.cli import cli
from webapp.messages import row_message

NO_NET = etree.XMLParser(no_network=True)
BOOK = Record(
    title="La ville caraïbe",
    year=2009,
    doc_type=DocType.OUVRAGE,
    support=Support.PAPIER,
    language="fr",
    copies=(
        Copy("CRPV000101", "307.76 DAN", "Salle de lecture"),
        Copy("CRPV000102", "307.76 DAN", "Réserve"),
        Copy("CRPV000103", "307.76 DAN", "Réserve", CopyStatus.WITHDRAWN),
    ),
)
REPORT = Record(
    title="Contrat de ville : évaluation",
    year=2018,
    doc_type=DocType.RAPPORT,
    support=Support.PAPIER,
    language="fr",
    copies=(Copy("CRPV000200", "R 2018 FDF"),),
)
ONLINE = Record(title="Guide en ligne", year=2020, support=Support.ELECTRONIQUE, language="fr")
# What a partner is told: every copy but the withdrawn one.
EXPECTED = {
    "La ville caraïbe": {
        ("CRPV000101", "307.76 DAN", "Salle de lecture"),
        ("CRPV000102", "307.76 DAN", "Réserve"),
    },
    "Contrat de ville : évaluation": {("CRPV000200", "R 2018 FDF", "")},
    "Guide en ligne": set(),
}


@pytest.fixture
def fund(tmp_path):
    instance = tmp_path / "fonds"
    with Catalogue.in_instance(instance) as catalogue:
        for record in (BOOK, REPORT, ONLINE):
            catalogue.add(record)
    return instance


def run(instance: Path, *args: str):
    result = CliRunner().invoke(cli, ["--instance", str(instance), *args])
    assert result.exit_code == 0, result.output
    return result


def copies_by_title(instance: Path) -> dict[str, set[tuple[str, str, str]]]:
    with Catalogue.in_instance(instance) as catalogue:
        found = catalogue.get_many(catalogue.ids())
    title = {r.id: (f"{r.title} : {r.subtitle}" if r.subtitle else r.title) for r in found.values()}
    return {
        title[rid]: {(c.barcode, c.call_number, c.location) for c in r.copies}
        for rid, r in found.items()
    }


@pytest.mark.parametrize("fmt", ["iso2709", "marcxml", "marc21", "marc21xml"])
def test_our_export_imported_into_a_fresh_instance_recreates_the_copies(fund, tmp_path, fmt):
    exported = tmp_path / f"export.{fmt}"
    run(fund, "export", "--format", fmt, "-o", str(exported))
    other = tmp_path / "partenaire"
    run(other, "import", str(exported), "--format", "marcxml" if "xml" in fmt else fmt)
    assert copies_by_title(other) == EXPECTED


def test_unimarc_has_one_995_per_copy_as_koha_and_pmb_read_it(fund, tmp_path):
    path = tmp_path / "u.mrc"
    run(fund, "export", "--format", "iso2709", "-o", str(path))
    read = {
        r["200"]["a"]: r
        for r in pymarc.MARCReader(path.read_bytes(), to_unicode=True, force_utf8=True)
    }
    fields = read["La ville caraïbe"].get_fields("995")
    assert [(f["f"], f["k"], f["e"]) for f in fields] == [
        ("CRPV000101", "307.76 DAN", "Salle de lecture"),
        ("CRPV000102", "307.76 DAN", "Réserve"),
    ]
    assert read["Guide en ligne"].get_fields("995") == []


def test_marc21_has_one_852_per_copy_in_iso2709_and_in_valid_marcxml(fund, tmp_path, schemas_dir):
    path = tmp_path / "m.mrc"
    run(fund, "export", "--format", "marc21", "-o", str(path))
    read = {r["245"]["a"]: r for r in pymarc.MARCReader(path.read_bytes(), to_unicode=True)}
    fields = read["La ville caraïbe"].get_fields("852")
    assert [(f["p"], f["h"], f["b"]) for f in fields] == [
        ("CRPV000101", "307.76 DAN", "Salle de lecture"),
        ("CRPV000102", "307.76 DAN", "Réserve"),
    ]
    xml = tmp_path / "m.xml"
    run(fund, "export", "--format", "marc21xml", "-o", str(xml))
    schema = etree.XMLSchema(etree.parse(str(schemas_dir / "MARC21slim.xsd"), NO_NET))
    assert schema.validate(etree.parse(str(xml), NO_NET)), schema.error_log
    marcxml = pymarc.parse_xml_to_array(io.BytesIO(xml.read_bytes()))
    (report,) = [r for r in marcxml if r["245"]["a"].startswith("Contrat")]
    assert report["852"]["p"] == "CRPV000200" and report["852"]["h"] == "R 2018 FDF"


def test_a_real_unimarc_file_with_995_brings_its_copies(interop_dir, tmp_path):
    """cotesBR.mrc, written by a French library system: each record's 995 gives its copy
    (barcode $f, call number $k) as an independent reader (pymarc) reads them."""
    path = interop_dir / "unimarc" / "cotesBR.mrc"
    expected = {}
    for marc in pymarc.MARCReader(path.read_bytes(), to_unicode=True, force_utf8=True):
        for field in marc.get_fields("995"):
            expected[field["f"]] = field["k"]
    assert len(expected) == 4
    instance = tmp_path / "fonds"
    run(instance, "import", str(path))
    with Catalogue.in_instance(instance) as catalogue:
        found = catalogue.get_many(catalogue.ids())
    got = {c.barcode: c.call_number for r in found.values() for c in r.copies}
    assert got == expected
    assert all(len(r.copies) == 1 for r in found.values())


def test_a_barcode_given_to_two_records_of_one_file_makes_one_copy(tmp_path):
    from library.formats.marc import MarcRecord
    from library.formats.unimarc import from_marc

    def unimarc(title: str) -> MarcRecord:
        marc = MarcRecord(leader="00000nam0 2200000   450 ")
        marc.add("200", "1 ", ("a", title))
        marc.add("995", "  ", ("f", "B-1"), ("k", "COTE"))
        marc.add("995", "  ", ("f", ""), ("k", "SANS CODE-BARRES"))
        return marc

    first = from_marc(unimarc("Premier"))
    assert [c.barcode for c in first.copies] == ["B-1"]  # no barcode, no copy
    from library.formats import iso2709
    from library.formats.readers import READERS

    data = iso2709.encode_all([unimarc("Premier"), unimarc("Second")])
    parsed = READERS["iso2709"](data, source="double.mrc")
    assert [len(r.copies) for _, r in parsed.rows] == [1, 0]
    assert "code-barres B-1 déjà donné à la notice 1" in row_message(parsed.warnings[0])
