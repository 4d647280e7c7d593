"""Why a file was not catalogued as usual: a reason code and its facts, worded at the edge.

Deep layers never compose a sentence for the documentalist: an extractor, the worker or the
ingest hands up `Reason(code, params)` — as the loan desk hands up `LoanRefusal` — and the web
app (`webapp/messages.py`) and the CLI (`webapp/cli/messages.py`) put it into French. The
catalogue stores a reason as `encode()` (JSON: code and params) in `file_paths.reason`;
`decode()` also reads the French sentences stored by earlier versions, as `LEGACY_TEXT`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ReasonCode(StrEnum):
    """Every reason the indexer gives; params are named beside each."""

    # Reading the file (ingest and extractors)
    FILE_NOT_FOUND = "file-not-found"
    FILE_UNREADABLE = "file-unreadable"  # error: see OsError
    FOLDER_UNREADABLE = "folder-unreadable"  # error
    NOT_A_FILE = "not-a-file"
    BROKEN_LINK = "broken-link"
    EMPTY_FILE = "empty-file"
    TOO_LARGE = "too-large"  # size_mb, limit_mb
    TIMEOUT = "timeout"  # seconds
    WORKER_CRASHED = "worker-crashed"
    READ_FAILED = "read-failed"
    UNEXPECTED_ERROR = "unexpected-error"  # error: the exception class
    OUT_OF_MEMORY = "out-of-memory"
    # Formats
    UNSUPPORTED = "unsupported"  # format: see UnsupportedKind
    MALFORMED = "malformed"  # format: pdf, docx, odt, epub, rtf, html, text, image
    ZIP_BROKEN = "zip-broken"  # format
    ZIP_BOMB = "zip-bomb"
    PDF_PASSWORD = "pdf-password"
    PDF_NO_PAGE = "pdf-no-page"
    PDF_AES_MISSING = "pdf-aes-missing"
    PDF_ENCRYPTION_UNSUPPORTED = "pdf-encryption-unsupported"
    DOCX_STRICT = "docx-strict"
    DOCX_NO_MAIN = "docx-no-main"
    DOCX_DTD = "docx-dtd"  # part: the part that declares a DTD
    ODT_INCOMPLETE = "odt-incomplete"
    ODT_PASSWORD = "odt-password"
    EPUB_DRM = "epub-drm"
    EPUB_INCOMPLETE = "epub-incomplete"
    IMAGE_TOO_LARGE = "image-too-large"  # width, height (absent when the decoder refused it)
    # Warnings: read, with something worth knowing
    FILE_CUT = "file-cut"  # a very large text-like file: only its start was read
    TEXT_CUT = "text-cut"  # chars
    PAGE_UNREADABLE = "page-unreadable"  # page
    PAGES_LIMIT = "pages-limit"  # pages
    PDF_TOLERANT = "pdf-tolerant"
    # Notes on a file catalogued or already known
    UPDATED = "updated"
    NO_TEXT = "no-text"  # an empty document: catalogued, nothing to read
    SCAN_QUEUED = "scan-queued"  # a scan without text: catalogued, waiting for `fonds ocr`
    IN_TRASH = "in-trash"  # record
    SAME_CONTENT = "same-content"  # path
    MOVED = "moved"  # path
    # A sentence stored by an earlier version (text)
    LEGACY_TEXT = "legacy-text"


class OsError(StrEnum):
    """The `error` of FILE_UNREADABLE / FOLDER_UNREADABLE when the system's is a known one
    (anything else is the system's own message, passed as is)."""

    PERMISSION = "permission"
    NOT_FOUND = "not-found"
    SYMLINK_LOOP = "symlink-loop"
    SYSTEM = "system"  # no message at all


class UnsupportedKind(StrEnum):
    """The `format` of UNSUPPORTED: what a file no extractor reads looks like."""

    WINDOWS_EXECUTABLE = "windows-executable"
    LINUX_EXECUTABLE = "linux-executable"
    MACOS_EXECUTABLE = "macos-executable"
    MACOS_OR_JAVA = "macos-or-java"
    PNG = "png"
    JPEG = "jpeg"
    GIF = "gif"
    TIFF = "tiff"
    PHOTOSHOP = "photoshop"
    POSTSCRIPT = "postscript"
    GZIP = "gzip"
    BZIP2 = "bzip2"
    XZ = "xz"
    SEVEN_ZIP = "7z"
    RAR = "rar"
    MP3 = "mp3"
    OGG = "ogg"
    FLAC = "flac"
    SQLITE = "sqlite"
    WINDOWS_ICON = "windows-icon"
    VIDEO = "video"
    RIFF = "riff"
    BINARY = "binary"
    BINARY_NOT_TEXT = "binary-not-text"  # named like a text file, but binary
    SVG = "svg"  # an image a browser would run scripts in
    OFFICE_PASSWORD = "office-password"
    WORD_97 = "word-97"
    EXCEL_97 = "excel-97"
    POWERPOINT_97 = "powerpoint-97"
    OUTLOOK_MSG = "outlook-msg"
    OLE2 = "ole2"
    ZIP_BROKEN = "zip-broken"
    XLSX = "xlsx"
    PPTX = "pptx"
    OPENDOCUMENT_OTHER = "opendocument-other"
    ZIP = "zip"


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason code and its facts (sizes, paths, page numbers), all JSON-able."""

    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, code: str, **params: Any) -> Reason:
        return cls(str(code), tuple(sorted(params.items())))

    def get(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)

    def encode(self) -> str:
        """The stored form (JSON)."""
        return json.dumps({"code": self.code, **dict(self.params)}, ensure_ascii=False)

    @classmethod
    def decode(cls, stored: str | None) -> Reason | None:
        """The reason stored by `encode()`, or by an earlier version as a French sentence."""
        if not stored:
            return None
        if stored.startswith("{"):
            try:
                data = json.loads(stored)
                code = data.pop("code")
                return cls.of(code, **data)
            except (ValueError, KeyError, TypeError, AttributeError):
                pass
        return cls.of(ReasonCode.LEGACY_TEXT, text=stored)

    def __str__(self) -> str:  # for logs and exception messages (developers read English)
        facts = ", ".join(f"{k}={v}" for k, v in self.params)
        return f"{self.code} ({facts})" if facts else self.code


def os_error(exc: OSError) -> str:
    """The `error` param of an OSError: a known OsError, else the system's own message."""
    if isinstance(exc, PermissionError):
        return OsError.PERMISSION
    if isinstance(exc, FileNotFoundError):
        return OsError.NOT_FOUND
    if exc.errno == 40:  # ELOOP
        return OsError.SYMLINK_LOOP
    return exc.strerror or type(exc).__name__


def unreadable(exc: OSError) -> Reason:
    return Reason.of(ReasonCode.FILE_UNREADABLE, error=os_error(exc))
