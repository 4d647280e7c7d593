"""The OCR queue worked through: files to a process pool, results into catalogue and index.

Each file is one job in a worker process (OCRmyPDF and Tesseract there); this process alone
writes. A result is written in one transaction: the searchable PDF added to the file store,
the text with its pages, the language, the automatic thematics, and the queue item marked
done; then the index. Interrupted (Ctrl-C, a kill, a power cut), the items not written are
still pending, and the next run takes them up.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import tempfile
import time
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from library import Catalogue, NotFound, Record, TextStatus
from library.ocr_queue import OcrItem, OcrQueue, OcrStatus
from library.store import FileStore, sha256_of

from ..analysis import analyze, normalise_language
from ..language import detect_language
from ..search import SearchIndex, build_document
from ..tagging import TagInput
from .detect import IMAGE_TYPES
from .engine import OcrJob, OcrResult, remove_quietly, run_ocr

if TYPE_CHECKING:
    from ..tagging import ThemeTagger

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OcrOptions:
    languages: str = "fra+eng+spa"
    jobs: int = 0  # worker processes; 0 = one per core
    page_timeout: float = 180.0
    max_pages: int = 1000


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One record's fate in a run: status 'done' or 'failed' ('pending' when to be retried)."""

    record_id: int
    status: str
    pages: int = 0
    seconds: float = 0.0
    language: str = ""
    error_code: str = ""
    error_detail: str = ""
    skipped_pages: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.record_id,
            "status": self.status,
            "pages": self.pages,
            "seconds": round(self.seconds, 2),
            "language": self.language,
            "error": self.error_code,
            "detail": self.error_detail,
            "skipped_pages": list(self.skipped_pages),
        }


@dataclass
class OcrReport:
    lines: list[OcrLine] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    remaining: int = 0  # items still pending after the run

    @property
    def pages(self) -> int:
        return sum(line.pages for line in self.lines if line.status == "done")

    @property
    def counts(self) -> dict[str, int]:
        counts = {"done": 0, "pending": 0, "failed": 0}
        for line in self.lines:
            counts[line.status] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "records": [line.to_json() for line in self.lines],
            "counts": self.counts,
            "pages": self.pages,
            "seconds": round(self.seconds, 2),
            "interrupted": self.interrupted,
            "remaining": self.remaining,
        }


class OcrRunner:
    def __init__(
        self,
        catalogue: Catalogue,
        index: SearchIndex,
        store: FileStore,
        *,
        tagger: ThemeTagger | None = None,
        options: OcrOptions | None = None,
        progress: Callable[[OcrLine], None] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.queue = OcrQueue(catalogue)
        self.index = index
        self.store = store
        self.tagger = tagger
        self.options = options or OcrOptions()
        self.progress = progress or (lambda line: None)
        self.total = 0
        # Searchable PDFs are written outside the file store (a run killed before storing
        # one must not leave a stray file there) and copied in once complete.
        self._scratch = Path(tempfile.gettempdir()) / f"fonds-ocr-{os.getpid()}"

    def select(self, record_ids: Sequence[int] = ()) -> tuple[list[OcrItem], list[OcrLine]]:
        """The items to work on: the pending ones, or the records named (queued again, whatever
        their state: a failed item is retried, a done one redone). Named records that cannot be
        OCRed come back as failed lines."""
        if not record_ids:
            return self.queue.items(), []
        refused: list[OcrLine] = []
        items: list[OcrItem] = []
        for record_id in dict.fromkeys(record_ids):
            try:
                record = self.catalogue.get(record_id)
            except NotFound:
                refused.append(OcrLine(record_id, "failed", error_code="no_record"))
                continue
            if record.deleted:
                refused.append(OcrLine(record_id, "failed", error_code="deleted"))
                continue
            if record.file is None:
                refused.append(OcrLine(record_id, "failed", error_code="no_file"))
                continue
            if record.file.media_type not in (*IMAGE_TYPES, "application/pdf"):
                refused.append(
                    OcrLine(record_id, "failed", error_code="not_a_scan", error_detail="")
                )
                continue
            current = self.queue.find(record_id)
            if current is None or current.status is not OcrStatus.PENDING:
                pages = "" if record.file.media_type in IMAGE_TYPES else _mixed_pages(current)
                with self.catalogue.transaction():
                    self.queue.enqueue(record_id, pages=pages)
            items.append(self.queue.get(record_id))
        return items, refused

    def run(self, record_ids: Sequence[int] = ()) -> OcrReport:
        started = time.monotonic()
        report = OcrReport()
        items, refused = self.select(record_ids)
        report.lines.extend(refused)
        self.total = len(items) + len(refused)
        for line in refused:
            self.progress(line)
        results = self._results(items)
        try:
            for result in results:
                line = self._write(result)
                report.lines.append(line)
                self.progress(line)
        except KeyboardInterrupt:
            report.interrupted = True
        finally:
            results.close()  # stops the workers still busy: their items stay pending
            remove_quietly(self._scratch)
        report.remaining = len(self.queue.items())
        report.seconds = time.monotonic() - started
        return report

    # -- the pool ---------------------------------------------------------------------------

    def _workers(self) -> int:
        return self.options.jobs or os.cpu_count() or 1

    def _job(self, item: OcrItem, threads: int) -> OcrJob | None:
        record = self.catalogue.get(item.record_id)
        if record.file is None:
            return None
        self._scratch.mkdir(parents=True, exist_ok=True)
        return OcrJob(
            record_id=item.record_id,
            source=os.fsdecode(self.store.path(record.file)),
            media_type=record.file.media_type,
            output=os.fsdecode(self._scratch / f"{item.record_id}.pdf"),
            languages=self.options.languages,
            pages=item.pages,
            page_timeout=self.options.page_timeout,
            max_pages=self.options.max_pages,
            jobs=threads,
        )

    def _results(self, items: Sequence[OcrItem]) -> Generator[OcrResult]:
        if not items:
            return
        workers = min(self._workers(), len(items))
        # Fewer files than cores: each file gets the spare cores as OCRmyPDF threads (pages
        # of one file are recognised in parallel).
        threads = max(1, self._workers() // workers)
        queue: list[OcrJob] = []
        for item in reversed(items):
            job = self._job(item, threads)
            if job is None:
                queue.append(OcrJob(item.record_id, "", "", ""))  # becomes a 'no_file' failure
            else:
                queue.append(job)
        in_flight: dict[Future[OcrResult], OcrJob] = {}
        pool = _new_pool(workers)
        try:
            while queue or in_flight:
                while queue and len(in_flight) < workers:
                    job = queue.pop()
                    if not job.source:
                        yield OcrResult(job, error_code="no_file")
                        continue
                    in_flight[pool.submit(run_ocr, job)] = job
                if not in_flight:
                    continue
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                broken = False
                for future in done:
                    job = in_flight.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        yield OcrResult(job, error_code="worker_crashed", transient=True)
                if broken:  # the other files of a broken pool are sent again to a new one
                    queue.extend(in_flight.values())
                    in_flight.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _new_pool(workers)
        except BaseException:
            _stop(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    # -- writing ----------------------------------------------------------------------------

    def _write(self, result: OcrResult) -> OcrLine:
        job = result.job
        output = Path(job.output) if job.output else None
        try:
            if not result.ok:
                status = self.queue.mark_failed(
                    job.record_id,
                    result.error_code,
                    result.error_detail,
                    transient=result.transient,
                )
                return OcrLine(
                    job.record_id,
                    status.value,
                    seconds=result.seconds,
                    error_code=result.error_code,
                    error_detail=result.error_detail,
                )
            assert output is not None
            return self._store(result, output)
        finally:
            if output is not None:
                remove_quietly(output)

    def _store(self, result: OcrResult, output: Path) -> OcrLine:
        cat = self.catalogue
        record = cat.get(result.job.record_id)
        original = record.file
        assert original is not None
        stem = Path(original.original_name).stem or "document"
        searchable = self.store.put(
            output,
            sha256_of(output),
            original_name=f"{stem}-texte.pdf",
            media_type="application/pdf",
        )
        text = result.text
        hint = record.language if record.language != "und" else None
        language = detect_language(text, hint)
        terms = analyze(text, normalise_language(language))
        with cat.transaction():
            cat.add_file(searchable)
            stored = cat.save(_recognised(record, text, language, result.page_count), text=text)
            assert stored.id is not None
            if self.tagger is not None:
                cat.set_auto_themes(
                    stored.id,
                    self.tagger.tag(
                        TagInput(
                            title=stored.title,
                            abstract=stored.abstract,
                            keywords=tuple(stored.keywords),
                            text=text,
                            language=language,
                            text_terms=terms,
                        )
                    ),
                )
            self.queue.mark_done(
                stored.id,
                ocr_sha256=searchable.sha256,
                ocr_pages=result.page_count,
                seconds=result.seconds,
            )
        self.index.write([build_document(cat.get(stored.id), text, terms)])
        return OcrLine(
            stored.id,
            "done",
            pages=result.page_count,
            seconds=result.seconds,
            language=language,
            skipped_pages=result.skipped_pages,
        )


def _recognised(record: Record, text: str, language: str, pages: int) -> Record:
    """The record with its recognised text: language, page count, text status; and the title
    read at the top of the first page where the title was only made from the file name (never
    on a record a documentalist has edited)."""
    from .. import metadata

    title = record.title
    if (
        not record.curated
        and record.file is not None
        and title == metadata.title_from_filename(record.file.original_name)
    ):
        found = metadata.clean_title(metadata.read_first_page(text).title)
        if found and len(found) <= 150 and len(found.split()) <= 15:  # a heading, not a paragraph
            title = found
    return replace(
        record,
        title=title[:500],
        language=language if not record.curated or record.language == "und" else record.language,
        pages=record.pages or pages,
        text_status=TextStatus.OK if text.strip() else TextStatus.EMPTY,
    )


def _mixed_pages(item: OcrItem | None) -> str:
    return item.pages if item is not None else ""


def _new_pool(workers: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_ignore_ctrl_c,
        max_tasks_per_child=20,
    )


def _ignore_ctrl_c() -> None:
    """Ctrl-C is the main process's to handle: it stops the workers itself (no traceback from
    each worker on the terminal)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Interrupted: the workers (and the Tesseract they run) are stopped now, not at the end
    of their file; the queue keeps the items they held."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(OSError, AttributeError, ValueError):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
