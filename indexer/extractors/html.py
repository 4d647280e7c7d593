"""HTML with the standard library's parser: visible text, <title>, meta tags and <html lang>."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from indexer import metadata
from indexer.extractors.base import Extraction, ExtractionLimits
from indexer.extractors.common import (
    CUT_FILE,
    FileMetadata,
    bounded,
    finish,
    guarded,
    read_bytes,
    text_bytes_limit,
)
from indexer.extractors.text import decode_cp1252, text_encoding
from indexer.reasons import Reason, ReasonCode


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string (easier to read and edit than a list)."""
    return frozenset(text.split())


MALFORMED_HTML = Reason.of(ReasonCode.MALFORMED, format="HTML")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
# Subtrees whose content a reader never sees.
_INVISIBLE = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "canvas",
        "select",
        "datalist",
        "head",
    }
)
_BLOCKS = _words(
    """address article aside blockquote body br caption dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section
    summary table tbody tfoot thead tr ul"""
)
_CELLS = frozenset({"td", "th"})
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_BLANK_LINES = re.compile(r"\n(?:[ \t\u00a0]*\n){2,}")  # unambiguous: linear
_STRONG_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body")
_TAG = re.compile(rb"<(?:[a-z][a-z0-9]*)(?:\s[^>]*)?/?>", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9._:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9._-]+)""")
# Encodings browsers read as their Windows superset (WHATWG Encoding Standard).
_WINDOWS_SUPERSETS = {
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
}


def _declared_charset(raw: bytes) -> str | None:
    head = raw[:8192]
    match = _XML_ENCODING.match(head.lstrip()) or _META_CHARSET.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match[1].decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name.startswith("utf-16"):  # a UTF-16 page would have a BOM and no ASCII meta tag
        return "utf-8"
    return _WINDOWS_SUPERSETS.get(name, name)


def decode_html(raw: bytes) -> str:
    """Page bytes as text: BOM, then declared charset, then UTF-8 if valid, else Windows-1252."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace")
    if declared := _declared_charset(raw):
        try:
            return raw.decode(declared)
        except UnicodeDecodeError:
            pass  # a wrong declaration is common: guess as if there were none
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode_cp1252(raw)


@dataclass
class HtmlDocument:
    """What a page gives: its visible text and its head's metadata."""

    text: str
    title: str | None = None
    heading: str | None = None  # the <h1> of <main>/<article>, else the first one
    main_heading: bool = False
    language: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # lower-cased name/property -> content


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hidden: list[str] = []  # open invisible elements, innermost last
        self.title: list[str] | None = None
        self.title_done = False
        self.h1: list[str] | None = None
        self.h1_done = False
        self.h1_main = False
        self.in_main = 0
        self.pre = 0
        self.language: str | None = None
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        if tag == "html" and self.language is None:
            self.language = values.get("lang") or values.get("xml:lang") or None
        elif tag == "meta":
            key = (values.get("name") or values.get("property") or "").strip().lower()
            if key and "content" in values and key not in self.meta:
                self.meta[key] = values["content"]
            return
        elif tag == "title" and not self.title_done and self.hidden in ([], ["head"]):
            self.title = []
            return
        elif tag in ("main", "article"):
            self.in_main += 1
        elif (
            tag == "h1"
            and not self.hidden
            and (self.h1 is None or (self.in_main and not self.h1_main))
        ):
            # the first <h1>, or a later one inside <main>/<article>: the page's own heading
            self.h1, self.h1_done, self.h1_main = [], False, bool(self.in_main)
        elif tag == "body" and self.hidden and self.hidden[-1] == "head":
            self.hidden.pop()  # a page that never closed its head
        if tag in _VOID:
            if tag in ("br", "hr") and not self.hidden:
                self.out.append("\n")
            elif tag == "img" and not self.hidden and values.get("alt"):
                self.out.append(f" {values['alt']} ")
            return
        if tag in _INVISIBLE or "hidden" in values:
            self.hidden.append(tag)
            return
        if self.hidden:
            return
        if tag == "pre":
            self.pre += 1
        if tag in _BLOCKS:
            self.out.append("\n")
        elif tag in _CELLS:
            self.out.append("\t")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and (tag in _INVISIBLE or any(k == "hidden" for k, _ in attrs)):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title is not None and not self.title_done:
            self.title_done = True
            return
        if tag == "h1" and self.h1 is not None:
            self.h1_done = True
        if tag in ("main", "article") and self.in_main:
            self.in_main -= 1
        if self.hidden:
            if tag in self.hidden:  # close up to the matching element, as browsers do
                while self.hidden and self.hidden.pop() != tag:
                    pass
            return
        if tag == "pre" and self.pre:
            self.pre -= 1
        if tag in _BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self.title is not None and not self.title_done:
            self.title.append(data)
        elif not self.hidden:
            self.out.append(data if self.pre else _SPACES.sub(" ", data))
            if self.h1 is not None and not self.h1_done:
                self.h1.append(data)


def read_html(markup: str) -> HtmlDocument:
    """Visible text and metadata of an HTML or XHTML document."""
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    text = "".join(reader.out)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text).strip()
    title = metadata.clean_text_line("".join(reader.title or ())) or None
    heading = metadata.clean_text_line("".join(reader.h1 or ())) or None
    return HtmlDocument(
        text=text,
        title=title,
        heading=heading,
        main_heading=reader.h1_main,
        language=reader.language,
        meta=reader.meta,
    )


def _words_of(text: str) -> set[str]:
    return {w for w in metadata.clean_text_line(text).casefold().split() if len(w) > 3}


def page_title(page: HtmlDocument, site: str | None) -> str | None:
    """The page's own title: '<title>' without the site's name ('Article | Site'), or the
    article's <h1> when the <title> only names the site."""
    title, heading = page.title, page.heading
    if not title:
        return heading
    if heading and len(heading) >= 8 and heading in title:
        return heading  # '<title>Article | Site</title>' with '<h1>Article</h1>'
    if heading and page.main_heading and not _words_of(heading) & _words_of(title):
        return heading  # '<title>Site</title>' on every page, '<main><h1>Article</h1>'
    for separator in (" | ", " – ", " — ", " - ", " :: ", " · "):
        if separator in title:
            head, tail = title.rsplit(separator, 1)
            if (site and metadata.clean_text_line(site) in tail) or separator == " | ":
                return head.strip() or title
    return title


def html_to_text(markup: str) -> str:
    """Only the visible text of an HTML or XHTML document."""
    return read_html(markup).text


class HtmlExtractor:
    name: ClassVar[str] = "html"
    media_type: ClassVar[str] = "text/html"
    suffixes: ClassVar[tuple[str, ...]] = HTML_SUFFIXES

    def sniff(self, head: bytes, path: Path) -> bool:
        encoding = text_encoding(head)
        if encoding is None:
            return False
        if encoding.startswith("utf-16"):
            sample = head.decode(encoding, errors="ignore").lower().encode("ascii", "ignore")
        else:
            sample = head.lower()
        sample = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
        if sample.startswith(b"<?xml"):
            return b"<html" in sample[:2048]
        if any(marker in sample[:1024] for marker in _STRONG_MARKERS):
            return True
        # Tags without <html>: a fragment saved as .html is HTML, a .txt quoting tags is text.
        return path.suffix.lower() in HTML_SUFFIXES and bool(_TAG.search(sample))

    def extract(self, path: Path, limits: ExtractionLimits) -> Extraction:
        raw, cut = read_bytes(path, text_bytes_limit(limits))
        return guarded(path, MALFORMED_HTML, lambda: self._extract(path, raw, cut, limits))

    def _extract(self, path: Path, raw: bytes, cut: bool, limits: ExtractionLimits) -> Extraction:
        page = read_html(decode_html(raw))
        meta = page.meta
        fields = FileMetadata(
            title=_first(meta, "dc.title", "dcterms.title", "og:title", "citation_title")
            or page_title(page, _first(meta, "og:site_name")),
            authors=metadata.split_authors(
                _first(meta, "dc.creator", "dcterms.creator", "author", "citation_author")
            ),
            date=metadata.parse_date(
                _first(
                    meta,
                    "dc.date",
                    "dcterms.date",
                    "dcterms.issued",
                    "citation_date",
                    "article:published_time",
                    "date",
                )
            ),
            language=page.language or _first(meta, "dc.language", "content-language"),
            keywords=metadata.split_keywords(
                _first(meta, "keywords", "dc.subject", "news_keywords")
            ),
            abstract=_first(
                meta, "description", "dc.description", "dcterms.abstract", "og:description"
            ),
            publisher=_first(meta, "dc.publisher", "dcterms.publisher", "og:site_name"),
        )
        text, issues = bounded(page.text, limits)
        if cut:
            issues = (*issues, CUT_FILE)
        return finish(path, self.media_type, text, fields, issues=issues, title_hint=page.heading)


def _first(meta: dict[str, str], *keys: str) -> str | None:
    for key in keys:
        if value := (meta.get(key) or "").strip():
            return value
    return None
