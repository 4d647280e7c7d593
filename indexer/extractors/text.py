"""Plain text and Markdown: encoding guessed the way French office files need, binary refused."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import ClassVar

from indexer.extractors.base import Extraction, ExtractionLimits, UnsupportedFormat
from indexer.extractors.common import (
    CUT_FILE,
    FileMetadata,
    bounded,
    finish,
    guarded,
    read_bytes,
    text_bytes_limit,
)
from indexer.reasons import Reason, ReasonCode, UnsupportedKind

MALFORMED_TEXT = Reason.of(ReasonCode.MALFORMED, format="text")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")
_BINARY_SIGNATURES = (b"%PDF-", b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0", b"{\\rtf")
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\f\x1a")  # \x1a: DOS end-of-file marker
_MAX_CONTROL_SHARE = 0.02
_MAX_HIGH_SHARE = 0.3


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """For the five bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D): Latin-1."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("fonds-latin1", _latin1_fallback)


def decode_cp1252(raw: bytes) -> str:
    """Windows-1252 (what French Windows software writes), Latin-1 for its undefined bytes."""
    return raw.decode("cp1252", errors="fonds-latin1")


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte is NUL, as in BOM-less UTF-16 text."""
    sample = head[:2048]
    if len(sample) < 16:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def text_encoding(head: bytes) -> str | None:
    """The encoding to decode a text file with, from its first bytes; None when it is binary."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(_BINARY_SIGNATURES):
        return None
    if b"\x00" in head:
        return _utf16_without_bom(head)
    controls = sum(1 for b in head if b < 32 and b not in _ALLOWED_CONTROLS) + head.count(b"\x7f")
    if controls > max(len(head) * _MAX_CONTROL_SHARE, 2):
        return None
    if not _is_utf8(head) and sum(1 for b in head if b >= 0x80) > len(head) * _MAX_HIGH_SHARE:
        return None  # single-byte text in a Latin script is mostly ASCII
    return "auto"


def _is_utf8(head: bytes) -> bool:
    """Valid UTF-8, allowing a character cut at the end of the sample."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3 and error.reason == "unexpected end of data"
    return True


def decode_text(raw: bytes, encoding: str = "auto") -> str:
    """Bytes as text: the given encoding, or UTF-8 when valid, else Windows-1252."""
    if encoding != "auto":
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            if encoding.startswith("utf-16"):  # a cut-off last code unit: keep the rest
                return raw.decode(encoding, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode_cp1252(raw)


_MD_HEADING = re.compile(r"^[ \t]{0,3}#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|`)(?=\S)(.{1,300}?)(?<=\S)\1")  # bounded: linear
_MD_LINE_MARKS = re.compile(
    r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)", re.MULTILINE
)
# Line patterns use [ \t], never \s: \s would run across blank lines and make them quadratic.
_MD_FENCE = re.compile(r"^[ \t]*(?:```|~~~).*$\n?", re.MULTILINE)
_MD_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.MULTILINE)
_MD_TRAILING_HASHES = re.compile(r"(?<![ \t])[ \t]+#+[ \t]*$", re.MULTILINE)
_MD_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def strip_markdown(text: str) -> str:
    """Markdown to readable text: marks removed, words kept (links keep their label)."""
    text = _MD_FRONT_MATTER.sub("", text)
    text = _MD_FENCE.sub("", text)
    text = _MD_RULE.sub("", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_LINE_MARKS.sub("", text)
    text = _MD_TRAILING_HASHES.sub("", text)
    return _MD_EMPHASIS.sub(r"\2", text)


class TextExtractor:
    name: ClassVar[str] = "text"
    media_type: ClassVar[str] = "text/plain"
    suffixes: ClassVar[tuple[str, ...]] = (".txt", ".text", ".csv", ".log", *MARKDOWN_SUFFIXES)

    def sniff(self, head: bytes, path: Path) -> bool:
        # Anything that reads as text is text: the suffix does not decide, it only tells
        # Markdown from plain text (HTML is claimed first by its own extractor).
        return bool(head) and text_encoding(head) is not None

    def extract(self, path: Path, limits: ExtractionLimits) -> Extraction:
        raw, cut = read_bytes(path, text_bytes_limit(limits))
        return guarded(path, MALFORMED_TEXT, lambda: self._extract(path, raw, cut, limits))

    def _extract(self, path: Path, raw: bytes, cut: bool, limits: ExtractionLimits) -> Extraction:
        encoding = text_encoding(raw[:8192])
        if encoding is None:
            raise UnsupportedFormat(
                path, Reason.of(ReasonCode.UNSUPPORTED, format=UnsupportedKind.BINARY_NOT_TEXT)
            )
        if cut and not encoding.startswith("utf-16"):  # end on a line, not inside a character
            raw = raw[: raw.rfind(b"\n") + 1] or raw
        text = decode_text(raw, encoding)
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x1a", "")
        meta = FileMetadata()
        media_type = self.media_type
        if path.suffix.lower() in MARKDOWN_SUFFIXES:
            media_type = "text/markdown"
            if heading := _MD_HEADING.search(text[:20_000]):
                meta.title = strip_markdown(heading[1])
            text = strip_markdown(text)
        text, issues = bounded(text, limits)
        return finish(path, media_type, text, meta, issues=[*issues, *([CUT_FILE] if cut else [])])
