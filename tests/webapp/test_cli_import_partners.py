"""`fonds import` on what partners really send: refused files still answer in JSON, hostile
inputs end in a sentence (never a traceback), values the record rule refuses are reported on
their line and not stored, the same reference twice makes one record, and roles survive the
round trip through every exchange format."""

from __future__ import annotations

import json
from pathlib import Path

import pymarc
import pytest
from click.testing import CliRunner

from library import Author, AuthorKind, AuthorRole, Catalogue, DocType, Record, Support
from tests.conftest import SHARED, _shared_dir
from webapp.cli import cli

DAMAGED = Path(__file__).parents[1] / "data" / "interop-damaged"


@pytest.fixture
def fonds(tmp_path):
    runner = CliRunner()
    instance = tmp_path / "fonds"

    def invoke(*args: str):
        return runner.invoke(cli, ["--instance", str(instance), *args], catch_exceptions=False)

    invoke.instance = instance  # type: ignore[attr-defined]
    return invoke


def records(instance: Path) -> list[Record]:
    with Catalogue.in_instance(instance) as catalogue:
        found = catalogue.get_many(catalogue.ids())
        return [found[i] for i in sorted(found)]


def _json(result) -> dict:  # type: ignore[no-untyped-def]
    document = json.loads(result.stdout)  # exactly one JSON document on stdout
    assert isinstance(document, dict)
    return document


@pytest.mark.parametrize(
    "path", sorted(p for p in DAMAGED.glob("*/*") if p.name != "SOURCES.md"), ids=lambda p: p.name
)
def test_a_refused_file_still_prints_one_json_document_with_its_reasons(fonds, path):
    fmt = {"marc": "iso2709", "oai": "oai_dc"}[path.parent.name]
    result = fonds("import", str(path), "--format", fmt, "--json")
    assert result.exit_code == 1
    document = _json(result)
    assert document["refused"] is True and document["ids"] == []  # nothing was created
    assert document["reasons"] and all(" : " in r for r in document["reasons"])
    assert all(r.startswith(("notice ", "ligne ")) for r in document["reasons"])


def test_a_file_of_unknown_format_answers_in_json_too(fonds, tmp_path):
    path = tmp_path / "mystere.dat"
    path.write_bytes(b"\x00\x01 rien de connu")
    result = fonds("import", str(path), "--json")
    assert result.exit_code == 1
    document = _json(result)
    assert document["refused"] is True and "format" in document["reasons"][0]


@pytest.mark.parametrize(
    ("name", "data", "fmt"),
    [
        ("imbrique.json", b"[" * 100_000 + b"]" * 100_000, "csl-json"),
        (
            "nombre.json",
            b'[{"title": "A", "number-of-pages": ' + b"9" * 100_000 + b"}]",
            "csl-json",
        ),
        ("imbrique-fonds.json", b'{"records": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "json"),
        ("entete.csv", b'"' + b"x" * 1_000_000 + b'";titre\nA;B\n', "csv"),
        ("binaire.ris", bytes(range(256)) * 50, "ris"),
        ("binaire.bib", b"@book{" + bytes(range(256)) * 50, "bibtex"),
        ("tronque.xml", b"<collection><record><datafield tag='245'>", "marcxml"),
    ],
    ids=lambda v: v if isinstance(v, str) and "." in v else "",
)
def test_hostile_input_gets_a_sentence_never_a_traceback(fonds, tmp_path, name, data, fmt):
    path = tmp_path / name
    path.write_bytes(data)
    result = fonds("import", str(path), "--format", fmt, "--json")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    document = _json(result)
    assert document["created"] == 0
    assert document["errors"] or document["reasons"] or document["warnings"]


def test_an_unclosed_quote_costs_its_row_only(fonds, tmp_path):
    path = tmp_path / "fonds.csv"
    path.write_text(
        'titre;auteurs;annee\nUn;"Dupont, Marie;2001\nDeux;Durand, Paul;2002\nTrois;Roy, Léa;2003\n',
        encoding="utf-8",
    )
    document = _json(fonds("import", str(path), "--json"))
    assert document["created"] == 2
    assert document["errors"] == [
        {"line": 2, "message": "guillemet ouvert jamais refermé : ligne ignorée"}
    ]
    assert [r.title for r in records(fonds.instance)] == ["Deux", "Trois"]


def test_values_the_record_rule_refuses_are_reported_and_not_stored(fonds, tmp_path):
    """GIVEN a RIS file with a javascript: address, a 30,000-character abstract, control
    characters and a 977 barcode where the ISBN should be, WHEN it is imported, THEN each
    refused value is named on its line, the rest of the record is kept, nothing is cut."""
    path = tmp_path / "piege.ris"
    path.write_text(
        "TY  - BOOK\nTI  - Titre\x07 propre\nAU  - Dupont, Marie\nUR  - javascript:alert(1)\n"
        f"AB  - {'x' * 30_000}\nSN  - 9771234567003\nER  - \n",
        encoding="utf-8",
    )
    document = _json(fonds("import", str(path), "--json"))
    assert document["created"] == 1
    messages = " | ".join(w["message"] for w in document["warnings"])
    assert "seules http:// et https://" in messages
    assert "résumé trop long" in messages
    assert "ISBN invalide « 9771234567003 »" in messages
    (record,) = records(fonds.instance)
    assert record.title == "Titre propre" and record.url == "" and record.abstract == ""
    assert record.isbn == "" and "9771234567003" in record.notes


def test_the_same_reference_twice_in_a_file_makes_one_record(fonds):
    path = (
        _shared_dir(SHARED / "interop", "the interoperability files") / "ris" / "example_urls.ris"
    )
    document = _json(fonds("import", str(path), "--json"))
    assert document["created"] == 1 and document["skipped"] == 3
    assert all(
        "même référence que l'entrée 1 du fichier" in r["reason"] for r in document["rows"][1:]
    )


def test_a_zotero_spreadsheet_is_read_with_its_english_columns(fonds, tmp_path):
    path = tmp_path / "zotero.csv"
    path.write_text(
        '\ufeff"Key","Item Type","Publication Year","Author","Title","Publication Title",'
        '"ISBN","DOI","Pages","Volume","Publisher","Place","Language","Manual Tags","Editor"\n'
        '"AB12","journalArticle","2012","Dupont, Marie; Durand, Paul","La ville",'
        '"Revue urbaine","","10.1/xyz","12-25","7","","","fr","ville; quartier",""\n'
        '"CD34","book","2010","Martin, Luc","Un livre","","978-2-84450-768-6","","","",'
        '"Karthala","Paris","French","","Leblanc, Paul"\n',
        encoding="utf-8",
    )
    document = _json(fonds("import", str(path), "--json"))
    assert document["created"] == 2 and document["errors"] == []
    article, book = records(fonds.instance)
    assert article.doc_type is DocType.ARTICLE and article.publisher == "Revue urbaine"
    assert [a.name for a in article.authors] == ["Dupont, Marie", "Durand, Paul"]
    assert "DOI : 10.1/xyz" in article.notes and article.keywords == ("ville", "quartier")
    assert [(a.name, a.role) for a in book.authors] == [
        ("Martin, Luc", AuthorRole.AUTHOR),
        ("Leblanc, Paul", AuthorRole.EDITOR),
    ]
    assert book.isbn == "9782844507686" and book.language == "fr" and book.source.endswith("#CD34")


# -- roles --------------------------------------------------------------------------------------

ROLES = (
    Author("Dupont, Marie", AuthorKind.PERSON, AuthorRole.AUTHOR),
    Author("Leblanc, Paul", AuthorKind.PERSON, AuthorRole.EDITOR),
    Author("Roy, Léa", AuthorKind.PERSON, AuthorRole.TRANSLATOR),
    Author("Adam, Zoé", AuthorKind.PERSON, AuthorRole.ILLUSTRATOR),
    Author("Chamoiseau, Patrick", AuthorKind.PERSON, AuthorRole.PREFACE),
)
# What each format can say of a role (RIS has tags for editors and translators only; Dublin
# Core none); the others keep at least every name.
KEEPS_ROLES = {
    "json": ROLES,
    "csv": ROLES,
    "iso2709": ROLES,
    "marc21": ROLES,
    "marcxml": ROLES,
    "bibtex": ROLES,
}


@pytest.fixture
def with_roles(fonds):
    with Catalogue.in_instance(fonds.instance) as catalogue:
        catalogue.add(
            Record(
                title="Le livre aux cinq rôles",
                authors=ROLES,
                year=2011,
                doc_type=DocType.OUVRAGE,
                support=Support.PAPIER,
                language="fr",
            )
        )
    return fonds


@pytest.mark.parametrize("fmt", sorted(KEEPS_ROLES))
def test_roles_go_out_and_come_back_in_every_format_that_has_them(with_roles, tmp_path, fmt):
    exported = tmp_path / f"roles.{fmt}"
    with_roles("export", "--format", fmt, "-o", str(exported))
    other = tmp_path / "autre"
    result = CliRunner().invoke(
        cli, ["--instance", str(other), "import", str(exported), "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    (record,) = records(other)
    assert [(a.name, a.role) for a in record.authors] == [(a.name, a.role) for a in ROLES]


def test_unimarc_and_marc21_carry_the_relator_codes_partners_read(with_roles, tmp_path):
    unimarc, marc21 = tmp_path / "u.mrc", tmp_path / "m.mrc"
    with_roles("export", "--format", "iso2709", "-o", str(unimarc))
    with_roles("export", "--format", "marc21", "-o", str(marc21))
    (u,) = pymarc.MARCReader(unimarc.read_bytes(), to_unicode=True, force_utf8=True)
    codes = {(f.tag, f["a"], f["4"]) for f in u.get_fields("700", "701", "702")}
    assert codes == {
        ("700", "Dupont", "070"),
        ("702", "Leblanc", "340"),
        ("702", "Roy", "730"),
        ("702", "Adam", "440"),
        ("702", "Chamoiseau", "080"),
    }
    (m,) = pymarc.MARCReader(marc21.read_bytes(), to_unicode=True)
    assert m["100"]["4"] == "aut"
    assert [f["4"] for f in m.get_fields("700")] == ["edt", "trl", "ill", "aui"]


def test_a_spreadsheet_role_the_list_does_not_know_is_refused_on_its_line(fonds, tmp_path):
    path = tmp_path / "roles.csv"
    path.write_text(
        "titre;auteurs\nBon;Dupont, Marie (trad.)|Leblanc, Paul (dir.)\nMauvais;Roy, Léa (chef)\n",
        encoding="utf-8",
    )
    document = _json(fonds("import", str(path), "--json"))
    assert document["created"] == 1
    assert document["errors"][0]["line"] == 3 and "rôle inconnu" in document["errors"][0]["message"]
    (record,) = records(fonds.instance)
    assert [a.role for a in record.authors] == [AuthorRole.TRANSLATOR, AuthorRole.EDITOR]


def test_bad_values_of_the_description_cost_their_row_only_with_what_to_do(fonds, tmp_path):
    """GIVEN a spreadsheet with a hors-série number, a future acquisition and an unknown role
    WHEN it is imported THEN each row is refused with its line and a French reason that says
    what to write instead, the good rows are imported, and nothing of a refused row is kept
    (not even its copy)."""
    path = tmp_path / "lot.csv"
    path.write_text(
        "titre;auteurs;collection;numero_collection;date_acquisition;code_barres\n"
        "Bon;Dupont, Marie (trad.);Cahiers;3;2012-05-14;B1\n"
        "Hors;;Cahiers;hors-série;;B2\n"
        "Futur;;;;2099-01-01;B3\n"
        "Rôle;Roy, Léa (chef);;;;B4\n"
        "Bon aussi;;;;;B5\n",
        encoding="utf-8",
    )
    document = _json(fonds("import", str(path), "--json"))
    assert document["created"] == 2 and not document["refused"]
    errors = {e["line"]: e["message"] for e in document["errors"]}
    assert set(errors) == {3, 4, 5}
    assert "« hors-série »" in errors[3] and "mention d'édition ou la note publique" in errors[3]
    assert "dans le futur (2099-01-01)" in errors[4] and "aujourd'hui au plus tard" in errors[4]
    assert (
        "rôle inconnu" in errors[5]
        and "(trad.)" in errors[5]
        and "aucun pour un auteur" in errors[5]
    )
    kept = records(fonds.instance)
    assert [r.title for r in kept] == ["Bon", "Bon aussi"]
    assert {c.barcode for r in kept for c in r.copies} == {"B1", "B5"}
    plain = fonds("import", str(path), "--dry-run")
    assert "ligne 4 en erreur : date d'acquisition dans le futur" in plain.output
    assert "Traceback" not in plain.output


def test_a_reader_that_still_breaks_gives_one_line_and_nothing_is_imported(
    fonds, tmp_path, monkeypatch
):
    """Should a reader raise on a file it was not written for, `fonds import` says which
    format could not read it, in French, and leaves the catalogue as it was."""
    from library.formats import readers

    def broken(data: bytes, *, source: str = ""):  # type: ignore[no-untyped-def]
        raise LookupError("codec")

    monkeypatch.setitem(readers.READERS, "ris", broken)
    path = tmp_path / "partner.ris"
    path.write_text("TY  - BOOK\nTI  - Un titre\nER  - \n", encoding="utf-8")
    result = fonds("import", str(path), "--json")
    assert result.exit_code != 0
    document = _json(result)
    assert document["refused"] is True
    assert document["reasons"] == ["ligne 1 : fichier illisible en ris (LookupError)"]
    assert not (fonds.instance / "catalogue.sqlite3").exists() or records(fonds.instance) == []
