"""Readers of partners' files as other software writes them (Zotero, JabRef, PMB, Koha, OAI-PMH
harvests), and the damaged files each reader must refuse with a position."""

from __future__ import annotations

import pytest

from library import AuthorKind, DocType, Support
from library.formats import bibtex, csl, dublin_core, iso2709, records_json, ris
from library.formats.marc import MarcRecord
from library.formats.readers import READERS, sniff
from webapp.messages import row_message


def test_ris_as_zotero_and_endnote_write_it():
    data = (
        "\ufeffTY  - JOUR\n"
        "A1  - Dupont, Jean-Marc\n"
        "AU  - Ville de Schœlcher\n"
        "TI  - La médiation sociale à l'épreuve\n"
        "T2  - Revue française des affaires sociales\n"
        "Y1  - 2010///\n"
        "SN  - 0035-2985\n"
        "KW  - médiation; quartiers\n"
        "KW  - Santé\n"
        "AB  - Un résumé qui continue\n"
        "sur la ligne suivante.\n"
        "UR  - https://exemple.org/article\n"
        "LA  - French\n"
        "ER  -\n"
    ).encode("utf-8")
    parsed = ris.read(data, source="zotero.ris")
    assert parsed.errors == []
    ((line, record),) = parsed.rows
    assert line == 1 and record.doc_type is DocType.ARTICLE
    assert [a.name for a in record.authors] == [
        "Dupont, Jean-Marc",
        "Ville de Schœlcher",
    ]  # file order
    assert [a.kind for a in record.authors] == [AuthorKind.PERSON, AuthorKind.ORGANISATION]
    assert record.year == 2010 and record.issn == "0035-2985" and record.language == "fr"
    assert record.publisher == "Revue française des affaires sociales"  # an article's periodical
    assert record.keywords == ("médiation", "quartiers", "Santé")
    assert record.abstract == "Un résumé qui continue sur la ligne suivante."
    assert record.source == "import:zotero.ris"


def test_ris_errors_say_where():
    data = (
        b"AU  - Orphelin, Auteur\r\nTY  - BOOK\r\nTI  - Premier\r\n"
        b"TY  - BOOK\r\nTI  - Second\r\nER  - \r\n"
    )
    parsed = ris.read(data)
    assert [(e.line, row_message(e).split(" :")[0]) for e in parsed.errors] == [
        (1, "balise AU hors notice (TY attendu avant)"),
        (2, "notice sans fin (ER)"),
    ]
    assert [r.title for _, r in parsed.rows] == ["Second"]


def test_bibtex_as_jabref_and_old_latex_files_write_it():
    data = r"""
@comment{jabref-meta: databaseType:bibtex;}
@string{crpv = "Centre de ressources"}
@Book{dupont2008,
  author    = {Jean Dupont and {\'E}lise Br{\"u}ck and {Agence d'urbanisme}},
  title     = "L'{\'e}valuation des politiques : {CUCS} et fran{\c{c}}ais",
  publisher = crpv # " de la ville",
  year      = 2008,
  month     = may,
  isbn      = {2-84450-768-9},
  keywords  = {évaluation; quartiers},
  address   = {Fort-de-France},
}
@inproceedings(colloque, title={Actes {\oe}uvre {\`a} Cayenne}, year={2011})
"""
    parsed = bibtex.read(data.encode("utf-8"))
    assert parsed.errors == []
    (line, book), (_, paper) = parsed.rows
    assert line == 4 and book.doc_type is DocType.OUVRAGE
    assert [a.name for a in book.authors] == ["Dupont, Jean", "Brück, Élise", "Agence d'urbanisme"]
    assert book.authors[2].kind is AuthorKind.ORGANISATION
    assert book.title == "L'évaluation des politiques : CUCS et français" and book.subtitle == ""
    assert book.publisher == "Centre de ressources de la ville" and book.year == 2008
    assert book.isbn == "9782844507686" and book.keywords == ("évaluation", "quartiers")
    assert paper.doc_type is DocType.ACTES and paper.title == "Actes œuvre à Cayenne"


def test_bibtex_unbalanced_braces_name_the_entry_and_the_rest_is_read():
    data = (
        b"@book{a, title={Bon}, year={2001}}\n@book{b, title={Sans fin, year={2002}\n"
        b"@book{c, title={Bon aussi}}\n"
    )
    parsed = bibtex.read(data)
    assert [r.title for _, r in parsed.rows] == ["Bon", "Bon aussi"]
    (error,) = parsed.errors
    assert error.line == 2 and "accolades non équilibrées" in row_message(error)


def test_bibtex_a_repeated_string_macro_is_a_warning_and_the_entries_are_read():
    # A second @string of the same name used to crash the import (AttributeError).
    data = (
        b'@string{org = "Ville"}\n@string{org = "Region"}\n@book{k, title={Plan}, publisher=org}\n'
    )
    parsed = bibtex.read(data)
    assert [r.title for _, r in parsed.rows] == ["Plan"]
    assert not parsed.errors
    (warning,) = parsed.warnings
    assert warning.line == 2 and "org" in row_message(warning)


def _unimarc(
    fields: list[tuple[str, str, list[tuple[str, str]]]], leader: str = "00000nam0 22000001i 450 "
) -> bytes:
    record = MarcRecord(leader=leader)
    record.add_control("001", "PMB-0042")
    for tag, ind, subfields in fields:
        record.add(tag, ind, *subfields)
    return iso2709.encode(record)


def test_unimarc_as_pmb_writes_it():
    data = _unimarc(
        [
            ("010", "  ", [("a", "978-2-296-52913-7"), ("d", "25 EUR")]),
            ("100", "  ", [("a", "20120301d2008    m  y0frey50      ba")]),
            ("101", "0 ", [("a", "fre")]),
            (
                "200",
                "1 ",
                [("a", "Habiter la ville créole"), ("e", "enquête"), ("f", "Rose Zobda")],
            ),
            ("210", "  ", [("a", "Paris"), ("c", "Karthala"), ("d", "cop. 2008")]),
            ("215", "  ", [("a", "XII-245 p."), ("c", "ill.")]),
            ("606", "  ", [("a", "Habitat"), ("x", "Martinique")]),
            ("700", " 1", [("a", "Zobda"), ("b", "Rose"), ("4", "070")]),
            ("801", " 0", [("a", "FR"), ("b", "PMB")]),
        ]
    )
    parsed = READERS["iso2709"](data, source="pmb.mrc")
    assert parsed.errors == [] and parsed.unit == "notice"
    ((number, record),) = parsed.rows
    assert (
        number == 1 and record.title == "Habiter la ville créole" and record.subtitle == "enquête"
    )
    assert record.authors[0].name == "Zobda, Rose" and record.year == 2008
    assert record.publisher == "Karthala" and record.place == "Paris" and record.pages == 245
    assert record.isbn == "9782296529137" and record.language == "fr"
    assert record.support is Support.PAPIER and record.keywords == ("Habitat",)
    assert record.source == "import:pmb.mrc#unimarc:PMB-0042"


def test_marc21_as_koha_writes_it_with_isbd_punctuation():
    record = MarcRecord(leader="00000cam a2200000 i 4500")
    record.add_control("001", "12345")
    record.add_control("003", "KOHA")
    record.add_control("008", "120301s2009    fr            000 0 fre d")
    record.add("020", "  ", ("a", "9782296529137 (br.)"))
    record.add("100", "1 ", ("a", "Dupont, Jean,"), ("e", "auteur."))
    record.add(
        "245",
        "10",
        ("a", "La ville en partage :"),
        ("b", "enquête à Fort-de-France /"),
        ("c", "Jean Dupont."),
    )
    record.add("260", "  ", ("a", "Paris :"), ("b", "L'Harmattan,"), ("c", "2009."))
    record.add("300", "  ", ("a", "210 p. ;"), ("c", "24 cm"))
    record.add("650", " 4", ("a", "Urbanisme."))
    parsed = READERS["marc21"](iso2709.encode(record), source="koha.mrc")
    ((number, found),) = parsed.rows
    assert found.title == "La ville en partage" and found.subtitle == "enquête à Fort-de-France"
    assert found.authors[0].name == "Dupont, Jean" and found.publisher == "L'Harmattan"
    assert found.place == "Paris" and found.year == 2009 and found.pages == 210
    assert found.isbn == "9782296529137" and found.language == "fr"
    assert found.source == "import:koha.mrc#marc21:KOHA:12345"
    assert (
        READERS["iso2709"](iso2709.encode(record)).rows[0][1].title == "La ville en partage"
    )  # sniffed


def test_a_damaged_iso2709_file_names_the_record_and_the_byte():
    good = _unimarc([("200", "1 ", [("a", "Première")])])
    broken = bytearray(_unimarc([("200", "1 ", [("a", "Deuxième")])]))
    broken[24:27] = b"2X0"  # directory entry tag kept, length made unreadable below
    broken[27:31] = b"ab12"
    parsed = READERS["iso2709"](good + bytes(broken) + good[:40])
    assert [r.title for _, r in parsed.rows] == ["Première"]
    assert [(e.line, row_message(e)) for e in parsed.errors][0][0] == 2
    assert f"(octet {len(good)})" in row_message(parsed.errors[0])
    assert parsed.errors[1].line == 3 and "tronquée" in row_message(parsed.errors[1])


def test_an_oai_pmh_harvest_is_read_and_its_deleted_records_skipped():
    data = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-01T00:00:00Z</responseDate>
<request verb="ListRecords">https://autre.example/oai</request><ListRecords>
<record><header><identifier>oai:autre.example:7</identifier><datestamp>2023-01-01T00:00:00Z</datestamp></header>
<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>Guide de la concertation : méthodes</dc:title>
<dc:creator>Réseau Villes, Collectif</dc:creator>
<dc:date>2011-04</dc:date><dc:type>Guide méthodologique</dc:type><dc:language>fre</dc:language>
<dc:identifier>urn:isbn:2-84450-768-9</dc:identifier><dc:format>application/pdf</dc:format>
</oai_dc:dc></metadata></record>
<record><header status="deleted"><identifier>oai:autre.example:8</identifier>
<datestamp>2023-02-01T00:00:00Z</datestamp></header></record>
</ListRecords></OAI-PMH>""".encode()
    parsed = dublin_core.read(data, source="moisson.xml")
    ((number, record),) = parsed.rows
    assert record.title == "Guide de la concertation" and record.subtitle == "méthodes"
    assert record.doc_type is DocType.GUIDE and record.date == "2011-04" and record.language == "fr"
    assert record.support is Support.ELECTRONIQUE and record.isbn == "9782844507686"
    assert record.source == "import:moisson.xml#oai:autre.example:7"
    assert parsed.warnings[0].line == 2 and "supprimée" in row_message(parsed.warnings[0])


@pytest.mark.parametrize("reader", ["marcxml", "oai_dc"])
def test_xml_with_entities_or_broken_markup_is_refused(reader):
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>'
    assert "DOCTYPE" in row_message(READERS[reader](bomb).errors[0])
    broken = b"<collection>\n<record>\n<leader>x</leader>\n</collection>"
    error = READERS[reader](broken).errors[0]
    assert error.line == 4 and "XML mal formé" in row_message(error)


def test_json_errors_say_line_and_column():
    parsed = records_json.read(b'{"records": [\n  {"title": "A"},\n  {"title": }\n]}')
    assert parsed.errors[0].line == 3 and "colonne" in row_message(parsed.errors[0])
    parsed = records_json.read(b'{"records": [{"title": "A", "type": "roman"}, {"title": "B"}]}')
    assert [r.title for _, r in parsed.rows] == ["B"] and parsed.errors[0].line == 1
    assert row_message(parsed.errors[0]).startswith("valeur inconnue : 'roman'")
    parsed = records_json.read(b'{"records": [{"title": " "}, {"title": "B", "keywords": "x"}]}')
    assert [row_message(e) for e in parsed.errors] == [
        "notice sans titre (« title »)",
        "« keywords » doit être une liste",
    ]


def test_csl_json_as_zotero_exports_it():
    data = (
        '[{"id": "http://zotero.org/users/1/items/ABC", "type": "report",'
        ' "title": "Rapport annuel",'
        ' "author": [{"family": "Núñez", "given": "Iñigo"},'
        ' {"literal": "CAF de la Martinique"}],'
        ' "issued": {"date-parts": [["2012", 3]]}, "publisher": "CAF",'
        ' "number-of-pages": "88"}]'
    ).encode()
    ((_, record),) = csl.read(data).rows
    assert record.doc_type is DocType.RAPPORT and record.date == "2012-03" and record.year == 2012
    assert [a.name for a in record.authors] == [
        "Núñez, Iñigo",
        "CAF de la Martinique",
    ] and record.pages == 88


@pytest.mark.parametrize(
    ("head", "suffix", "expected"),
    [
        (b"00924cam0 2200277   450 001", ".dat", "iso2709"),
        (b"\xef\xbb\xbfTY  - BOOK\r\n", ".txt", "ris"),
        (b"% Encoding: UTF-8\n@book{", ".txt", "bibtex"),
        (b'{"format": "fonds-records"', ".txt", "json"),
        (b'[{"id": 1, "type": "book"}]', ".txt", "csl-json"),
        (
            b'<?xml version="1.0"?><marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">',
            ".xml",
            "marcxml",
        ),
        (b'<?xml version="1.0"?><records><oai_dc:dc', ".xml", "oai_dc"),
        (b"titre;auteurs\n", ".csv", "csv"),
        (b"quelque chose", ".txt", None),
    ],
)
def test_formats_are_recognised_by_content_first(head, suffix, expected):
    assert sniff(head, suffix) == expected


def test_ris_warnings_are_worded_at_the_edge_as_before():
    data = b"Une note\r\nTY  - BOOK\r\nAU  - Caf\xe9, Jean\r\nER  - \r\n"
    parsed = ris.read(data)
    said = [(w.line, row_message(w)) for w in parsed.warnings]
    assert said[:2] == [
        (1, "fichier non UTF-8 : lu en Windows-1252, vérifiez les lettres accentuées"),
        (1, "texte hors notice ignoré : « Une note »"),
    ]
    assert said[2][0] == 2 and said[2][1].startswith("notice sans titre (TI ou T1) : importée")
    assert [row_message(e) for e in ris.read(b"TY  - BOOK\nER  - \n").errors] == [
        "notice vide : ni titre (TI ou T1) ni autre balise"
    ]


def test_bibtex_warnings_are_worded_at_the_edge_as_before():
    data = (
        b"@book{a,\n title={T},\n}\n@book{a,\n title={U}}\n"
        b"@article{c, author={X}}\n@misc{d, crossref={zz}, title={Y}}\n@misc{e,}\n"
    )
    said = [(w.line, row_message(w)) for w in bibtex.read(data).warnings]
    assert said[0] == (4, "clé a déjà employée plus haut")
    assert said[1][1].startswith("entrée c sans titre : importée sous « ")
    assert said[2:] == [
        (7, "entrée d : crossref « zz » absent du fichier"),
        (8, "entrée e vide : ignorée"),
    ]
    assert [row_message(e) for e in bibtex.read(b"rien").errors] == [
        "aucune entrée BibTeX (« @type{clé, … } ») dans le fichier"
    ]


def test_spreadsheet_refusals_are_worded_at_the_edge_as_before():
    from library.formats.holdings_csv import read_holdings

    data = b"titre;auteurs;type;zz\r\nA;Dupont, M (zz);;\r\nB;;bidule;\r\nC;;;;x\r\n"
    parsed = read_holdings(data)
    assert [row_message(w) for w in parsed.warnings] == ["colonnes inconnues ignorées : zz"]
    said = [(e.line, row_message(e)) for e in parsed.errors]
    assert said[0][0] == 2 and said[0][1].startswith("rôle inconnu dans « Dupont, M (zz) » :")
    assert "(trad.)" in said[0][1] and said[0][1].endswith("ou aucun pour un auteur")
    assert said[1][0] == 3 and said[1][1].startswith("type de document inconnu « bidule »")
    assert said[2] == (4, "5 cellules pour 4 colonnes")
