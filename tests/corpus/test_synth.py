"""The synthetic fund generator: what a benchmark or a scale test relies on.

One fund of 200 documents is generated per module (about two seconds) and inspected as the
indexer and the importer will see it: files that open, a catalogue that parses, labels that
resolve, the announced mix of formats, sizes and languages.
"""

from __future__ import annotations

import csv
import random
import re
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from corpus.synth.compose import join_es, join_fr
from corpus.synth.fund import CATALOGUE_COLUMNS, generate_fund
from corpus.synth.naming import isbn13
from corpus.synth.records import SyntheticDocument, generate_records, spread
from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary
from library.models import DocType, Support
from library.text import normalise_title
from webapp.cli import cli

N, SEED = 200, 11
THEMES = set(load_vocabulary(PACKAGED_VOCABULARY).labels())
HELPERS_COLUMNS = {  # the columns HELPERS.md documents for catalogue.csv
    "titre",
    "sous_titre",
    "auteurs",
    "editeur",
    "lieu",
    "annee",
    "date",
    "type",
    "support",
    "langue",
    "pages",
    "isbn",
    "issn",
    "cote",
    "resume",
    "mots_cles",
    "territoires",
    "thematiques",
    "url",
    "notes",
    "code_barres",
    "localisation",
}


def squash(text: str) -> str:
    return " ".join(text.split())


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def fund(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth") / "fund"
    generate_fund(folder, N, SEED)
    return folder


@pytest.fixture(scope="module")
def records() -> dict[str, SyntheticDocument]:
    """The fund's documents by label ref (file or first barcode)."""
    out = {}
    for doc in generate_records(N, SEED):
        out[f"documents/{doc.file_name}" if doc.file_name else f"barcode:{doc.barcodes[0]}"] = doc
    return out


@pytest.fixture(scope="module")
def catalogue_rows(fund: Path) -> list[dict[str, str]]:
    with open(fund / "catalogue.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def files_of(records: dict[str, SyntheticDocument], fmt: str) -> list[SyntheticDocument]:
    return [d for d in records.values() if d.file_format == fmt]


# --- determinism ---------------------------------------------------------------------------


def test_the_same_seed_writes_byte_identical_funds(tmp_path):
    generate_fund(tmp_path / "a", 60, 5)
    generate_fund(tmp_path / "b", 60, 5)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_docx_zip_entries_carry_the_document_date_not_the_clock(fund, records):
    """python-docx stamps entries with the time of writing: two runs a second apart would differ."""
    for doc in files_of(records, "docx"):
        with zipfile.ZipFile(fund / "documents" / doc.file_name) as z:
            stamps = {info.date_time for info in z.infolist()}
        assert len(stamps) == 1 and 2005 <= stamps.pop()[0] <= 2014


def test_another_seed_writes_another_fund(tmp_path):
    generate_fund(tmp_path / "a", 30, 5)
    generate_fund(tmp_path / "b", 30, 6)
    assert (tmp_path / "a" / "labels.csv").read_bytes() != (
        tmp_path / "b" / "labels.csv"
    ).read_bytes()
    assert set(tree(tmp_path / "a" / "documents")).isdisjoint(tree(tmp_path / "b" / "documents"))


def test_records_are_what_the_fund_writes(fund, records):
    with open(fund / "labels.csv", encoding="utf-8", newline="") as f:
        labels = {row["ref"]: row["themes"] for row in csv.DictReader(f, delimiter=";")}
    assert labels == {ref: "|".join(doc.themes) for ref, doc in records.items()}


# --- the mix -------------------------------------------------------------------------------


def test_half_files_half_paper_with_the_announced_format_mix(fund, catalogue_rows):
    files = Counter(p.suffix for p in (fund / "documents").iterdir())
    assert sum(files.values()) == pytest.approx(N / 2, abs=4)
    assert len(catalogue_rows) == N - sum(files.values())
    assert files[".pdf"] == pytest.approx(50, abs=5)
    assert files[".docx"] == pytest.approx(30, abs=4)
    assert files[".txt"] + files[".md"] == pytest.approx(10, abs=3)
    assert files[".html"] == pytest.approx(10, abs=3)


def test_text_sizes_are_those_of_real_reports(records):
    sizes = [len(d.text) for d in records.values() if d.file_format]
    small = sum(1 for s in sizes if s < 6_000)
    medium = sum(1 for s in sizes if 10_000 <= s < 40_000)
    large = sum(1 for s in sizes if s >= 60_000)
    assert (small, medium, large) == (
        pytest.approx(30, abs=5),
        pytest.approx(50, abs=5),
        pytest.approx(20, abs=4),
    )
    assert sum(sizes) / len(sizes) == pytest.approx(30_600, rel=0.2)  # ~30 MB per 1,000 files


def test_about_one_document_in_ten_is_in_english_or_spanish(records):
    languages = Counter(d.language for d in records.values())
    assert set(languages) == {"fr", "en", "es"}
    assert languages["en"] + languages["es"] == pytest.approx(N / 10, abs=5)


def test_titles_are_unique_per_year_so_the_importer_keeps_every_holding(records):
    keys = [(normalise_title(d.title), d.year) for d in records.values()]
    assert len(set(keys)) == len(keys)


def test_documents_cover_one_to_three_thematics_mostly_the_main_one(records):
    counts = Counter(len(d.themes) for d in records.values())
    assert set(counts) <= {1, 2, 3} and counts[1] > counts[3]
    assert {t for d in records.values() for t in d.themes} == THEMES


# --- the files -----------------------------------------------------------------------------


def test_every_pdf_opens_and_shows_its_title_on_the_title_page(fund, records):
    for doc in files_of(records, "pdf"):
        reader = PdfReader(fund / "documents" / doc.file_name)
        assert squash(doc.title) in squash(reader.pages[0].extract_text())
        # A PDF page holds about 3 KB of text, as in real reports.
        assert len(reader.pages) == pytest.approx(1 + len(doc.text) / 3000, rel=0.35, abs=1)
        info = reader.metadata or {}
        if doc.metadata == "full":
            assert info.get("/Title") == doc.title
        else:
            assert info.get("/Title") != doc.title


def test_pdf_body_text_is_extractable_french(fund, records):
    doc = next(
        d for d in files_of(records, "pdf") if d.size_class == "medium" and d.language == "fr"
    )
    text = squash(
        " ".join(p.extract_text() for p in PdfReader(fund / "documents" / doc.file_name).pages)
    )
    last_paragraph = next(b for b in reversed(doc.body) if isinstance(b, str))
    assert squash(last_paragraph)[:200] in text
    assert re.search(r"[éèàç]", text) and "’" in text


def test_every_docx_opens_and_most_carry_their_metadata(fund, records):
    kinds = Counter()
    for doc in files_of(records, "docx"):
        document = docx.Document(str(fund / "documents" / doc.file_name))
        props = document.core_properties
        kinds[doc.metadata] += 1
        if doc.metadata == "full":
            assert props.title == doc.title
            assert props.author
            assert props.created.replace(tzinfo=None) == doc.created
        elif doc.metadata == "none":
            assert props.title == "" and props.author == ""
        else:
            assert props.title != doc.title and props.title
        assert props.comments == ""  # not python-docx's "generated by python-docx"
        paragraphs = [p.text for p in document.paragraphs]
        assert doc.title in paragraphs
    assert kinds["full"] >= 0.8 * sum(kinds.values())
    assert kinds["none"] + kinds["junk"] >= 1


def test_html_pages_carry_metadata_and_boilerplate_that_is_not_the_document(fund, records):
    for doc in files_of(records, "html"):
        page = (fund / "documents" / doc.file_name).read_text(encoding="utf-8")
        assert re.search(r"<title>[^<]+</title>", page)
        assert '<meta name="description"' in page and '<meta name="author"' in page
        assert "<nav" in page and "<script" in page and "Mentions légales" in page
        assert "Mentions légales" not in doc.text and "menuToggle" not in doc.text


def test_text_and_markdown_files_are_utf8_with_the_title(fund, records):
    for doc in files_of(records, "txt") + files_of(records, "md"):
        content = (fund / "documents" / doc.file_name).read_text(encoding="utf-8")
        assert doc.title in content or doc.title.upper() in content


def test_file_names_are_unique_slugs_and_a_few_as_users_type_them(records):
    names = [d.file_name for d in records.values() if d.file_name]
    assert len(set(names)) == len(names)
    slugs = [
        n
        for n in names
        if re.fullmatch(r"20(0[5-9]|1[0-3])-[a-z0-9-]+-\d{4}\.(pdf|docx|txt|md|html)", n)
    ]
    odd = [n for n in names if " " in n]
    assert len(slugs) + len(odd) == len(names)
    assert 1 <= len(odd) <= 10


# --- the catalogue and the labels ----------------------------------------------------------


def test_catalogue_parses_with_documented_columns_and_unique_barcodes(catalogue_rows):
    assert set(catalogue_rows[0]) <= HELPERS_COLUMNS and set(catalogue_rows[0]) == set(
        CATALOGUE_COLUMNS
    )
    barcodes = [b for row in catalogue_rows for b in row["code_barres"].split("|")]
    assert len(barcodes) == len(set(barcodes))
    for row in catalogue_rows:
        assert row["titre"] and row["support"] == "papier" and row["thematiques"] == ""
        assert 1 <= len(row["code_barres"].split("|")) <= 3
        assert re.fullmatch(r"\d{3}(\.\d+)? [A-Z]{3}", row["cote"])
        assert row["localisation"] in {"Salle de lecture", "Réserve", "Bureau documentation"}
        assert 2 <= len(re.findall(r"[.!?](?: |$)", row["resume"])) <= 5
        assert row["mots_cles"] and row["territoires"] and row["auteurs"]
        assert DocType(row["type"]) and row["langue"] in {"fr", "en", "es"}
        assert 2005 <= int(row["annee"]) <= 2013


def test_every_label_points_at_a_file_or_a_paper_holding(fund, catalogue_rows):
    first_barcodes = {row["code_barres"].split("|")[0] for row in catalogue_rows}
    with open(fund / "labels.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert len(rows) == N
    for row in rows:
        ref, themes = row["ref"], row["themes"].split("|")
        if ref.startswith("barcode:"):
            assert ref.removeprefix("barcode:") in first_barcodes
        else:
            assert (fund / ref).is_file()
        assert 1 <= len(themes) <= 3 and set(themes) <= THEMES


# --- the text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "value", "expected"),
    [
        ("évaluation de ", "le suivi", "évaluation du suivi"),
        ("habitants de ", "les quartiers", "habitants des quartiers"),
        ("participer à ", "le projet", "participer au projet"),
        ("accès ", "aux soins", "accès aux soins"),
        ("diagnostic de ", "Le Lamentin", "diagnostic du Lamentin"),
        ("quartier de ", "Acajou", "quartier d’Acajou"),
        ("de ", "une enquête", "d’une enquête"),
        ("quartier de ", "Trénelle", "quartier de Trénelle"),
        ("dans ", "le quartier", "dans le quartier"),
    ],
)
def test_french_holes_elide_and_contract(before, value, expected):
    left, right = join_fr(before, value)
    assert left + right == expected


def test_spanish_holes_contract():
    assert "".join(join_es("el fin de ", "el programa")) == "el fin del programa"


def test_french_texts_read_as_french():
    """No unfilled slot, no 'de le', no 'de une', typographic apostrophes."""
    bad = re.compile(
        r"\{|\}|\b(?:[Dd]e|[Àà]) (?:le|les|Le|Les) |\b(?:de|que|le|la) [aeiouéèêâîô]|'"
    )
    for doc in generate_records(40, 3, paper_share=0):
        if doc.language == "fr":
            for text in (doc.title, doc.abstract, doc.text):
                assert not bad.search(text), bad.search(text)


# --- the API for benchmarks ----------------------------------------------------------------


def test_generate_records_gives_texts_without_files_for_benchmarks():
    docs = list(generate_records(20, 1, paper_share=0))
    assert all(d.support is Support.ELECTRONIQUE and len(d.text) > 1000 for d in docs)
    record = docs[0].to_record()
    assert record.title == docs[0].title and record.year == docs[0].year and record.authors


def test_paper_holdings_become_records_with_their_copies():
    paper = next(d for d in generate_records(10, 1) if d.support is Support.PAPIER)
    record = paper.to_record()
    assert record.support is Support.PAPIER and paper.text == ""
    assert [c.barcode for c in record.copies] == list(paper.barcodes)
    assert all(c.call_number == paper.call_number for c in record.copies)


def test_the_mix_is_exact_by_largest_remainder():
    assert Counter(spread(7, {"a": 0.5, "b": 0.3, "c": 0.2})) == {"a": 4, "b": 2, "c": 1}
    assert spread(0, {"a": 1.0}) == []


def test_isbns_have_a_valid_check_digit():
    digits = isbn13(random.Random(4)).replace("-", "")
    assert len(digits) == 13 and digits.startswith("9782")
    assert sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0


# --- the command ---------------------------------------------------------------------------


def test_corpus_generate_writes_a_fund_and_says_so_in_one_french_line(tmp_path):
    out = tmp_path / "fonds"
    result = CliRunner().invoke(
        cli, ["corpus", "generate", str(out), "--documents", "20", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        rf"20 documents générés dans {re.escape(str(out))} : 10 fichiers \(\d+ PDF, .*\), "
        r"10 notices papier\n",
        result.output,
    )
    assert (out / "catalogue.csv").is_file() and (out / "labels.csv").is_file()
    assert len(list((out / "documents").iterdir())) == 10


def test_corpus_generate_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["corpus", "generate", str(tmp_path), "--documents", "5"])
    assert result.exit_code == 1
    assert "n’est pas un dossier vide" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("count", ["0", "-3", "beaucoup"])
def test_corpus_generate_rejects_a_bad_document_count(tmp_path, count):
    result = CliRunner().invoke(
        cli, ["corpus", "generate", str(tmp_path / "f"), "--documents", count]
    )
    assert result.exit_code == 2
    assert "--documents" in result.output
    assert not (tmp_path / "f").exists()
