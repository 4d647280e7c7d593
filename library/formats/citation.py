"""References for people: ISO 690 as French catalogues write it (NF ISO 690, NF Z 44-005).

A reference is a list of segments (text, italic) so the HTML page and the DOCX document render
the same words, in ISO 690's order:

    NOM, Prénom (dir.). *Titre : sous-titre* [en ligne]. Trad. par Prénom Nom. 2e éd.
    Lieu : Éditeur, année. 120 p. (Collection ; 12). ISBN … Disponible sur : URL
    (consulté le 7 décembre 2026).

The collection and its number stand in parentheses after the extent; the document type
("Rapport", "Étude") is not an element of an ISO 690 reference and never takes their place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..models import DOC_TYPE_LABELS, Author, AuthorKind, AuthorRole, DocType, Record, Support
from ..names import split_person_name
from ..text import french_date, sort_key

Segment = tuple[str, bool]  # (text, italic)
MAX_AUTHORS = 3  # beyond three authors, ISO 690 names the first and adds "et al."
GROUPINGS = ("theme", "type", "none")  # how a bibliography may be cut into sections
# The other responsibilities, after the title: "Trad. par Marie Dupont ; ill. de Paul Leblanc."
_SECONDARY = (
    (AuthorRole.TRANSLATOR, "trad. par"),
    (AuthorRole.ILLUSTRATOR, "ill. de"),
    (AuthorRole.PREFACE, "préf. de"),
)


def _family_and_given(author: Author) -> tuple[str, str]:
    """The family name and given names of a person. A name stored with its comma says which
    is which ("ISABEL CASTILLO MÉNDEZ, Ana"); one stored in a piece is split only when capitals
    show the family name ("Ana ISABEL CASTILLO MÉNDEZ"): a compound Spanish or French family
    name is never cut at its last word by guessing."""
    if author.given or "," in author.name:
        return author.family, author.given
    words = author.name.split()
    capitals = [w for w in words if len(w) > 1 and w.isupper()]
    if capitals and len(capitals) < len(words):
        return split_person_name(author.name)
    return author.name, ""


def author_name(author: Author) -> str:
    """'NOM, Prénom' for a person (the family name in capitals, as French catalogues print the
    small capitals of ISO 690), the name as it is for an organisation."""
    if author.kind is AuthorKind.ORGANISATION:
        return author.name
    family, given = _family_and_given(author)
    if not given:
        return family
    name = f"{family.upper()}, {given}"
    return f"{name}, {author.suffix}" if author.suffix else name


def authors_text(authors: Sequence[Author]) -> str:
    names = [author_name(a) for a in authors]
    if len(names) > MAX_AUTHORS:
        return f"{names[0]} et al."
    if len(names) > 1:
        return ", ".join(names[:-1]) + " et " + names[-1]
    return names[0] if names else ""


def _natural(author: Author) -> str:
    """'Prénom NOM' for a person named after the title, the name for an organisation."""
    if author.kind is AuthorKind.ORGANISATION:
        return author.name
    family, given = _family_and_given(author)
    return f"{given} {family.upper()}".strip()


def _end(text: str) -> str:
    """A sentence of the reference ends with one full stop (not after '?', '!', '.')."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def responsibility(record: Record) -> str:
    """The first element: the authors; without one, the directors of the publication
    followed by '(dir.)'; else ''."""
    authors = [a for a in record.authors if a.role == AuthorRole.AUTHOR]
    if authors:
        return authors_text(authors)
    editors = [a for a in record.authors if a.role == AuthorRole.EDITOR]
    return f"{authors_text(editors)} (dir.)" if editors else ""


def secondary_responsibility(record: Record) -> str:
    """'Trad. par Marie DUPONT ; préf. de Paul LEBLANC' (and the directors when authors are
    named first: 'sous la dir. de …')."""
    parts = []
    if any(a.role == AuthorRole.AUTHOR for a in record.authors):
        editors = [_natural(a) for a in record.authors if a.role == AuthorRole.EDITOR]
        if editors:
            parts.append("sous la dir. de " + _joined(editors))
    for role, words in _SECONDARY:
        people = [_natural(a) for a in record.authors if a.role == role]
        if people:
            parts.append(f"{words} {_joined(people)}")
    return _capitalised(" ; ".join(parts))


def _joined(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " et " + names[-1] if len(names) > 1 else names[0]


def series_text(record: Record) -> str:
    """'(Collection ; 12)', one pair of parentheses per collection: '(A ; 3) (B)'."""
    return " ".join(f"({s.display})" for s in record.series)


def online_address(record: Record, base_url: str = "") -> str:
    """Where the item can be read online: its own address, else, for an electronic document
    the centre holds, its page on the centre's site ('' when there is none)."""
    if record.url:
        return record.url
    if record.support is Support.ELECTRONIQUE and base_url and record.id is not None:
        return f"{base_url.rstrip('/')}/notice/{record.id}"
    return ""


def reference(
    record: Record, *, consulted: date | None = None, base_url: str = ""
) -> list[Segment]:
    """The segments of one reference. `consulted` is the date written after an online address
    ('(consulté le 7 décembre 2026)'); `base_url` gives an electronic document without an
    address of its own the address of its page on the centre's site."""
    segments: list[Segment] = []
    names = responsibility(record)
    if names:
        segments.append((_end(names) + " ", False))
    title = f"{record.title} : {record.subtitle}" if record.subtitle else record.title
    online = " [en ligne]" if record.support is Support.ELECTRONIQUE else ""
    others = secondary_responsibility(record)
    if record.doc_type is DocType.ARTICLE:
        segments.append((_end(title + online) + " ", False))
        if others:
            segments.append((_end(others) + " ", False))
        if record.publisher:
            segments.append((record.publisher, True))
            segments.append((", ", False))
        segments.append((_end(str(record.year) if record.year else "[s.d.]"), False))
    else:
        segments.append((title, True))
        segments.append((_end(online) + " " if online else ". ", False))
        if others:
            segments.append((_end(others) + " ", False))
        if record.edition:
            segments.append((_end(record.edition) + " ", False))
        if record.doc_type is DocType.MEMOIRE:
            segments.append((_end(DOC_TYPE_LABELS[record.doc_type].split(" / ")[0]) + " ", False))
        place = record.place or "[s.l.]"
        publisher = record.publisher or "[s.n.]"
        year = str(record.year) if record.year else "[s.d.]"
        segments.append((_end(f"{place} : {publisher}, {year}"), False))
        if record.physical_description:
            segments.append((" " + _end(record.physical_description), False))
        elif record.pages:
            segments.append((f" {record.pages} p.", False))
    if record.series:
        segments.append((" " + _end(series_text(record)), False))
    if record.isbn:
        segments.append((f" ISBN {record.isbn}.", False))
    if record.issn:
        segments.append((f" ISSN {record.issn}.", False))
    address = online_address(record, base_url)
    if address:
        segments.append((f" Disponible sur : {address}", False))
        if consulted is not None:
            segments.append((f" (consulté le {_french_day(consulted)}).", False))
    return _tidy(segments)


def _french_day(day: date) -> str:
    """'7 décembre 2026', '1er décembre 2026'."""
    text = french_date(day)
    return "1er" + text[1:] if day.day == 1 else text


def _tidy(segments: list[Segment]) -> list[Segment]:
    """Join text into sentences: no double spaces."""
    out: list[Segment] = []
    for text, italic in segments:
        if out and text.startswith(" ") and out[-1][0].endswith(" "):
            text = text.lstrip()
        out.append((text, italic))
    return [(t, i) for t, i in out if t]


def plain(record: Record, *, consulted: date | None = None, base_url: str = "") -> str:
    return "".join(
        text for text, _ in reference(record, consulted=consulted, base_url=base_url)
    ).strip()


@dataclass(frozen=True, slots=True)
class Section:
    slug: str  # "" for the documents without a thematic
    label: str  # "" for the one list of a bibliography that is not grouped
    records: tuple[Record, ...]


def bibliography_order(record: Record) -> tuple[str, str, int, str]:
    """Alphabetical by first author (or title when there is none), then title, then the
    newest first, then subtitle."""
    first = author_name(record.authors[0]) if record.authors else record.title
    return (sort_key(first), sort_key(record.title), -(record.year or 0), sort_key(record.subtitle))


def by_theme(records: Iterable[Record], labels: Mapping[str, str]) -> list[Section]:
    """Sections in the vocabulary's order; each record under its main (first) thematic, those
    without one at the end under 'Autres documents'."""
    groups: dict[str, list[Record]] = {}
    for record in records:
        slug = record.theme_slugs[0] if record.theme_slugs else ""
        groups.setdefault(slug, []).append(record)
    order = [s for s in labels if s in groups] + sorted(s for s in groups if s and s not in labels)
    sections = [
        Section(s, labels.get(s, s), tuple(sorted(groups[s], key=bibliography_order)))
        for s in order
    ]
    if "" in groups:
        sections.append(
            Section("", "Autres documents", tuple(sorted(groups[""], key=bibliography_order)))
        )
    return sections


def by_type(records: Iterable[Record]) -> list[Section]:
    """Sections in the order of the list of document types ('Ouvrage', 'Rapport', …)."""
    groups: dict[DocType, list[Record]] = {}
    for record in records:
        groups.setdefault(record.doc_type, []).append(record)
    return [
        Section(t.value, DOC_TYPE_LABELS[t], tuple(sorted(groups[t], key=bibliography_order)))
        for t in DocType
        if t in groups
    ]


def one_list(records: Iterable[Record]) -> list[Section]:
    """The whole selection as one alphabetical list (no section heading)."""
    ordered = tuple(sorted(records, key=bibliography_order))
    return [Section("references", "", ordered)] if ordered else []


def grouped(records: Iterable[Record], grouping: str, labels: Mapping[str, str]) -> list[Section]:
    """The sections of a bibliography grouped by `grouping` ('theme', 'type' or 'none')."""
    if grouping == "type":
        return by_type(records)
    if grouping == "none":
        return one_list(records)
    return by_theme(records, labels)
