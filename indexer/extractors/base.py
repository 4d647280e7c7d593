"""The extractor seam: one extractor per format, chosen by content, all behind one protocol."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol

from indexer.reasons import Reason

PAGE_BREAK = "\f"  # pages of an extracted text are separated by form feeds


class ExtractionError(Exception):
    """A file that cannot be read: `reason` says why (a code and its facts, worded at the edge)."""

    def __init__(self, path: Path | str, reason: Reason) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnsupportedFormat(ExtractionError):
    """No extractor recognises the file's content."""


@dataclass(frozen=True, slots=True)
class ExtractionLimits:
    """Bounds that keep one hostile or huge file from exhausting time or memory."""

    max_chars: int = 5_000_000  # text kept per document
    max_pages: int = 2_000  # pages read per PDF
    max_uncompressed: int = 200 * 1024 * 1024  # total bytes a zip-based format may inflate to
    max_ratio: int = 200  # compression ratio above which a zip member is a bomb


@dataclass(frozen=True, slots=True)
class Extraction:
    """What a file gives: its text and the metadata it carries (or that its first page shows)."""

    text: str  # pages separated by PAGE_BREAK
    media_type: str
    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()  # as found; persons ideally "Nom, Prénom"
    date: str | None = None  # ISO 8601, possibly partial ("2009", "2009-05-12")
    year: int | None = None
    language_hint: str | None = None  # ISO 639-1 from the file's own metadata
    page_count: int | None = None
    keywords: tuple[str, ...] = ()
    abstract: str | None = None
    publisher: str | None = None
    warnings: tuple[Reason, ...] = field(default=())  # recoverable oddities worth reporting


class Extractor(Protocol):
    name: ClassVar[str]
    media_type: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    def sniff(self, head: bytes, path: Path) -> bool:
        """True when the file's first bytes (and, for ambiguous cases, its name) are this format."""
        ...

    def extract(self, path: Path, limits: ExtractionLimits) -> Extraction:
        """Read the file; raise ExtractionError(path, reason) when it cannot be read."""
        ...
