"""Values of the catalogue: frozen dataclasses and the controlled lists.

Codes are stable ASCII slugs (they appear in URLs, the CLI and exports). The names of the
document types stay beside them: they are catalogue data, written into every exchange format
(Dublin Core type, MARC 608/655, RIS M3…) and read back from the holdings spreadsheet. Words
that are only interface (a support, the state of a copy) are the edge's: `webapp/messages.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class DocType(StrEnum):
    OUVRAGE = "ouvrage"
    RAPPORT = "rapport"
    ETUDE = "etude"
    GUIDE = "guide"
    ACTES = "actes"
    ARTICLE = "article"
    REVUE = "revue"
    COMPTE_RENDU = "compte-rendu"
    FICHE_EXPERIENCE = "fiche-experience"
    LETTRE_INFORMATION = "lettre-information"
    MEMOIRE = "memoire"
    TEXTE_OFFICIEL = "texte-officiel"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return DOC_TYPE_LABELS[self]


DOC_TYPE_LABELS: dict[DocType, str] = {
    DocType.OUVRAGE: "Ouvrage",
    DocType.RAPPORT: "Rapport",
    DocType.ETUDE: "Étude",
    DocType.GUIDE: "Guide méthodologique",
    DocType.ACTES: "Actes",
    DocType.ARTICLE: "Article",
    DocType.REVUE: "Revue",
    DocType.COMPTE_RENDU: "Compte rendu",
    DocType.FICHE_EXPERIENCE: "Fiche d'expérience",
    DocType.LETTRE_INFORMATION: "Lettre d'information",
    DocType.MEMOIRE: "Mémoire / thèse",
    DocType.TEXTE_OFFICIEL: "Texte officiel",
    DocType.AUTRE: "Autre",
}


class Support(StrEnum):
    PAPIER = "papier"
    ELECTRONIQUE = "electronique"


class AuthorKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class AuthorRole(StrEnum):
    """What a person or body did for the document. The French abbreviation is how the
    spreadsheet and the pages write it after the name: 'Dupont, Marie (trad.)' (data, kept
    here); the form's labels are worded at the edge (webapp/messages.py)."""

    AUTHOR = "author"
    TRANSLATOR = "translator"
    EDITOR = "editor"  # director of the publication, scientific editor
    ILLUSTRATOR = "illustrator"
    PREFACE = "preface"

    @property
    def abbreviation(self) -> str:
        return ROLE_ABBREVIATIONS[self]


ROLE_ABBREVIATIONS: dict[AuthorRole, str] = {
    AuthorRole.AUTHOR: "",
    AuthorRole.TRANSLATOR: "trad.",
    AuthorRole.EDITOR: "dir.",
    AuthorRole.ILLUSTRATOR: "ill.",
    AuthorRole.PREFACE: "préf.",
}


class TextStatus(StrEnum):
    """What extraction gave: text, nothing (to OCR), or no file at all (paper record)."""

    OK = "ok"
    EMPTY = "empty"
    NONE = "none"


class CopyStatus(StrEnum):
    """Physical state of a copy; being on loan is derived from the loans, not stored here."""

    AVAILABLE = "available"
    ON_LOAN = "on_loan"
    MISSING = "missing"
    WITHDRAWN = "withdrawn"


class ThemeSource(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"


@dataclass(frozen=True, slots=True)
class Author:
    """A person ("Nom, Prénom" or "Nom, Prénom, Suffixe": "King, Martin Luther, Jr.";
    particles as catalogues file them: "La Fontaine, Jean de") or an organisation, in
    catalogue order, with the role they had."""

    name: str
    kind: AuthorKind = AuthorKind.PERSON
    role: AuthorRole = AuthorRole.AUTHOR

    def _parts(self) -> list[str]:
        return [p.strip() for p in self.name.split(",", 2)]

    @property
    def family(self) -> str:
        if self.kind is AuthorKind.ORGANISATION:
            return self.name
        return self._parts()[0]

    @property
    def given(self) -> str:
        if self.kind is AuthorKind.ORGANISATION or "," not in self.name:
            return ""
        return self._parts()[1]

    @property
    def suffix(self) -> str:
        """'Jr.', 'III': what follows the given name after a second comma."""
        parts = self._parts()
        return parts[2] if self.kind is AuthorKind.PERSON and len(parts) > 2 else ""

    @property
    def display(self) -> str:
        """Natural order for people ("Prénom Nom"), as is for organisations."""
        if not self.given:
            return self.family
        natural = f"{self.given} {self.family}".strip()
        return f"{natural}, {self.suffix}" if self.suffix else natural


@dataclass(frozen=True, slots=True)
class Series:
    """A collection (series) the record belongs to, and its number in it ("12", "12 bis",
    "3-4"; '' when unnumbered). A record may belong to more than one."""

    title: str
    number: str = ""

    @property
    def display(self) -> str:
        """As catalogues write it: 'Title ; 12'."""
        return f"{self.title} ; {self.number}" if self.number else self.title


@dataclass(frozen=True, slots=True)
class Host:
    """The periodical issue an article was analysed from (library.periodicals): the
    periodical's title and ISSN, the issue's number and date, the article's pages in it
    ("12-25", "7"). The ids are the catalogue's, None for a host read from a file until the
    catalogue finds or creates that periodical and issue."""

    title: str
    issn: str = ""
    number: str = ""
    date: str = ""  # ISO 8601, possibly partial: "2010-12"
    pages: str = ""
    periodical_id: int | None = None
    issue_id: int | None = None

    @property
    def first_page(self) -> str:
        return self.pages.split("-")[0].strip()

    @property
    def last_page(self) -> str:
        return self.pages.split("-")[-1].strip() if "-" in self.pages else ""


@dataclass(frozen=True, slots=True)
class ThemeAssignment:
    """A thematic on a record: automatic (with score and evidence) or set by the documentalist."""

    slug: str
    source: ThemeSource
    score: float | None = None
    evidence: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class SourceFile:
    sha256: str
    original_name: str
    media_type: str
    size: int
    store_path: str  # relative to the instance's file store


@dataclass(frozen=True, slots=True)
class Copy:
    barcode: str
    call_number: str = ""
    location: str = ""
    status: CopyStatus = CopyStatus.AVAILABLE
    id: int | None = None
    due_date: str | None = None  # ISO date when on loan
    issue_id: int | None = None  # the periodical's issue this copy is of (library.periodicals)


@dataclass(frozen=True, slots=True)
class Record:
    """A notice. `id` is None until the catalogue stores it."""

    title: str
    id: int | None = None
    subtitle: str = ""
    authors: tuple[Author, ...] = ()
    publisher: str = ""
    place: str = ""
    date: str = ""  # ISO 8601, possibly partial: "2009", "2009-05", "2009-05-12"
    year: int | None = None
    doc_type: DocType = DocType.AUTRE
    support: Support = Support.ELECTRONIQUE
    language: str = "und"  # ISO 639-1, or "und"
    pages: int | None = None
    isbn: str = ""
    issn: str = ""
    call_number: str = ""
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    territories: tuple[str, ...] = ()
    themes: tuple[ThemeAssignment, ...] = ()  # effective thematics, best first
    url: str = ""
    host: Host | None = None  # an article's periodical issue and pages
    series: tuple[Series, ...] = ()  # collections and the number in each
    edition: str = ""  # edition statement: "2e édition revue et augmentée"
    physical_description: str = ""  # "312 p. : ill. ; 24 cm"
    public_note: str = ""  # shown on the public page
    notes: str = ""  # internal note: never shown to the public
    acquired_on: str = ""  # AAAA-MM-JJ: when the copy or file entered the fund
    source: str = ""  # provenance: "index", "import:<file>", "saisie"...
    file: SourceFile | None = None
    text_status: TextStatus = TextStatus.NONE
    copies: tuple[Copy, ...] = ()
    work_id: int | None = None  # records of the same work (paper and electronic) share it
    curated: bool = False  # edited by a documentalist: re-extraction keeps the description
    created_at: str = ""
    updated_at: str = ""
    deleted: bool = False
    rev: int = 0
    # Variant forms of the record's authorities (library.authorities): indexed, so a search
    # on a variant finds the record; read-only, never written back.
    name_variants: tuple[str, ...] = ()

    @property
    def theme_slugs(self) -> tuple[str, ...]:
        return tuple(t.slug for t in self.themes)


@dataclass(frozen=True, slots=True)
class RecordBrief:
    """What a list of results shows of a record (Catalogue.briefs): its Record's values of
    these fields."""

    id: int
    title: str
    authors: tuple[Author, ...]
    year: int | None
    doc_type: DocType
    support: Support
    language: str
    theme_slugs: tuple[str, ...]  # effective thematics, best first
    call_number: str
    abstract: str
    deleted: bool
    keywords: tuple[str, ...] = ()


# The fields that describe a document (what a form edits and an import may update), in the
# order catalogues present them; copies, file, thematics and provenance are not among them.
DESCRIPTIVE_FIELDS = (
    "title",
    "subtitle",
    "authors",
    "publisher",
    "place",
    "date",
    "year",
    "doc_type",
    "support",
    "language",
    "pages",
    "isbn",
    "issn",
    "call_number",
    "abstract",
    "keywords",
    "territories",
    "url",
    "series",
    "edition",
    "physical_description",
    "public_note",
    "notes",
    "acquired_on",
)


@dataclass(frozen=True, slots=True)
class Stats:
    live: int
    deleted: int
    by_support: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)
    by_theme: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
