"""Write a synthetic fund to a folder: `documents/`, `catalogue.csv` (paper holdings) and
`labels.csv` (the thematics each document was written about).

The labels are the generator's intentions, handy for tests; they are not the project's
evaluation labels (those are a documentalist's judgement on real documents).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from library.formats.spreadsheet import SafeWriter
from library.models import Support

from .files import write_document
from .records import SyntheticDocument, generate_records

CATALOGUE_COLUMNS = (
    "titre",
    "sous_titre",
    "auteurs",
    "editeur",
    "lieu",
    "annee",
    "type",
    "support",
    "langue",
    "pages",
    "isbn",
    "cote",
    "resume",
    "mots_cles",
    "territoires",
    "thematiques",
    "code_barres",
    "localisation",
)
FORMAT_ORDER = ("pdf", "docx", "txt", "md", "html")


@dataclass
class FundSummary:
    """What was written."""

    folder: Path
    documents: int = 0
    paper: int = 0
    copies: int = 0
    by_format: Counter[str] = field(default_factory=Counter)
    by_language: Counter[str] = field(default_factory=Counter)
    text_chars: int = 0  # characters of text in the electronic files

    @property
    def files(self) -> int:
        return sum(self.by_format.values())


def catalogue_row(document: SyntheticDocument) -> dict[str, str]:
    """A paper holding as a row of the catalogue spreadsheet (thematiques left empty)."""
    return {
        "titre": document.title,
        "sous_titre": document.subtitle,
        "auteurs": "|".join(document.authors),
        "editeur": document.publisher,
        "lieu": document.place,
        "annee": str(document.year),
        "type": document.doc_type.value,
        "support": document.support.value,
        "langue": document.language,
        "pages": str(document.pages or ""),
        "isbn": document.isbn,
        "cote": document.call_number,
        "resume": document.abstract,
        "mots_cles": "|".join(document.keywords),
        "territoires": "|".join(document.territories),
        "thematiques": "",
        "code_barres": "|".join(document.barcodes),
        "localisation": document.location,
    }


def label_ref(document: SyntheticDocument) -> str:
    """The document's `ref` in labels.csv: its file, or its first barcode."""
    if document.file_name:
        return f"documents/{document.file_name}"
    return f"barcode:{document.barcodes[0]}"


def generate_fund(folder: Path, n: int, seed: int = 0) -> FundSummary:
    """Write the n-document fund `seed` into `folder`, which must be absent or empty."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(folder)
    documents_dir = folder / "documents"
    documents_dir.mkdir(parents=True, exist_ok=True)
    summary = FundSummary(folder)
    with (
        open(folder / "catalogue.csv", "w", encoding="utf-8", newline="") as catalogue_file,
        open(folder / "labels.csv", "w", encoding="utf-8", newline="") as labels_file,
    ):
        catalogue = SafeWriter(catalogue_file, lineterminator="\n")
        catalogue.writerow(CATALOGUE_COLUMNS)
        labels = SafeWriter(labels_file, lineterminator="\n")
        labels.writerow(("ref", "themes"))
        for document in generate_records(n, seed):
            summary.documents += 1
            summary.by_language[document.language] += 1
            if document.support is Support.PAPIER:
                row = catalogue_row(document)
                catalogue.writerow(row.get(c, "") for c in CATALOGUE_COLUMNS)
                summary.paper += 1
                summary.copies += len(document.barcodes)
            else:
                write_document(document, documents_dir)
                summary.by_format[document.file_format or ""] += 1
                summary.text_chars += len(document.text)
            labels.writerow((label_ref(document), "|".join(document.themes)))
    return summary
