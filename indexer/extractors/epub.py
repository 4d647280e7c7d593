"""EPUB: the package document's Dublin Core metadata, the spine's XHTML files in reading order."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote
from xml.etree import ElementTree

from indexer import metadata
from indexer.extractors.base import Extraction, ExtractionError, ExtractionLimits
from indexer.extractors.common import (
    FileMetadata,
    TextBudget,
    check_file,
    finish,
    guarded,
    open_zip_checked,
    read_member,
)
from indexer.extractors.html import decode_html, html_to_text
from indexer.extractors.odt import parse_xml_bytes, zip_mimetype
from indexer.reasons import Reason, ReasonCode

EPUB_MIMETYPE = b"application/epub+zip"
MALFORMED_EPUB = Reason.of(ReasonCode.MALFORMED, format="EPUB")
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_READABLE = frozenset({"application/xhtml+xml", "text/html", "application/x-dtbook+xml"})


class EpubExtractor:
    name: ClassVar[str] = "epub"
    media_type: ClassVar[str] = "application/epub+zip"
    suffixes: ClassVar[tuple[str, ...]] = (".epub",)

    def sniff(self, head: bytes, path: Path) -> bool:
        return head.startswith(b"PK\x03\x04") and zip_mimetype(head, path) == EPUB_MIMETYPE

    def extract(self, path: Path, limits: ExtractionLimits) -> Extraction:
        check_file(path)
        return guarded(path, MALFORMED_EPUB, lambda: self._extract(path, limits))

    def _extract(self, path: Path, limits: ExtractionLimits) -> Extraction:
        with open_zip_checked(path, limits, "EPUB") as archive:
            names = set(archive.namelist())
            if "META-INF/encryption.xml" in names and _has_drm(archive, limits):
                raise ExtractionError(path, Reason.of(ReasonCode.EPUB_DRM))
            opf_path = _package_path(archive, names, limits)
            if opf_path is None:
                raise ExtractionError(path, Reason.of(ReasonCode.EPUB_INCOMPLETE))
            package = parse_xml_bytes(read_member(archive, opf_path, limits))
            meta = _metadata(package)
            budget = TextBudget(limits.max_chars)
            for member in _spine(package, posixpath.dirname(opf_path)):
                if budget.full:
                    break
                if member in names:
                    chapter = html_to_text(decode_html(read_member(archive, member, limits)))
                    if chapter.strip():
                        budget.add_page(chapter)
        # Chapters are not pages: they join with blank lines, the text stays one page.
        text = "\n\n".join(budget.pages)
        return finish(path, self.media_type, text, meta, issues=budget.warnings())


def _has_drm(archive: zipfile.ZipFile, limits: ExtractionLimits) -> bool:
    """Font obfuscation also lives in encryption.xml; only encrypted XHTML hides the text."""
    data = read_member(archive, "META-INF/encryption.xml", limits)
    return b".xhtml" in data or b".html" in data or b".htm" in data


def _package_path(
    archive: zipfile.ZipFile, names: set[str], limits: ExtractionLimits
) -> str | None:
    if "META-INF/container.xml" in names:
        container = parse_xml_bytes(read_member(archive, "META-INF/container.xml", limits))
        for rootfile in container.iter(_CONTAINER + "rootfile"):
            full_path = rootfile.get("full-path")
            if full_path and full_path in names:
                return full_path
    return next((n for n in sorted(names) if n.endswith(".opf")), None)


def _metadata(package: ElementTree.Element) -> FileMetadata:
    block = package.find(_OPF + "metadata")
    meta = FileMetadata()
    if block is None:
        return meta

    def values(tag: str) -> list[str]:
        return [t for e in block.iter(_DC + tag) if (t := "".join(e.itertext()).strip())]

    titles = values("title")
    meta.title = titles[0] if titles else None
    meta.subtitle = titles[1] if len(titles) > 1 else None
    meta.authors = tuple(a for c in values("creator") for a in metadata.split_authors(c))
    meta.language = next(iter(values("language")), None)
    meta.date = next((d for raw in values("date") if (d := metadata.parse_date(raw))), None)
    meta.publisher = next(iter(values("publisher")), None)
    meta.abstract = next(iter(values("description")), None)
    meta.keywords = tuple(k for s in values("subject") for k in metadata.split_keywords(s))
    return meta


def _spine(package: ElementTree.Element, base: str) -> list[str]:
    """Member names of the reading order's documents."""
    manifest = {}
    for item in package.iter(_OPF + "item"):
        if item.get("media-type") in _READABLE and item.get("id") and item.get("href"):
            href = unquote(item.get("href", "").split("#", 1)[0])
            manifest[item.get("id")] = posixpath.normpath(posixpath.join(base, href))
    order = [
        manifest[i] for r in package.iter(_OPF + "itemref") if (i := r.get("idref")) in manifest
    ]
    return list(dict.fromkeys(order)) or sorted(manifest.values())
