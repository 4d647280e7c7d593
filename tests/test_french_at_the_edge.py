"""French for users is written at the edge: `library` and `indexer` hand up codes and facts,
and `webapp/messages.py` (and `webapp/cli/messages.py`) put them into words.

The check reads every string literal of the two deeper layers (docstrings aside) and flags
French prose: a literal with a space and an accented letter or French quotation marks. Regular
expressions that match French text, and data (labels the catalogue stores, sample words), are
not messages; the files below still hold French for a reason each, and a new file holds none.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

_FRENCH = re.compile(r"[àâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊËÎÏÔÙÛÜŒ«»]")
_REGEX = re.compile(r"\(\?|\\[bswdSWD]|\[[^\]]*\]|\|")

# Files that may still hold French literals, and why. Shrink this list; never grow it for prose.
ALLOWED: dict[str, str] = {
    # Data, not messages: words matched in documents, labels stored or exchanged as such.
    "indexer/analysis.py": "French stopwords",
    "indexer/metadata.py": "French words matched in title pages",
    "indexer/metadata_text.py": "French words matched in documents",
    "indexer/records.py": "French words matched in names",
    "indexer/tag_model.py": "feature labels written into the readable model file",
    "library/text.py": "French month names read in dates",
    "library/exporting.py": "export formats' descriptions (a labels table)",
    "library/models.py": "document type labels stored and exchanged",
    "library/inventory.py": "inventory status labels",
    "library/labels.py": "the label sheet's title",
    "library/loans/borrowers.py": "borrower category labels",
    "library/loans/models.py": "reminder labels",
    "library/alerts.py": "a delivery status stored in the database",
    "library/formats/bibtex.py": "a howpublished value written into the export",
    "library/formats/citation.py": "a bibliography's own text (ISO 690, in French)",
    "library/formats/docx_bibliography.py": "a bibliography's own text (its heading lines)",
    "library/formats/dublin_core.py": "a dc:format value written into the export",
    "library/validation.py": "the line it writes into a record's notes (a refused number kept)",
    # Debt: none left (issue 17); a user sentence composed inside is worded at the edge.
}


def _allowed(rel: str) -> bool:
    return any(rel == key or rel.startswith(key + "/") for key in ALLOWED)


def french_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of the string literals that read as French prose (docstrings aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            docstrings.add(id(first.value))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and " " in node.value.strip()
            and _FRENCH.search(node.value)
            and not _REGEX.search(node.value)
        ):
            found.append((node.lineno, node.value))
    return found


def checked_files() -> list[Path]:
    """The deep layers' modules, but the allowed ones."""
    return sorted(
        p
        for package in ("library", "indexer")
        for p in (REPO / package).rglob("*.py")
        if not _allowed(p.relative_to(REPO).as_posix())
    )


@pytest.mark.parametrize("path", checked_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_the_deep_layers_compose_no_french_sentence(path):
    rel = path.relative_to(REPO).as_posix()
    assert french_literals(path) == [], f"{rel}: word this at the edge (webapp/messages.py)"


def test_the_check_sees_a_french_sentence_and_passes_a_regex(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Docstring à part."""\n'
        'A = "fichier illisible : réessayez"\n'
        'B = r"(?:r[ée]sum[ée])"\n'
        'C = "plain english words"\n',
        encoding="utf-8",
    )
    assert french_literals(sample) == [(2, "fichier illisible : réessayez")]


def test_the_check_would_have_caught_the_vocabulary_checker_of_before(tmp_path):
    before = tmp_path / "checker.py"
    before.write_text(
        "def fail(slug):\n"
        '    raise VocabularyError(f"la thématique « {slug} » n\'a aucun terme")\n',
        encoding="utf-8",
    )
    assert {line for line, _ in french_literals(before)} == {2}


def test_every_allowed_file_still_exists():
    assert [key for key in ALLOWED if not (REPO / key).exists()] == []
