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
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from whoosh.reading import SegmentReader
from whoosh.writing import PostingPool

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
