"""How much of what an upload proposes a documentalist keeps, measured on the sample fund.

`tests/data/expected_metadata.csv` holds, for each electronic document of `corpus/documents`,
the description a documentalist gives it (title, subtitle, authors as 'Nom, Prénom' or the
body's name, date, type, language): the fund's own catalogue description, written once from
the documents and their sources (`corpus/src/*.md`), never from the extractor's output.

A proposal is *kept* when the documentalist would leave it as it is:
- title: the same words (case, accents and punctuation aside: fixing a capital is not
  rewriting a title);
- authors: the same set of people and bodies, each written the same way (order aside);
- date: the same year, and the same month when both say one (a day more or less precise is
  kept: the catalogue describes to the month);
- type and language: the same value.
The targets are those of the issue "Uploads that read the document"; docs/indexing.md reports
the figures ("What an upload proposes").
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest

from indexer.extractors import default_registry
from indexer.language import detect_language
from indexer.records import record_from_extraction
from library import Author, AuthorKind, DocType, Record, SourceFile
from library.text import fold

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ROOT / "corpus" / "documents"
EXPECTED = ROOT / "tests" / "data" / "expected_metadata.csv"
TARGETS = {"title": 0.90, "date": 0.90, "language": 0.90, "type": 0.80, "authors": 0.80}


def _words(text: str) -> str:
    return re.sub(r"[^\w]+", " ", fold(text)).strip()


def _kept_date(proposed: str, expected: str) -> bool:
    if len(proposed) < 4 or proposed[:4] != expected[:4]:
        return False
    if len(proposed) >= 7 and len(expected) >= 7:
        return proposed[:7] == expected[:7]
    return True


def kept(record: Record, row: dict[str, str]) -> dict[str, bool]:
    expected_authors = sorted(_words(a) for a in row["authors"].split(" | ") if a)
    return {
        "title": _words(record.title) == _words(row["title"]),
        "authors": sorted(_words(a.name) for a in record.authors) == expected_authors,
        "date": _kept_date(record.date, row["date"]),
        "type": record.doc_type.value == row["type"],
        "language": record.language == row["language"],
    }


@cache
def proposals() -> dict[str, Record]:
    registry = default_registry()
    out = {}
    for path in sorted(DOCUMENTS.iterdir()):
        extraction = registry.extract(path)
        source = SourceFile("0" * 64, path.name, extraction.media_type, path.stat().st_size, "x")
        out[path.name] = record_from_extraction(
            extraction,
            language=detect_language(extraction.text, extraction.language_hint),
            source_file=source,
            original_name=path.name,
        )
    return out


def expected_rows() -> list[dict[str, str]]:
    with EXPECTED.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def rates() -> dict[str, float]:
    rows = expected_rows()
    counts = dict.fromkeys(TARGETS, 0)
    for row in rows:
        for field, ok in kept(proposals()[row["file"]], row).items():
            counts[field] += ok
    return {field: counts[field] / len(rows) for field in counts}


def test_every_electronic_document_of_the_fund_has_its_expected_description():
    files = {p.name for p in DOCUMENTS.iterdir()}
    described = [row["file"] for row in expected_rows()]
    assert sorted(described) == sorted(files)
    assert len(files) >= 60


@pytest.mark.parametrize("field", sorted(TARGETS))
def test_the_documentalist_keeps_most_proposals(field):
    rate = rates()[field]
    misses = [
        f"{row['file']}: {getattr(proposals()[row['file']], field, None)!r}"
        for row in expected_rows()
        if not kept(proposals()[row["file"]], row)[field]
    ]
    assert rate >= TARGETS[field], f"{field}: {rate:.0%} kept; proposals changed: {misses}"


def test_the_kept_measure_tells_a_rewritten_proposal_from_a_kept_one():
    row = {
        "title": "Évaluation du CUCS : rapport final",
        "authors": "Dupont, Marie | Ville du Lamentin",
        "date": "2009-06",
        "type": "rapport",
        "language": "fr",
    }
    same = Record(
        title="EVALUATION DU CUCS — RAPPORT FINAL",
        authors=(Author("Ville du Lamentin", AuthorKind.ORGANISATION), Author("Dupont, Marie")),
        date="2009-06-12",
        language="fr",
        doc_type=DocType.RAPPORT,
    )
    assert all(kept(same, row).values())
    other = Record(title="Rapport", authors=(Author("jdupont"),), date="2009-07", language="en")
    assert not any(kept(other, row).values())
