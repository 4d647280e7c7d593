"""References for people: ISO 690 as French catalogues write it (NF Z 44-005).

A reference is a list of segments (text, italic) so the HTML page and the DOCX document render
the same words: `NOM, Prénom. *Titre : sous-titre*. Lieu : Éditeur, année. 120 p. ISBN …`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..models import Author, AuthorKind, DocType, Record, Support
from ..text import sort_key

Segment = tuple[str, bool]  # (text, italic)
MAX_AUTHORS = 3  # beyond three authors, ISO 690 names the first and adds "et al."


def author_name(author: Author) -> str:
    """'NOM, Prénom' for a person (family name in capitals), the name for an organisation."""
    if author.kind is AuthorKind.ORGANISATION or not author.given:
        return author.name
    return f"{author.family.upper()}, {author.given}"


def authors_text(authors: Sequence[Author]) -> str:
    names = [author_name(a) for a in authors]
    if len(names) > MAX_AUTHORS:
        return f"{names[0]} et al."
    if len(names) > 1:
        return ", ".join(names[:-1]) + " et " + names[-1]
    return names[0] if names else ""


def _end(text: str) -> str:
    """A sentence of the reference ends with one full stop (not after '?', '!', '.')."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def reference(record: Record) -> list[Segment]:
    """The segments of one reference."""
    segments: list[Segment] = []
    names = authors_text(record.authors)
    if names:
        segments.append((_end(names) + " ", False))
    title = f"{record.title} : {record.subtitle}" if record.subtitle else record.title
    online = " [en ligne]" if record.support is Support.ELECTRONIQUE else ""
    if record.doc_type is DocType.ARTICLE:
        segments.append((_end(title + online) + " ", False))
        if record.publisher:
            segments.append((record.publisher, True))
            segments.append((", ", False))
        segments.append((_end(str(record.year) if record.year else "[s.d.]"), False))
    else:
        segments.append((title, True))
        segments.append((_end(online) + " " if online else ". ", False))
        if record.doc_type is DocType.MEMOIRE:
            segments.append((_end(record.doc_type.label.split(" / ")[0]) + " ", False))
        place = record.place or "[s.l.]"
        publisher = record.publisher or "[s.n.]"
        year = str(record.year) if record.year else "[s.d.]"
        segments.append((_end(f"{place} : {publisher}, {year}"), False))
        if record.pages:
            segments.append((f" {record.pages} p.", False))
        if record.doc_type not in (DocType.OUVRAGE, DocType.MEMOIRE, DocType.ARTICLE):
            segments.append((f" ({record.doc_type.label}).", False))
    if record.isbn:
        segments.append((f" ISBN {record.isbn}.", False))
    if record.issn:
        segments.append((f" ISSN {record.issn}.", False))
    if record.url:
        segments.append((f" Disponible sur : {record.url}", False))
    return _tidy(segments)


def _tidy(segments: list[Segment]) -> list[Segment]:
    """Join text into sentences: '(Rapport)' gets its full stop, no double spaces."""
    out: list[Segment] = []
    for text, italic in segments:
        if out and text.startswith(" ") and out[-1][0].endswith(" "):
            text = text.lstrip()
        out.append((text, italic))
    if out and out[-1][0].rstrip().endswith(")"):
        out[-1] = (out[-1][0].rstrip() + ".", out[-1][1])
    return [(t, i) for t, i in out if t]


def plain(record: Record) -> str:
    return "".join(text for text, _ in reference(record)).strip()


@dataclass(frozen=True, slots=True)
class Section:
    slug: str  # "" for the documents without a thematic
    label: str
    records: tuple[Record, ...]


def bibliography_order(record: Record) -> tuple[str, str, int, str]:
    """Alphabetical by first author (or title when there is none), then year, then title."""
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
