"""The index folder on Whoosh: generations, the pointer to the current one, locks, writers,
segment merges, and the stored rows of every document. Queries live in engine.py.

Design against Whoosh's known failure modes:
- the index is derived: `sync` compares it with the catalogue by revision and repairs it,
  `rebuild` fills a fresh generation folder then swaps a pointer file (readers never see a
  half-built index);
- one writer at a time, acquired with a timeout and retried; any error cancels the writer
  so the lock is never left held; no AsyncWriter, no multiprocess writer;
- text arrives already analysed (space-separated terms), so Whoosh only stores postings;
- a batch (the end of `fonds index`, import, retag) writes its documents as one segment of
  a private index, without the live index's lock, and adopts it in one short commit
  (staging.py): its postings are written once and another writer waits a moment, not the
  batch; then older segments no larger than what it added are merged with it, leaving alone
  the fund it lands in: its cost follows its own size. A rebuild writes its fresh
  generation as one segment. A single save only merges small segments (a tiered policy),
  so it stays fast.
"""

from __future__ import annotations

import bisect
import fcntl
import gc
import heapq
import json
import logging
import math
import os
import pickle
import shutil
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any, Self

from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3PerDocReader,
    W3PostingsWriter,
    W3Segment,
)
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.reading import SegmentReader
from whoosh.scoring import BM25F
from whoosh.util.numeric import length_to_byte
from whoosh.writing import IndexingError

from ..analysis import analysis_stamp
from .documents import IndexDocument
from .facets import FacetBitmaps
from .models import IndexBusy
from .postings import KeptLists
from .staging import BatchWriter, adopt, remove_abandoned, staging_folder

log = logging.getLogger(__name__)

BLOCK_PICKLE = 4  # the pickle protocol of a postings block's data (see _PostingsWriter)
# zlib's level for postings blocks: none. Inflating the blocks of the lists a query reads was
# a tenth of the CPU of a search at 20,000 documents; the index is 2.3 times larger for it
# (86 -> 202 MB at 20,000 documents, about 23 MB for the centre's 2,000), and a derived index
# that small costs less on disk than in every search.
BLOCK_ZLIB_LEVEL = 0
# 2: the keywords in a field of their own (subjects); 3: blocks in protocol 4; 4: blocks not
# compressed
SCHEMA_VERSION = 4
_CURRENT = "CURRENT"
_STAMP = "fonds-stamp.json"


def _schema() -> Schema:
    terms = SpaceSeparatedTokenizer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=terms, phrase=True),
        meta=TEXT(analyzer=terms, phrase=True),
        subjects=TEXT(analyzer=terms, phrase=True),
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


class Pacer:
    """Chooses the next batch size so that each commit costs about `batch_seconds` of work
    (a sync of single saves that finds many records to write, e.g. after a crash; a batch
    writes its own segment apart, `_write_staged`).

    The batch measures its own thread's CPU time, not the wall clock: on a loaded machine a
    wall-clock pacer shrank the commits (132 of 75 documents for a 10,000-row import at a
    load of 10), and every extra segment costs its own term dictionary, a look-up per
    document replaced, and its share of the batch's final merge. Another writer then waits
    about `batch_seconds` times the machine's load at most."""

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


class _LengthsReader(W3PerDocReader):
    """Whoosh's per-document reader, remembering which fields have no length column.

    Whoosh asks a field's length for every posting it writes; for a field that stores none
    (id, lang, spell: not scorable) it looked for the column file on disk each time, one
    `stat` per posting: 40% of the time an import spent writing the index."""

    def _cached_reader(self, fieldname, column):
        try:
            return self._readers[fieldname]
        except KeyError:
            reader = super()._cached_reader(fieldname, column)
            self._readers[fieldname] = reader  # None too: the file will not appear
            return reader


class _PostingsWriter(W3PostingsWriter):
    """Whoosh's postings writer, with two changes to how a block is stored, both read by
    Whoosh's own reader (a block's data is a pickle, and its header says whether it is
    compressed):
    - the data is pickled with protocol 4, not 2. Under protocol 2 every posting's value (the
      positions of a word in a document) is a bytes object that unpickles through a call of
      `_codecs.encode`; protocol 4 stores bytes as bytes. Reading a block's postings costs
      about a quarter as much, and the phrases and the union read whole lists of them;
    - blocks are not compressed (BLOCK_ZLIB_LEVEL, see _Codec); at a level above 0, a block of
      one posting (a word of one document: a third of a batch's blocks) still is not, as Whoosh
      means it ("if the pickle is less than 20 bytes, don't bother compressing", a rule its
      code overrides): zlib made such a block no smaller."""

    _compression: int  # zlib's level for this writer's blocks (the codec's)

    def _write_block(self, last=False):
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        data = pickle.dumps(
            (self._mini_ids(), self._mini_weights(), self._mini_values()), BLOCK_PICKLE
        )
        level = self._compression if len(ids) > 1 else 0
        if level:
            data = zlib.compress(data, level)
        # what a reader looks at before (or instead of) the data: count, last id, best
        # weight, compression, shortest and longest document
        header = pickle.dumps(
            (
                len(ids),
                ids[-1],
                self._maxweight,
                level,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        size = len(header) + len(data)
        postfile.write_int(-size if last else size)  # negative: the list's last block
        postfile.write(header)
        postfile.write(data)
        self._blockcount += 1
        self._new_block()


class _Codec(W3Codec):
    """Whoosh's codec with `_LengthsReader` and `_PostingsWriter`, its postings blocks not
    compressed. The segments it writes name the plain codec (a segment is pickled with its
    codec: the index folder stays readable by Whoosh alone)."""

    def __init__(
        self, blocklimit: int = 128, compression: int = BLOCK_ZLIB_LEVEL, inlinelimit: int = 1
    ) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def per_document_reader(self, storage, segment):
        return _LengthsReader(storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def new_segment(self, storage, indexname):
        return W3Segment(W3Codec(), indexname)


MergePolicy = Callable[[Any, list[Any]], list[Any]]
WRITER_MB = 48  # postings a writer holds in memory before spilling a sorted run to disk
DOCUMENTS_AT_ONCE = 500  # documents a batch builds (reads from the catalogue) at a time
TIER_FANOUT = 4  # a save merges segments of one size tier once there are this many
MOST_SEGMENTS = 6  # past this, a save merges every segment but the largest


def _tier(segment: Any) -> int:
    return int(math.log(max(1, segment.doc_count_all()), TIER_FANOUT))


def merge_tiered(writer: Any, segments: list[Any]) -> list[Any]:
    """A save's merge policy: rewrite only small segments, so a save stays fast.

    Segments are grouped by size tier (powers of TIER_FANOUT documents); a tier holding
    TIER_FANOUT segments is merged into one of the next tier. Should the count still pass
    MOST_SEGMENTS, every segment but the largest is merged. The largest segment (what the
    last batch left) is never rewritten by a save."""
    if len(segments) <= 1:
        return segments
    by_tier: dict[int, list[Any]] = {}
    for segment in segments:
        by_tier.setdefault(_tier(segment), []).append(segment)
    merged: list[Any] = []
    for tier in sorted(by_tier):
        group = by_tier[tier]
        if len(group) >= TIER_FANOUT:
            merged.extend(group)
    largest = max(segments, key=lambda s: s.doc_count_all())
    merged = [s for s in merged if s is not largest]
    if len(segments) - len(merged) + 1 > MOST_SEGMENTS:  # + the segment being written
        merged = [s for s in segments if s is not largest]
    return _merge(writer, segments, merged)


def merge_none(writer: Any, segments: list[Any]) -> list[Any]:
    """A batch's own segment: no merge (what it lands in is merged once it is adopted)."""
    return segments


def merge_batch(writer: Any, segments: list[Any]) -> list[Any]:
    """A batch's end: its segments into one, with the older ones no larger than what it adds.

    A segment larger than all the smaller ones together is left alone (the fund a batch lands
    in is not rewritten for a small import): the cost of a batch follows its own size. Every
    kept segment is more than twice the next, so they stay few (at most log2 of the documents;
    in practice the fund's segment and the last batch's)."""
    chosen = sorted(segments, key=lambda s: s.doc_count_all())
    rest = sum(s.doc_count_all() for s in chosen)
    while len(chosen) > 1:
        largest = chosen[-1].doc_count_all()
        rest -= largest
        if largest <= rest:
            break
        chosen.pop()
    if len(chosen) <= 1:
        return segments
    return _merge(writer, segments, chosen)


def _merge(writer: Any, segments: list[Any], chosen: list[Any]) -> list[Any]:
    if not chosen:
        return segments
    ids = {id(s) for s in chosen}
    readers = [
        SegmentReader(writer.storage, writer.schema, segment, codec=_Codec()) for segment in chosen
    ]
    try:
        if writer.docnum == writer.docbase:  # a commit of merges only: straight to the segment
            _merge_sorted(writer, readers)
        else:
            for reader in readers:
                writer.add_reader(reader)
    finally:
        for reader in readers:
            reader.close()
    return [s for s in segments if id(s) not in ids]


def _merge_sorted(writer: Any, readers: list[Any]) -> None:
    """Segments into a writer that holds no document of its own, without its posting pool.

    Whoosh's add_reader puts every posting of every segment into the writer's pool, which
    sorts them again and, past WRITER_MB, pickles them to disk and back: at the end of a
    10,000-row import that was a third of the merge. Each segment's postings already come
    sorted by field, term and document, and the merged segment numbers the documents of each
    segment after the previous one's: merging the streams keeps the order, and they go
    straight to the field writer (the pool stays empty for the commit's own flush)."""
    streams = []
    lengths = _MergedLengths()
    for reader in readers:
        base = writer.docnum
        names = set(writer.schema.names())
        names |= {name for name in reader.indexed_field_names() if name in writer.schema}
        docmap = writer.write_per_doc(names, reader)
        lengths.add(base, writer.docnum, reader, docmap)
        streams.append(writer._process_posts(reader.iter_postings(), base, docmap))  # noqa: SLF001
    writer.fieldwriter.add_postings(writer.schema, lengths, heapq.merge(*streams))
    writer._added = True  # noqa: SLF001 - the commit must write the segment


class _MergedLengths:
    """Field lengths of the merged segment's documents, read from the segments they come
    from (the merged segment's own lengths are not readable before its commit)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.parts: list[tuple[int, Any, dict[int, int] | None]] = []

    def add(self, start: int, end: int, reader: Any, docmap: dict[int, int] | None) -> None:
        if end > start:
            # docmap: old number -> new, for a segment with deletions
            back = {new: old for old, new in docmap.items()} if docmap is not None else None
            self.starts.append(start)
            self.parts.append((start, reader, back))

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        start, reader, back = self.parts[bisect.bisect_right(self.starts, docnum) - 1]
        old = docnum - start if back is None else back[docnum]
        return reader.doc_field_length(old, fieldname, default)


@dataclass(frozen=True, slots=True)
class Row:
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


class IndexStore:
    """One instance's index: a folder of generations and a pointer to the current one."""

    def __init__(
        self, root: Path, *, write_timeout: float = 60.0, batch_limit: int = Pacer.LARGEST
    ) -> None:
        self.root = root
        self.write_timeout = write_timeout
        # most documents in one paced commit, or built at a time (tests force small ones)
        self.batch_limit = batch_limit
        self._lock = threading.RLock()  # searchers are not shared between threads
        self._ix: whoosh_index.Index | None = None
        self._generation = ""
        self._view: View | None = None
        self.created = False  # True when open() had to start an empty generation

    # -- opening, generations ---------------------------------------------------------------

    @classmethod
    def open(
        cls, root: Path, *, write_timeout: float = 60.0, batch_limit: int = Pacer.LARGEST
    ) -> Self:
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

    def __enter__(self) -> Self:
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
        remove_abandoned(self.root)

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
            return self._write_to(self._require_ix(), documents, deletions)

    def _write_to(
        self,
        ix: whoosh_index.Index,
        documents: Iterable[IndexDocument],
        deletions: Iterable[int],
        *,
        policy: MergePolicy | None = None,
    ) -> int:
        writer = self._acquire_writer(ix)
        written = 0
        try:
            for record_id in deletions:
                writer.delete_by_term("id", str(record_id))
            for doc in documents:
                writer.update_document(**_fields(doc))
                written += 1
            writer.commit(mergetype=policy or merge_tiered)
        except BaseException:
            _cancel(writer)
            raise
        return written

    def _acquire_writer(self, ix: whoosh_index.Index):
        deadline = time.monotonic() + self.write_timeout
        delay = 0.05
        while True:
            try:
                return ix.writer(
                    timeout=min(1.0, self.write_timeout),
                    delay=0.05,
                    limitmb=WRITER_MB,
                    codec=_Codec(),
                )
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
        compact: bool = False,
    ) -> SyncReport:
        """Make the index mirror the catalogue: index what changed, drop what is gone.

        `catalogue_revisions` is {id: (rev, deleted)}; `documents(ids)` builds the entries.
        `compact` (a batch: import, retag) writes them as one segment apart and adopts it
        (`_write_staged`), then merges it with the older segments no larger (`merge_batch`);
        a single save leaves it false: paced commits, and only small segments are merged."""
        with self._lock:
            self._follow_swaps()
            # A batch reads the revisions without the facet rows of every document (60 MB
            # at 20,000): the rows would be stale once it has written anyway.
            if compact:
                indexed, segments = self._scan_revisions()
            else:
                indexed, segments = self.indexed_revisions(), None
            stale = [
                i for i in indexed if i not in catalogue_revisions or catalogue_revisions[i][1]
            ]
            wanted = sorted(
                i
                for i, (rev, deleted) in catalogue_revisions.items()
                if not deleted and indexed.get(i) != rev
            )
            if compact and (stale or wanted):
                assert segments is not None
                replaced = [i for i in wanted if i in indexed]
                written = self._write_staged(wanted, documents, stale, replaced, segments, progress)
            elif stale or wanted:
                written = self._write_batches(
                    self._require_ix(),
                    wanted,
                    documents,
                    stale,
                    batch_seconds,
                    progress,
                )
            else:
                written = 0
            if compact:
                self.compact()
            return SyncReport(indexed=written, deleted=len(stale))

    def rebuild(
        self,
        catalogue_revisions: Callable[[], Mapping[int, tuple[int, bool]]],
        documents: DocumentSource,
        *,
        progress: Callable[[int], None] | None = None,
    ) -> SyncReport:
        """Build a fresh generation from the catalogue, swap it in, then catch up with changes
        made meanwhile (other processes keep using the old generation until the swap).

        No reader sees the fresh generation before the swap and no other writer knows it:
        it is written as one segment in one commit, its postings written once."""
        with self._lock:
            revisions = catalogue_revisions()
            live = sorted(i for i, (_, deleted) in revisions.items() if not deleted)
            with self._swap_lock():
                folder = self._new_generation()
            ix = whoosh_index.open_dir(str(folder))
            try:
                written = len(self._write_segment(ix, live, documents, progress))
            except BaseException:
                ix.close()
                shutil.rmtree(folder, ignore_errors=True)
                raise
            ix.close()
            with self._swap_lock():
                self._write_current(folder.name)
            self._attach(folder.name)
            self._remove_old_generations()
            caught_up = self.sync(catalogue_revisions(), documents, compact=True)
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
    ) -> int:
        """Write in commits of bounded duration, so other writers get their turn."""
        written = 0
        pending_deletions = list(deletions)
        pacer = Pacer(batch_seconds, self.batch_limit)
        # A commit leaves its writer, pool and readers in reference cycles: collected only by
        # a full collection, they piled up 30 MB a commit across a batch. What the caller
        # holds (an import's plan, the tagger's model) is frozen out of those collections:
        # walking it at every commit cost 0.2 s each at 10,000 rows.
        gc.collect()
        gc.freeze()
        try:
            for part in paced_slices(ids, pacer.sizes()):
                began = time.thread_time()
                written += self._write_to(ix, documents(part), pending_deletions)
                pending_deletions = []
                gc.collect()
                if progress:
                    progress(len(part))
                pacer.observe(len(part), time.thread_time() - began)
            if pending_deletions:  # nothing to write, something to delete
                self._write_to(ix, (), pending_deletions)
        finally:
            gc.unfreeze()
        return written

    def _write_staged(
        self,
        ids: Sequence[int],
        documents: DocumentSource,
        deletions: Sequence[int],
        replaced: Sequence[int],
        known: set[str],
        progress: Callable[[int], None] | None,
    ) -> int:
        """A batch: its documents as one segment of a private index, without the live
        index's lock, then adopted in one short commit (staging.py). `replaced`: records the
        index held, in its `known` segments, when the batch started."""
        if not ids:
            self._write_to(self._require_ix(), (), deletions)
            return 0
        with staging_folder(self.root) as folder:
            private = whoosh_index.create_in(str(folder), _schema())
            try:
                order = self._write_segment(private, ids, documents, progress)
                segments = private._segments()  # noqa: SLF001 - Whoosh's only segment listing
            finally:
                private.close()
            self._follow_swaps()  # a rebuild swapped generations meanwhile: adopt into it
            writer = self._acquire_writer(self._require_ix())
            try:
                for record_id in deletions:
                    writer.delete_by_term("id", str(record_id))
                staged = segments[0] if segments else None
                if staged is not None:
                    adopt(writer, staged, folder, order, replaced=replaced, known=known)
                    if staged.deleted_count() == staged.doc_count_all():
                        staged = None  # another process indexed them all meanwhile
                writer.commit(
                    mergetype=lambda _writer, current: current + ([staged] if staged else [])
                )
            except BaseException:
                _cancel(writer)
                raise
        return len(order)

    def _write_segment(
        self,
        ix: whoosh_index.Index,
        ids: Sequence[int],
        documents: DocumentSource,
        progress: Callable[[int], None] | None,
    ) -> list[tuple[int, int]]:
        """The documents of `ids` into one new segment of an index no one else writes, in one
        commit: (record id, revision) of each, in the segment's order. A record met twice is
        refused (it would be indexed twice)."""
        writer = BatchWriter(ix, limitmb=WRITER_MB, codec=_Codec())  # no one else waits
        order: list[tuple[int, int]] = []
        seen: set[int] = set()
        gc.collect()
        gc.freeze()  # what the caller holds is not walked by the collections of the batch
        try:
            for part in paced_slices(ids, repeat(min(self.batch_limit, DOCUMENTS_AT_ONCE))):
                for doc in documents(part):
                    if doc.id in seen:
                        raise RuntimeError(f"a batch would index record {doc.id} twice")
                    seen.add(doc.id)
                    writer.add_document(**_fields(doc))
                    order.append((doc.id, doc.rev))
                if progress:
                    progress(len(part))
            writer.commit(mergetype=merge_none)
        except BaseException:
            _cancel(writer)
            raise
        finally:
            gc.unfreeze()
        return order

    def compact(self) -> bool:
        """A batch has ended: merge its segments into one, and the older segments no larger
        than it (`merge_batch`). True when there was work."""
        with self._lock:
            self._follow_swaps()
            ix = self._require_ix()
            if len(ix._segments()) <= 1:  # noqa: SLF001 - Whoosh's only segment listing
                return False
            self._write_to(ix, (), (), policy=merge_batch)
            return True

    def segment_count(self) -> int:
        """Segments of the current generation (each query builds its matchers once per segment)."""
        with self._lock:
            self._follow_swaps()
            return len(self._require_ix()._segments())  # noqa: SLF001

    # -- reading --------------------------------------------------------------------------

    def indexed_revisions(self) -> dict[int, int]:
        """{record_id: rev} of every document in the index."""
        with self._lock:
            view = self._fresh_view()
            return {row.id: row.rev for row in view.rows if row is not None}

    def _scan_revisions(self) -> tuple[dict[int, int], set[str]]:
        """{record_id: rev} read straight from the stored fields, nothing kept; and the ids
        of the segments read."""
        with self._require_ix().reader() as reader:
            revisions = {int(fields["id"]): fields["data"][0] for _, fields in reader.iter_docs()}
            leaves = [leaf.segment() for leaf, _ in reader.leaf_readers()]
            segments = {s.segment_id() for s in leaves if s is not None}  # none: empty
        return revisions, segments

    def doc_count(self) -> int:
        with self._lock:
            return self._fresh_view().searcher.doc_count()

    def duplicate_ids(self) -> list[int]:
        """Record ids indexed more than once (a damaged index; `fonds check` reports it)."""
        with self._lock:
            counts = Counter(row.id for row in self._fresh_view().rows if row is not None)
            return sorted(i for i, n in counts.items() if n > 1)

    # -- internals --------------------------------------------------------------------------

    def _fresh_view(self) -> View:
        self._follow_swaps()
        ix = self._require_ix()
        if self._view is None:
            self._view = View(ix.searcher(weighting=BM25F()))
        elif not self._view.searcher.up_to_date():
            old = self._view
            # A new searcher rather than refresh(): refresh fails when the old reader was empty.
            self._view = View(ix.searcher(weighting=BM25F()), previous=old)
            old.searcher.close()
        return self._view


class View:
    """A searcher and the facet rows of its documents, reusing rows of unchanged segments."""

    def __init__(self, searcher, previous: View | None = None) -> None:
        self.searcher = searcher
        cache = previous.segment_rows if previous else {}
        self.segment_rows: dict[str, list[Row | None]] = {}
        self.rows: list[Row | None] = []
        reader = searcher.reader()
        leaves = reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]
        for leaf, _offset in leaves:
            segment = leaf.segment() if hasattr(leaf, "segment") else None
            segid = segment.segment_id() if segment is not None else f"leaf-{id(leaf)}"
            key = f"{segid}:{leaf.doc_count()}"  # deletions change the count
            rows = cache.get(key)
            if rows is None:
                rows = [
                    None if leaf.is_deleted(n) else row_of(leaf.stored_fields(n))
                    for n in range(leaf.doc_count_all())
                ]
            self.segment_rows[key] = rows
            self.rows.extend(rows)
        self.live = [n for n, row in enumerate(self.rows) if row is not None]
        self.by_id = {row.id: n for n, row in enumerate(self.rows) if row is not None}
        self._bitmaps: FacetBitmaps | None = None
        self.kept: KeptLists | None = None  # posting lists the engine keeps between requests

    def facet_bitmaps(self) -> FacetBitmaps:
        """Built on the first faceted search of this searcher (callers hold the index lock)."""
        if self._bitmaps is None:
            self._bitmaps = FacetBitmaps(self.rows)
        return self._bitmaps


def _cancel(writer: Any) -> None:
    """A writer left open keeps the lock for the life of the process: always cancel."""
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - cancelling is best effort after a failure
        log.exception("could not cancel the index writer")


def _fields(doc: IndexDocument) -> dict[str, object]:
    return {
        "id": str(doc.id),
        "title": doc.title_terms,
        "meta": doc.meta_terms,
        "subjects": doc.subject_terms,
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


def row_of(stored: Mapping[str, Any]) -> Row:
    rev, year, doc_type, support, language, themes, authors, has_file, title_key = stored["data"]
    return Row(
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
