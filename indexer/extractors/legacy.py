"""Formats we recognise but do not read: say what the file looks like and what to do with it."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.extractors.common import zip_names

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_SCAN_BYTES = 4 * 1024 * 1024  # stream names sit in the directory, near the start in practice

WORD_97 = "Word 97-2003 (.doc) non pris en charge : enregistrez-le en DOCX ou PDF"

# (signature at offset 0, what it is) — checked in order.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "exécutable Windows"),
    (b"\x7fELF", "exécutable Linux"),
    (b"\xcf\xfa\xed\xfe", "exécutable macOS"),
    (b"\xca\xfe\xba\xbe", "exécutable macOS ou classe Java"),
    (b"\x89PNG\r\n\x1a\n", "image PNG"),
    (b"\xff\xd8\xff", "image JPEG"),
    (b"GIF87a", "image GIF"),
    (b"GIF89a", "image GIF"),
    (b"II*\x00", "image TIFF"),
    (b"MM\x00*", "image TIFF"),
    (b"8BPS", "image Photoshop"),
    (b"%!PS", "fichier PostScript : convertissez-le en PDF"),
    (b"\x1f\x8b", "archive compressée gzip"),
    (b"BZh", "archive compressée bzip2"),
    (b"\xfd7zXZ\x00", "archive compressée xz"),
    (b"7z\xbc\xaf\x27\x1c", "archive 7-Zip"),
    (b"Rar!\x1a\x07", "archive RAR"),
    (b"ID3", "fichier audio MP3"),
    (b"OggS", "fichier audio ou vidéo Ogg"),
    (b"fLaC", "fichier audio FLAC"),
    (b"SQLite format 3\x00", "base de données SQLite"),
    (b"\x00\x00\x01\x00", "icône Windows"),
)


# The root element of an SVG image, after the prolog (declaration, comments, DOCTYPE, spaces).
_SVG_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*"
    rb"<(?:[A-Za-z_][\w.-]*:)?svg[\s>/]",
    re.DOTALL | re.IGNORECASE,
)
SVG = (
    "image SVG non acceptée (elle peut contenir des scripts) : "
    "déposez plutôt le document qui la contient, en PDF"
)


def is_svg(head: bytes) -> bool:
    """An SVG image (text a browser runs scripts in), whatever its name says."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return _SVG_ROOT.match(head) is not None


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _describe_ole2(path: Path) -> str:
    """OLE2 files hold Word, Excel, PowerPoint, Outlook… tell them apart by their stream names."""
    try:
        with path.open("rb") as handle:
            data = handle.read(OLE2_SCAN_BYTES)
    except OSError:
        data = b""
    if _utf16("EncryptedPackage") in data:
        return "document Office protégé par un mot de passe : enregistrez-le sans mot de passe"
    if _utf16("WordDocument") in data:
        return WORD_97
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return "classeur Excel 97-2003 (.xls) non pris en charge"
    if _utf16("PowerPoint Document") in data:
        return "présentation PowerPoint 97-2003 (.ppt) non prise en charge : enregistrez-la en PDF"
    if _utf16("__substg1.0_") in data:
        return "message Outlook (.msg) non pris en charge"
    return "format non pris en charge (ancien format Microsoft Office, OLE2)"


def _describe_zip(path: Path) -> str:
    names = zip_names(path)
    if names is None:
        return "archive ZIP tronquée ou corrompue (format non reconnu)"
    if any(n.startswith("xl/") for n in names):
        return "classeur Excel (.xlsx) non pris en charge"
    if any(n.startswith("ppt/") for n in names):
        return "présentation PowerPoint (.pptx) non prise en charge : enregistrez-la en PDF"
    if "mimetype" in names:
        return "document OpenDocument autre qu'un texte (tableur, présentation…) non pris en charge"
    return "format non pris en charge (archive ZIP) : décompressez-la et indexez son contenu"


def describe_unsupported(head: bytes, path: Path) -> str:
    """One French line naming what a file no extractor claims looks like."""
    if head.startswith(OLE2_MAGIC):
        return _describe_ole2(path)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _describe_zip(path)
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return f"format non pris en charge ({what})"
    if head[4:8] in (b"ftyp", b"moov"):
        return "format non pris en charge (fichier vidéo ou audio)"
    if head.startswith(b"RIFF"):
        return "format non pris en charge (fichier audio, vidéo ou image RIFF)"
    return "format non pris en charge (contenu binaire non reconnu)"
