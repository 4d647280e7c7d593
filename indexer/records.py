"""From what a file says to a catalogue record: authors sorted into people and organisations,
a document type guessed from the title, the rest copied over."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from library import Author, AuthorKind, DocType, Record, SourceFile, Support, TextStatus
from library.names import is_organisation, split_person_name
from library.text import clean_line, fold

from .extractors.base import Extraction
from .metadata_text import guess_type, read_abstract, territories

_TYPE_HINTS: tuple[tuple[str, DocType], ...] = (
    (r"\bguide\b|\bvade-mecum\b|\bmemento\b|\breferentiel\b", DocType.GUIDE),
    (r"\bactes\b|\bcolloque\b|\bjournee d'etude|\bseminaire\b", DocType.ACTES),
    (r"\bcompte[- ]rendu\b|\breleve de decisions\b", DocType.COMPTE_RENDU),
    (r"\blettre d'information\b|\bnewsletter\b|\bbulletin\b", DocType.LETTRE_INFORMATION),
    (r"\bmemoire\b|\bthese\b", DocType.MEMOIRE),
    (r"\bcirculaire\b|\bdecret\b|\barrete\b|\bloi n\b|\bordonnance\b", DocType.TEXTE_OFFICIEL),
    (r"\bfiche\b|\bretour d'experience\b", DocType.FICHE_EXPERIENCE),
    (r"\betude\b|\bdiagnostic\b|\benquete\b|\bstudy\b|\bestudio\b", DocType.ETUDE),
    (r"\brapport\b|\bbilan\b|\bevaluation\b|\breport\b|\binforme\b", DocType.RAPPORT),
    (r"\brevue\b|\bn° ?\d+\b|\bnumero\b", DocType.REVUE),
    (r"\barticle\b", DocType.ARTICLE),
)


# Bodies named like people: a head word only bodies use, an acronym, or a region closing the
# name ('ADESS Martinique', 'Ecosphère Antilles', 'Habitat Conseil Caraïbes').
_BODY = re.compile(
    r"^(?:compagnie|boutique|collectif|cabinet|bureau|groupe|atelier|maison|espace|club|"
    r"observatoire|universit[ée]|university|agence|caisse|conseil|mission|r[ée]seau)\b|"
    r"(?-i:\b[A-ZÀ-Ý]{3,}\b)(?!\.)|\s(?:Martinique|Antilles|Guadeloupe|Guyane|Cara[ïi]bes?|Caribbean)$",
    re.IGNORECASE,  # the head words and regions in any case; an acronym only in capitals
)
_REGION_END = re.compile(
    r"\s(?:Martinique|Antilles|Guadeloupe|Guyane|Cara[ïi]bes?|Caribbean)$", re.IGNORECASE
)
# A person whose family name is written in capitals, before or after the given names, as
# French and Spanish title pages print it: 'Ana ISABEL CASTILLO MÉNDEZ', 'JOSEPH Marie-Claire'.
_GIVEN = r"[A-ZÀ-Ý][a-zà-ÿ]+(?:[-'][A-ZÀ-Ýa-zà-ÿ][a-zà-ÿ]+)*"
_FAMILY = r"(?:(?:de|del|de la|da|dos|van|von|le|la|d')\s?)?[A-ZÀ-Ý][A-ZÀ-Ý'-]+"
_CAPITALS_PERSON = re.compile(
    rf"^(?:{_GIVEN}(?:\s{_GIVEN}){{0,2}}\s{_FAMILY}(?:\s{_FAMILY}){{0,3}}"
    rf"|{_FAMILY}(?:\s{_FAMILY}){{0,3}}\s{_GIVEN}(?:\s{_GIVEN}){{0,2}})$"
)


def guess_doc_type(title: str) -> DocType:
    """The type a documentalist would most likely give, from words of the title."""
    folded = fold(title)
    for pattern, doc_type in _TYPE_HINTS:
        if re.search(pattern, folded):
            return doc_type
    return DocType.AUTRE


def _doc_type(title: str, extraction: Extraction) -> DocType:
    """The type the document says it is (title, subtitle, the lines under the title), else
    the old guess from words of the title."""
    read = guess_type(title, extraction.subtitle, extraction.text)
    if read is not None:
        return DocType(read)
    return guess_doc_type(" ".join([title, extraction.subtitle or ""]))


def to_author(name: str) -> Author | None:
    """A name as found in a file: 'Dupont, Marie', 'Marie Dupont' or 'Ville du Lamentin'."""
    name = clean_line(name).strip(" ;,")
    if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):  # keep an initial's dot
        name = name[:-1]
    if not name or len(name) > 200:
        return None
    words = re.findall(r"\w+", fold(name))
    if _CAPITALS_PERSON.match(name) and not is_organisation(name) and not _REGION_END.search(name):
        # the capitals say where the family name is, however many words it has
        family, given = split_person_name(name)
        return Author(f"{family}, {given}")
    if is_organisation(name) or (name.isupper() and len(words) <= 3) or _BODY.search(name):
        return Author(name, AuthorKind.ORGANISATION)
    if "," in name:
        return Author(name, AuthorKind.PERSON)
    parts = name.split()
    particles = ("de", "du", "des", "le", "la", "van", "von")
    if all(p[:1].isupper() for p in parts) and (
        len(parts) == 2 or (len(parts) == 3 and parts[1].lower() in particles)
    ):
        # "Marie-Claire Joseph" -> "Joseph, Marie-Claire", "Jean La Fontaine" -> "La Fontaine,
        # Jean". With more words and no capitals nothing tells where the family name starts
        # ("Ana Isabel Castillo Méndez" is not "Méndez, Ana Isabel Castillo"): the name stays
        # as written, for the documentalist to put right.
        return Author(f"{' '.join(parts[1:])}, {parts[0]}")
    return Author(name, AuthorKind.ORGANISATION if len(parts) > 4 else AuthorKind.PERSON)


def authors_from(names: Iterable[str]) -> tuple[Author, ...]:
    seen: dict[str, Author] = {}
    for name in names:
        author = to_author(name)
        if author is not None:
            seen.setdefault(fold(author.name), author)
    return tuple(seen.values())[:20]


def record_from_extraction(
    extraction: Extraction, *, language: str, source_file: SourceFile, original_name: str
) -> Record:
    """A new electronic record for a file: everything the extraction found."""
    title = clean_line(extraction.title or "") or original_name
    return Record(
        title=title[:500],
        subtitle=clean_line(extraction.subtitle or "")[:500],
        authors=authors_from(extraction.authors),
        publisher=clean_line(extraction.publisher or ""),
        date=extraction.date or (str(extraction.year) if extraction.year else ""),
        year=extraction.year,
        doc_type=_doc_type(title, extraction),
        support=Support.ELECTRONIQUE,
        language=language,
        pages=extraction.page_count,
        abstract=(
            (extraction.abstract or "").strip() or read_abstract(extraction.text, title) or ""
        )[:5000],
        keywords=tuple(dict.fromkeys(k.strip() for k in extraction.keywords if k.strip()))[:30],
        file=source_file,
        text_status=TextStatus.OK if extraction.text.strip() else TextStatus.EMPTY,
        source="index",
        territories=territories(extraction.text),
    )


def refresh_from_extraction(
    record: Record,
    extraction: Extraction,
    *,
    language: str,
    source_file: SourceFile,
    original_name: str,
) -> Record:
    """A record whose file changed: new file and text; its description too unless curated."""
    fresh = record_from_extraction(
        extraction, language=language, source_file=source_file, original_name=original_name
    )
    if record.curated:
        return Record(
            **{
                **_as_dict(record),
                "file": source_file,
                "pages": fresh.pages,
                "text_status": fresh.text_status,
            }
        )
    keep = {
        "id",
        "themes",
        "copies",
        "work_id",
        "created_at",
        "updated_at",
        "deleted",
        "rev",
        "call_number",
        "notes",
        "series",
        "edition",
        "physical_description",
        "public_note",
        "acquired_on",
        "territories",
        "url",
        "isbn",
        "issn",
        "curated",
    }
    merged = {k: v for k, v in _as_dict(fresh).items() if k not in keep}
    return Record(**{**_as_dict(record), **merged})


def _as_dict(record: Record) -> dict[str, Any]:
    return {name: getattr(record, name) for name in record.__dataclass_fields__}
