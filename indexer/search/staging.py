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
import marshal
import os
import shutil
import tempfile
import time
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
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


class RunPool(PostingPool):
    """Whoosh's posting pool, spilling its sorted runs to disk in marshalled blocks.

    Whoosh pickles a run one posting at a time and reads it back the same way: writing a
    10,000-row import as one segment spent more time there than in the segment itself."""

    BLOCK = 20_000  # postings per marshalled block

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        # Whoosh's own add asserts the types and keeps a set of field names no one reads.
        self.currentsize += 96 + len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def add_many(self, items: Sequence[tuple[str, bytes, int, float, bytes | None]]) -> None:
        """A document's postings at once."""
        self.currentsize += sum(96 + len(item[1]) + len(item[4] or b"") for item in items)
        self.current.extend(items)
        if self.currentsize > self.limit:
            self.save()

    def _write_run(self, f: BinaryIO, items: Iterable[Any]) -> None:
        block: list[Any] = []
        for item in items:
            block.append(item)
            if len(block) >= self.BLOCK:
                _write_block(f, block)
                block = []
        if block:
            _write_block(f, block)
        f.close()

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
      the tokenizer's own expression, not a token object per word through Whoosh's chain;
    - postings go to the pool a document at a time (RunPool);
    - the field lengths the postings need come from memory, as the writer saw them (rounded
      as Whoosh stores them), not from the columns just written, read back posting by
      posting.
    What it writes is what Whoosh's own writer would write, byte for byte
    (tests/indexer/test_index_staging.py compares them). A document with boosts
    (`_boost`, `_<field>_boost`, `_stored_<field>`) goes Whoosh's own way."""

    def __init__(self, ix: Any, *, limitmb: float, codec: Any) -> None:
        super().__init__(ix, limitmb=limitmb, codec=codec)
        self.pool = RunPool(self._tempstorage, self.newsegment, limitmb=limitmb)
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

    def add_document(self, **fields: Any) -> None:
        if not self._plain or any(name.startswith("_") for name in fields):
            return self._add_slowly(fields)
        self._check_state()
        docnum, schema = self.docnum, self.schema
        self._check_fields(schema, fields)
        postings: list[tuple[str, bytes, int, float, bytes]] = []
        lengths = dict.fromkeys(self._lengths, 0)
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        try:
            for name in sorted(fields):
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    fmt = self._counted.get(name)
                    items = _counted(value, field, fmt) if fmt else field.index(value)
                    for term, freq, weight, encoded in items:
                        length += freq
                        postings.append((name, term, docnum, weight, encoded))
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
        self.pool.add_many(postings)
        self._added = True
        self.docnum += 1
        return None

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
        self.fieldwriter.add_postings(self.schema, _Lengths(self._lengths), self.pool.items())
        self.fieldwriter.close()


class _Lengths:
    """Field lengths of the segment being written, as its length columns will read."""

    def __init__(self, lengths: dict[str, array]) -> None:
        self.lengths = lengths

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        column = self.lengths.get(fieldname)
        stored = column[docnum] if column is not None else 0
        return byte_to_length(stored) if stored else default


def _counted(value: str, field: Any, fmt: Any) -> list[tuple[bytes, int, float, bytes]]:
    """(term, frequency, weight, encoded value) of each distinct word of a value a bare regex
    tokenizer splits, in the order Whoosh's own analysis gives them (first occurrence)."""
    if not isinstance(value, str):
        return list(field.index(value))
    places: dict[str, list[int]] = {}
    for position, word in enumerate(field.analyzer.expression.findall(value)):
        found = places.get(word)
        if found is None:
            places[word] = [position]
        else:
            found.append(position)
    boost = fmt.field_boost
    if type(fmt) is Positions:
        encode = fmt.encode
        return [
            (word.encode("utf-8"), len(p), float(len(p)) * boost, encode(p))
            for word, p in places.items()
        ]
    return [
        (word.encode("utf-8"), len(p), float(len(p)) * boost, pack_uint(len(p)))
        for word, p in places.items()
    ]


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
