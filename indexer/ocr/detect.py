"""Which files need OCR: image scans, and PDF pages that draw an image but carry no text."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from ..extractors.base import PAGE_BREAK

log = logging.getLogger(__name__)

IMAGE_TYPES = ("image/jpeg", "image/png", "image/tiff")
MIN_LETTERS = 20  # a page with fewer letters than this has no usable text layer
_LETTER = re.compile(r"[^\W\d_]")


def textless_pages(text: str, page_count: int | None) -> list[int]:
    """Numbers (from 1) of the pages whose extracted text has almost no letters."""
    pages = text.split(PAGE_BREAK) if text else []
    count = max(page_count or 0, len(pages))
    return [
        n
        for n in range(1, count + 1)
        if n > len(pages) or len(_LETTER.findall(pages[n - 1])) < MIN_LETTERS
    ]


def pages_to_ocr(path: Path, media_type: str, text: str, page_count: int | None) -> str | None:
    """The pages to OCR as '1,3-5', '' for every page, or None when the file needs no OCR.

    An image file is all scan. A PDF page qualifies when it has no text and draws an image
    (a blank page, or one of vector drawings, has nothing to recognise)."""
    if media_type in IMAGE_TYPES:
        return ""
    if media_type != "application/pdf":
        return None
    candidates = textless_pages(text, page_count)
    if not candidates:
        return None
    with_images = _pages_with_images(path, candidates)
    if not with_images:
        return None
    total = max(page_count or 0, text.count(PAGE_BREAK) + 1)
    if len(with_images) == total and not text.strip():
        return ""
    return page_ranges(with_images)


def _pages_with_images(path: Path, pages: list[int]) -> list[int]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    found: list[int] = []
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return []
        for number in pages:
            if number > len(reader.pages):
                break
            if _draws_image(reader.pages[number - 1]):
                found.append(number)
    except MemoryError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        log.debug("%s: cannot look for images: %s", path, exc)
    except Exception as exc:  # noqa: BLE001 - a damaged PDF must not stop the ingest
        log.debug("%s: cannot look for images: %s", path, exc, exc_info=True)
    return found


def _draws_image(page: object, depth: int = 0) -> bool:
    """True when the page's resources hold an image XObject (looking into forms, 3 deep)."""
    resources = page.get("/Resources") if hasattr(page, "get") else None
    if resources is None:
        return False
    resources = resources.get_object()
    xobjects = resources.get("/XObject")
    if xobjects is None:
        return False
    for ref in xobjects.get_object().values():
        xobject = ref.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form" and depth < 3 and _draws_image(xobject, depth + 1):
            return True
    return False


def page_ranges(pages: list[int]) -> str:
    """[1, 2, 3, 5] -> '1-3,5'."""
    parts: list[str] = []
    start = prev = None
    for n in sorted(set(pages)):
        if start is None:
            start = prev = n
        elif prev is not None and n == prev + 1:
            prev = n
        else:
            parts.append(f"{start}-{prev}" if start != prev else f"{start}")
            start = prev = n
    if start is not None:
        parts.append(f"{start}-{prev}" if start != prev else f"{start}")
    return ",".join(parts)
