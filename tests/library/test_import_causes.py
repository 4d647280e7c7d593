"""Each cause of issue 9, as the reader of its format now handles it (small files written here
in the shape partners' systems write them; the real files are in test_interop.py)."""

from __future__ import annotations

import pytest

from indexer.importing import plan_import
from library import AuthorKind, AuthorRole, Catalogue
from library.formats import bibtex, csl, dublin_core, iso2709, ris
from library.formats.marc import MarcRecord
from library.formats.readers import READERS
from library.identifiers import normalise_isbn
from library.models import Host
from library.validation import admit
from webapp.messages import import_reason, row_message


def names(record) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [(a.name, a.kind.value, a.role.value) for a in record.authors]


# -- MARC ---------------------------------------------------------------------------------------


def test_marc8_is_decoded_by_pymarc_not_read_as_utf8(interop_dir):
    path = interop_dir / "marc" / "marc8.dat"
    parsed = READERS["iso2709"](path.read_bytes())
    ((_, record),) = parsed.rows
    assert "De la solitude à la communauté" in record.public_note  # a 500 general note is public
    assert record.title == "Escape from loneliness" and record.publisher == "Westminster Press"
    assert parsed.warnings == []


def _unimarc(*fields: tuple[str, str, list[tuple[str, str]]]) -> bytes:
    marc = MarcRecord(leader="00000nam0 22000001i 450 ")
    for tag, ind, subfields in fields:
        marc.add(tag, ind, *subfields)
    return iso2709.encode(marc)


def test_unimarc_sorting_marks_isbd_empty_subfields_full_forenames_and_roles():
    data = _unimarc(
        ("200", "1 ", [("a", "\x88Les \x89misérables /"), ("e", "roman :"), ("f", "Victor Hugo")]),
        ("700", " 1", [("a", "Hugo"), ("b", "V."), ("g", "Victor"), ("4", "070")]),
        ("701", " 1", [("a", "Asimov"), ("b", ", Isaac")]),
        ("702", " 1", [("a", "Roy"), ("b", "Léa"), ("4", "730")]),
        ("712", "02", [("a", "Conseil régional"), ("4", "340")]),
    )
    ((_, record),) = READERS["iso2709"](data).rows
    assert record.title == "Les misérables" and record.subtitle == "roman"
    assert names(record) == [
        ("Hugo, Victor", "person", "author"),
        ("Asimov, Isaac", "person", "author"),
        ("Roy, Léa", "person", "translator"),
        ("Conseil régional", "organisation", "editor"),
    ]


def test_marc21_marcxml_is_read_as_marc21_not_refused_for_a_missing_200(interop_dir):
    path = interop_dir / "marcxml" / "batch.xml"
    parsed = READERS["marcxml"](path.read_bytes())
    assert parsed.errors == []
    assert [r.title for _, r in parsed.rows] == ["The Great Ray Charles", "The White House"]
    assert names(parsed.rows[1][1]) == [("White House Web Team", "organisation", "author")]


def test_a_record_in_a_character_set_it_does_not_declare_is_said_not_stored_as_fffd():
    marc = MarcRecord(leader="00000nam a2200000 a 4500")  # leader/09 'a': UTF-8
    marc.add_control("008", "010101s2001    fr            000 0 fre d")
    marc.add("245", "10", ("a", "placeholder"))
    data = iso2709.encode(marc).replace(b"placeholder", "Société".encode("cp1252") + b"xxxx")
    parsed = READERS["iso2709"](data)
    ((_, record),) = parsed.rows
    assert record.title.startswith("Société") and "\ufffd" not in record.title
    assert "octets illisibles en UTF-8 (zones 245)" in row_message(parsed.warnings[0])


# -- RIS ----------------------------------------------------------------------------------------


def test_ris_as_databases_export_it():
    data = (
        "\ufeffRecord #1 of 2\nProvider: Base\n1.\nTY  - JOUR\nT1  - La ville\n"
        "A1  - Dupont, Marie\nA2  - Leblanc, Paul\nJF  - Revue urbaine\nPB  - Éditions X\n"
        "VL  - 9\nIS  - 3\nSP  - 12\nEP  - 25\nDO  - 10.1000/xyz\n"
        "SN  - 1932-6208 (Electronic)\nER  - \n"
    ).encode()
    parsed = ris.read(data)
    assert parsed.errors == []
    ((_, record),) = parsed.rows
    assert record.title == "La ville" and record.publisher == "Éditions X"
    assert names(record) == [
        ("Dupont, Marie", "person", "author"),
        ("Leblanc, Paul", "person", "editor"),
    ]
    # The article's host (issue 10): the periodical with its ISSN, the issue and the pages.
    # (its ISSN has a wrong check digit: it stays on the record, where the import tells it)
    assert record.host == Host("Revue urbaine", "", "vol. 9, n° 3", "", "12-25")
    assert record.issn == "1932-6208" and record.notes == "DOI : 10.1000/xyz"
    assert record.url == "https://doi.org/10.1000/xyz"


# -- BibTeX -------------------------------------------------------------------------------------


def test_bibtex_names_by_bibtex_rules():
    data = rb"""
@book{fables, author = {Jean de La Fontaine}, title = {Fables}, year = 1668}
@book{iliad, author = {Homer}, title = {Iliad}, translator = {Mazon, Paul}}
@article{ni, author = {Ni, Chaoying and
                      B{\"u}y{\"u}kg{\"u}ng{\"o}r, Orhan and {World Health Organization}},
  title = {Crystal}, journal = {Acta}, year = 2008}
@book{king, author = {King, Jr, Martin Luther}, title = {Why We Can't Wait}}
"""
    parsed = bibtex.read(data)
    assert parsed.errors == []
    fables, iliad, ni, king = (r for _, r in parsed.rows)
    assert names(fables) == [("La Fontaine, Jean de", "person", "author")]
    assert names(iliad) == [("Homer", "person", "author"), ("Mazon, Paul", "person", "translator")]
    assert names(ni) == [
        ("Ni, Chaoying", "person", "author"),
        ("Büyükgüngör, Orhan", "person", "author"),
        ("World Health Organization", "organisation", "author"),
    ]
    assert king.authors[0].display == "Martin Luther King, Jr"


def test_bibtex_crossref_set_tex_commands_and_urls():
    data = rb"""
@set{both, entryset = {part,whole}}
@inbook{part, title = {The \TeX book, chapter 1}, crossref = {whole}, pages = {1--9},
  url = {http://example.org/~knuth/a--b}}
@book{whole, title = {Computers \& Typesetting}, publisher = {Addison-Wesley}, year = 1984,
  editor = {Knuth, Donald E.}, note = {pre\hyphen print}}
"""
    parsed = bibtex.read(data)
    assert parsed.errors == []
    part, whole = (r for _, r in parsed.rows)
    assert part.title == "The TeXbook, chapter 1" and part.publisher == "Addison-Wesley"
    assert part.year == 1984 and part.url == "http://example.org/~knuth/a--b"
    assert "Dans : Computers & Typesetting, p. 1–9" in part.notes
    assert names(part) == [("Knuth, Donald E.", "person", "editor")]
    assert whole.public_note == "pre-print"  # a BibTeX note is public
    # and written back without the escapes of the text it was
    out = bibtex.write([whole.__class__(**{**_fields(whole), "id": 1})], _ctx())
    assert b"\\textbackslash" not in out


def _fields(record) -> dict:  # type: ignore[no-untyped-def]
    return {name: getattr(record, name) for name in record.__slots__}


def _ctx():  # type: ignore[no-untyped-def]
    from library.formats.common import ExportContext

    return ExportContext()


def test_a_bibtex_file_in_gbk_is_read_as_gbk_and_said():
    data = "@book{k, author = {凯撒}, title = {测试}, year = 2013}".encode("gbk")
    parsed = bibtex.read(data)
    ((_, record),) = parsed.rows
    assert record.title == "测试" and record.authors[0].name == "凯撒"
    assert "GBK" in row_message(parsed.warnings[0])


# -- CSL-JSON -----------------------------------------------------------------------------------


def test_csl_particles_suffixes_literals_issn_lists_and_empty_dates():
    data = b"""[{"id": "a", "type": "article-journal", "title": "Chimie",
      "author": [{"family": "Doe", "given": "John", "non-dropping-particle": "la",
                  "dropping-particle": "de"},
                 {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
                 {"literal": "Organisation mondiale de la sant\xc3\xa9"}],
      "editor": [{"family": "Roy", "given": "L\xc3\xa9a"}],
      "container-title": "J. Am. Chem. Soc.", "publisher": "ACS",
      "ISSN": ["0002-7863", "1520-5126"], "issued": {"date-parts": []}}]"""
    parsed = csl.read(data)
    assert parsed.errors == []
    ((_, record),) = parsed.rows
    assert names(record) == [
        ("la Doe, John de", "person", "author"),
        ("King, Martin Luther, Jr.", "person", "author"),
        ("Organisation mondiale de la santé", "organisation", "author"),
        ("Roy, Léa", "person", "editor"),
    ]
    assert record.issn == "0002-7863" and record.year is None
    assert record.notes == "Dans : J. Am. Chem. Soc."


# -- oai_dc -------------------------------------------------------------------------------------


def test_oai_dc_contributors_isbn_and_source():
    data = """<records><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
      xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:title>Thèse sur la ville</dc:title><dc:contributor>Durand, Paul</dc:contributor>
      <dc:identifier>ISBN 978-2-84450-768-6</dc:identifier>
      <dc:source>Revue urbaine, n° 3</dc:source></oai_dc:dc></records>""".encode()
    ((_, record),) = dublin_core.read(data).rows
    assert names(record) == [("Durand, Paul", "person", "author")]
    assert record.isbn == "9782844507686" and record.place == ""
    assert record.notes == "Source : Revue urbaine, n° 3"


# -- one rule, every importer -------------------------------------------------------------------


def test_an_isbn_13_must_be_a_bookland_number():
    assert normalise_isbn("978-2-84450-768-6") == "9782844507686"
    with pytest.raises(ValueError):
        normalise_isbn("9771234567003")  # an ISSN barcode: right checksum, no ISBN


def test_the_rule_cleans_text_and_drops_what_it_refuses_saying_so():
    from library import Record

    record, problems = admit(
        Record(
            title="Titre\x0b propre",
            abstract="Ligne 1\r\nLigne\x00 2",
            url="data:text/html,<script>",
            isbn="2-07-036002-5",
            authors=(Author_("Dupont, Marie"), Author_("Dupont, Marie")),
        )
    )
    assert record.title == "Titre propre" and record.abstract == "Ligne 1\nLigne 2"
    assert record.url == "" and record.isbn == "" and "2-07-036002-5" in record.notes
    assert len(record.authors) == 1
    assert {p.field for p in problems} == {"url", "isbn"}
    assert not any(p.fatal for p in problems)


def Author_(name: str):  # type: ignore[no-untyped-def]
    from library import Author

    return Author(name, AuthorKind.PERSON, AuthorRole.AUTHOR)


def test_the_same_reference_twice_in_one_file_is_one_record():
    data = b"TY  - BOOK\nTI  - Le livre\nPY  - 2001\nER  - \n" * 3
    plan = plan_import(Catalogue.open(":memory:"), ris.read(data))
    assert [r.action for r in plan.rows] == ["create", "skip", "skip"]
    row = plan.rows[1]
    assert (row.reason_code, dict(row.reason_params)) == ("same-reference-in-file", {"line": 1})
    assert import_reason(row) == "même référence que l'entrée 1 du fichier"


def test_two_editions_with_their_isbns_are_two_records():
    data = (
        b"TY  - BOOK\nTI  - Perl\nPY  - 1999\nSN  - 2-84450-768-9\nER  - \n"
        b"TY  - BOOK\nTI  - Perl\nPY  - 1999\nSN  - 2-07-036002-4\nER  - \n"
    )
    plan = plan_import(Catalogue.open(":memory:"), ris.read(data))
    assert [r.action for r in plan.rows] == ["create", "create"]


def test_unimarc_in_iso_5426_is_decoded_by_its_declaration():
    """Older French UNIMARC (100 $a/26-27 = '03') writes accents as ISO 5426 combining marks
    before their letter: 'Soci\\xc2et\\xc2e' is 'Société'."""
    marc = MarcRecord(leader="00000nam0 22000001i 450 ")
    marc.add("100", "  ", ("a", "20010101d2001    u  y0frey0350    ba"))
    marc.add("200", "1 ", ("a", "TITLE"), ("f", "AUTHOR"))
    data = iso2709.encode(marc)
    title = b"\x88L'\x89\xeauvre de la Soci\xc2et\xc2e \xd0Ca\xe8odz"
    data = data.replace(b"TITLE", title).replace(b"AUTHOR", b"Andr\xc2e Gide")
    # the lengths changed: rebuild the directory by re-encoding through our own reader
    data = _with_lengths(data)
    assert "20010101d2001    u  y0frey0350    ba"[26:28] == "03"
    parsed = READERS["iso2709"](data)
    assert parsed.warnings == [] and parsed.errors == []
    ((_, record),) = parsed.rows
    assert record.title == "L'Œuvre de la Société ÇaŁodz"


def _with_lengths(data: bytes) -> bytes:
    """ISO 2709 bytes whose field lengths were changed by hand, with the directory redone."""
    leader, rest = data[:24], data[24:]
    end = rest.index(b"\x1e")
    directory, body = rest[:end], rest[end + 1 : -1]
    fields = body.split(b"\x1e")[:-1]
    entries, position = b"", 0
    for i, field in enumerate(fields):
        tag = directory[i * 12 : i * 12 + 3]
        entries += tag + b"%04d%05d" % (len(field) + 1, position)
        position += len(field) + 1
    base = 24 + len(entries) + 1
    total = base + position + 1
    leader = b"%05d" % total + leader[5:12] + b"%05d" % base + leader[17:]
    return leader + entries + b"\x1e" + b"\x1e".join(fields) + b"\x1e\x1d"
