"""OpenDocument text (.odt): content.xml walked in order, notes gathered at the end, meta.xml."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import ClassVar
from xml.etree import ElementTree

from indexer import metadata
from indexer.extractors.base import Extraction, ExtractionError, ExtractionLimits
from indexer.extractors.common import (
    FileMetadata,
    bounded,
    check_file,
    finish,
    guarded,
    open_zip_checked,
    read_member,
)
from indexer.reasons import Reason, ReasonCode
from library.xml_input import parse_xml

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MALFORMED_ODT = Reason.of(ReasonCode.MALFORMED, format="ODT")

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_PARAGRAPHS = frozenset({_TEXT + "p", _TEXT + "h"})
_ROWS = frozenset({_TABLE + "table-row"})
# Deleted text kept for change tracking, reviewers' comments, and the note's number.
_SKIP = frozenset(
    {
        _TEXT + "tracked-changes",
        _OFFICE + "annotation",
        _TEXT + "note-citation",
        _TEXT + "sequence-decls",
        _OFFICE + "forms",
    }
)
_SPACES = re.compile(r"[ \t\r\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def parse_xml_bytes(data: bytes) -> ElementTree.Element:
    """Parse a part of the archive: a DTD is refused (UnsafeXml, a ValueError: the file is
    then reported malformed), so no entity is ever expanded."""
    return parse_xml(data)


class _OdfText:
    """Text of an ODF body: paragraphs in order, footnotes and endnotes set aside."""

    def __init__(self) -> None:
        self.body: list[str] = []
        self.notes: list[str] = []

    def walk(self, element: ElementTree.Element, out: list[str]) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIP:
                pass
            elif tag == _TEXT + "note":
                body = child.find(_TEXT + "note-body")
                if body is not None:
                    self.walk(body, self.notes)
            else:
                if child.text and tag not in _ROWS:
                    out.append(_SPACES.sub(" ", child.text))
                if tag == _TEXT + "s":
                    out.append(" " * _count(child.get(_TEXT + "c")))
                elif tag == _TEXT + "tab":
                    out.append("\t")
                elif tag == _TEXT + "line-break":
                    out.append("\n")
                else:
                    self.walk(child, out)
                if tag in _PARAGRAPHS or tag in _ROWS:
                    out.append("\n")
            if child.tail:  # the text after a skipped element still belongs to its parent
                out.append(_SPACES.sub(" ", child.tail))


def zip_mimetype(head: bytes, path: Path) -> bytes | None:
    """The 'mimetype' member of an OpenDocument or EPUB container, or None."""
    # The specs put it first and uncompressed, so it can be read from the head.
    name_length = int.from_bytes(head[26:28], "little")
    if head[30 : 30 + name_length] == b"mimetype" and head[8:10] == b"\x00\x00":
        start = 30 + name_length + int.from_bytes(head[28:30], "little")
        return head[start : start + int.from_bytes(head[18:22], "little")].strip()
    try:
        with zipfile.ZipFile(path) as archive, archive.open("mimetype") as member:
            return member.read(100).strip()
    except Exception:  # recognition never raises; no member or no archive: not this format
        return None


def _count(raw: str | None) -> int:
    return min(int(raw), 100) if raw and raw.isdigit() else 1


def odf_text(content: ElementTree.Element) -> str:
    """The document's text: body first, then its notes."""
    reader = _OdfText()
    body = content.find(_OFFICE + "body")
    reader.walk(body if body is not None else content, reader.body)
    text = "\n".join(line.strip(" ") for line in "".join(reader.body).split("\n"))
    notes = "\n".join(line.strip(" ") for line in "".join(reader.notes).split("\n")).strip()
    if notes:
        text = f"{text.rstrip()}\n\n{notes}"
    return _BLANK_LINES.sub("\n\n", text).strip("\n")


def _meta_fields(root: ElementTree.Element) -> tuple[FileMetadata, int | None]:
    meta = FileMetadata()
    block = root.find(_OFFICE + "meta")
    if block is None:
        return meta, None

    def first(tag: str) -> str | None:
        element = block.find(tag)
        if element is None:
            return None
        return "".join(element.itertext()).strip() or None

    meta.title = first(_DC + "title")
    meta.abstract = first(_DC + "description") or first(_DC + "subject")
    meta.language = first(_DC + "language")
    creator = first(_META + "initial-creator") or first(_DC + "creator")
    meta.authors = metadata.split_authors(creator)
    keywords = ["".join(k.itertext()) for k in block.findall(_META + "keyword")]
    meta.keywords = tuple(k for kw in keywords for k in metadata.split_keywords(kw))
    meta.date = metadata.parse_date(first(_META + "creation-date") or first(_DC + "date"))
    pages = None
    stats = block.find(_META + "document-statistic")
    if stats is not None and (count := stats.get(_META + "page-count", "")).isdigit():
        pages = int(count) or None
    return meta, pages


class OdtExtractor:
    name: ClassVar[str] = "odt"
    media_type: ClassVar[str] = "application/vnd.oasis.opendocument.text"
    suffixes: ClassVar[tuple[str, ...]] = (".odt", ".ott")

    def sniff(self, head: bytes, path: Path) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        return zip_mimetype(head, path) in (ODT_MIMETYPE, ODT_MIMETYPE + b"-template")

    def extract(self, path: Path, limits: ExtractionLimits) -> Extraction:
        check_file(path)
        return guarded(path, MALFORMED_ODT, lambda: self._extract(path, limits))

    def _extract(self, path: Path, limits: ExtractionLimits) -> Extraction:
        with open_zip_checked(path, limits, "ODT") as archive:
            names = set(archive.namelist())
            if "content.xml" not in names:
                raise ExtractionError(path, Reason.of(ReasonCode.ODT_INCOMPLETE))
            if "encrypted-package" in names or _is_encrypted(archive):
                raise ExtractionError(path, Reason.of(ReasonCode.ODT_PASSWORD))
            content = parse_xml_bytes(read_member(archive, "content.xml", limits))
            meta_root = None
            if "meta.xml" in names:
                try:
                    meta_root = parse_xml_bytes(read_member(archive, "meta.xml", limits))
                except ElementTree.ParseError:
                    meta_root = None  # damaged properties only lose the metadata
        meta, pages = _meta_fields(meta_root) if meta_root is not None else (FileMetadata(), None)
        text, issues = bounded(odf_text(content), limits)
        return finish(path, self.media_type, text, meta, page_count=pages, issues=issues)


def _is_encrypted(archive: zipfile.ZipFile) -> bool:
    try:
        manifest = archive.read("META-INF/manifest.xml")
    except KeyError:
        return False
    return b"encryption-data" in manifest
