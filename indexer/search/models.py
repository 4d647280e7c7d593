"""Plain values that cross the search facade. Nothing of the engine leaves the package."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .query import QueryNote

SORTS = ("relevance", "newest", "oldest", "title")
FACETS = ("theme", "type", "support", "year", "language", "author", "available")
AVAILABILITY = ("en-rayon", "en-pret", "en-ligne")


class SearchQueryError(ValueError):
    """A query the engine cannot run; `message` is one French sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IndexBusy(RuntimeError):
    """Another process held the index writer longer than we were willing to wait."""


@dataclass(frozen=True, slots=True)
class SearchRequest:
    q: str = ""
    themes: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    supports: tuple[str, ...] = ()
    years: tuple[str, ...] = ()  # "2009" or a range "2000-2009" (the decade facet)
    languages: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    available: tuple[str, ...] = ()  # values of AVAILABILITY
    sort: str = ""  # "" = relevance with a query, newest without
    page: int = 1
    per_page: int = 20

    def filters(self) -> dict[str, tuple[str, ...]]:
        """The selected facet values by facet name."""
        return {
            "theme": self.themes,
            "type": self.types,
            "support": self.supports,
            "year": self.years,
            "language": self.languages,
            "author": self.authors,
            "available": self.available,
        }

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS:
            return self.sort
        return "relevance" if self.q.strip() else "newest"


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int
    label: str = ""
    selected: bool = False
    children: tuple[FacetCount, ...] = ()  # years inside a decade

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "value": self.value,
            "label": self.label or self.value,
            "count": self.count,
        }
        if self.selected:
            data["selected"] = True
        return data


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    score: float
    title: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    doc_type: str = ""
    support: str = ""
    language: str = ""
    themes: tuple[str, ...] = ()  # slugs, best first
    snippet: str = ""
    highlights: tuple[tuple[int, int], ...] = ()  # [start, end) offsets of matches in snippet
    has_file: bool = False
    availability: tuple[str, ...] = ()
    call_number: str = ""  # where the paper copies stand on the shelves
    partial: bool = False  # holds only some of the query's words (after those holding all)
    # when the snippet shows no match: the keywords the query matched, with their highlights
    # (a record found by its keywords alone)
    matched_keywords: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "authors": list(self.authors),
            "year": self.year,
            "type": self.doc_type,
            "support": self.support,
            "language": self.language,
            "themes": list(self.themes),
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
            "score": round(self.score, 4),
            "availability": list(self.availability),
            "call_number": self.call_number,
            "partial": self.partial,
            "matched_keywords": [
                {"keyword": keyword, "highlights": [list(h) for h in spans]}
                for keyword, spans in self.matched_keywords
            ],
        }


@dataclass(slots=True)
class Work:
    """What one search cost, counted (tests bound it; the benchmark times it)."""

    searches: int = 0  # passes over the postings: the query, its relaxed form, word checks
    terms: int = 0  # index terms prefixes were expanded to
    scanned: int = 0  # lexicon entries looked at to choose those terms
    corrections: int = 0  # words looked up for 'Vouliez-vous dire'


@dataclass(frozen=True, slots=True)
class EmptyHelp:
    """Why a search found nothing and what would find something, from the same pass."""

    without_filters: int = 0  # documents the query finds with no filter
    without_filter: tuple[tuple[str, int], ...] = ()  # (facet, count) with that filter removed
    without_exclusions: int = 0  # documents found once the -words are dropped
    unknown: tuple[str, ...] = ()  # words or expressions, as typed, no document contains


@dataclass(frozen=True, slots=True)
class SearchPage:
    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetCount, ...]]
    took_ms: float = 0.0
    suggestion: str | None = None
    relaxed: bool = False  # no document had every word: the results have any of them
    # few documents had every word: how many did (the first ones); those after hold some
    complete: int | None = None
    corrected: bool = False  # nothing had the words as typed: the results are the suggestion's
    concepts: tuple[str, ...] = ()  # thematics whose English/Spanish labels the query used
    # for each of them, the French expression the query was taken for ("" = the whole thematic)
    concept_terms: tuple[str, ...] = ()
    # related expressions of the vocabulary the query was widened to (ranked after its words)
    related: tuple[str, ...] = ()
    # the query was French: the concepts' English and Spanish documents follow the French ones
    concepts_from_french: bool = False
    notes: tuple[QueryNote, ...] = ()  # what the parser repaired, worded at the edge
    terms: tuple[str, ...] = field(default=())  # analysed query terms, for highlighting
    work: Work = field(default_factory=Work)
    empty_help: EmptyHelp | None = None  # set when nothing was found

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))

    def to_json(self) -> dict[str, Any]:
        """The shape of `fonds search --json` (its hits, facets and how the query was read);
        the web API adds paging, timing and the parser's notes worded."""
        return {
            "total": self.total,
            "hits": [h.to_json() for h in self.hits],
            "facets": {name: [f.to_json() for f in values] for name, values in self.facets.items()},
            "suggestion": self.suggestion,
            "corrected": self.corrected,
            "relaxed": self.relaxed,
            "complete": self.complete,
            "concepts": list(self.concepts),
            "concept_terms": list(self.concept_terms),
            "concepts_from_french": self.concepts_from_french,
            "related": list(self.related),
        }
