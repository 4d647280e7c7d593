"""Search as users get it: the index's hits filled in from the catalogue (always fresh),
with snippets, labels and availability. The CLI and the web app both search through here."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from library import Author, AuthorKind, Catalogue, Record, RecordBrief
from library.authorities import preferred_names
from library.names import is_organisation

from .documents import IndexDocument, build_document
from .engine import SearchIndex, SyncReport
from .models import FacetCount, Hit, SearchPage, SearchRequest
from .snippets import SEARCH_LIMIT, make_snippet, match_pattern
from .store import DocumentSource

FIRST_HEAD = 12_400  # characters of text read first for a snippet (the first part scanned)


def catalogue_documents(catalogue: Catalogue) -> DocumentSource:
    """A document source for SearchIndex.sync/rebuild that reads the catalogue."""

    def documents(ids: Sequence[int]) -> Iterable[IndexDocument]:
        records = catalogue.get_many(ids)
        texts = catalogue.texts(ids)
        for record_id in ids:
            record = records.get(record_id)
            if record is not None and not record.deleted:
                yield build_document(record, texts.get(record_id, ""))

    return documents


def sync_index(catalogue: Catalogue, index: SearchIndex, **options: Any) -> SyncReport:
    """Bring the index up to date with the catalogue (cheap when nothing changed)."""
    return index.sync(catalogue.revisions(), catalogue_documents(catalogue), **options)


def rebuild_index(catalogue: Catalogue, index: SearchIndex, **options: Any) -> SyncReport:
    return index.rebuild(catalogue.revisions, catalogue_documents(catalogue), **options)


class Finder:
    def __init__(
        self,
        catalogue: Catalogue,
        index: SearchIndex,
        *,
        theme_labels: Mapping[str, str] | None = None,
        availability: Callable[[], Mapping[int, tuple[str, ...]]] | None = None,
        value_label: Callable[[str, str], str] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.index = index
        self.theme_labels = dict(theme_labels or {})
        # The edge's wording of coded facet values (type, support, language, availability)
        self.value_label = value_label
        # The web app passes a cached reading (same object until a copy or loan changes)
        self.availability = availability or catalogue.availability

    def search(self, request: SearchRequest) -> SearchPage:
        request = self._authors_as_catalogued(request)
        page = self.index.search(request, availability=self.availability())
        records = self.catalogue.briefs(h.id for h in page.hits)
        pattern = (
            match_pattern([w for w in page.terms if not w.endswith("*")], ())
            if page.terms
            else None
        )
        live = [
            (hit, records[hit.id])
            for hit in page.hits
            if hit.id in records and not records[hit.id].deleted
        ]  # deleted since the index was read: never shown
        snippets = self._snippets([record for _, record in live], pattern)
        hits = [self._fill(hit, record, snippets[hit.id]) for hit, record in live]
        facets = {
            name: tuple(self._label(name, f) for f in values)
            for name, values in page.facets.items()
        }
        return replace(page, hits=tuple(hits), facets=facets)

    def all_ids(self, request: SearchRequest) -> list[int]:
        request = self._authors_as_catalogued(request)
        return self.index.all_ids(request, availability=self.availability())

    def _authors_as_catalogued(self, request: SearchRequest) -> SearchRequest:
        """An author filter typed with a variant ('DANIEL, J.', 'daniel justin') means the
        authority's preferred form, the one the index holds."""
        if not request.authors:
            return request
        names = preferred_names(self.catalogue.conn, request.authors)
        return replace(request, authors=names) if names != tuple(request.authors) else request

    def more_like(self, record: Record, limit: int = 5) -> list[Record]:
        text = " ".join([record.title, record.abstract, " ".join(record.keywords)])
        text += " " + self.catalogue.text_heads([record.id or 0], 30_000).get(record.id or 0, "")
        similar = self.index.more_like(record.id or 0, text, record.language, limit=limit)
        found = self.catalogue.get_many(i for i, _ in similar)
        return [found[i] for i, _ in similar if i in found and not found[i].deleted]

    def _snippets(self, records: list[RecordBrief], pattern) -> dict[int, dict[str, Any]]:
        """Each record's snippet and highlights: from the abstract when it matches, else from
        the text, read from the catalogue in two steps (the head first, where most matches
        are; up to SEARCH_LIMIT only for the records whose head has none)."""
        out: dict[int, tuple[str, tuple[tuple[int, int], ...]]] = {}
        texts: dict[int, str] = {}
        if pattern is not None:
            pending = []
            for record in records:
                if record.abstract:
                    snippet, spans = make_snippet(record.abstract, pattern)
                    if spans:
                        out[record.id or 0] = (snippet, spans)
                        continue
                pending.append(record)
            for limit in (FIRST_HEAD, SEARCH_LIMIT):
                if not pending:
                    break
                texts.update(self.catalogue.text_heads([r.id or 0 for r in pending], limit))
                longer = []
                for record in pending:
                    text = texts.get(record.id or 0, "")
                    snippet, spans = make_snippet(text, pattern) if text else ("", ())
                    if spans:
                        out[record.id or 0] = (snippet, spans)
                    elif len(text) >= limit:
                        longer.append(record)
                pending = longer
        # no match anywhere: the start of the abstract, or of the text, and the keywords that
        # brought the record, marked (« contrat de ville » for a report on the CUCS)
        rest = [r for r in records if (r.id or 0) not in out]
        unread = [r.id or 0 for r in rest if not r.abstract and (r.id or 0) not in texts]
        texts.update(self.catalogue.text_heads(unread, FIRST_HEAD) if unread else {})
        keywords: dict[int, tuple[tuple[str, tuple[tuple[int, int], ...]], ...]] = {}
        for record in rest:
            out[record.id or 0] = make_snippet(
                record.abstract or texts.get(record.id or 0, ""), None
            )
            if pattern is not None:
                keywords[record.id or 0] = _matched(record.keywords, pattern)
        return {
            i: {"snippet": s, "highlights": h, "matched_keywords": keywords.get(i, ())}
            for i, (s, h) in out.items()
        }

    def _fill(self, hit: Hit, record: RecordBrief, snippet: dict[str, Any]) -> Hit:
        return replace(
            hit,
            **snippet,
            title=record.title,
            authors=tuple(a.display for a in record.authors),
            year=record.year,
            doc_type=str(record.doc_type),
            support=str(record.support),
            language=record.language,
            themes=record.theme_slugs,
            call_number=record.call_number,
        )

    def _label(self, facet: str, value: FacetCount) -> FacetCount:
        # built, not dataclasses.replace'd: a page labels about a hundred values
        return FacetCount(
            value.value, value.count, self.label(facet, value.value), value.selected, value.children
        )

    def label(self, facet: str, value: str) -> str:
        """The label of a facet value: the vocabulary's for a thematic, the natural order of a
        name, the edge's wording (`value_label`) for coded values, else the value itself."""
        if facet == "theme":
            return self.theme_labels.get(value, value)
        if facet == "author":
            return _author_label(value)
        if self.value_label is not None:
            return self.value_label(facet, value)
        return value


def _matched(
    keywords: Sequence[str], pattern: re.Pattern[str]
) -> tuple[tuple[str, tuple[tuple[int, int], ...]], ...]:
    """The keywords in which the query matches, each with its highlights."""
    out = []
    for keyword in keywords:
        snippet, spans = make_snippet(keyword, pattern)
        if spans:
            out.append((snippet, spans))
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _author_label(name: str) -> str:
    """An author's name in its natural order (each results page shows up to 30; names repeat
    from one search to the next)."""
    kind = AuthorKind.ORGANISATION if is_organisation(name) else AuthorKind.PERSON
    return Author(name, kind).display
