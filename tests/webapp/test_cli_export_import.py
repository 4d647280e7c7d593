"""`fonds export` and `fonds import` together: exports a partner can read, round trips into an
empty instance, previews of updates and duplicates, and damaged files refused with a position."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from library import Catalogue, Support
from library.formats.common import full_title
from tests.library.awkward import fill, live
from webapp.cli import cli


@pytest.fixture
def fund(tmp_path) -> Path:
    """An instance holding the awkward records (one of them deleted)."""
    path = tmp_path / "fonds"
    with Catalogue.in_instance(path) as catalogue:
        fill(catalogue)
    return path


@pytest.fixture
def fonds():
    runner = CliRunner()

    def invoke(instance: Path, *args: str):
        return runner.invoke(cli, ["--instance", str(instance), *args], catch_exceptions=False)

    return invoke


def records_of(instance: Path):
    with Catalogue.in_instance(instance) as catalogue:
        found = catalogue.get_many(catalogue.ids(include_deleted=True))
        return [found[i] for i in sorted(found)]


def one_line(text: str) -> str:
    return " ".join(text.split())


# What each format carries back on import, beyond title, authors and year (compared for every
# format): every descriptive field but what the format has no place for (the call number in
# MARC and oai_dc, the support in RIS, the subtitle in oai_dc, the exact date in MARC…).
_DESCRIPTIVE = frozenset(
    "subtitle kinds publisher place date type support language pages isbn issn call_number "
    "abstract keywords territories themes url notes".split()
)
# Issue 10's fields: collections (all of them, or the first only), edition, physical
# description, public note, acquisition date. docs/sharing.md lists what each format lacks.
_RICH = frozenset("series edition physical public_note acquired_on".split())
_MARC = (_DESCRIPTIVE | _RICH) - {"date", "call_number", "acquired_on"}
CARRIED = {
    "json": _DESCRIPTIVE | _RICH | {"copies", "created_at"},
    "csv": _DESCRIPTIVE | _RICH | {"copies"},
    "ris": (_DESCRIPTIVE | _RICH) - {"support", "physical", "acquired_on"},
    "bibtex": _DESCRIPTIVE | {"first_series", "edition", "public_note"},
    "csl-json": _DESCRIPTIVE | _RICH,
    "oai_dc": (_DESCRIPTIVE | {"series", "physical"}) - {"subtitle", "call_number", "notes"},
    "marcxml": _MARC,
    "iso2709": _MARC,
    "marc21": _MARC,
}
EXPORT_NAME = {"oai_dc": "dc"}


def assert_same(original, imported, carried: set[str]) -> None:
    assert full_title(imported) == full_title(original)
    assert [a.name for a in imported.authors] == [a.name for a in original.authors]
    assert imported.year == original.year
    checks = {
        "subtitle": lambda r: r.subtitle,
        "kinds": lambda r: [a.kind for a in r.authors],
        "publisher": lambda r: r.publisher,
        "place": lambda r: r.place,
        "date": lambda r: r.date or str(r.year or ""),
        "type": lambda r: r.doc_type,
        "support": lambda r: r.support,
        "language": lambda r: r.language,
        "pages": lambda r: r.pages,
        "isbn": lambda r: r.isbn,
        "issn": lambda r: r.issn,
        "call_number": lambda r: r.call_number,
        "abstract": lambda r: one_line(r.abstract),
        "keywords": lambda r: r.keywords,
        "territories": lambda r: r.territories,
        "url": lambda r: r.url,
        "notes": lambda r: r.notes,
        "series": lambda r: r.series,
        "first_series": lambda r: r.series[:1],
        "edition": lambda r: r.edition,
        "physical": lambda r: r.physical_description,
        "public_note": lambda r: r.public_note,
        "acquired_on": lambda r: r.acquired_on,
        "copies": lambda r: [(c.barcode, c.call_number, c.location) for c in r.copies],
        "created_at": lambda r: r.created_at,
    }
    for name in carried - {"themes"}:
        assert checks[name](imported) == checks[name](original), (name, imported.title)
    if "themes" in carried:
        # the partner's thematics come back; the tagger may propose more
        assert set(original.theme_slugs) <= set(imported.theme_slugs), imported.title
    if "date" not in carried and len(original.date) == 10:
        assert imported.date == original.date  # MARC keeps a full date in its coded data


@pytest.mark.parametrize("fmt", sorted(CARRIED))
def test_export_then_import_into_an_empty_instance_gives_back_the_same_records(
    fund, fonds, tmp_path, fmt
):
    """GIVEN a fund with awkward records, one of them deleted
    WHEN it is exported in a format and the file imported into an empty instance
    THEN the empty instance holds the live records, with what the format carries intact."""
    exported = tmp_path / f"export.{fmt}"
    result = fonds(fund, "export", "--format", EXPORT_NAME.get(fmt, fmt), "-o", str(exported))
    assert result.exit_code == 0, result.output
    assert "7 notices exportées" in result.output
    empty = tmp_path / "vide"
    result = fonds(empty, "import", str(exported), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "7 notices créées" in result.output
    originals, imported = live(records_of(fund)), records_of(empty)
    assert len(imported) == len(originals)
    for original, copy in zip(originals, imported, strict=True):
        assert_same(original, copy, CARRIED[fmt])
        assert copy.source.startswith(f"import:{exported.name}#oai:crpv-martinique.fr:")


@pytest.mark.parametrize("fmt", ["ris", "bibtex", "oai_dc", "iso2709", "json", "csv", "csl-json"])
def test_reimporting_our_own_export_changes_nothing(fund, fonds, tmp_path, fmt):
    exported = tmp_path / "notices"
    fonds(fund, "export", "--format", EXPORT_NAME.get(fmt, fmt), "-o", str(exported))
    before = records_of(fund)
    data = json.loads(fonds(fund, "import", str(exported), "--format", fmt, "--json").output)
    assert data["created"] == 0 and data["updated"] == 0 and data["skipped"] == 7
    assert all("déjà à jour" in row["reason"] for row in data["rows"])
    assert [r.updated_at for r in records_of(fund)] == [r.updated_at for r in before]


def test_an_edited_export_updates_the_records_it_names_and_the_preview_says_so(
    fund, fonds, tmp_path
):
    """GIVEN our JSON export, corrected by hand (one title, one new record)
    WHEN it is imported with --dry-run, then for real
    THEN the preview announces 1 update, 1 creation and 6 unchanged, and the import does it."""
    exported = tmp_path / "notices.json"
    fonds(fund, "export", "--format", "json", "-o", str(exported))
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["records"][1]["title"] = "Cultura y cohesión social (edición revisada)"
    extra = dict(document["records"][4], title="Un mémoire de plus", identifier="", copies=[])
    document["records"].append(extra)
    exported.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    preview = fonds(fund, "import", str(exported), "--dry-run")
    assert preview.exit_code == 0
    assert "1 notices seraient créées, 1 seraient mises à jour, 6 ignorées" in preview.output
    assert f"mise à jour de la notice n° {document['records'][1]['id']} (title)" in preview.output
    assert len(records_of(fund)) == 8  # nothing changed yet (7 live, 1 deleted)
    data = json.loads(fonds(fund, "import", str(exported), "--json").output)
    assert (data["created"], data["updated"], data["skipped"]) == (1, 1, 6)
    updated = {r.id: r for r in records_of(fund)}[document["records"][1]["id"]]
    assert updated.title == "Cultura y cohesión social (edición revisada)"
    assert updated.copies and updated.copies[0].barcode == "CRPV100002"  # copies kept


def test_a_partner_file_is_deduplicated_by_isbn_and_by_title_and_year(fund, fonds, tmp_path):
    partner = tmp_path / "partenaire.ris"
    partner.write_text(
        "TY  - BOOK\r\nTI  - Un autre titre\r\nSN  - 978-2-296-52913-7\r\nPY  - 2001\r\n"
        "ER  - \r\n\r\nTY  - THES\r\nTI  - HABITER LES MORNES : l’habitat spontané\r\n"
        "PY  - 2008\r\nER  - \r\n\r\n"
        "TY  - BOOK\r\nTI  - Vraiment nouveau\r\nAU  - Zobda, Léon\r\nPY  - 2011\r\nER  - \r\n",
        encoding="utf-8",
    )
    data = json.loads(fonds(fund, "import", str(partner), "--dry-run", "--json").output)
    reasons = [row["reason"] for row in data["rows"]]
    assert [row["action"] for row in data["rows"]] == ["skip", "skip", "create"]
    assert "même ISBN" in reasons[0] and "même titre et même année" in reasons[1]


def test_export_of_a_search_carries_only_what_the_search_finds(fund, fonds, tmp_path):
    out = tmp_path / "logement.ris"
    result = fonds(fund, "export", "--format", "ris", "--theme", "logement", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.count("ER  - ") == 2
    assert "Habiter les mornes" in text and "Arrêté préfectoral" in text
    result = fonds(fund, "export", "--format", "csv", "--type", "revue")
    assert result.exit_code == 0
    assert ";Lien social, n° 982;" in result.stdout  # title and subtitle are two cells
    assert result.stdout.count("oai:crpv-martinique.fr:") == 1


def test_export_of_a_list_of_ids_keeps_their_order_and_ignores_deleted_ones(fund, fonds):
    ids = [r.id for r in records_of(fund)]
    deleted = next(r.id for r in records_of(fund) if r.deleted)
    result = fonds(fund, "export", "--format", "bibtex", "--ids", f"{ids[3]},{deleted},{ids[0]}")
    keys = [
        line.split("{")[1].rstrip(",")
        for line in result.stdout.splitlines()
        if line.startswith("@")
    ]
    assert keys[0].endswith(f"_{ids[3]}") and keys[1].endswith(f"_{ids[0]}") and len(keys) == 2


def test_export_to_standard_output_writes_binary_marc_untouched(fund, fonds):
    result = fonds(fund, "export", "--format", "iso2709")
    assert result.exit_code == 0
    assert result.stdout_bytes.count(b"\x1d") == 7


def test_bundle_holds_the_five_partner_formats_and_a_manifest(fund, fonds, tmp_path):
    out = tmp_path / "lot.zip"
    assert fonds(fund, "export", "--bundle", "-o", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        ris_text = archive.read("notices.ris").decode("utf-8")
    assert names == {
        "notices.ris",
        "notices.bib",
        "notices-csl.json",
        "notices-unimarc.mrc",
        "notices-oai_dc.xml",
        "manifest.json",
    }
    assert manifest["count"] == 7 and {f["format"] for f in manifest["formats"]} == {
        "ris",
        "bibtex",
        "csl-json",
        "iso2709",
        "dc",
    }
    assert all(f["count"] == 7 for f in manifest["formats"]) and manifest["generated"].endswith("Z")
    assert manifest["centre"] and manifest["repository"] == "crpv-martinique.fr"
    assert ris_text.count("ER  - ") == 7


def test_export_needs_a_format(fund, fonds):
    result = CliRunner().invoke(cli, ["--instance", str(fund), "export"])
    assert result.exit_code == 2 and "--format" in result.output


# -- damaged files ---------------------------------------------------------------------------


def test_truncated_marc_is_refused_with_its_position_and_nothing_is_imported(fund, fonds, tmp_path):
    exported = tmp_path / "notices.mrc"
    fonds(fund, "export", "--format", "iso2709", "--ids", "1,2,3", "-o", str(exported))
    data = exported.read_bytes()
    third = data.index(b"\x1d", data.index(b"\x1d") + 1) + 1
    exported.write_bytes(data[: third + 100])
    empty = tmp_path / "vide"
    result = fonds(empty, "import", str(exported))
    assert result.exit_code == 1
    assert "notice 3 en erreur : notice tronquée : 100 octets sur les" in result.output
    assert f"(octet {third})" in result.output
    assert "rien n'a été importé" in result.output
    assert not (empty / "catalogue.sqlite3").exists() or records_of(empty) == []
    result = fonds(empty, "import", str(exported), "--skip-invalid")
    assert result.exit_code == 0 and "2 notices créées" in result.output
    assert len(records_of(empty)) == 2


def test_ris_without_er_is_refused_with_the_line_of_the_unfinished_record(fund, fonds, tmp_path):
    exported = tmp_path / "notices.ris"
    fonds(fund, "export", "--format", "ris", "-o", str(exported))
    lines = exported.read_bytes().decode("utf-8").split("\r\n")
    second_er = [i for i, line in enumerate(lines) if line.startswith("ER  -")][1]
    second_ty = [i for i, line in enumerate(lines) if line.startswith("TY  -")][1]
    del lines[second_er]
    exported.write_text("\r\n".join(lines), encoding="utf-8")
    empty = tmp_path / "vide"
    result = fonds(empty, "import", str(exported))
    assert result.exit_code == 1
    assert f"ligne {second_ty + 1} en erreur : notice sans fin (ER)" in result.output
    assert records_of(empty) == [] if (empty / "catalogue.sqlite3").exists() else True
    last = exported.read_text(encoding="utf-8").rstrip().rsplit("ER  -", 1)[0]
    exported.write_text(last, encoding="utf-8")
    result = fonds(empty, "import", str(exported))
    assert "la balise ER manque avant la fin du fichier" in result.output


def test_bibtex_with_unbalanced_braces_is_refused_and_the_valid_part_imported_on_request(
    fund, fonds, tmp_path
):
    exported = tmp_path / "notices.bib"
    fonds(fund, "export", "--format", "bibtex", "-o", str(exported))
    entries = exported.read_text(encoding="utf-8").split("\n@")
    entries[2] = entries[2].replace("title", "title = {Titre sans fin,\n  old", 1)
    text = "\n@".join(entries)
    exported.write_text(text, encoding="utf-8")
    second_entry = [i for i, line in enumerate(text.split("\n"), start=1) if line.startswith("@")][
        1
    ]
    empty = tmp_path / "vide"
    result = fonds(empty, "import", str(exported))
    assert result.exit_code == 1
    assert f"ligne {second_entry} en erreur : entrée @proceedings" in result.output
    assert "accolades non équilibrées" in result.output
    result = fonds(empty, "import", str(exported), "--skip-invalid")
    assert result.exit_code == 0 and "6 notices créées" in result.output


def test_csv_with_a_wrong_column(fonds, tmp_path):
    no_title = tmp_path / "sans-titre.csv"
    no_title.write_text("intitulé;auteurs\nUn titre;Dupont, Jean\n", encoding="utf-8")
    result = fonds(tmp_path / "a", "import", str(no_title))
    assert result.exit_code == 1 and "ligne 1 : colonne « titre » absente" in result.output
    odd = tmp_path / "colonne.csv"
    odd.write_text(
        "titre;auteurs;couleur;annee\nUn titre;Dupont, Jean;bleu;2010\n"
        "Autre titre;;rouge;vingt\nTroisième;;vert;2011\n",
        encoding="utf-8",
    )
    result = fonds(tmp_path / "b", "import", str(odd))
    assert result.exit_code == 0  # CSV keeps its documented behaviour: the valid rows go in
    assert "ligne 1 : colonnes inconnues ignorées : couleur" in result.output
    assert "ligne 3 en erreur : année invalide « vingt »" in result.output
    assert "2 notices créées" in result.output


def test_a_file_of_unknown_format_asks_for_format(fonds, tmp_path):
    odd = tmp_path / "notes.txt"
    odd.write_text("rien de bibliographique", encoding="utf-8")
    result = fonds(tmp_path / "a", "import", str(odd))
    assert result.exit_code == 1 and "précisez --format" in result.output


def test_a_marc21_file_is_recognised_and_read(fund, fonds, tmp_path):
    exported = tmp_path / "marc21.mrc"
    fonds(fund, "export", "--format", "marc21", "-o", str(exported))
    empty = tmp_path / "vide"
    result = fonds(empty, "import", str(exported))
    assert result.exit_code == 0 and "7 notices créées" in result.output
    assert {r.support for r in records_of(empty)} == {Support.PAPIER, Support.ELECTRONIQUE}
