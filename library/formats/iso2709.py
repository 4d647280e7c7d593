"""ISO 2709 exchange records: leader, directory, fields; lengths counted in UTF-8 bytes.

Written by hand, and read by hand too: the reader is strict about structure and says where a
file goes wrong (record number and byte offset), which pymarc's reader does not. Text is
decoded per record by its character set: UTF-8, or MARC-8 through pymarc's converter.
"""

from __future__ import annotations

import contextlib
import io
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .marc import DataField, MarcRecord

RECORD_END = b"\x1d"
FIELD_END = b"\x1e"
SUBFIELD = b"\x1f"
MAX_FIELD = 9999  # four digits of field length in the directory
MAX_RECORD = 99999  # five digits of record length in the leader


def encode(record: MarcRecord) -> bytes:
    """One record; the leader's lengths and base address are computed here, the rest (status,
    type, coding, entry map) comes from the flavour that built the record."""
    bodies: list[tuple[str, bytes]] = []
    for tag, value in record.control:
        bodies.append((tag, _cut(value.encode("utf-8"), MAX_FIELD - 1) + FIELD_END))
    for f in record.fields:
        data = (f.ind1 + f.ind2).encode("ascii")
        for code, value in f.subfields:
            data += SUBFIELD + code.encode("ascii") + value.encode("utf-8")
        bodies.append((f.tag, _cut_field(data) + FIELD_END))
    directory = b""
    position = 0
    for tag, body in bodies:
        directory += f"{tag}{len(body):04d}{position:05d}".encode("ascii")
        position += len(body)
    directory += FIELD_END
    base = 24 + len(directory)
    length = base + position + 1
    if length > MAX_RECORD:
        raise ValueError(f"record too long for ISO 2709 ({length} bytes)")
    leader = record.leader.ljust(24)[:24]
    leader = f"{length:05d}{leader[5:10]}22{base:05d}{leader[17:24]}"
    return leader.encode("ascii") + directory + b"".join(b for _, b in bodies) + RECORD_END


def encode_all(records: Iterable[MarcRecord]) -> bytes:
    return b"".join(encode(r) for r in records)


def _cut(data: bytes, limit: int) -> bytes:
    """At most `limit` bytes, cut at a UTF-8 character boundary."""
    if len(data) <= limit:
        return data
    data = data[:limit]
    while data and (data[-1] & 0xC0) == 0x80:
        data = data[:-1]
    return data[:-1] if data and data[-1] >= 0xC0 else data


def _cut_field(data: bytes) -> bytes:
    # A field over 9,999 bytes (a very long abstract) is shortened with an ellipsis.
    if len(data) + 1 <= MAX_FIELD:
        return data
    return _cut(data, MAX_FIELD - 4) + "…".encode()


class Broken(ValueError):
    """A record whose structure cannot be read: a code and its facts (worded at the edge,
    webapp.messages.row_message)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Decoded:
    number: int  # 1-based position of the record in the file
    offset: int  # byte offset where it starts
    record: MarcRecord | None
    error: str = ""  # why the record is unreadable: a code (iso-…), else a message
    params: Mapping[str, Any] = field(default_factory=dict)  # the code's facts
    warnings: tuple[tuple[str, Mapping[str, Any]], ...] = ()  # codes and facts


def decode_all(data: bytes) -> Iterator[Decoded]:
    """Every record of a file, or where and why one is broken; a broken one ends the file
    when its length cannot be trusted."""
    offset, number = 0, 0
    while offset < len(data):
        if data[offset:].strip(b"\r\n\x1a \x00") == b"":
            return  # trailing line breaks or padding
        if data[offset : offset + 1] == RECORD_END:
            offset += 1  # a stray record terminator before a record (some exports start so)
            continue
        number += 1
        head = data[offset : offset + 5]
        if len(data) - offset < 24 or not head.isdigit():
            yield Decoded(number, offset, None, "iso-no-length")
            return
        length = int(head)
        chunk = data[offset : offset + length]
        if len(chunk) < length or length < 26:
            yield Decoded(
                number, offset, None, "iso-truncated", {"got": len(chunk), "length": length}
            )
            return
        try:
            record, warnings = decode_checked(chunk)
            yield Decoded(number, offset, record, warnings=tuple(warnings))
        except Broken as exc:
            yield Decoded(number, offset, None, exc.code, exc.params)
            if not chunk.endswith(RECORD_END):
                return
        except ValueError as exc:
            yield Decoded(number, offset, None, str(exc))
            if not chunk.endswith(RECORD_END):
                return
        offset += length
        while offset < len(data) and data[offset : offset + 1] in (b"\r", b"\n"):
            offset += 1


def decode(chunk: bytes) -> MarcRecord:
    """One record from its bytes (raises Broken, a ValueError, with a code)."""
    return decode_checked(chunk)[0]


_Raw = tuple[str, bytes, list[tuple[bytes, bytes]] | None]  # tag, indicators or data, subfields


def decode_checked(
    chunk: bytes,
) -> tuple[MarcRecord, list[tuple[str, Mapping[str, Any]]]]:
    """One record and what could not be decoded in it (the bytes a character set could not
    read), as warnings (codes and facts); Broken when its structure is broken."""
    if not chunk.endswith(RECORD_END):
        raise Broken("iso-no-end")
    try:
        leader = chunk[:24].decode("ascii")
    except UnicodeDecodeError:
        raise Broken("iso-bad-leader") from None
    if not leader[12:17].isdigit():
        raise Broken("iso-bad-base")
    base = int(leader[12:17])
    end_of_directory = chunk.find(FIELD_END, 24)
    if end_of_directory < 0 or end_of_directory + 1 != base:
        raise Broken("iso-directory-base")
    directory = chunk[24:end_of_directory]
    if len(directory) % 12:
        raise Broken("iso-directory-length")
    raw: list[_Raw] = []
    for i in range(0, len(directory), 12):
        entry = directory[i : i + 12].decode("ascii", errors="replace")
        tag, size, start = entry[:3], entry[3:7], entry[7:12]
        if not (size.isdigit() and start.isdigit()):
            raise Broken("iso-bad-entry", tag=tag)
        body = chunk[base + int(start) : base + int(start) + int(size)]
        if len(body) != int(size) or not body.endswith(FIELD_END):
            raise Broken("iso-field-outside", tag=tag)
        body = body[:-1]
        if tag < "010" and tag.isdigit():
            raw.append((tag, body, None))
            continue
        indicators, *parts = body.split(SUBFIELD)
        raw.append((tag, indicators, [(p[:1], p[1:]) for p in parts if p]))
    charset = charset_of(leader, raw)
    fallback = _fallback_encoding(raw)
    record = MarcRecord(leader=leader)
    problems: list[str] = []

    def text(value: bytes, tag: str) -> str:
        try:
            return charset.decode(value)
        except UnicodeDecodeError:
            problems.append(tag)
            return value.decode(fallback, errors="replace").replace("\ufffd", "?")

    for tag, head, subfields in raw:
        if subfields is None:
            record.control.append((tag, text(head, tag)))
            continue
        ind = head.decode("ascii", errors="replace").ljust(2)
        record.fields.append(
            DataField(
                tag,
                ind[0],
                ind[1],
                [(c.decode("ascii", errors="replace"), text(v, tag)) for c, v in subfields],
            )
        )
    warnings: list[tuple[str, Mapping[str, Any]]] = []
    if problems:
        zones = ", ".join(dict.fromkeys(problems))
        warnings.append(
            ("iso-undecodable", {"charset": charset.name, "zones": zones, "encoding": fallback})
        )
    return record, warnings


@dataclass(frozen=True, slots=True)
class Charset:
    """How the bytes of one record are text: UTF-8, or MARC-8 (MARC 21 with leader/09 blank)."""

    name: str

    def decode(self, value: bytes) -> str:
        if self.name == "MARC-8":
            if value.isascii() and b"\x1b" not in value:
                return value.decode("ascii")
            return _marc8(value)
        if self.name == "ISO 5426":
            return _iso5426(value)
        return unicodedata.normalize("NFC", value.decode("utf-8"))


# Languages written in Cyrillic (008/35-37, 101 $a): their records, when not in the character
# set they declare, are in Windows-1251 far more often than in Windows-1252.
_CYRILLIC = frozenset({"rus", "ukr", "bel", "bul", "srp", "mac", "kaz", "kir", "tat"})


def _fallback_encoding(raw: list[_Raw]) -> str:
    for tag, head, subfields in raw:
        if (
            tag == "008"
            and subfields is None
            and head[35:38].decode("ascii", "replace") in _CYRILLIC
        ):
            return "cp1251"
        if (
            tag == "101"
            and subfields
            and any(
                v[:3].decode("ascii", "replace") in _CYRILLIC for c, v in subfields if c == b"a"
            )
        ):
            return "cp1251"
    return "cp1252"


def _marc8(value: bytes) -> str:
    # pymarc's converter is the maintained MARC-8 table (escape sequences, combining marks
    # written before their letter, East Asian sets); it returns NFC text.
    from pymarc.marc8 import MARC8ToUnicode

    try:
        with contextlib.redirect_stderr(io.StringIO()):  # it reports bad bytes on stderr
            text = MARC8ToUnicode(quiet=True).translate(value)
    except (KeyError, IndexError, ValueError) as exc:
        raise UnicodeDecodeError("marc-8", value, 0, len(value), str(exc)) from None
    if "\ufffd" in text:
        raise UnicodeDecodeError("marc-8", value, 0, len(value), "unknown MARC-8 byte")
    text = unicodedata.normalize("NFC", text)
    # Bytes of another 8-bit set (Windows-1251...) read as MARC-8 come out as a run of
    # combining marks over nothing: MARC-8 text has a letter under each mark.
    marks = sum(1 for c in text if unicodedata.combining(c))
    if marks > 2 and marks * 3 > sum(1 for c in text if c.isalpha()):
        raise UnicodeDecodeError("marc-8", value, 0, len(value), "not MARC-8")
    return text


# ISO 5426, the extended Latin set of older UNIMARC files (BnF, Sudoc, PMB before UTF-8;
# 100 $a/26-27 = '03'): combining marks written before their letter, as in MARC-8, but at
# other code points, and a few letters of their own. No maintained Python codec has it.
_ISO5426_MARKS = dict(
    zip(
        range(0xC0, 0xDC),
        "\u0309\u0300\u0301\u0302\u0303\u0304\u0306\u0307\u0308\u0308\u030a\u0315\u0312"
        "\u030b\u031b\u030c\u0327\u031c\u0326\u0328\u0325\u032e\u0323\u0324\u0332\u0333"
        "\u0329\u032d",
        strict=True,
    )
)
_ISO5426_LETTERS = {
    0x88: "\x88",  # non-sorting markers, taken out later with the UTF-8 ones
    0x89: "\x89",
    0xA1: "¡",
    0xA2: "„",
    0xA3: "£",
    0xA4: "$",
    0xA5: "¥",
    0xA6: "†",
    0xA7: "§",
    0xA8: "′",
    0xA9: "‘",
    0xAA: "“",
    0xAB: "«",
    0xAC: "♭",
    0xAD: "©",
    0xAE: "℗",
    0xAF: "®",
    0xB0: "ʻ",
    0xB1: "ʼ",
    0xB2: "‚",
    0xB7: "·",
    0xB8: "″",
    0xB9: "’",
    0xBA: "”",
    0xBB: "»",
    0xBC: "♯",
    0xBD: "ʹ",
    0xBE: "ʺ",
    0xBF: "¿",
    0xE1: "Æ",
    0xE2: "Đ",
    0xE6: "Ĳ",
    0xE8: "Ł",
    0xE9: "Ø",
    0xEA: "Œ",
    0xEC: "Þ",
    0xF1: "æ",
    0xF2: "đ",
    0xF3: "ð",
    0xF5: "ı",
    0xF6: "ĳ",
    0xF8: "ł",
    0xF9: "ø",
    0xFA: "œ",
    0xFB: "ß",
    0xFC: "þ",
}


def _iso5426(value: bytes) -> str:
    out: list[str] = []
    marks: list[str] = []
    for i, byte in enumerate(value):
        if byte in _ISO5426_MARKS:
            marks.append(_ISO5426_MARKS[byte])  # applies to the next letter
            continue
        if byte < 0x80:
            char = chr(byte)
        elif byte in _ISO5426_LETTERS:
            char = _ISO5426_LETTERS[byte]
        else:
            raise UnicodeDecodeError("iso5426", value, i, i + 1, "not in ISO 5426")
        out.append(char + "".join(marks))
        marks = []
    if marks:
        raise UnicodeDecodeError("iso5426", value, len(value) - 1, len(value), "mark at the end")
    return unicodedata.normalize("NFC", "".join(out))


UTF8 = Charset("UTF-8")
MARC8 = Charset("MARC-8")
ISO5426 = Charset("ISO 5426")


def charset_of(leader: str, raw: list[_Raw]) -> Charset:
    """MARC 21 says its character set in leader/09 ('a' = UCS, blank = MARC-8); UNIMARC leaves
    leader/09 blank and says it in 100 $a/26-29 ('50' = UTF-8, '03' = ISO 5426): a blank
    leader/09 means MARC-8 only in a MARC 21 record."""
    tags = {tag for tag, _, _ in raw}
    flavour = flavour_of(tags, leader)
    if flavour == "marc21" and leader[9:10] == " ":
        return MARC8
    if flavour == "unimarc":
        coded = next(
            (v for t, _, subs in raw if t == "100" and subs for c, v in subs if c == b"a"), b""
        )
        if coded[26:28] == b"03" and not _is_utf8(raw):
            return ISO5426
    return UTF8


def _is_utf8(raw: list[_Raw]) -> bool:
    """Whether every byte of the record reads as UTF-8 (records that say '03' but were
    converted without updating 100 $a are common)."""
    try:
        for _, head, subfields in raw:
            head.decode("utf-8")
            for _, value in subfields or ():
                value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def flavour_of(tags: set[str], leader: str = "") -> str:
    """'marc21' or 'unimarc', by content: the title is in 245 in MARC 21 and in 200 in
    UNIMARC; without either, MARC 21's leader ends with its entry map '4500' and UNIMARC's
    with '450 '."""
    if "245" in tags and "200" not in tags:
        return "marc21"
    if "200" in tags:
        return "unimarc"
    return "marc21" if leader[20:24] == "4500" or "008" in tags else "unimarc"
