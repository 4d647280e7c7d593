"""Readers of the import formats, by the names `fonds import --format` takes.

Each reader is `read(data: bytes, *, source: str) -> ParsedFile`: records with the position
where each starts (line of a text file, record number of a MARC or XML file), and the errors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from ..models import Record
from . import bibtex, csl, dublin_core, iso2709, marc21, records_json, ris, unimarc
from .holdings_csv import ParsedFile, RowError, RowRefused, read_holdings
from .iso2709 import flavour_of
from .marc import MarcRecord, MarcXmlError, parse_xml, read_marcxml

log = logging.getLogger(__name__)

Reader = Callable[..., ParsedFile]


def _convert(flavour: str | None):
    """The converter of a MARC record: the one `flavour` names, else by the record's content
    (MARC 21 and UNIMARC share ISO 2709 and MARCXML, and partners' files do not say which)."""

    def convert(marc: MarcRecord, source: str) -> Record:
        kind = flavour or marc.flavour or flavour_of({f.tag for f in marc.fields}, marc.leader)
        return (marc21 if kind == "marc21" else unimarc).from_marc(marc, source)

    return convert


def _from_marc(
    records: list[tuple[int, MarcRecord]],
    convert,
    source: str,
    parsed: ParsedFile,
    offsets: dict[int, int] | None = None,
) -> ParsedFile:
    barcodes: dict[str, int] = {}  # a barcode is one copy: the first record that gives it
    for number, marc in records:
        where = f" (octet {offsets[number]})" if offsets else ""
        at = {"offset": offsets[number]} if offsets else {}
        if not marc.bibliographic:
            parsed.warnings.append(RowError.note(number, "not-bibliographic", **at))
            continue
        try:
            record = convert(marc, source)
        except RowRefused as exc:
            parsed.errors.append(RowError(number, code=exc.code, params={**exc.params, **at}))
            continue
        except ValueError as exc:
            parsed.errors.append(RowError(number, f"{exc}{where}"))
            continue
        kept = []
        for copy in record.copies:
            if copy.barcode in barcodes:
                parsed.warnings.append(
                    RowError.note(
                        number,
                        "barcode-given",
                        barcode=copy.barcode,
                        record=barcodes[copy.barcode],
                        **at,
                    )
                )
            else:
                barcodes[copy.barcode] = number
                kept.append(copy)
        if len(kept) < len(record.copies):
            record = replace(record, copies=tuple(kept))
        parsed.rows.append((number, record))
    return parsed


def _iso2709(flavour: str | None):
    def read(data: bytes, *, source: str = "") -> ParsedFile:
        parsed = ParsedFile(encoding="utf-8", delimiter="", unit="notice")
        good: list[tuple[int, MarcRecord]] = []
        offsets: dict[int, int] = {}
        for decoded in iso2709.decode_all(data):
            offsets[decoded.number] = decoded.offset
            at = {"offset": decoded.offset}
            if decoded.record is None and decoded.error.startswith("iso-"):
                parsed.errors.append(
                    RowError(decoded.number, code=decoded.error, params={**decoded.params, **at})
                )
            elif decoded.record is None:
                parsed.errors.append(
                    RowError(decoded.number, f"{decoded.error} (octet {decoded.offset})")
                )
            else:
                good.append((decoded.number, decoded.record))
                parsed.warnings.extend(
                    RowError(decoded.number, code=code, params={**params, **at})
                    for code, params in decoded.warnings
                )
        if not good and not parsed.errors:
            parsed.errors.append(RowError.note(1, "no-iso2709-record"))
        return _from_marc(good, _convert(flavour), source, parsed, offsets)

    return read


def read_marcxml_file(data: bytes, *, source: str = "") -> ParsedFile:
    """MARCXML (MARC21/slim) or MarcXchange, in UNIMARC or MARC 21: each record by its
    `format` attribute when it has one, else by its content."""
    parsed = ParsedFile(encoding="utf-8", delimiter="", unit="notice")
    try:
        root = parse_xml(data)
    except MarcXmlError as exc:
        parsed.unit = "ligne"
        parsed.errors.append(exc.row_error())
        return parsed
    good = list(enumerate(read_marcxml(root), start=1))
    if not good:
        parsed.errors.append(RowError.note(1, "no-marcxml-record"))
    return _from_marc(good, _convert(None), source, parsed)


READERS: dict[str, Reader] = {
    "csv": read_holdings,
    "ris": ris.read,
    "bibtex": bibtex.read,
    "marcxml": read_marcxml_file,
    "iso2709": _iso2709(None),
    "marc21": _iso2709("marc21"),
    "oai_dc": dublin_core.read,
    "json": records_json.read,
    "csl-json": csl.read,
}


def read_file(name: str, data: bytes, *, source: str = "") -> ParsedFile:
    """The file read by its format's reader. Readers turn every fault of a file into a
    positioned error; should one still raise, the file gets one error (code
    'unreadable-as'), not a traceback."""
    try:
        return READERS[name](data, source=source)
    except (RecursionError, MemoryError, ValueError, LookupError, TypeError) as exc:
        log.debug("reader %s failed on %s", name, source, exc_info=True)
        parsed = ParsedFile(unit="ligne")
        parsed.errors.append(
            RowError.note(1, "unreadable-as", format=name, error=type(exc).__name__)
        )
        return parsed


# File name suffixes, when --format is not given.
SUFFIXES = {
    "csv": "csv",
    "ris": "ris",
    "bib": "bibtex",
    "bibtex": "bibtex",
    "mrc": "iso2709",
    "iso": "iso2709",
    "iso2709": "iso2709",
    "marc": "iso2709",
    "json": "json",
    "marcxml": "marcxml",
}


def sniff(head: bytes, suffix: str) -> str | None:
    """The format of a file from its first bytes (then its suffix); None when unsure."""
    text = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if text[:5].isdigit() and len(text) >= 24 and text[20:22] == b"45":
        return "iso2709"
    if text.startswith(b"TY  -"):
        return "ris"
    if text.startswith((b"@", b"%")) and b"@" in text:
        return "bibtex"
    if text.startswith(b"{"):
        return "json"  # our own export: one document with its records
    if text.startswith(b"["):
        return "csl-json"  # a bare list of items
    if text.startswith(b"<"):
        if (
            b"MARC21/slim" in head
            or b"marcxchange" in head
            or b"<record" in head
            and b"datafield" in head
        ):
            return "marcxml"
        if b"oai_dc" in head:
            return "oai_dc"
    return SUFFIXES.get(suffix.lower().lstrip("."))
