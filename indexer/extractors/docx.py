"""DOCX through python-docx's package layer: every w:t of the body in document order, then
headers, footers, footnotes and endnotes, with the core properties.

Walking the XML rather than `Document.paragraphs` finds the text that lives in text boxes,
content controls and nested tables, and keeps tables where they stand in the text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, ClassVar

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import OpcError
from docx.oxml import parse_xml
from docx.package import Package

from indexer import metadata
from indexer.extractors.base import Extraction, ExtractionError, ExtractionLimits
from indexer.extractors.common import (
    FileMetadata,
    bounded,
    check_file,
    finish,
    guarded,
    open_zip_checked,
    quiet_libraries,
    zip_names,
)
from indexer.reasons import Reason, ReasonCode
from library.xml_input import declares_doctype

# Dense A4 text holds about 4,000 characters a page; far more per "page" means a stale count.
MAX_CHARS_PER_PAGE = 6_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_T, _P, _TR, _TAB, _BR, _CR = (_W + t for t in ("t", "p", "tr", "tab", "br", "cr"))
_NOBREAK_HYPHEN, _SYM = _W + "noBreakHyphen", _W + "sym"
# Subtrees without readable text, or with text that is not the document's: properties, field
# codes, deleted and moved-away revisions, and the VML fallback that repeats a text box.
_SKIP = frozenset(
    [
        _W + t
        for t in (
            "rPr",
            "pPr",
            "sectPr",
            "tblPr",
            "trPr",
            "tcPr",
            "sdtPr",
            "instrText",
            "delText",
            "del",
            "moveFrom",
            "tblGrid",
            "footnoteReference",
            "endnoteReference",
            "commentReference",
        )
    ]
    + [_MC + "Fallback"]
)
# In this order after the body; comments are left out: they are reviewers' notes, not text.
_EXTRA_PARTS = (RT.FOOTNOTES, RT.ENDNOTES, RT.HEADER, RT.FOOTER)
_BLANK_LINES = re.compile(r"\n{3,}")
_MAIN_TYPES = (
    b"wordprocessingml.document.main",
    b"ms-word.document.macroEnabled.main",
    b"wordprocessingml.template.main",
    b"ms-word.template.macroEnabledTemplate.main",
)
_STYLE_ROLES = {
    "title": "title",
    "titre": "title",
    "subtitle": "subtitle",
    "sous-titre": "subtitle",
    "soustitre": "subtitle",
}
MALFORMED_DOCX = Reason.of(ReasonCode.MALFORMED, format="DOCX")
TRUNCATED_DOCX = Reason.of(ReasonCode.ZIP_BROKEN, format="DOCX")
STRICT_DOCX = Reason.of(ReasonCode.DOCX_STRICT)


class DocxExtractor:
    name: ClassVar[str] = "docx"
    media_type: ClassVar[str] = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    suffixes: ClassVar[tuple[str, ...]] = (".docx", ".docm", ".dotx", ".dotm")

    def sniff(self, head: bytes, path: Path) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        names = zip_names(path)
        if names is None:  # a broken archive: its local headers or its name may still tell
            return b"word/" in head or path.suffix.lower() in self.suffixes
        if "word/document.xml" in names:
            return True
        if "[Content_Types].xml" in names and "mimetype" not in names:
            return _declares_word_main(path)  # main part under another name
        return False

    def extract(self, path: Path, limits: ExtractionLimits) -> Extraction:
        check_file(path)
        return guarded(path, MALFORMED_DOCX, lambda: self._extract(path, limits), (OpcError,))

    def _extract(self, path: Path, limits: ExtractionLimits) -> Extraction:
        with open_zip_checked(path, limits, "DOCX") as archive:
            strict = _is_strict(archive)
            with_dtd = _part_with_dtd(archive)
        if with_dtd:  # python-docx expands no entity, but no Word file has a DTD either
            raise ExtractionError(path, Reason.of(ReasonCode.DOCX_DTD, part=with_dtd))
        if strict:
            raise ExtractionError(path, STRICT_DOCX)
        library_warnings: list[str] = []
        with quiet_libraries(library_warnings, "docx"):
            try:
                package = Package.open(str(path))
                main = package.main_document_part
            except (OpcError, zipfile.BadZipFile) as exc:
                raise ExtractionError(path, TRUNCATED_DOCX) from exc
            except KeyError as exc:  # no officeDocument relationship
                raise ExtractionError(path, Reason.of(ReasonCode.DOCX_NO_MAIN)) from exc
            body = _element(main)
            chunks: list[str] = []
            _walk(body, chunks)
            styled = _styled_paragraphs(body)
            extra: list[str] = []
            seen: set[str] = set()
            rels = [
                r for r in main.rels.values() if not r.is_external and r.reltype in _EXTRA_PARTS
            ]
            rels.sort(key=lambda r: (_EXTRA_PARTS.index(r.reltype), str(r.target_ref)))
            for rel in rels:
                part = rel.target_part
                if str(part.partname) in seen:  # sections share parts: each part once
                    continue
                seen.add(str(part.partname))
                _walk(_element(part), extra)
            text = "".join(chunks).strip("\n")
            if extra_text := "".join(extra).strip():
                text = f"{text}\n\n{extra_text}" if text.strip() else extra_text
            text = _BLANK_LINES.sub("\n\n", text)
            meta, pages = _properties(package)
            if pages and len(text) > pages * MAX_CHARS_PER_PAGE:
                pages = None  # app.xml's count is a cache the last editor may not have updated
        meta.subtitle = meta.subtitle or styled.get("subtitle")
        text, issues = bounded(text, limits)
        return finish(
            path,
            self.media_type,
            text,
            meta,
            page_count=pages,
            issues=issues,
            title_hint=styled.get("title"),
        )


def _declares_word_main(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            types = archive.read("[Content_Types].xml")[:65536]
    except Exception:  # recognition never raises
        return False
    return any(t in types for t in _MAIN_TYPES)


def _part_with_dtd(archive: zipfile.ZipFile) -> str | None:
    """The first XML part that declares a DTD (read from its first bytes only), or None."""
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as part:
                if declares_doctype(part.read(4096)):
                    return info.filename
    return None


def _is_strict(archive: zipfile.ZipFile) -> bool:
    try:
        rels = archive.read("_rels/.rels")
    except KeyError:
        return False
    return b"purl.oclc.org/ooxml/officeDocument" in rels


def _element(part: Any) -> Any:
    element = getattr(part, "element", None)
    if element is not None:
        return element
    return parse_xml(part.blob)


def _walk(element: Any, out: list[str]) -> None:
    """Append the text under `element` in document order (recursive: XML depth is small)."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _T:
            out.append(child.text or "")
        elif tag == _TAB:
            out.append("\t")
        elif tag in (_BR, _CR):
            out.append("\f" if child.get(_W + "type") == "page" else "\n")
        elif tag == _NOBREAK_HYPHEN:
            out.append("-")
        elif tag == _SYM:
            out.append(_symbol(child.get(_W + "char")))
        elif tag in (_P, _TR):
            _walk(child, out)
            out.append("\n")
        else:
            _walk(child, out)


def _styled_paragraphs(body: Any) -> dict[str, str]:
    """Text of the first paragraphs styled Title and Subtitle (English or French style ids)."""
    found: dict[str, str] = {}
    for count, paragraph in enumerate(body.iter(_P)):
        if count > 60 or len(found) == 2:
            break  # a title sits at the top
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        key = _STYLE_ROLES.get((style.get(_W + "val") or "").lower()) if style is not None else None
        if key and key not in found:
            chunks: list[str] = []
            _walk(paragraph, chunks)
            if text := " ".join("".join(chunks).split()):
                found[key] = text
    return found


def _symbol(code: str | None) -> str:
    """A w:sym character; symbol-font glyphs (private use area) mean nothing as text."""
    try:
        char = chr(int(code or "", 16))
    except (ValueError, OverflowError):
        return ""
    return "" if 0xE000 <= ord(char) <= 0xF8FF else char


def _properties(package: Any) -> tuple[FileMetadata, int | None]:
    meta = FileMetadata()
    reltypes = {rel.reltype: rel for rel in package.rels.values() if not rel.is_external}
    # Without a core-properties part python-docx would invent one (title 'Word Document',
    # created now): read it only when the file has one.
    if RT.CORE_PROPERTIES in reltypes:
        core = package.core_properties
        meta.title = _prop(core, "title")
        meta.authors = metadata.split_authors(_prop(core, "author"))
        meta.keywords = metadata.split_keywords(_prop(core, "keywords"))
        meta.abstract = _prop(core, "comments") or _prop(core, "subject")
        meta.language = _prop(core, "language")
        meta.date = metadata.parse_date(_prop(core, "created"))
    pages = None
    if (rel := reltypes.get(RT.EXTENDED_PROPERTIES)) is not None:
        pages = _app_pages(rel.target_part.blob)
    return meta, pages


def _prop(core: Any, name: str) -> Any:
    """One core property; a malformed value (bad date, odd XML) counts as absent."""
    try:
        value = getattr(core, name)
    except (ValueError, TypeError, AttributeError):
        return None
    return value or None


def _app_pages(blob: bytes) -> int | None:
    try:
        root = parse_xml(blob)
    except Exception:  # an unreadable app.xml only loses the page count
        return None
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.endswith("}Pages"):
            text = (element.text or "").strip()
            return int(text) if text.isdigit() and int(text) > 0 else None
    return None
