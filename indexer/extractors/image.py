"""Scanned pages as image files (JPEG, PNG, TIFF): no text to read, but a document to OCR.

The extractor checks that the image decodes (a corrupt scan is reported now, not at OCR
time) and counts its pages (frames of a multi-page TIFF); the text is empty, so the ingest
catalogues the record and puts it in the OCR queue.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import ClassVar

from indexer.extractors.base import Extraction, ExtractionError, ExtractionLimits
from indexer.extractors.common import FileMetadata, check_file, finish
from indexer.reasons import Reason, ReasonCode

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
MAX_PIXELS = 20_000 * 20_000  # a page scanned at 600 dpi on A0 fits; beyond, a bomb
CORRUPT_IMAGE = Reason.of(ReasonCode.MALFORMED, format="image")


def image_type(head: bytes) -> str | None:
    """The media type of a JPEG, PNG or TIFF image from its first bytes, else None."""
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    return None


class ImageExtractor:
    name: ClassVar[str] = "image"
    media_type: ClassVar[str] = "image/png"  # the actual type is read from the content
    suffixes: ClassVar[tuple[str, ...]] = (".jpg", ".jpeg", ".png", ".tif", ".tiff")

    def sniff(self, head: bytes, path: Path) -> bool:
        return image_type(head) is not None

    def extract(self, path: Path, limits: ExtractionLimits) -> Extraction:
        check_file(path)
        with open(path, "rb") as f:
            media_type = image_type(f.read(16)) or self.media_type
        pages = count_pages(path, limits.max_pages)
        return finish(path, media_type, "", FileMetadata(), page_count=pages)


def count_pages(path: Path, max_pages: int) -> int:
    """Decode every page of an image (up to max_pages) and count them; ExtractionError if one
    does not decode."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ExtractionError(
                        path, Reason.of(ReasonCode.IMAGE_TOO_LARGE, width=width, height=height)
                    )
                pages = 0
                for frame in range(min(getattr(image, "n_frames", 1), max_pages)):
                    image.seek(frame)
                    image.load()
                    pages += 1
                return pages
    except ExtractionError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ExtractionError(path, Reason.of(ReasonCode.IMAGE_TOO_LARGE)) from exc
    except MemoryError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ExtractionError(path, CORRUPT_IMAGE) from exc
