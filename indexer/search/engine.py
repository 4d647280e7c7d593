"""The search index on Whoosh. Only this package imports whoosh; plain values go in and out.

Design against Whoosh's known failure modes:
- the index is derived: `sync` compares it with the catalogue by revision and repairs it,
  `rebuild` fills a fresh generation folder then swaps a pointer file (readers never see a
  half-built index);
- one writer at a time, acquired with a timeout and retried; any error cancels the writer
  so the lock is never left held; no AsyncWriter, no multiprocess writer;
- text arrives already analysed (space-separated terms), so Whoosh only stores postings;
- facet counts come from a per-segment table of stored values, not from `groupedby`.
"""

from __future__ import annotations

import fcntl
import heapq
import json
import logging
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.scoring import BM25F
from whoosh.writing import IndexingError

from ..analysis import LANGUAGES, analysis_stamp, analyze
from .compiler import FIELD_BOOSTS, AnyOf, QueryCompiler
from .documents import IndexDocument
from .facets import FacetBitmaps, members
from .facets import bitmap as facets_bitmap
from .facets import count as count_facet
from .models import AVAILABILITY, FACETS, FacetCount, Hit, IndexBusy, SearchPage, SearchRequest
from .query import ParsedQuery, parse

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FACET_LIMITS = {"author": 30}
_CURRENT = "CURRENT"
_STAMP = "fonds-stamp.json"


def _schema() -> Schema:
    terms = SpaceSeparatedTokenizer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=terms, phrase=True),
        meta=TEXT(analyzer=terms, phrase=True),
        body=TEXT(analyzer=terms, phrase=True),
        spell=KEYWORD(scorable=False),
        lang=ID(),
        data=STORED(),
    )


def _stamp() -> dict[str, object]:
    return {"schema": SCHEMA_VERSION, "analysis": analysis_stamp()}


def paced_slices(ids: Sequence[int], sizes: Iterator[int]) -> Iterator[Sequence[int]]:
    """Cut `ids` into consecutive slices whose lengths are drawn from `sizes` as it goes.

    The sizes may change between slices (the pacer reacts to how long the last commit took),
    so the next slice starts where the previous one ended, never at a fixed stride: every id
    is yielded exactly once, in order."""
    start = 0
    while start < len(ids):
        size = max(1, next(sizes))
        yield ids[start : start + size]
        start += size


def _once(documents: Iterable[IndexDocument], seen: set[int]) -> Iterator[IndexDocument]:
    """The documents of a rebuild, refusing any record already written by this rebuild."""
    for doc in documents:
        if doc.id in seen:
            raise RuntimeError(f"rebuild would index record {doc.id} twice")
        seen.add(doc.id)
        yield doc


class Pacer:
    """Chooses the next batch size so that each commit lasts about `batch_seconds`."""

    FIRST, SMALLEST, LARGEST = 200, 20, 2000

    def __init__(self, batch_seconds: float, largest: int = LARGEST) -> None:
        self.batch_seconds = batch_seconds
        self.largest = max(1, largest)
        self.smallest = min(self.SMALLEST, self.largest)
        self.size = min(self.FIRST, self.largest)

    def sizes(self) -> Iterator[int]:
        while True:
            yield self.size

    def observe(self, count: int, elapsed: float) -> None:
        rate = count / max(elapsed, 1e-3)
        self.size = max(self.smallest, min(self.largest, int(rate * self.batch_seconds)))


@dataclass(frozen=True, slots=True)
class _Row:
    """The facet and sort values of one indexed document."""

    id: int
    rev: int
    year: int | None
    doc_type: str
    support: str
    language: str
    themes: tuple[str, ...]
    authors: tuple[str, ...]
    has_file: bool
    title_key: str


@dataclass(frozen=True, slots=True)
class SyncReport:
    indexed: int = 0
    deleted: int = 0
    rebuilt: bool = False


DocumentSource = Callable[[Sequence[int]], Iterable[IndexDocument]]


class SearchIndex:
    """One instance's index: a folder of generations and a pointer to the current one."""

    def __init__(
        self, root: Path, *, write_timeout: float = 60.0, batch_limit: int = Pacer.LARGEST
    ) -> None:
        self.root = root
        self.write_timeout = write_timeout
        self.batch_limit = batch_limit  # most documents in one commit (tests force small ones)
        self._lock = threading.RLock()  # searchers are not shared between threads
        self._ix: whoosh_index.Index | None = None
        self._generation = ""
        self._view: _View | None = None
        self._compiler = QueryCompiler(LANGUAGES)
        self.created = False  # True when open() had to start an empty generation

    # -- opening, generations ---------------------------------------------------------------

    @classmethod
    def open(
        cls, root: Path, *, write_timeout: float = 60.0, batch_limit: int = Pacer.LARGEST
    ) -> SearchIndex:
        index = cls(root, write_timeout=write_timeout, batch_limit=batch_limit)
        index._open_current()
        return index

    def close(self) -> None:
        with self._lock:
            if self._view is not None:
                self._view.searcher.close()
                self._view = None
            if self._ix is not None:
                self._ix.close()
                self._ix = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def generation(self) -> str:
        return self._generation

    def _open_current(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        with self._swap_lock():
            name = self._read_current()
            if name and self._usable(self.root / name):
                self._attach(name)
                return
            if name:
                log.info("index generation %s is stale or damaged: starting a new one", name)
            fresh = self._new_generation()
            self._write_current(fresh.name)
            self._attach(fresh.name)
            self.created = True
        self._remove_old_generations()

    def _attach(self, name: str) -> None:
        if self._view is not None:
            self._view.searcher.close()
            self._view = None
        if self._ix is not None:
            self._ix.close()
        self._ix = whoosh_index.open_dir(str(self.root / name))
        self._generation = name

    def _follow_swaps(self) -> None:
        """Another process may have swapped in a rebuilt generation: use it."""
        name = self._read_current()
        if name and name != self._generation:
            self._attach(name)

    def _read_current(self) -> str:
        try:
            return (self.root / _CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return ""

    def _write_current(self, name: str) -> None:
        tmp = self.root / f".{_CURRENT}.tmp"
        tmp.write_text(name + "\n", encoding="utf-8")
        os.replace(tmp, self.root / _CURRENT)

    def _usable(self, folder: Path) -> bool:
        try:
            stamp = json.loads((folder / _STAMP).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return stamp == _stamp() and whoosh_index.exists_in(str(folder))

    def _new_generation(self) -> Path:
        numbers = [int(p.name[4:]) for p in self.root.glob("gen-*") if p.name[4:].isdigit()]
        folder = self.root / f"gen-{max(numbers, default=0) + 1:06d}"
        folder.mkdir()
        whoosh_index.create_in(str(folder), _schema()).close()
        (folder / _STAMP).write_text(json.dumps(_stamp()), encoding="utf-8")
        return folder

    def _remove_old_generations(self) -> None:
        current = self._read_current()
        for folder in self.root.glob("gen-*"):
            if folder.name != current and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)

    @contextmanager
    def _swap_lock(self) -> Iterator[None]:
        with open(self.root / ".swap.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- writing --------------------------------------------------------------------------

    def write(self, documents: Iterable[IndexDocument] = (), deletions: Iterable[int] = ()) -> int:
        """Add or replace documents and remove others, in one commit. Returns documents written."""
        with self._lock:
            self._follow_swaps()
            return self._write_to(self._require_ix(), documents, deletions, replace=True)

    def _write_to(
        self,
        ix: whoosh_index.Index,
        documents: Iterable[IndexDocument],
        deletions: Iterable[int],
        *,
        replace: bool,
    ) -> int:
        writer = self._acquire_writer(ix)
        written = 0
        try:
            for record_id in deletions:
                writer.delete_by_term("id", str(record_id))
            for doc in documents:
                fields = _fields(doc)
                if replace:
                    writer.update_document(**fields)
                else:
                    writer.add_document(**fields)
                written += 1
            writer.commit()
        except BaseException:
            # A writer left open keeps the lock for the life of the process: always cancel.
            try:
                writer.cancel()
            except Exception:  # noqa: BLE001 - cancelling is best effort after a failure
                log.exception("could not cancel the index writer")
            raise
        return written

    def _acquire_writer(self, ix: whoosh_index.Index):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + self.write_timeout
        delay = 0.05
        while True:
            try:
                return ix.writer(timeout=min(1.0, self.write_timeout), delay=0.05)
            except (LockError, IndexingError) as exc:
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        f"index writer busy for more than {self.write_timeout:.0f} s"
                    ) from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def _require_ix(self) -> whoosh_index.Index:
        if self._ix is None:
            raise RuntimeError("the index is closed")
        return self._ix

    def sync(
        self,
        catalogue_revisions: Mapping[int, tuple[int, bool]],
        documents: DocumentSource,
        *,
        batch_seconds: float = 2.0,
        progress: Callable[[int], None] | None = None,
    ) -> SyncReport:
        """Make the index mirror the catalogue: index what changed, drop what is gone.

        `catalogue_revisions` is {id: (rev, deleted)}; `documents(ids)` builds the entries."""
        with self._lock:
            self._follow_swaps()
            indexed = self.indexed_revisions()
            stale = [
                i for i in indexed if i not in catalogue_revisions or catalogue_revisions[i][1]
            ]
            wanted = sorted(
                i
                for i, (rev, deleted) in catalogue_revisions.items()
                if not deleted and indexed.get(i) != rev
            )
            if not stale and not wanted:
                return SyncReport()
            written = self._write_batches(
                self._require_ix(), wanted, documents, stale, batch_seconds, progress, replace=True
            )
            return SyncReport(indexed=written, deleted=len(stale))

    def rebuild(
        self,
        catalogue_revisions: Callable[[], Mapping[int, tuple[int, bool]]],
        documents: DocumentSource,
        *,
        batch_seconds: float = 30.0,
        progress: Callable[[int], None] | None = None,
    ) -> SyncReport:
        """Build a fresh generation from the catalogue, swap it in, then catch up with changes
        made meanwhile (other processes keep using the old generation until the swap)."""
        with self._lock:
            revisions = catalogue_revisions()
            live = sorted(i for i, (_, deleted) in revisions.items() if not deleted)
            with self._swap_lock():
                folder = self._new_generation()
            ix = whoosh_index.open_dir(str(folder))
            try:
                written = self._write_batches(
                    ix, live, documents, [], batch_seconds, progress, replace=False
                )
            except BaseException:
                ix.close()
                shutil.rmtree(folder, ignore_errors=True)
                raise
            ix.close()
            with self._swap_lock():
                self._write_current(folder.name)
            self._attach(folder.name)
            self._remove_old_generations()
            caught_up = self.sync(catalogue_revisions(), documents)
            return SyncReport(
                indexed=written + caught_up.indexed, deleted=caught_up.deleted, rebuilt=True
            )

    def _write_batches(
        self,
        ix: whoosh_index.Index,
        ids: Sequence[int],
        documents: DocumentSource,
        deletions: Sequence[int],
        batch_seconds: float,
        progress: Callable[[int], None] | None,
        *,
        replace: bool,
    ) -> int:
        """Write in commits of bounded duration, so other writers get their turn."""
        written = 0
        pending_deletions = list(deletions)
        pacer = Pacer(batch_seconds, self.batch_limit)
        added: set[int] = set()  # a rebuild adds: a record met twice would be indexed twice
        for part in paced_slices(ids, pacer.sizes()):
            began = time.monotonic()
            batch = documents(part) if replace else _once(documents(part), added)
            written += self._write_to(ix, batch, pending_deletions, replace=replace)
            pending_deletions = []
            if progress:
                progress(len(part))
            pacer.observe(len(part), time.monotonic() - began)
        if pending_deletions:  # nothing to write, something to delete
            self._write_to(ix, (), pending_deletions, replace=replace)
        return written

    # -- reading --------------------------------------------------------------------------

    def indexed_revisions(self) -> dict[int, int]:
        """{record_id: rev} of every document in the index."""
        with self._lock:
            view = self._fresh_view()
            return {row.id: row.rev for row in view.rows if row is not None}

    def doc_count(self) -> int:
        with self._lock:
            return self._fresh_view().searcher.doc_count()

    def duplicate_ids(self) -> list[int]:
        """Record ids indexed more than once (a damaged index; `fonds check` reports it)."""
        with self._lock:
            counts = Counter(row.id for row in self._fresh_view().rows if row is not None)
            return sorted(i for i, n in counts.items() if n > 1)

    def set_equivalences(self, groups: Iterable[Sequence[str]]) -> None:
        """Expressions that mean the same (acronym and expansion): a query for one finds all."""
        self._compiler.set_equivalences(groups)

    def search(
        self, request: SearchRequest, *, availability: Mapping[int, tuple[str, ...]] | None = None
    ) -> SearchPage:
        """Ranked, filtered, faceted hits for one page (hits carry ids and facet values)."""
        return self._run(request, availability or {}, paged=True)

    def all_ids(
        self, request: SearchRequest, *, availability: Mapping[int, tuple[str, ...]] | None = None
    ) -> list[int]:
        """Every matching record id in the request's order (for exports and feeds)."""
        page = self._run(request, availability or {}, paged=False)
        return [h.id for h in page.hits]

    def _run(
        self, request: SearchRequest, availability: Mapping[int, tuple[str, ...]], *, paged: bool
    ) -> SearchPage:
        started = time.perf_counter()
        parsed = parse(request.q)
        with self._lock:
            view = self._fresh_view()
            searcher = view.searcher
            query, excluded, equivalents = self._compiler.compile(parsed, searcher.reader())
            sort = (
                request.effective_sort
                if query is not None
                else (request.sort if request.sort in ("oldest", "title", "newest") else "newest")
            )
            relaxed = False
            scored: list[tuple[int, float]] = []
            if query is not None:
                matched, scored = self._match(searcher, query, sort)
                if not matched and len(parsed.required) > 1:
                    query, _, equivalents = self._compiler.compile(
                        parsed.relaxed(), searcher.reader()
                    )
                    if query is not None:
                        matched, scored = self._match(searcher, query, sort)
                    relaxed = bool(matched)
            else:
                matched = set(view.live)
            if excluded is not None and matched:
                matched -= set(searcher.docs_for_query(excluded))

            final, facets = _facet(view, matched, request, availability)
            start = (request.page - 1) * request.per_page if paged else 0
            stop = start + request.per_page if paged else len(final)
            ranked = self._rank(view, scored, final, sort, stop)
            hits = tuple(
                _hit(view.rows[docnum], score, availability) for docnum, score in ranked[start:stop]
            )
            suggestion = self._suggest(parsed, searcher) if (not final or relaxed) else None
        took = (time.perf_counter() - started) * 1000
        return SearchPage(
            request=request,
            total=len(final),
            hits=hits,
            facets=facets,
            took_ms=took,
            suggestion=suggestion,
            relaxed=relaxed,
            messages=parsed.messages,
            terms=tuple(dict.fromkeys([*parsed.words(), *equivalents])),
        )

    @staticmethod
    def _match(searcher, query: wq.Query, sort: str) -> tuple[set[int], list[tuple[int, float]]]:  # type: ignore[no-untyped-def]
        """The matching documents, and when ranked by relevance their scores, best first.

        Ranked: one scored pass over every match, not an unscored pass for the facets and a
        second, scored one for the page (whoosh reads and decodes the postings each time)."""
        if sort != "relevance":
            return set(searcher.docs_for_query(query)), []
        results = searcher.search(query, limit=None, terms=False)
        scored = [(docnum, float(score or 0.0)) for score, docnum in results.top_n]
        return {docnum for docnum, _ in scored}, scored

    def _rank(
        self, view, scored: list[tuple[int, float]], final: set[int], sort: str, stop: int
    ) -> list[tuple[int, float]]:  # type: ignore[no-untyped-def]
        if not final or stop <= 0:
            return []
        if sort == "relevance" and scored:
            ranked = []
            for docnum, score in scored:  # best first already
                if docnum in final:
                    ranked.append((docnum, score))
                    if len(ranked) >= stop:
                        break
            return ranked
        rows = view.rows
        if sort == "title":
            key = lambda d: (rows[d].title_key, rows[d].id)  # noqa: E731
        elif sort == "oldest":
            key = lambda d: (rows[d].year or 9999, rows[d].id)  # noqa: E731
        else:  # newest
            key = lambda d: (-(rows[d].year or 0), -rows[d].id)  # noqa: E731
        return [(d, 0.0) for d in heapq.nsmallest(stop, final, key=key)]

    def more_like(
        self, record_id: int, text: str, language: str, limit: int = 5
    ) -> list[tuple[int, float]]:
        """Records close to one: its most distinctive terms (tf-idf) as a ranked OR query."""
        with self._lock:
            view = self._fresh_view()
            searcher = view.searcher
            reader = searcher.reader()
            total = max(1, searcher.doc_count())
            counts = Counter(analyze(text[:30_000], language))
            scored = []
            for term, tf in counts.items():
                df = reader.doc_frequency("body", term) + reader.doc_frequency("title", term)
                if df <= 1 or df > total * 0.5 or len(term) < 3 or term.isdigit():
                    continue
                scored.append((tf * _idf(total, df), term))
            top = [t for _, t in heapq.nlargest(25, scored)]
            if not top:
                return []
            query = AnyOf(
                [wq.Term(f, t, boost=FIELD_BOOSTS[f]) for t in top for f in ("title", "body")]
            )
            own = view.by_id.get(record_id)
            mask = {own} if own is not None else None
            results = searcher.search(query, limit=limit, mask=mask, terms=False)
            return [(view.rows[h.docnum].id, float(h.score or 0.0)) for h in results]

    # -- internals --------------------------------------------------------------------------

    def _fresh_view(self) -> _View:
        self._follow_swaps()
        ix = self._require_ix()
        if self._view is None:
            self._view = _View(ix.searcher(weighting=BM25F()))
        elif not self._view.searcher.up_to_date():
            old = self._view
            # A new searcher rather than refresh(): refresh fails when the old reader was empty.
            self._view = _View(ix.searcher(weighting=BM25F()), previous=old)
            old.searcher.close()
        return self._view

    def _suggest(self, parsed: ParsedQuery, searcher) -> str | None:  # type: ignore[no-untyped-def]
        """'Vouliez-vous dire…?': each unknown query word replaced by the closest indexed one."""
        words = parsed.words()
        if not words:
            return None
        reader = searcher.reader()
        corrector = searcher.corrector("spell")
        changed = False
        out = []
        for word in words:
            if reader.doc_frequency("spell", word) > 0 or len(word) < 4 or word.isdigit():
                out.append(word)
                continue
            found = corrector.suggest(word, limit=1, maxdist=2, prefix=1)
            if found and found[0] != word:
                out.append(found[0])
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None


class _View:
    """A searcher and the facet rows of its documents, reusing rows of unchanged segments."""

    def __init__(self, searcher, previous: _View | None = None) -> None:  # type: ignore[no-untyped-def]
        self.searcher = searcher
        cache = previous.segment_rows if previous else {}
        self.segment_rows: dict[str, list[_Row | None]] = {}
        self.rows: list[_Row | None] = []
        reader = searcher.reader()
        leaves = reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]
        for leaf, _offset in leaves:
            segment = leaf.segment() if hasattr(leaf, "segment") else None
            segid = segment.segment_id() if segment is not None else f"leaf-{id(leaf)}"
            key = f"{segid}:{leaf.doc_count()}"  # deletions change the count
            rows = cache.get(key)
            if rows is None:
                rows = [
                    None if leaf.is_deleted(n) else _row(leaf.stored_fields(n))
                    for n in range(leaf.doc_count_all())
                ]
            self.segment_rows[key] = rows
            self.rows.extend(rows)
        self.live = [n for n, row in enumerate(self.rows) if row is not None]
        self.by_id = {row.id: n for n, row in enumerate(self.rows) if row is not None}
        self._bitmaps: FacetBitmaps | None = None

    def facet_bitmaps(self) -> FacetBitmaps:
        """Built on the first faceted search of this searcher (callers hold the index lock)."""
        if self._bitmaps is None:
            self._bitmaps = FacetBitmaps(self.rows)  # type: ignore[arg-type]
        return self._bitmaps


def _idf(total: int, df: int) -> float:
    import math

    return math.log(1 + (total - df + 0.5) / (df + 0.5))


def _fields(doc: IndexDocument) -> dict[str, object]:
    return {
        "id": str(doc.id),
        "title": doc.title_terms,
        "meta": doc.meta_terms,
        "body": doc.body_terms,
        "spell": doc.spell_words,
        "lang": doc.language,
        "data": (
            doc.rev,
            doc.year,
            doc.doc_type,
            doc.support,
            doc.doc_language,
            doc.themes,
            doc.authors,
            doc.has_file,
            doc.title_key,
        ),
    }


def _row(stored: Mapping[str, object]) -> _Row:
    rev, year, doc_type, support, language, themes, authors, has_file, title_key = stored["data"]  # type: ignore[misc]
    return _Row(
        int(stored["id"]),
        rev,
        year,
        doc_type,
        support,
        language,
        tuple(themes),
        tuple(authors),
        bool(has_file),
        title_key,
    )


def _hit(row: _Row | None, score: float, availability: Mapping[int, tuple[str, ...]]) -> Hit:
    assert row is not None
    return Hit(
        id=row.id,
        score=score,
        year=row.year,
        doc_type=row.doc_type,
        support=row.support,
        language=row.language,
        themes=row.themes,
        authors=row.authors,
        has_file=row.has_file,
        availability=_availability(row, availability),
    )


def _availability(row: _Row, availability: Mapping[int, tuple[str, ...]]) -> tuple[str, ...]:
    values = tuple(availability.get(row.id, ()))
    return values + ("en-ligne",) if row.has_file else values


def _row_values(
    row: _Row, facet: str, availability: Mapping[int, tuple[str, ...]]
) -> tuple[str, ...]:
    if facet == "theme":
        return row.themes
    if facet == "type":
        return (row.doc_type,)
    if facet == "support":
        return (row.support,)
    if facet == "year":
        return (str(row.year),) if row.year else ()
    if facet == "language":
        return (row.language,)
    if facet == "author":
        return row.authors
    return _availability(row, availability)


def _year_in(year: int, value: str) -> bool:
    value = value.strip()
    if "-" in value:
        low, _, high = value.partition("-")
        try:
            return int(low) <= year <= int(high)
        except ValueError:
            return False
    return value.isdigit() and int(value) == year


def _facet(
    view: _View,
    matched: set[int],
    request: SearchRequest,
    availability: Mapping[int, tuple[str, ...]],
) -> tuple[set[int], dict[str, tuple[FacetCount, ...]]]:
    """Apply the facet filters (OR within a facet, AND across facets) and count every facet.

    A facet with a selection is counted over the hits of all *other* filters, so each of its
    values shows how many documents choosing it alone would give. Runs on bitmaps (facets.py)."""
    bitmaps = view.facet_bitmaps()
    available = bitmaps.availability(availability, view.by_id)
    filters = {name: values for name, values in request.filters().items() if values}
    matched_bits = facets_bitmap(matched, bitmaps.size)
    passing = {
        name: matched_bits & bitmaps.selection(name, values, available, _year_in)
        for name, values in filters.items()
    }
    final_bits = matched_bits
    for bits in passing.values():
        final_bits &= bits
    facets: dict[str, tuple[FacetCount, ...]] = {}
    for facet in FACETS:
        base = final_bits
        if facet in filters:
            base = matched_bits
            for other, bits in passing.items():
                if other != facet:
                    base &= bits
        counts = count_facet(
            bitmaps,
            facet,
            base,
            available,
            view.rows,
            lambda row, name: _row_values(row, name, availability),
        )
        facets[facet] = _facet_values(facet, counts, set(filters.get(facet, ())))
    final = matched if final_bits == matched_bits else set(members(final_bits))
    return final, facets


def _facet_values(facet: str, counts: Counter[str], selected: set[str]) -> tuple[FacetCount, ...]:
    if facet == "year":
        ordered = sorted(counts.items(), key=lambda kv: kv[0], reverse=True)
    elif facet == "available":
        ordered = [(v, counts[v]) for v in AVAILABILITY if counts[v]]
    else:
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        limit = FACET_LIMITS.get(facet)
        if limit:
            ordered = ordered[:limit]
    shown = {v for v, _ in ordered}
    values = [FacetCount(v, n, selected=v in selected) for v, n in ordered]
    # A selected value stays visible (with its count, maybe 0) so it can be removed.
    values += [
        FacetCount(v, _selected_count(facet, v, counts), selected=True)
        for v in sorted(selected - shown)
    ]
    return tuple(values)


def _selected_count(facet: str, value: str, counts: Counter[str]) -> int:
    """A selected year range ("2000-2009") counts the years it spans, like clicking it gives."""
    if facet == "year" and "-" in value:
        return sum(n for year, n in counts.items() if year.isdigit() and _year_in(int(year), value))
    return counts.get(value, 0)
