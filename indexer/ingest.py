"""The ingest pipeline: folders of files -> catalogue records -> index entries, with a report.

- A file's identity is its content hash. Paths seen before with the same size and mtime are
  not even hashed; a moved or renamed file keeps its record; the same content in two places
  is one record; a modified file updates its record.
- Extraction (the slow part) runs in a process pool on every core; the catalogue and the
  index are written by this process only, one transaction per file, the index in commits of
  bounded duration so other writers (the web app) get their turn.
- One bad file never stops the batch: it becomes a `failed` line with a one-line reason.
- Killed at any moment, the instance stays consistent: the catalogue is transactional, the
  file store writes by rename, and the index is re-synced from the catalogue on next use.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from library import Catalogue, PathState
from library.ocr_queue import OcrQueue
from library.store import FileStore, sha256_of

from .extractors.base import ExtractionLimits
from .ocr.detect import pages_to_ocr
from .reasons import Reason, ReasonCode, os_error, unreadable
from .records import record_from_extraction, refresh_from_extraction
from .search import IndexDocument, SearchIndex, build_document, sync_index
from .worker import Job, Outcome, init_worker, run_job

if TYPE_CHECKING:
    from .tagging import ThemeTagger

log = logging.getLogger(__name__)

STATUSES = ("indexed", "unchanged", "empty", "failed")
_SKIPPED_NAMES = (".", "~$")  # hidden files, Office lock files


@dataclass(frozen=True, slots=True)
class FileReport:
    path: str
    status: str
    reason: Reason | None = None  # worded at the edge (webapp/messages.py, webapp/cli/messages.py)
    id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON-able; `reason` as its code and params (the edges put it into words)."""
        reason = {"code": self.reason.code, **dict(self.reason.params)} if self.reason else None
        return {"path": self.path, "status": self.status, "reason": reason, "id": self.id}


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)
    seconds: float = 0.0
    text_bytes: int = 0  # characters of text extracted, for throughput figures

    @property
    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in STATUSES}
        for f in self.files:
            counts[f.status] += 1
        counts["total"] = len(self.files)
        return counts

    def to_json(self) -> dict[str, Any]:
        return {"files": [f.to_json() for f in self.files], "counts": self.counts}


@dataclass(frozen=True, slots=True)
class IngestOptions:
    jobs: int = 0  # extraction processes; 0 = one per core
    max_file_size: int = 100 * 1024 * 1024
    timeout: float = 120.0  # seconds per file
    limits: ExtractionLimits = field(default_factory=ExtractionLimits)
    batch_seconds: float = 2.0  # the index is committed at least this often
    force: bool = False  # re-read files even when unchanged
    memory_limit: int = 3 * 1024**3  # address space per extraction process
    in_process_below: int = 3  # fewer files than this are read without starting a pool


@dataclass(slots=True)
class _Planned:
    path: Path
    display: str
    key: bytes
    size: int
    mtime_ns: int
    sha256: str
    update_id: int | None  # the record of this path, whose content changed


def display_path(path: Path | str | bytes) -> str:
    """A path as text, whatever bytes its name holds (non-UTF-8 names stay readable)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class Ingester:
    def __init__(
        self,
        catalogue: Catalogue,
        index: SearchIndex,
        store: FileStore,
        *,
        tagger: ThemeTagger | None = None,
        options: IngestOptions | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.index = index
        self.store = store
        self.tagger = tagger
        self.options = options or IngestOptions()
        self.progress = progress or (lambda n: None)
        self.total: int | None = None  # files found, known once planning is over
        self._pending_docs: list[IndexDocument] = []
        self._last_flush = time.monotonic()

    # -- the run ----------------------------------------------------------------------------

    def plan(self, paths: Sequence[Path]) -> tuple[list[FileReport], list[_Planned], int]:
        """Sort files into those already settled (reports) and those to read (jobs)."""
        states = self.catalogue.path_states()
        revisions = self.catalogue.revisions()
        reports: list[FileReport] = []
        planned: list[_Planned] = []
        first_of: dict[str, str] = {}  # sha -> display path of the first file with that content
        total = 0
        for path, problem in walk(paths):
            total += 1
            display = display_path(path)
            if problem:
                reports.append(FileReport(display, "failed", problem))
                self.progress(1)
                continue
            outcome = self._plan_one(path, display, states, revisions, first_of)
            if isinstance(outcome, FileReport):
                reports.append(outcome)
                self.progress(1)
            else:
                planned.append(outcome)
        return reports, planned, total

    def run(self, paths: Sequence[Path]) -> IngestReport:
        started = time.monotonic()
        report = IngestReport()
        settled, planned, self.total = self.plan(paths)
        report.files.extend(settled)
        unique: list[_Planned] = []
        duplicates: list[_Planned] = []
        seen: set[str] = set()
        for item in planned:
            (duplicates if item.sha256 in seen else unique).append(item)
            seen.add(item.sha256)
        first_report: dict[str, FileReport] = {}
        for outcome, item in self._extract(unique):
            first_report[item.sha256] = self._record(outcome, item)
            report.files.append(first_report[item.sha256])
            if outcome.extraction is not None:
                report.text_bytes += len(outcome.extraction.text)
            self.progress(1)
            self._maybe_flush()
        for item in duplicates:  # same content as another file of this batch: one record
            report.files.append(self._duplicate_of_batch(item, first_report[item.sha256]))
            self.progress(1)
        self._flush()
        # anything a crash or a race left behind; the batch ends: its segments become one
        sync_index(self.catalogue, self.index, compact=True)
        report.seconds = time.monotonic() - started
        return report

    # -- planning ---------------------------------------------------------------------------

    def _plan_one(
        self,
        path: Path,
        display: str,
        states: dict[bytes, PathState],
        revisions: dict[int, tuple[int, bool]],
        first_of: dict[str, str],
    ) -> FileReport | _Planned:
        key = os.fsencode(os.path.abspath(path))
        try:
            st = path.stat()
        except OSError as exc:
            return FileReport(display, "failed", unreadable(exc))
        state = states.get(key)
        if (
            state
            and not self.options.force
            and (state.size, state.mtime_ns) == (st.st_size, st.st_mtime_ns)
        ):
            if state.status == "failed":
                return FileReport(display, "failed", Reason.decode(state.reason))
            if state.record_id in revisions:
                return FileReport(display, "unchanged", None, state.record_id)
        if st.st_size == 0:
            return self._remember_failure(key, st, display, Reason.of(ReasonCode.EMPTY_FILE))
        if st.st_size > self.options.max_file_size:
            reason = Reason.of(
                ReasonCode.TOO_LARGE,
                size_mb=round(st.st_size / 2**20, 1),
                limit_mb=round(self.options.max_file_size / 2**20),
            )
            return self._remember_failure(key, st, display, reason)
        try:
            sha = sha256_of(path)
        except OSError as exc:
            return self._remember_failure(key, st, display, unreadable(exc))
        existing = self.catalogue.find_by_file(sha)
        if existing is not None and existing.id is not None:
            self.catalogue.remember_path(
                key,
                size=st.st_size,
                mtime_ns=st.st_mtime_ns,
                sha256=sha,
                status="indexed",
                record_id=existing.id,
            )
            return FileReport(
                display, "unchanged", self._known_content_reason(existing, key, states), existing.id
            )
        first_of.setdefault(sha, display)
        update_id = state.record_id if state and state.record_id in revisions else None
        return _Planned(path, display, key, st.st_size, st.st_mtime_ns, sha, update_id)

    def _known_content_reason(
        self, record: Any, key: bytes, states: dict[bytes, PathState]
    ) -> Reason | None:
        if record.deleted:
            return Reason.of(ReasonCode.IN_TRASH, record=record.id)
        others = [p for p in self.catalogue.paths_of(record.id) if p != key]
        if not others:
            return None
        other = display_path(others[0])
        if os.path.exists(others[0]):
            return Reason.of(ReasonCode.SAME_CONTENT, path=other)
        return Reason.of(ReasonCode.MOVED, path=other)

    def _remember_failure(
        self, key: bytes, st: os.stat_result, display: str, reason: Reason
    ) -> FileReport:
        self.catalogue.remember_path(
            key,
            size=st.st_size,
            mtime_ns=st.st_mtime_ns,
            sha256=None,
            status="failed",
            reason=reason.encode(),
        )
        return FileReport(display, "failed", reason)

    # -- extraction -------------------------------------------------------------------------

    def _jobs(self) -> int:
        return self.options.jobs or os.cpu_count() or 1

    def _extract(self, items: Sequence[_Planned]) -> Iterator[tuple[Outcome, _Planned]]:
        def job(item: _Planned) -> Job:
            return Job(
                os.fsdecode(item.path), item.sha256, self.options.limits, self.options.timeout
            )

        if len(items) < self.options.in_process_below or self._jobs() == 1:
            init_worker(self.tagger, None)
            for item in items:
                yield run_job(job(item)), item
            return
        yield from self._extract_in_pool(items, job)

    def _extract_in_pool(
        self, items: Sequence[_Planned], job: Callable[[_Planned], Job]
    ) -> Iterator[tuple[Outcome, _Planned]]:
        """Extract in worker processes, handing the outcomes over in the order of `items`:
        records are numbered in file order, so indexing the same folder twice gives the same
        record numbers (and the same ties in a ranking), whichever worker finishes first."""
        order = {id(item): n for n, item in enumerate(items)}
        queue = list(reversed(items))
        attempts: dict[int, int] = {}
        in_flight: dict[Future[Outcome], _Planned] = {}
        ready: dict[int, tuple[Outcome, _Planned]] = {}  # finished, waiting for earlier ones
        next_up = 0
        # Enough work queued that the extraction processes stay busy while this process
        # writes the catalogue and commits the index (a commit can take a second).
        limit = self._jobs() * 16
        # and at most so many outcomes held behind a slow file (their texts are in memory)
        held = limit * 4
        pool = self._new_pool()

        def refill() -> None:
            while queue and len(in_flight) < limit and (len(ready) < held or not in_flight):
                item = queue.pop()
                in_flight[pool.submit(run_job, job(item))] = item

        try:
            while queue or in_flight:
                refill()
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                finished = [(future, in_flight.pop(future)) for future in done]
                broken = any(
                    f.exception() is not None and isinstance(f.exception(), BrokenProcessPool)
                    for f, _ in finished
                )
                if not broken:
                    refill()  # before handing results over: the consumer may take a while
                for future, item in finished:
                    try:
                        ready[order[id(item)]] = (future.result(), item)
                    except BrokenProcessPool:
                        tries = attempts[id(item)] = attempts.get(id(item), 0) + 1
                        if tries >= 2:
                            reason = Reason.of(ReasonCode.WORKER_CRASHED)
                            ready[order[id(item)]] = (Outcome(job(item), error=reason), item)
                        else:
                            queue.append(item)
                if broken:  # every future of a broken pool fails: retry them in a new one
                    for future, item in list(in_flight.items()):
                        queue.append(item)
                        in_flight.pop(future)
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._new_pool()
                while next_up in ready:
                    yield ready.pop(next_up)
                    next_up += 1
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["indexer.preload"])
        return ProcessPoolExecutor(
            max_workers=self._jobs(),
            mp_context=context,
            initializer=init_worker,
            initargs=(self.tagger, self.options.memory_limit),
            max_tasks_per_child=200,
        )

    # -- writing ----------------------------------------------------------------------------

    def _record(self, outcome: Outcome, item: _Planned) -> FileReport:
        cat = self.catalogue
        if outcome.error is not None or outcome.extraction is None:
            failure = outcome.error or Reason.of(ReasonCode.READ_FAILED)
            cat.remember_path(
                item.key,
                size=item.size,
                mtime_ns=item.mtime_ns,
                sha256=item.sha256,
                status="failed",
                reason=failure.encode(),
            )
            return FileReport(item.display, "failed", failure)
        extraction = outcome.extraction
        name = display_path(item.path.name)
        source = self.store.put(
            item.path, item.sha256, original_name=name, media_type=extraction.media_type
        )
        empty = not extraction.text.strip()
        status = "empty" if empty else "indexed"
        ocr_pages = pages_to_ocr(
            item.path, extraction.media_type, extraction.text, extraction.page_count
        )
        with cat.transaction():
            cat.add_file(source)
            if item.update_id is not None:
                old = cat.get(item.update_id)
                fresh = refresh_from_extraction(
                    old,
                    extraction,
                    language=outcome.language,
                    source_file=source,
                    original_name=name,
                )
                record = cat.save(fresh, text=extraction.text)
                reason: Reason | None = Reason.of(ReasonCode.UPDATED)
            else:
                record = cat.add(
                    record_from_extraction(
                        extraction,
                        language=outcome.language,
                        source_file=source,
                        original_name=name,
                    ),
                    text=extraction.text,
                )
                reason = None
                if empty:  # a scan waits for `fonds ocr`; an empty document has nothing to read
                    reason = Reason.of(
                        ReasonCode.SCAN_QUEUED if ocr_pages is not None else ReasonCode.NO_TEXT
                    )
            assert record.id is not None
            cat.set_auto_themes(record.id, outcome.themes)
            if ocr_pages is not None:  # scanned pages: `fonds ocr` will recognise their text
                OcrQueue(cat).enqueue(record.id, pages=ocr_pages)
            elif item.update_id is not None:  # new content with text: the old scan's OCR goes
                OcrQueue(cat).forget(record.id)
            cat.remember_path(
                item.key,
                size=item.size,
                mtime_ns=item.mtime_ns,
                sha256=item.sha256,
                status=status,
                record_id=record.id,
            )
        stored = cat.get(record.id)
        self._pending_docs.append(build_document(stored, extraction.text, outcome.text_terms))
        return FileReport(item.display, status, reason, record.id)

    def _duplicate_of_batch(self, item: _Planned, first: FileReport) -> FileReport:
        """A file with the same content as another of this batch: it shares its fate."""
        if first.status == "failed" or first.id is None:
            self.catalogue.remember_path(
                item.key,
                size=item.size,
                mtime_ns=item.mtime_ns,
                sha256=item.sha256,
                status="failed",
                reason=first.reason.encode() if first.reason else "",
            )
            return FileReport(item.display, "failed", first.reason)
        self.catalogue.remember_path(
            item.key,
            size=item.size,
            mtime_ns=item.mtime_ns,
            sha256=item.sha256,
            status=first.status,
            record_id=first.id,
        )
        return FileReport(
            item.display, "unchanged", Reason.of(ReasonCode.SAME_CONTENT, path=first.path), first.id
        )

    def _maybe_flush(self) -> None:
        if time.monotonic() - self._last_flush >= self.options.batch_seconds:
            self._flush()

    def _flush(self) -> None:
        if self._pending_docs:
            self.index.write(self._pending_docs)
            self._pending_docs = []
        self._last_flush = time.monotonic()


def walk(paths: Iterable[Path]) -> Iterator[tuple[Path, Reason | None]]:
    """Every file under the given paths, in a stable order, with a problem when it has one.

    Symbolic links to folders are followed once; loops are cut. Hidden files and Office
    lock files are skipped."""
    visited: set[tuple[int, int]] = set()
    for root in paths:
        root = Path(root)
        if not os.path.lexists(root):
            yield root, Reason.of(ReasonCode.FILE_NOT_FOUND)
            continue
        if root.is_file():
            yield root, None
            continue
        if not root.exists():
            yield root, Reason.of(ReasonCode.BROKEN_LINK)
            continue
        stack = [root]
        while stack:
            folder = stack.pop()
            try:
                st = folder.stat()
            except OSError as exc:
                yield folder, Reason.of(ReasonCode.FOLDER_UNREADABLE, error=os_error(exc))
                continue
            if (st.st_dev, st.st_ino) in visited:
                continue  # a loop of symbolic links, or a folder reached twice
            visited.add((st.st_dev, st.st_ino))
            try:
                entries = sorted(os.scandir(folder), key=lambda e: os.fsencode(e.name))
            except OSError as exc:
                yield folder, Reason.of(ReasonCode.FOLDER_UNREADABLE, error=os_error(exc))
                continue
            subfolders = []
            for entry in entries:
                if entry.name.startswith(_SKIPPED_NAMES):
                    continue
                path = Path(entry.path)
                try:
                    if entry.is_dir(follow_symlinks=True):
                        subfolders.append(path)
                    elif entry.is_file(follow_symlinks=True):
                        yield path, None
                    elif entry.is_symlink():
                        yield path, Reason.of(ReasonCode.BROKEN_LINK)
                except OSError as exc:
                    yield path, unreadable(exc)
            stack.extend(reversed(subfolders))
