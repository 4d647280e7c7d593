"""Extractors, one per format, and the registry that picks one by the file's content.

    registry = default_registry()
    extraction = registry.extract(path)          # raises only ExtractionError subclasses

A new format is an object with `name`, `media_type`, `suffixes`, `sniff(head, path)` and
`extract(path, limits)` (see base.Extractor) added to the list in `default_registry()`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from indexer.extractors.base import (
    PAGE_BREAK,
    Extraction,
    ExtractionError,
    ExtractionLimits,
    Extractor,
    UnsupportedFormat,
)
from indexer.extractors.common import read_head
from indexer.extractors.docx import DocxExtractor
from indexer.extractors.epub import EpubExtractor
from indexer.extractors.html import HtmlExtractor
from indexer.extractors.image import ImageExtractor
from indexer.extractors.legacy import SVG, describe_unsupported, is_svg
from indexer.extractors.odt import OdtExtractor
from indexer.extractors.pdf import PdfExtractor
from indexer.extractors.rtf import RtfExtractor
from indexer.extractors.text import TextExtractor
from indexer.reasons import Reason, ReasonCode

__all__ = [
    "PAGE_BREAK",
    "Extraction",
    "ExtractionError",
    "ExtractionLimits",
    "Extractor",
    "ExtractorRegistry",
    "DEFAULT_LIMITS",
    "UnsupportedFormat",
    "default_registry",
]

log = logging.getLogger(__name__)

DEFAULT_LIMITS = ExtractionLimits()


class ExtractorRegistry:
    """Extractors in the order they are asked to recognise a file (specific formats first)."""

    def __init__(self, extractors: Iterable[Extractor]) -> None:
        self.extractors: tuple[Extractor, ...] = tuple(extractors)

    def __iter__(self) -> Iterator[Extractor]:
        return iter(self.extractors)

    def __len__(self) -> int:
        return len(self.extractors)

    def names(self) -> Sequence[str]:
        """The extractors' names, in recognition order."""
        return tuple(e.name for e in self.extractors)

    def recognise(self, path: Path) -> Extractor:
        """The extractor for a file, by content; UnsupportedFormat when none claims it."""
        head = read_head(path)
        if is_svg(head):  # text, but an image a browser would run scripts in: never stored
            raise UnsupportedFormat(path, SVG)
        for extractor in self.extractors:
            if extractor.sniff(head, path):
                return extractor
        raise UnsupportedFormat(path, describe_unsupported(head, path))

    def extract(self, path: Path, limits: ExtractionLimits = DEFAULT_LIMITS) -> Extraction:
        """Text and metadata of a file; raises only ExtractionError (UnsupportedFormat included)."""
        path = Path(path)
        try:
            extractor = self.recognise(path)
            return extractor.extract(path, limits)
        except ExtractionError:
            raise
        except MemoryError:
            raise
        except Exception as exc:  # last resort: one bad file must not stop an ingest
            log.debug("%s: unexpected %s", path, type(exc).__name__, exc_info=True)
            raise ExtractionError(
                path, Reason.of(ReasonCode.UNEXPECTED_ERROR, error=type(exc).__name__)
            ) from exc


def default_registry() -> ExtractorRegistry:
    """The built-in extractors. Zip-based and signed formats come before the text-like ones,
    and HTML before plain text, so that text sniffing never claims a document."""
    return ExtractorRegistry(
        [
            PdfExtractor(),
            DocxExtractor(),
            OdtExtractor(),
            EpubExtractor(),
            RtfExtractor(),
            ImageExtractor(),  # scans: catalogued empty, then OCRed (`fonds ocr`)
            HtmlExtractor(),
            TextExtractor(),
        ]
    )
