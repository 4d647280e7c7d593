"""Every export format read back by a parser we did not write: same records, same titles,
authors and years, special characters intact, the deleted record absent."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path

import bibtexparser
import jsonschema
import pymarc
import pytest
import rispy
from lxml import etree

from library import AuthorKind, Catalogue
from library.exporting import FORMATS, export
from library.formats.common import ExportContext

from .awkward import DELETED_TITLE, THEME_LABELS, fill, live

CSL_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "csl-data-1.0.schema.json"
NO_NET = etree.XMLParser(no_network=True)


@pytest.fixture
def records(instance):
    with Catalogue.in_instance(instance) as catalogue:
        yield fill(catalogue)


@pytest.fixture
def ctx():
    return ExportContext(
        theme_labels=THEME_LABELS,
        repository="crpv-martinique.fr",
        base_url="https://fonds.example.org",
        centre="CRPV Martinique",
        generated="2024-03-01T12:00:00Z",
    )


def expected(records):
    """(full title, author names, year) of each live record, in export order."""
    return [
        (
            f"{r.title} : {r.subtitle}" if r.subtitle else r.title,
            [a.name for a in r.authors],
            r.year,
        )
        for r in live(records)
    ]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def test_every_format_has_a_name_a_media_type_and_carries_no_deleted_record(records, ctx):
    assert set(FORMATS) == {
        "csv",
        "csv-comma",
        "ris",
        "bibtex",
        "csl-json",
        "dc",
        "marcxml",
        "marc21xml",
        "iso2709",
        "marc21",
        "json",
    }
    for name in FORMATS:
        data = export(name, records, ctx)
        assert DELETED_TITLE.encode() not in data, name
        assert "retirée".encode() not in data, name


def test_ris_reads_back_with_rispy(records, ctx):
    data = export("ris", records, ctx)
    assert data.count(b"\r\nER  - ") == len(live(records))
    entries = rispy.loads(data.decode("utf-8"))
    got = [
        (e["title"], e.get("authors", []), int(e["year"]) if "year" in e else None) for e in entries
    ]
    assert got == expected(records)
    first = entries[0]
    assert first["type_of_reference"] == "RPRT" and first["type_of_work"] == "Étude"
    assert first["short_title"] == "Les « grands frères » & la médiation : 100 % réussite ?"
    assert first["publisher"] == "L'Harmattan" and first["place_published"] == "Paris"
    assert first["date"] == "2009/05/12" and first["language"] == "fr"
    assert first["issn"] == "9782296529137"  # SN carries the ISBN of a book-like document
    assert "Médiation sociale" in first["keywords"] and "cœur de ville" in first["keywords"]
    assert first["abstract"].startswith('Résumé "entre guillemets" et {accolades}')
    types = [e["type_of_reference"] for e in entries]
    assert types == ["RPRT", "CONF", "RPRT", "JFULL", "THES", "JOUR", "STAT"]
    assert entries[2]["urls"] == ["https://exemple.org/rapport?id=1&format=pdf"]


# A decoder written for the test, independent of the exporter's own reader.
_TEX = {
    r"\&": "&",
    r"\%": "%",
    r"\$": "$",
    r"\#": "#",
    r"\_": "_",
    r"\{": "{",
    r"\}": "}",
    r"\textbackslash{}": "\\",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
}


def tex_to_text(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        for escaped, char in _TEX.items():
            if value.startswith(escaped, i):
                out.append(char)
                i += len(escaped)
                break
        else:
            if value[i] not in "{}":
                out.append(value[i])
            i += 1
    return "".join(out)


def test_bibtex_reads_back_with_bibtexparser(records, ctx):
    library = bibtexparser.parse_string(export("bibtex", records, ctx).decode("utf-8"))
    assert library.failed_blocks == []
    entries = library.entries
    assert len(entries) == len(live(records))
    got = []
    for entry in entries:
        fields = entry.fields_dict
        names = fields.get("author") or fields.get("editor")
        authors = [tex_to_text(n.strip()) for n in names.value.split(" and ")] if names else []
        year = int(fields["year"].value) if "year" in fields else None
        got.append((tex_to_text(fields["title"].value), authors, year))
    assert got == expected(records)
    assert [e.entry_type for e in entries] == [
        "techreport",
        "proceedings",
        "techreport",
        "misc",
        "mastersthesis",
        "article",
        "misc",
    ]
    keys = [e.key for e in entries]
    assert len(set(keys)) == len(keys) and keys[0] == f"josephangelique2009_{records[0].id}"
    raw = export("bibtex", records, ctx).decode("utf-8")
    assert r"\& la médiation" in raw and r"100 \% réussite" in raw
    assert r"\{accolades\}" in raw and r"\$ \# \_ \textbackslash{} \textasciitilde{}" in raw
    assert "{Cabinet \\{Kaléido\\} \\& associés}" in raw  # an organisation stays one name


def test_bibtex_is_the_same_on_every_run_and_keys_do_not_depend_on_the_selection(records, ctx):
    whole = export("bibtex", records, ctx)
    assert whole == export("bibtex", records, ctx)
    alone = bibtexparser.parse_string(export("bibtex", records[2:3], ctx).decode()).entries[0].key
    assert alone in whole.decode()


def test_csl_json_is_valid_against_the_csl_1_0_schema(records, ctx):
    items = json.loads(export("csl-json", records, ctx))
    schema = json.loads(CSL_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(items, schema)
    got = []
    for item in items:
        names = [
            f"{a['family']}, {a['given']}" if "family" in a else a["literal"]
            for a in item.get("author", [])
        ]
        year = item["issued"]["date-parts"][0][0] if "issued" in item else None
        got.append((item["title"], names, year))
    assert got == expected(records)
    assert items[0]["issued"] == {"date-parts": [[2009, 5, 12]]}
    assert [i["type"] for i in items] == [
        "report",
        "book",
        "report",
        "periodical",
        "thesis",
        "article-journal",
        "legislation",
    ]


def test_csl_json_schema_is_strict_enough_to_catch_a_mistake(records, ctx):
    items = json.loads(export("csl-json", records, ctx))
    items[0]["titre"] = "pas une variable CSL"
    schema = json.loads(CSL_SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(items, schema)


def test_dc_has_one_valid_oai_dc_element_per_record(records, ctx, schemas_dir):
    root = etree.fromstring(export("dc", records, ctx), NO_NET)
    schema = etree.XMLSchema(etree.parse(str(schemas_dir / "oai_dc.xsd"), NO_NET))
    children = list(root)
    assert len(children) == len(live(records)) == int(root.get("count"))
    dc = "{http://purl.org/dc/elements/1.1/}"
    got = []
    for element in children:
        assert schema.validate(etree.ElementTree(element)), schema.error_log
        years = [re.match(r"\d{4}", d.text).group(0) for d in element.iter(dc + "date")]
        got.append(
            (
                element.find(dc + "title").text,
                [c.text for c in element.iter(dc + "creator")],
                int(years[0]) if years else None,
            )
        )
    assert got == expected(records)


def test_unimarc_xml_is_marcxchange_that_says_unimarc(records, ctx):
    """UNIMARC in XML is MarcXchange (ISO 25577), valid against its schema, each record with
    format="UNIMARC": in the MARC21/slim namespace a MARC 21 reader would look for a 245."""
    root = etree.fromstring(export("marcxml", records, ctx), NO_NET)
    xsd = Path(__file__).parents[1] / "data" / "marcxchange-2-0.xsd"
    schema = etree.XMLSchema(etree.parse(str(xsd), NO_NET))
    assert schema.validate(root), schema.error_log
    mx = "{info:lc/xmlns/marcxchange-v2}"
    found = root.findall(mx + "record")
    assert len(found) == len(live(records))
    assert {r.get("format") for r in found} == {"UNIMARC"}
    title = found[0].find(f"{mx}datafield[@tag='200']/{mx}subfield[@code='a']").text
    assert title == records[0].title


def test_marc21_xml_is_marcxml_that_pymarc_reads(records, ctx, schemas_dir):
    data = export("marc21xml", records, ctx)
    schema = etree.XMLSchema(etree.parse(str(schemas_dir / "MARC21slim.xsd"), NO_NET))
    assert schema.validate(etree.fromstring(data, NO_NET)), schema.error_log
    read = pymarc.parse_xml_to_array(io.BytesIO(data))
    assert [r["245"]["a"] for r in read] == [r.title for r in live(records)]


def subfield(record: pymarc.Record, tag: str, code: str) -> str | None:
    field = record.get(tag)
    return field.get(code) if field is not None else None


def _unimarc_authors(record: pymarc.Record) -> set[str]:
    names = set()
    for field in record.get_fields("700", "701", "710", "711"):
        a, b = field.get("a"), field.get("b")
        names.add(f"{a}, {b}" if b else a)
    return names


def test_unimarc_iso2709_reads_back_with_pymarc(records, ctx):
    data = export("iso2709", records, ctx)
    read = list(pymarc.MARCReader(data, to_unicode=True, force_utf8=True))
    assert len(read) == len(live(records)) and all(r is not None for r in read)
    for marc, record in zip(read, live(records), strict=True):
        assert marc.leader[9] == " " and marc.leader[10:12] == "22" and marc.leader[20:24] == "450 "
        assert int(marc.leader[0:5]) == len(marc.as_marc())  # record length is exact
        coded = marc["100"]["a"]
        assert len(coded) == 36 and coded[26:28] == "50"  # 50 = ISO 10646 (UTF-8)
        assert marc["200"]["a"] == record.title
        assert (subfield(marc, "200", "e") or "") == record.subtitle
        assert _unimarc_authors(marc) == {a.name for a in record.authors}
        assert subfield(marc, "210", "d") == (str(record.year) if record.year else None)
        assert marc["101"]["a"] == {"fr": "fre", "es": "spa", "en": "eng"}[record.language]
    first = read[0]
    assert first.leader[5:9] == "nam0" and first["010"]["a"] == "9782296529137"
    assert first["215"]["a"] == "120 p." and first.get("856") is None
    assert [f["a"] for f in first.get_fields("606")] == [
        "Médiation sociale",
        "Politiques de jeunesse",
    ]
    assert first["700"]["a"] == "Joseph-Angélique" and first["700"]["b"] == "Marie"
    # one main entry (700); the others are alternative responsibility: 701 persons, 711 bodies
    assert first["711"]["a"] == "Ville de Fort-de-France" and first["701"]["a"] == "Núñez"
    assert read[2].leader[6] == "l" and read[2]["856"]["u"].endswith("&format=pdf")
    assert read[3]["011"]["a"] == "1166-1941" and read[3].leader[7] == "s"


def test_marc21_reads_back_with_pymarc(records, ctx):
    read = list(pymarc.MARCReader(export("marc21", records, ctx), to_unicode=True))
    assert len(read) == len(live(records))
    for marc, record in zip(read, live(records), strict=True):
        assert marc.leader[9] == "a" and marc.leader[20:24] == "4500"
        assert (
            len(marc["008"].data) == 40
            and marc["008"].data[35:38] == {"fr": "fre", "es": "spa", "en": "eng"}[record.language]
        )
        assert marc["245"]["a"] == record.title
        names = [f["a"] for f in marc.get_fields("100", "110", "700", "710")]
        assert sorted(names) == sorted(a.name for a in record.authors)
        person_first = record.authors and record.authors[0].kind is AuthorKind.PERSON
        if record.authors:
            assert marc["100" if person_first else "110"]["a"] == record.authors[0].name
        assert subfield(marc, "264", "c") == (str(record.year) if record.year else None)
    assert read[0]["020"]["a"] == "9782296529137" and read[0]["008"].data[6:15] == "e20090512"
    assert [f["a"] for f in read[0].get_fields("650")][0] == "Médiation sociale"


def test_csv_opens_in_a_french_spreadsheet_and_the_comma_variant_too(records, ctx):
    semicolon = export("csv", records, ctx)
    assert semicolon.startswith("\ufeff".encode())
    rows = list(
        csv.DictReader(io.StringIO(semicolon.decode("utf-8-sig"), newline=""), delimiter=";")
    )
    comma = export("csv-comma", records, ctx)
    assert not comma.startswith("\ufeff".encode())
    rows_comma = list(csv.DictReader(io.StringIO(comma.decode("utf-8"), newline=""), delimiter=","))
    for table in (rows, rows_comma):
        got = [
            (
                nfc(r["titre"] + (" : " + r["sous_titre"] if r["sous_titre"] else "")),
                r["auteurs"].split("|") if r["auteurs"] else [],
                int(r["annee"]) if r["annee"] else None,
            )
            for r in table
        ]
        assert got == expected(records)
    assert rows[0]["resume"] == records[0].abstract  # the line break survives
    assert rows[0]["thematiques"] == "mediation-sociale|jeunesse"


def test_json_keeps_every_field(records, ctx):
    document = json.loads(export("json", records, ctx))
    assert document["format"] == "fonds-records" and document["count"] == len(live(records))
    first = document["records"][0]
    assert first["identifier"] == f"oai:crpv-martinique.fr:{records[0].id}"
    assert first["abstract"] == records[0].abstract
    assert first["copies"][0]["barcode"] == "CRPV100001"
    assert first["themes"][1] == {
        "slug": "jeunesse",
        "label": "Politiques de jeunesse",
        "score": 0.4,
        "source": "auto",
        "evidence": {"title": ["mot"]},
    }


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_special_characters_survive_every_format(records, ctx, name):
    data = export(name, records, ctx)
    if name in ("iso2709", "marc21"):
        text = "\n".join(str(r) for r in pymarc.MARCReader(data, to_unicode=True, force_utf8=True))
    else:
        text = data.decode("utf-8-sig")
    if name == "bibtex":
        text = tex_to_text(text)
    if name in ("dc", "marcxml", "marc21xml"):
        text = "".join(etree.fromstring(data, NO_NET).itertext())
    if name in ("json", "csl-json"):
        text = json.dumps(json.loads(data), ensure_ascii=False)
    for word in (
        "« grands frères »",
        "& la médiation",
        "100 % réussite",
        "cœur de ville",
        "Españita",
        "Núñez",
        "Iñigo",
        "Schœlcher",
        "O'Brien",
        "Ô'Neill",
        "{accolades}",
        "niñez",
    ):
        assert word in text, (name, word)
