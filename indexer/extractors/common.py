"""What extractors share: error translation, bounds, text clean-up and the metadata fallbacks."""

from __future__ import annotations

import logging
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from xml.etree import ElementTree

from indexer import metadata, metadata_text
from indexer.extractors.base import (
    PAGE_BREAK,
    Extraction,
    ExtractionError,
    ExtractionLimits,
)
from indexer.language import normalise_language
from indexer.reasons import Reason, ReasonCode, unreadable

log = logging.getLogger(__name__)

HEAD_SIZE = 8192  # bytes read to recognise a format
BOMB_MEMBER_SIZE = 10 * 1024 * 1024  # a highly compressed member smaller than this is harmless
EMPTY_FILE = Reason.of(ReasonCode.EMPTY_FILE)

# Errors that only say "this input is malformed" whatever library raised them. MemoryError,
# KeyboardInterrupt and SystemExit are not here on purpose: a worker must not swallow them.
MALFORMED = (
    ValueError,  # includes UnicodeDecodeError
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    AssertionError,
    LookupError,
    EOFError,
    RecursionError,
    OverflowError,
    ZeroDivisionError,
    struct.error,
    zlib.error,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    ElementTree.ParseError,
    SyntaxError,  # lxml's XMLSyntaxError (python-docx parts) derives from it
)

# Ligatures that PDF fonts map to one glyph; readers and search want the letters (this is the
# NFKC decomposition of U+FB00–U+FB06, without NFKC's other, less faithful changes).
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\x00": "",
    }
)

T = TypeVar("T")


def check_file(path: Path) -> int:
    """Size of a readable regular file; ExtractionError for a missing, unreadable or empty one."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise ExtractionError(path, Reason.of(ReasonCode.FILE_NOT_FOUND)) from exc
    except OSError as exc:
        raise ExtractionError(path, unreadable(exc)) from exc
    if not path.is_file():
        raise ExtractionError(path, Reason.of(ReasonCode.NOT_A_FILE))
    if size == 0:
        raise ExtractionError(path, EMPTY_FILE)
    return size


def read_head(path: Path, size: int = HEAD_SIZE) -> bytes:
    """The first bytes of a file, for recognition."""
    check_file(path)
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise ExtractionError(path, unreadable(exc)) from exc


def read_bytes(path: Path, limit: int) -> tuple[bytes, bool]:
    """At most `limit` bytes of a non-empty file, and whether the file was longer."""
    check_file(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ExtractionError(path, unreadable(exc)) from exc
    return data[:limit], len(data) > limit


def text_bytes_limit(limits: ExtractionLimits) -> int:
    """Bytes worth reading for a text-like file: no encoding needs more than 4 a character."""
    return limits.max_chars * 4


CUT_FILE = Reason.of(ReasonCode.FILE_CUT)


@contextmanager
def quiet_libraries(collected: list[str], *loggers: str) -> Iterator[None]:
    """Keep library warnings and log records inside: count them instead of printing them.

    Workers run one extraction at a time, so swapping the warning filters and the loggers'
    propagation for the duration of a call is safe there."""

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            collected.append(record.getMessage())

    handler = _Collect(logging.WARNING)
    saved = []
    for name in loggers:
        logger = logging.getLogger(name)
        saved.append((logger, logger.propagate))
        logger.addHandler(handler)
        logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        collected.extend(str(w.message) for w in caught)
    finally:
        for logger, propagate in saved:
            logger.removeHandler(handler)
            logger.propagate = propagate
        for message in collected:
            log.debug("library warning: %s", message)


def guarded(
    path: Path,
    malformed_reason: Reason,
    work: Callable[[], T],
    library_errors: tuple[type[Exception], ...] = (),
) -> T:
    """Run `work`, turning any library failure into an ExtractionError with a reason.

    Known malformed-input errors get `malformed_reason`; anything else unexpected gets a
    generic reason naming the exception class, so no extractor ever lets it escape."""
    malformed: tuple[type[Exception], ...] = (*MALFORMED, *library_errors)
    try:
        return work()
    except ExtractionError:
        raise
    except MemoryError:
        raise
    except malformed as exc:
        log.debug("%s: %s", path, exc, exc_info=True)
        raise ExtractionError(path, malformed_reason) from exc
    except OSError as exc:
        raise ExtractionError(path, unreadable(exc)) from exc
    except Exception as exc:  # last resort: a library bug must not stop the ingest
        log.debug("%s: unexpected %s", path, type(exc).__name__, exc_info=True)
        raise ExtractionError(
            path, Reason.of(ReasonCode.UNEXPECTED_ERROR, error=type(exc).__name__)
        ) from exc


def open_zip_checked(path: Path, limits: ExtractionLimits, kind: str) -> zipfile.ZipFile:
    """Open a zip-based document after refusing archives that would inflate too much.

    The check reads only the central directory (declared sizes); zipfile never inflates a
    member past its declared size, so a lying header cannot get around it."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ExtractionError(path, Reason.of(ReasonCode.ZIP_BROKEN, format=kind)) from exc
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > limits.max_uncompressed or (
            info.file_size > BOMB_MEMBER_SIZE and ratio > limits.max_ratio
        ):
            archive.close()
            raise ExtractionError(path, Reason.of(ReasonCode.ZIP_BOMB))
    return archive


def read_member(archive: zipfile.ZipFile, name: str, limits: ExtractionLimits) -> bytes:
    """One member's bytes, never more than the limit allows."""
    info = archive.getinfo(name)
    if info.file_size > limits.max_uncompressed:
        raise ExtractionError(archive.filename or "?", Reason.of(ReasonCode.ZIP_BOMB))
    with archive.open(info) as handle:
        return handle.read(limits.max_uncompressed + 1)


def zip_names(path: Path) -> frozenset[str] | None:
    """Member names of a readable zip file, or None (for recognition; never raises)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return frozenset(archive.namelist())
    except Exception:  # recognition must not fail: the extractor reports the real problem
        return None


def normalise_text(text: str) -> str:
    """Text as readers and search want it: ligatures split, NULs dropped."""
    return text.translate(_LIGATURES)


@dataclass
class TextBudget:
    """Collects pages of text up to limits.max_chars."""

    max_chars: int
    pages: list[str] = field(default_factory=list)
    used: int = 0
    truncated: bool = False

    @property
    def full(self) -> bool:
        return self.used >= self.max_chars

    def add_page(self, text: str) -> None:
        room = self.max_chars - self.used
        if len(text) > room:
            text = text[: max(room, 0)]
            self.truncated = True
        self.pages.append(text)
        self.used += len(text) + len(PAGE_BREAK)

    def text(self) -> str:
        return PAGE_BREAK.join(self.pages)

    def warnings(self) -> tuple[Reason, ...]:
        if self.truncated:
            return (Reason.of(ReasonCode.TEXT_CUT, chars=self.max_chars),)
        return ()


def bounded(text: str, limits: ExtractionLimits) -> tuple[str, tuple[Reason, ...]]:
    """Text cut to limits.max_chars, with the warning that says so."""
    budget = TextBudget(limits.max_chars)
    budget.add_page(text)
    return budget.text(), budget.warnings()


@dataclass
class FileMetadata:
    """Metadata a file's own properties give, before the fallbacks."""

    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None  # ISO, possibly partial
    language: str | None = None
    keywords: tuple[str, ...] = ()
    abstract: str | None = None
    publisher: str | None = None


def _clean_optional(value: str | None, limit: int = 4000) -> str | None:
    if not value:
        return None
    text = metadata.clean_text_line(value)
    return text[:limit] or None


def finish(
    path: Path,
    media_type: str,
    text: str,
    meta: FileMetadata,
    *,
    page_count: int | None = None,
    issues: tuple[Reason, ...] | list[Reason] = (),
    title_hint: str | None = None,
) -> Extraction:
    """The Extraction, with the fallbacks applied: file metadata, then first page, then file name.

    `title_hint` is a title the extractor read from the layout (e.g. the largest type on a
    PDF's first page); it ranks between the metadata and the plain-text first-page guess."""
    text = normalise_text(text)
    title = metadata.clean_title(meta.title)
    page = metadata.read_first_page(text, known_title=title or title_hint)
    title = title or metadata.clean_title(title_hint) or page.title
    title = title or metadata.title_from_filename(path.name)
    title = metadata_text.catalogue_title(title, text)
    return Extraction(
        text=text,
        media_type=media_type,
        title=title,
        subtitle=metadata.clean_title(meta.subtitle) or metadata_text.header_subtitle(text, title),
        authors=metadata_text.choose_authors(meta.authors, text, title, page.authors),
        date=(date := metadata.signature_date(text) or metadata.choose_date(page.date, meta.date)),
        year=metadata.year_of(date),
        language_hint=normalise_language(meta.language),
        page_count=page_count,
        keywords=meta.keywords,
        abstract=_clean_optional(meta.abstract),
        publisher=_clean_optional(meta.publisher, 300),
        warnings=tuple(dict.fromkeys(issues)),
    )
