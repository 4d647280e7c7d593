"""Formats we recognise but do not read: say what the file looks like and what to do with it."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.extractors.common import zip_names
from indexer.reasons import Reason, ReasonCode, UnsupportedKind

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_SCAN_BYTES = 4 * 1024 * 1024  # stream names sit in the directory, near the start in practice

F = UnsupportedKind

# (signature at offset 0, what it is) — checked in order.
_SIGNATURES: tuple[tuple[bytes, UnsupportedKind], ...] = (
    (b"MZ", F.WINDOWS_EXECUTABLE),
    (b"\x7fELF", F.LINUX_EXECUTABLE),
    (b"\xcf\xfa\xed\xfe", F.MACOS_EXECUTABLE),
    (b"\xca\xfe\xba\xbe", F.MACOS_OR_JAVA),
    (b"\x89PNG\r\n\x1a\n", F.PNG),
    (b"\xff\xd8\xff", F.JPEG),
    (b"GIF87a", F.GIF),
    (b"GIF89a", F.GIF),
    (b"II*\x00", F.TIFF),
    (b"MM\x00*", F.TIFF),
    (b"8BPS", F.PHOTOSHOP),
    (b"%!PS", F.POSTSCRIPT),
    (b"\x1f\x8b", F.GZIP),
    (b"BZh", F.BZIP2),
    (b"\xfd7zXZ\x00", F.XZ),
    (b"7z\xbc\xaf\x27\x1c", F.SEVEN_ZIP),
    (b"Rar!\x1a\x07", F.RAR),
    (b"ID3", F.MP3),
    (b"OggS", F.OGG),
    (b"fLaC", F.FLAC),
    (b"SQLite format 3\x00", F.SQLITE),
    (b"\x00\x00\x01\x00", F.WINDOWS_ICON),
)


# The root element of an SVG image, after the prolog (declaration, comments, DOCTYPE, spaces).
_SVG_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*"
    rb"<(?:[A-Za-z_][\w.-]*:)?svg[\s>/]",
    re.DOTALL | re.IGNORECASE,
)
SVG = Reason.of(ReasonCode.UNSUPPORTED, format=UnsupportedKind.SVG)


def is_svg(head: bytes) -> bool:
    """An SVG image (text a browser runs scripts in), whatever its name says."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return _SVG_ROOT.match(head) is not None


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _describe_ole2(path: Path) -> UnsupportedKind:
    """OLE2 files hold Word, Excel, PowerPoint, Outlook… tell them apart by their stream names."""
    try:
        with path.open("rb") as handle:
            data = handle.read(OLE2_SCAN_BYTES)
    except OSError:
        data = b""
    if _utf16("EncryptedPackage") in data:
        return F.OFFICE_PASSWORD
    if _utf16("WordDocument") in data:
        return F.WORD_97
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return F.EXCEL_97
    if _utf16("PowerPoint Document") in data:
        return F.POWERPOINT_97
    if _utf16("__substg1.0_") in data:
        return F.OUTLOOK_MSG
    return F.OLE2


def _describe_zip(path: Path) -> UnsupportedKind:
    names = zip_names(path)
    if names is None:
        return F.ZIP_BROKEN
    if any(n.startswith("xl/") for n in names):
        return F.XLSX
    if any(n.startswith("ppt/") for n in names):
        return F.PPTX
    if "mimetype" in names:
        return F.OPENDOCUMENT_OTHER
    return F.ZIP


def _format_of(head: bytes, path: Path) -> UnsupportedKind:
    if head.startswith(OLE2_MAGIC):
        return _describe_ole2(path)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _describe_zip(path)
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return what
    if head[4:8] in (b"ftyp", b"moov"):
        return F.VIDEO
    if head.startswith(b"RIFF"):
        return F.RIFF
    return F.BINARY


def describe_unsupported(head: bytes, path: Path) -> Reason:
    """What a file no extractor claims looks like (worded at the edge)."""
    return Reason.of(ReasonCode.UNSUPPORTED, format=_format_of(head, path))
