"""A batch's documents written as one segment away from the index, then adopted into it.

Why: a batch (import, retag, the end of `fonds index`) used to write in commits of about two
seconds each, so that another writer (a save in the web app) never waited long for the index
lock, then merged those segments into one at its end: every posting was written twice, and
the merge alone was 30% of an import's time. A batch now writes all its documents into one
segment of a private index in `staging/` (no lock of the live index held, however long it
takes), then takes the lock only to move that segment's file in and list it: a rename and a
few look-ups, not seconds of writing.

Adopting a staged segment keeps the index's rule of one document per record:
- the batch replaces what the index held of its records when it started (`known` segments);
- a segment written meanwhile by another process may hold one of the batch's records too
  (the web app saved it): the higher revision stays, the other process's copy on a tie.

A staging folder is removed once its segment is adopted (or the batch fails); one left by a
process that died is removed by the next batch or opening of the index: each holds an
exclusive lock on its own lock file for as long as it is in use.
"""

from __future__ import annotations

import fcntl
import heapq
import marshal
import os
import shutil
import tempfile
import time
from array import array
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from pickle import dumps
from typing import Any, BinaryIO

from whoosh.analysis import RegexTokenizer
from whoosh.formats import Frequency, Positions
from whoosh.reading import SegmentReader
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

STAGING = "staging"
_LOCK = ".lock"
_ABANDONED_AFTER_S = 60.0  # a folder younger than this may be one whose lock is being taken


class TermPool(PostingPool):
    """The postings of a batch gathered by term as they come, spilled to disk past `limitmb`
    in runs sorted by term, in marshalled blocks.

    Whoosh's pool keeps one tuple per posting, sorts them all (a million in a 10,000-row
    import: its sort, its spills and their merge were a sixth of the import) and pickles a
    run one posting at a time. Here a term's postings are a flat list [docnum, weight,
    value, docnum, …] in the order documents were added (the writer numbers them in that
    order), so only the terms are sorted, and the runs are merged term by term: a term's
    postings in a later run come after those of an earlier one."""

    BLOCK = 2_000  # terms per marshalled block of a run
    POSTING = 40  # bytes a posting costs in memory, beyond its value (list slots, numbers)
    TERM = 200  # bytes a new term costs (its key, its dictionary entry, its list)

    def __init__(self, tempstore: Any, segment: Any, limitmb: float) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb)
        self.fields: dict[str, dict[bytes, list[Any]]] = {}
        self.runs: list[str] = []

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting (fieldname, term, docnum, weight, value): Whoosh's own writer's way."""
        name, term, docnum, weight, value = item
        terms = self.field(name)
        postings = terms.get(term)
        if postings is None:
            terms[term] = [docnum, weight, value]
            self.currentsize += self.TERM + len(term)
        else:
            postings += (docnum, weight, value)
        self.grew(self.POSTING + len(value or b""))

    def field(self, name: str) -> dict[bytes, list[Any]]:
        """{term: flat postings} of a field, for a writer adding a document's postings."""
        terms = self.fields.get(name)
        if terms is None:
            terms = self.fields[name] = {}
        return terms

    def grew(self, size: int) -> None:
        """`size` more bytes added: a run is written when past the limit."""
        self.currentsize += size
        if self.currentsize > self.limit:
            self.save()

    def save(self) -> None:
        if not self.fields:
            return
        path, f = self._new_run()
        block: list[Any] = []
        for item in self._sorted():
            block.append(item)
            if len(block) >= self.BLOCK:
                _write_block(f, block)
                block = []
        if block:
            _write_block(f, block)
        f.close()
        self.runs.append(path)
        self.fields = {}
        self.currentsize = 0

    def terms(self) -> Iterator[tuple[str, bytes, list[Any]]]:
        """(fieldname, term, flat postings) of every term, in order of field then term."""
        if not self.runs:
            yield from self._sorted()
            return
        self.save()
        runs, self.runs = self.runs, []
        merged = heapq.merge(*(self._read_run(path) for path in runs), key=_TERM)
        for (name, term), runs_of_term in groupby(merged, key=_TERM):
            postings: list[Any] = []
            for _, _, part in runs_of_term:
                postings += part
            yield name, term, postings

    def items(self) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        """The postings one by one, sorted, as Whoosh's pool gives them."""
        for name, term, postings in self.terms():
            for i in range(0, len(postings), 3):
                yield name, term, postings[i], postings[i + 1], postings[i + 2]

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        return self.items()

    def _sorted(self) -> Iterator[tuple[str, bytes, list[Any]]]:
        for name in sorted(self.fields):
            terms = self.fields[name]
            for term in sorted(terms):
                yield name, term, terms[term]

    def _read_run(self, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while header := f.read(8):
                yield from marshal.loads(f.read(int.from_bytes(header, "little")))
        finally:
            f.close()
            self._remove_run(path)


class BatchWriter(SegmentWriter):
    """Whoosh's segment writer for a batch's own segment, with its hot paths made short.

    - Terms of a field analysed by a bare regex tokenizer into positions or frequencies
      (ours: the text arrives already analysed, space-separated) are counted straight from
      the tokenizer's own expression, not a token object per word through Whoosh's chain,
      and go to the pool's list of their term (TermPool);
    - the field lengths the postings need come from memory, as the writer saw them (rounded
      as Whoosh stores them), not from the columns just written, read back posting by
      posting;
    - each term's postings go to the codec a block at a time (`_add_postings`).
    What it writes is what Whoosh's own writer would write, byte for byte
    (tests/indexer/test_index_staging.py compares them). A document with boosts
    (`_boost`, `_<field>_boost`, `_stored_<field>`) goes Whoosh's own way."""

    def __init__(self, ix: Any, *, limitmb: float, codec: Any) -> None:
        super().__init__(ix, limitmb=limitmb, codec=codec)
        self.pool = TermPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        self._counted = {
            name: field.format
            for name, field in self.schema.items()
            if isinstance(field.analyzer, RegexTokenizer)
            and not field.analyzer.gaps
            and type(field.format) in (Positions, Frequency)
        }
        self._lengths: dict[str, array] = {
            name: array("B") for name, field in self.schema.items() if field.scorable
        }
        self._plain = not any(
            field.vector or field.separate_spelling() for _, field in self.schema.items()
        )
        # The values of words met once, by position, shared by the postings that have the
        # same: a million postings, far fewer distinct values.
        self._single_positions: dict[int, bytes] = {}

    def add_document(self, **fields: Any) -> None:
        if not self._plain or any(name.startswith("_") for name in fields):
            return self._add_slowly(fields)
        self._check_state()
        docnum, schema, pool = self.docnum, self.schema, self.pool
        self._check_fields(schema, fields)
        lengths = dict.fromkeys(self._lengths, 0)
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        size = 0
        try:
            for name in sorted(fields):
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    fmt = self._counted.get(name)
                    if fmt is not None and isinstance(value, str):
                        length, added = self._add_counted(pool.field(name), value, field, fmt)
                        size += added
                    else:
                        terms = pool.field(name)
                        for term, freq, weight, encoded in field.index(value):
                            length += freq
                            postings = terms.get(term)
                            if postings is None:
                                terms[term] = [docnum, weight, encoded]
                                size += pool.TERM + len(term)
                            else:
                                postings += (docnum, weight, encoded)
                            size += pool.POSTING + len(encoded or b"")
                    if not field.scorable:
                        length = 0
                    lengths[name] = length
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    column_value = field.to_column_value(value)
                    perdoc.add_column_value(name, field.column_type, column_value)
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._note_lengths(lengths)
        pool.grew(size)
        self._added = True
        self.docnum += 1
        return None

    def _add_counted(
        self, terms: dict[bytes, list[Any]], value: str, field: Any, fmt: Any
    ) -> tuple[int, int]:
        """The postings of a value a bare regex tokenizer splits, added to its field's terms
        in the order Whoosh's own analysis gives them (first occurrence); (field length, bytes
        added to the pool). Values and weights are Whoosh's: Positions.encode (the count, then
        the pickled gaps between positions) or the count alone, and count × field boost."""
        words = field.analyzer.expression.findall(value)
        # A word's position, or its positions when it occurs more than once (most occur
        # once: no list for them).
        places: dict[str, Any] = {}
        for position, word in enumerate(words):
            found = places.get(word)
            if found is None:
                places[word] = position
            elif found.__class__ is int:
                places[word] = [found, position]
            else:
                found.append(position)
        docnum, boost, pool = self.docnum, fmt.field_boost, self.pool
        once = float(1) * boost
        size = pool.POSTING * len(places)
        # The value of a word met once depends on its position alone (counts only: on
        # nothing), shared by every document.
        positions = type(fmt) is Positions
        single = self._single_positions
        for word, p in places.items():
            if p.__class__ is int:
                if positions:
                    value_bytes = single.get(p)
                    if value_bytes is None:
                        value_bytes = single[p] = ONE + dumps([p], 2)
                else:
                    value_bytes = ONE
                weight = once
            else:
                n = len(p)
                if positions:
                    gaps = [p[0], *(b - a for a, b in zip(p, p[1:], strict=False))]
                    value_bytes = pack_uint(n) + dumps(gaps, 2)
                else:
                    value_bytes = pack_uint(n)
                weight = float(n) * boost
                size += len(value_bytes)
            term = word.encode("utf-8")
            postings = terms.get(term)
            if postings is None:
                terms[term] = [docnum, weight, value_bytes]
                size += pool.TERM + len(term)
            else:
                postings += (docnum, weight, value_bytes)
        return len(words), size

    def _add_slowly(self, fields: dict[str, Any]) -> None:
        super().add_document(**fields)
        # Boosts change weights, not lengths: those of its scorable fields, counted apart.
        self._note_lengths(
            {
                name: sum(freq for _, freq, _, _ in self.schema[name].index(fields[name]))
                if fields.get(name) is not None
                else 0
                for name in self._lengths
            }
        )

    def _note_lengths(self, lengths: dict[str, int]) -> None:
        for name, column in self._lengths.items():
            column.append(length_to_byte(lengths[name]))

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        if self._plain:
            _add_postings(self.fieldwriter, self.schema, self._lengths, self.pool.terms())
        else:
            self.fieldwriter.add_postings(self.schema, _Lengths(self._lengths), self.pool.items())
        self.fieldwriter.close()


_TERM = itemgetter(0, 1)
ONE = pack_uint(1)
_LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


def _add_postings(
    fieldwriter: Any,
    schema: Any,
    lengths: dict[str, array],
    terms: Iterable[tuple[str, bytes, list[Any]]],
) -> None:
    """Whoosh's `FieldWriter.add_postings` a term at a time: a term's postings are cut into
    the codec's blocks and each block handed to its postings writer whole, in the state its
    `add_posting` would have left it, posting after posting (a million postings in a
    10,000-row import: five Python calls each were a tenth of the import). The blocks, the
    term infos and so the files are the ones Whoosh writes (tests/indexer/test_index_staging.py
    compares them byte for byte)."""
    field_name = None
    column: array | None = None
    for name, term, postings in terms:
        if name != field_name:
            if field_name is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(name, schema[name])
            field_name, column = name, lengths.get(name)
        fieldwriter.start_term(term)
        writer = fieldwriter._postwriter  # noqa: SLF001 - the codec's writer of this term
        step = 3 * writer._blocklimit  # noqa: SLF001
        for start in range(0, len(postings), step):
            if start:
                writer._write_block()  # noqa: SLF001 - a full block, as add_posting writes it
            block = postings[start : start + step]
            _fill_block(writer, block[0::3], block[1::3], block[2::3], column)
        fieldwriter.finish_term()
    if field_name is not None:
        fieldwriter.finish_field()


def _fill_block(
    writer: Any, ids: list[int], weights: list[float], values: list[Any], column: array | None
) -> None:
    """A postings writer's buffered block as `add_posting` fills it with these postings."""
    writer._ids = array("I", ids)
    writer._weights = array("f", weights)
    # The pool shares equal values (TermPool): copies, or pickle would write a block's repeats
    # as references to the first, not the bytes Whoosh writes.
    writer._values = list(map(bytes, map(bytearray, filter(None, values))))
    top = max(weights)
    writer._maxweight = top if top > 0 else 0
    if column is not None:
        table = _LENGTH_OF_BYTE
        found = [n for n in (table[column[d]] for d in ids) if n]
        if found:
            writer._minlength, writer._maxlength = min(found), max(found)


class _Lengths:
    """Field lengths of the segment being written, as its length columns will read."""

    def __init__(self, lengths: dict[str, array]) -> None:
        self.lengths = lengths

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        column = self.lengths.get(fieldname)
        stored = column[docnum] if column is not None else 0
        return byte_to_length(stored) if stored else default


def _write_block(f: BinaryIO, block: list[Any]) -> None:
    data = marshal.dumps(block)
    f.write(len(data).to_bytes(8, "little"))
    f.write(data)


@contextmanager
def staging_folder(root: Path) -> Iterator[Path]:
    """A fresh private folder under `root/staging`, locked while in use, removed after."""
    parent = root / STAGING
    parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(root)
    folder = Path(tempfile.mkdtemp(prefix="batch-", dir=parent))
    with open(folder / _LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_abandoned(root: Path) -> None:
    """Staging folders whose process died (their lock is free), once old enough that their
    process cannot be between creating the folder and locking it."""
    parent = root / STAGING
    if not parent.is_dir():
        return
    for folder in parent.iterdir():
        try:
            if time.time() - folder.stat().st_mtime < _ABANDONED_AFTER_S:
                continue
            with open(folder / _LOCK, "a+b") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # in use
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # removed meanwhile by another process


def adopt(
    writer: Any,
    staged: Any,
    staged_folder: Path,
    order: list[tuple[int, int]],
    *,
    replaced: Iterable[int],
    known: set[str],
) -> None:
    """Move the staged segment into `writer`'s index, resolving each record to one document.

    `writer` holds the live index's lock and is about to commit; `order` is (record id,
    revision) of the staged documents in their order; `replaced` are the records the index
    held, in its `known` segments, when the batch started (older revisions: deleted)."""
    position = {record_id: n for n, (record_id, _) in enumerate(order)}
    replaced = [i for i in replaced if i in position]
    for segment in writer.segments:
        ids = replaced if segment.segment_id() in known else position
        if not ids:
            continue
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            for docnum, record_id in _documents_of(reader, ids):
                if segment.segment_id() in known:
                    segment.delete_document(docnum)
                    continue
                # Written by another process since the batch started: the newer one stays.
                theirs = reader.stored_fields(docnum)["data"][0]
                if theirs >= order[position[record_id]][1]:
                    staged.delete_document(position[record_id])
                else:
                    segment.delete_document(docnum)
        finally:
            reader.close()
    for name in os.listdir(staged_folder):
        if name.startswith(staged.segment_id() + "."):
            os.replace(staged_folder / name, Path(writer.storage.folder) / name)


def _documents_of(reader: Any, ids: Mapping[int, int] | list[int]) -> Iterator[tuple[int, int]]:
    """(document number, record id) of the live documents of `reader` among `ids`."""
    if len(ids) > reader.doc_count_all():  # fewer look-ups the other way round
        wanted = ids if isinstance(ids, Mapping) else set(ids)
        terms = (t for t in reader.lexicon("id") if int(t) in wanted)
    else:
        terms = (str(i).encode() for i in ids if ("id", str(i)) in reader)
    for term in terms:
        for docnum in reader.postings("id", term).all_ids():
            if not reader.is_deleted(docnum):
                yield docnum, int(term)
