"""One file through OCRmyPDF, in a worker process: a searchable PDF and its text, or a reason.

Mode, chosen per file:
- every page is a scan: `--skip-text --deskew --rotate-pages`. Skip-text leaves alone any page
  that has text after all; deskew straightens the page image, which is safe because no text
  layer is there to be misplaced.
- some pages have text (a report with scanned annexes, a typed page with a pasted-in image):
  `--redo-ocr --rotate-pages`. Redo-OCR recognises the image regions of every page and masks
  out the text already there, so native text is kept as is and only what lacks a text layer is
  OCRed. OCRmyPDF refuses deskew in this mode (it would move the native text), so none.
  (`--force-ocr` would rasterise the native text: lossy, never used.)

The original file is never written to: inputs that need preparing (an image, a PDF with only
an owner password) are copied to a temporary file first.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..deadline import DeadlineExpired, deadline
from .detect import IMAGE_TYPES

log = logging.getLogger(__name__)

FALLBACK_DPI = 200  # scans that do not say their resolution


class OcrError(Exception):
    """A file OCR could not handle: a reason code, its detail, and whether retrying may help."""

    def __init__(self, code: str, detail: str = "", *, transient: bool = False) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.transient = transient


@dataclass(frozen=True, slots=True)
class OcrJob:
    record_id: int
    source: str  # the original in the file store (os.fsdecode'd)
    media_type: str
    output: str  # where to write the searchable PDF
    languages: str = "fra+eng+spa"
    pages: str = ""  # '' = every page is a scan; else the pages without text (mixed file)
    page_timeout: float = 180.0  # seconds Tesseract may spend on one page
    max_pages: int = 1000
    jobs: int = 1  # OCRmyPDF's own threads for this file


@dataclass(frozen=True, slots=True)
class OcrResult:
    job: OcrJob
    text: str = ""  # pages separated by form feeds, as every extracted text
    page_count: int = 0
    error_code: str = ""
    error_detail: str = ""
    transient: bool = False
    seconds: float = 0.0
    skipped_pages: tuple[int, ...] = ()  # pages whose recognition ran out of time

    @property
    def ok(self) -> bool:
        return not self.error_code


def run_ocr(job: OcrJob) -> OcrResult:
    """OCR one file; every failure becomes an OcrResult with a reason code, nothing is raised."""
    started = time.perf_counter()
    try:
        # Beside the output: the runner removes that folder at the end of its run, even when
        # a worker was stopped before it could clean up after itself.
        beside = Path(job.output).parent if job.output else None
        if beside is not None:
            beside.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="fonds-ocr-", dir=beside) as scratch:
            text, pages, skipped = _ocr(job, Path(scratch))
    except OcrError as exc:
        return OcrResult(
            job,
            error_code=exc.code,
            error_detail=exc.detail,
            transient=exc.transient,
            seconds=time.perf_counter() - started,
        )
    except DeadlineExpired:
        return OcrResult(
            job, error_code="timeout", transient=True, seconds=time.perf_counter() - started
        )
    except MemoryError:
        return OcrResult(job, error_code="memory", seconds=time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the queue
        log.debug("OCR of record %s failed", job.record_id, exc_info=True)
        return OcrResult(
            job,
            error_code="unexpected",
            error_detail=type(exc).__name__,
            transient=True,
            seconds=time.perf_counter() - started,
        )
    return OcrResult(
        job, text, pages, seconds=time.perf_counter() - started, skipped_pages=tuple(skipped)
    )


def _ocr(job: OcrJob, scratch: Path) -> tuple[str, int, list[int]]:
    import ocrmypdf
    from ocrmypdf import exceptions as ox

    source = Path(job.source)
    if not source.is_file():
        raise OcrError("file_missing")
    if job.media_type in IMAGE_TYPES:
        prepared = image_to_pdf(source, scratch / "scan.pdf", job.max_pages)
    else:
        prepared = _openable_pdf(source, scratch / "unlocked.pdf")
    pages = _page_count(prepared)
    if pages > job.max_pages:
        raise OcrError("too_many_pages", f"{pages}/{job.max_pages}")
    mixed = bool(job.pages)
    output = Path(job.output)
    skipped: list[int] = []
    watcher = _TimeoutWatcher(skipped)
    whole_file = job.page_timeout * (pages + 1) + 120  # the whole file, if Tesseract hangs
    try:
        with watcher.watching(), deadline(whole_file):
            ocrmypdf.ocr(
                prepared,
                output,
                language=[part for part in job.languages.split("+") if part],
                rotate_pages=True,
                deskew=not mixed,
                skip_text=not mixed,
                redo_ocr=mixed,
                output_type="pdf",  # PDF/A would need Ghostscript's slow conversion pass
                jobs=job.jobs,
                use_threads=True,  # a pool worker does not start processes of its own
                progress_bar=False,
                tesseract_timeout=job.page_timeout,
                optimize=1,
            )
    except ox.EncryptedPdfError as exc:
        raise OcrError("encrypted") from exc
    except ox.InputFileError as exc:
        raise OcrError("corrupt", _first_line(exc)) from exc
    except ox.MissingDependencyError as exc:
        raise OcrError("missing_tool", _first_line(exc), transient=True) from exc
    except ox.SubprocessOutputError as exc:
        raise OcrError("tesseract_failed", _first_line(exc), transient=True) from exc
    except ox.DigitalSignatureError as exc:  # OCR would break the signature
        raise OcrError("signed") from exc
    except ox.ExitCodeException as exc:  # a refusal about this file: retrying will not help
        raise OcrError("ocrmypdf_failed", _first_line(exc)) from exc
    text = _text_of(output)
    return text, pages, sorted(set(skipped))


def image_to_pdf(image: Path, target: Path, max_pages: int) -> Path:
    """A scan as a PDF, one page per frame, the pixels unchanged when img2pdf can keep them."""
    import img2pdf
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(image) as opened:
            frames = getattr(opened, "n_frames", 1)
            if frames > max_pages:
                raise OcrError("too_many_pages", f"{frames}/{max_pages}")
            dpi = opened.info.get("dpi")
            layout = img2pdf.default_layout_fun
            if not dpi or min(float(d) for d in dpi) < 50:
                layout = img2pdf.get_fixed_dpi_layout_fun((FALLBACK_DPI, FALLBACK_DPI))
        try:
            target.write_bytes(
                img2pdf.convert(str(image), layout_fun=layout, rotation=img2pdf.Rotation.ifvalid)
            )
            return target
        except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, ValueError) as exc:
            log.debug("%s: img2pdf refused it (%s), converting with Pillow", image, exc)
        with Image.open(image) as opened:
            resolution = float(min(opened.info.get("dpi") or (FALLBACK_DPI,)))
            pages = []
            for frame in range(frames):
                opened.seek(frame)
                pages.append(
                    opened.convert("RGB") if opened.mode not in ("L", "1") else opened.copy()
                )
            pages[0].save(target, save_all=True, append_images=pages[1:], resolution=resolution)
        return target
    except OcrError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        EOFError,
        Image.DecompressionBombError,
    ) as exc:
        raise OcrError("corrupt", _first_line(exc)) from exc


def _openable_pdf(source: Path, target: Path) -> Path:
    """The PDF itself, or a decrypted copy when only an owner password protects it."""
    import pikepdf

    try:
        with pikepdf.open(source) as pdf:
            if not pdf.is_encrypted:
                return source
            pdf.save(target)  # opened with the empty user password: saved without encryption
            return target
    except pikepdf.PasswordError as exc:
        raise OcrError("encrypted") from exc
    except pikepdf.PdfError as exc:
        raise OcrError("corrupt", _first_line(exc)) from exc


def _page_count(pdf_path: Path) -> int:
    import pikepdf

    try:
        with pikepdf.open(pdf_path) as pdf:
            return len(pdf.pages)
    except pikepdf.PasswordError as exc:
        raise OcrError("encrypted") from exc
    except pikepdf.PdfError as exc:
        raise OcrError("corrupt", _first_line(exc)) from exc


def _text_of(pdf_path: Path) -> str:
    """The searchable PDF's text, page by page, read like any PDF of the fund."""
    from ..extractors.base import ExtractionError, ExtractionLimits
    from ..extractors.pdf import PdfExtractor

    try:
        return PdfExtractor().extract(pdf_path, ExtractionLimits()).text
    except ExtractionError as exc:
        raise OcrError("unreadable_output", exc.reason.encode(), transient=True) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


class _TimeoutWatcher(logging.Handler):
    """Notes the pages whose Tesseract run timed out (OCRmyPDF logs it and carries on)."""

    def __init__(self, pages: list[int]) -> None:
        super().__init__(logging.WARNING)
        self.pages = pages

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "timeout" in message.lower() or "timed out" in message.lower():
            page = getattr(record, "pageno", None)
            if isinstance(page, int):
                self.pages.append(page)
            else:
                self.pages.append(0)

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        logger = logging.getLogger("ocrmypdf")
        logger.addHandler(self)
        try:
            yield
        finally:
            logger.removeHandler(self)


def remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
