"""PDF through pypdf: one text page per PDF page, Info and XMP metadata, title from the layout."""

from __future__ import annotations

import logging
import math
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from indexer import metadata
from indexer.extractors.base import Extraction, ExtractionError, ExtractionLimits
from indexer.extractors.common import (
    MALFORMED,
    FileMetadata,
    TextBudget,
    check_file,
    finish,
    guarded,
    normalise_text,
    quiet_libraries,
)
from indexer.reasons import Reason, ReasonCode

log = logging.getLogger(__name__)

MALFORMED_PDF = Reason.of(ReasonCode.MALFORMED, format="PDF")
PASSWORD_NEEDED = Reason.of(ReasonCode.PDF_PASSWORD)
TITLE_SIZE_RATIO = 1.25  # type this much larger than the body's on page 1 is a heading


class PdfExtractor:
    name: ClassVar[str] = "pdf"
    media_type: ClassVar[str] = "application/pdf"
    suffixes: ClassVar[tuple[str, ...]] = (".pdf",)

    def sniff(self, head: bytes, path: Path) -> bool:
        # The header may follow some junk (up to 1 KB, as readers tolerate).
        return b"%PDF-" in head[:1024]

    def extract(self, path: Path, limits: ExtractionLimits) -> Extraction:
        check_file(path)
        return guarded(path, MALFORMED_PDF, lambda: self._extract(path, limits), (PyPdfError,))

    def _extract(self, path: Path, limits: ExtractionLimits) -> Extraction:
        library_warnings: list[str] = []
        with quiet_libraries(library_warnings, "pypdf"):
            reader = PdfReader(path, strict=False)
            self._unlock(reader, path)
            pages = reader.pages
            page_count = len(pages)
            budget = TextBudget(limits.max_chars)
            layout = _LayoutTitle()
            issues: list[Reason] = []
            failed = 0
            read = min(page_count, limits.max_pages)
            for number in range(read):
                if budget.full:
                    break
                try:
                    page = pages[number]
                    # The first page is read once, with a visitor that notes type sizes.
                    visitor = layout.visit if number == 0 else None
                    text = page.extract_text(visitor_text=visitor) or ""
                except MemoryError:
                    raise
                except (PyPdfError, *MALFORMED) as exc:
                    log.debug("%s: page %d: %s", path, number + 1, exc)
                    failed += 1
                    issues.append(Reason.of(ReasonCode.PAGE_UNREADABLE, page=number + 1))
                    text = ""
                budget.add_page(normalise_text(text))  # before bounding: ligatures grow
            if read and failed == read:
                raise ExtractionError(path, Reason.of(ReasonCode.PDF_NO_PAGE))
            if page_count > limits.max_pages:
                issues.append(Reason.of(ReasonCode.PAGES_LIMIT, pages=limits.max_pages))
            meta = self._metadata(reader)
        if library_warnings:
            issues.append(Reason.of(ReasonCode.PDF_TOLERANT))
        return finish(
            path,
            self.media_type,
            budget.text(),
            meta,
            page_count=page_count,
            issues=[*issues, *budget.warnings()],
            title_hint=layout.title(),
        )

    @staticmethod
    def _unlock(reader: PdfReader, path: Path) -> None:
        if not reader.is_encrypted:
            return
        try:
            opened = reader.decrypt("")
        except DependencyError as exc:  # AES without `cryptography`: a broken install
            raise ExtractionError(path, Reason.of(ReasonCode.PDF_AES_MISSING)) from exc
        except (FileNotDecryptedError, NotImplementedError) as exc:
            raise ExtractionError(path, Reason.of(ReasonCode.PDF_ENCRYPTION_UNSUPPORTED)) from exc
        if not opened:
            raise ExtractionError(path, PASSWORD_NEEDED)

    def _metadata(self, reader: PdfReader) -> FileMetadata:
        meta = FileMetadata()
        try:
            info = reader.metadata
        except (PyPdfError, *MALFORMED) as exc:
            log.debug("unreadable /Info: %s", exc)
            info = None
        if info is not None and hasattr(info, "get"):
            meta.title = _info_text(info, "/Title")
            meta.authors = metadata.split_authors(_info_text(info, "/Author"))
            meta.abstract = _info_text(info, "/Subject")
            meta.keywords = metadata.split_keywords(_info_text(info, "/Keywords"))
            meta.date = metadata.parse_date(_info_text(info, "/CreationDate")) or (
                metadata.parse_date(_info_text(info, "/ModDate"))
            )
        if not metadata.clean_title(meta.title) or not meta.authors or not meta.date:
            self._merge_xmp(reader, meta)  # XMP is parsed only when Info leaves gaps
        try:  # the catalog's /Lang ('fr-FR'), which Word and LibreOffice write
            language = reader.root_object.get("/Lang")
            if isinstance(language, bytes | str):
                meta.language = meta.language or _info_text({"/Lang": language}, "/Lang")
        except (PyPdfError, *MALFORMED) as exc:
            log.debug("unreadable /Lang: %s", exc)
        return meta

    @staticmethod
    def _merge_xmp(reader: PdfReader, meta: FileMetadata) -> None:
        try:
            xmp = reader.xmp_metadata
            if xmp is None:
                return
            titles = xmp.dc_title or {}
            creators = xmp.dc_creator or []
            created = xmp.xmp_create_date
            languages = xmp.dc_language or []
        except (PyPdfError, *MALFORMED) as exc:
            log.debug("unreadable XMP: %s", exc)
            return
        if not metadata.clean_title(meta.title) and titles:
            meta.title = titles.get("x-default") or next(iter(titles.values()), None)
        if not meta.authors and creators:
            meta.authors = tuple(a for c in creators for a in metadata.split_authors(c))
        if not meta.date and created:
            meta.date = metadata.parse_date(created)
        if languages:
            meta.language = languages[0]


def _info_text(info: Any, key: str) -> str | None:
    """An /Info value as text: bytes decoded, NULs dropped, values of other types ignored."""
    try:
        value = info.get(key)
        if value is not None and hasattr(value, "get_object"):
            value = value.get_object()
    except (PyPdfError, *MALFORMED):
        return None
    if isinstance(value, bytes):
        value = metadata.decode_bytes(value)
    if not isinstance(value, str):
        return None
    text = metadata.clean_text_line(value)
    return text or None


class _LayoutTitle:
    """Notes the type size of each text run on page 1: the largest type at the top is the title."""

    def __init__(self) -> None:
        self.runs: list[tuple[float, str]] = []

    def visit(self, text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        try:
            scale = math.sqrt(abs(tm[0] * tm[3] - tm[1] * tm[2]))
            scale *= math.sqrt(abs(cm[0] * cm[3] - cm[1] * cm[2]))
            self.runs.append((round(float(size) * scale, 1), text))
        except (TypeError, ValueError, IndexError):
            pass

    def title(self) -> str | None:
        letters = [(s, t) for s, t in self.runs if any(c.isalpha() for c in t)]
        if not letters:
            return None
        weights: Counter[float] = Counter()
        for size, text in letters:
            weights[size] += len(text)
        body = weights.most_common(1)[0][0]
        for size in sorted({s for s, _ in letters if s >= body * TITLE_SIZE_RATIO}, reverse=True)[
            :3
        ]:
            if title := self._run_of(size):
                return title
        return None

    def _run_of(self, size: float) -> str | None:
        parts: list[str] = []
        for run_size, text in self.runs:
            if abs(run_size - size) <= size * 0.03:
                parts.append(text)
            elif parts and any(c.isalpha() for c in text):
                break  # the first contiguous run of that size only
        lines: list[str] = []
        for line in "".join(parts).split("\n"):
            line = metadata.clean_text_line(line)
            if not line:
                continue
            if not metadata.is_title_line(line):
                if lines:
                    break  # the edition or date set in the same type ends the title
                continue
            lines.append(line)
        joined = " ".join(lines)
        if len(joined) > 250 or len(joined.split()) < 2:
            return None
        return metadata.clean_title(joined)
