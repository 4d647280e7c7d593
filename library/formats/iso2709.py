"""ISO 2709 exchange records: leader, directory, fields; lengths counted in UTF-8 bytes.

Written by hand (pymarc only reads our output back in the tests). The reader is strict about
structure and says where a file goes wrong: record number and byte offset.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Decoded:
    number: int  # 1-based position of the record in the file
    offset: int  # byte offset where it starts
    record: MarcRecord | None
    error: str = ""


def decode_all(data: bytes) -> Iterator[Decoded]:
    """Every record of a file, or where and why one is broken; a broken one ends the file
    when its length cannot be trusted."""
    offset, number = 0, 0
    while offset < len(data):
        if data[offset:].strip(b"\r\n\x1a \x00") == b"":
            return  # trailing line breaks or padding
        number += 1
        head = data[offset : offset + 5]
        if len(data) - offset < 24 or not head.isdigit():
            yield Decoded(number, offset, None, "début de notice illisible (longueur absente)")
            return
        length = int(head)
        chunk = data[offset : offset + length]
        if len(chunk) < length or length < 26:
            yield Decoded(
                number,
                offset,
                None,
                f"notice tronquée : {len(chunk)} octets sur les {length} annoncés",
            )
            return
        try:
            yield Decoded(number, offset, decode(chunk))
        except ValueError as exc:
            yield Decoded(number, offset, None, str(exc))
            if not chunk.endswith(RECORD_END):
                return
        offset += length
        while offset < len(data) and data[offset : offset + 1] in (b"\r", b"\n"):
            offset += 1


def decode(chunk: bytes) -> MarcRecord:
    """One record from its bytes (raises ValueError with a French reason)."""
    if not chunk.endswith(RECORD_END):
        raise ValueError("fin de notice absente (caractère 0x1D attendu)")
    try:
        leader = chunk[:24].decode("ascii")
    except UnicodeDecodeError:
        raise ValueError("en-tête (label) illisible") from None
    if not leader[12:17].isdigit():
        raise ValueError("adresse de base des données illisible dans le label")
    base = int(leader[12:17])
    end_of_directory = chunk.find(FIELD_END, 24)
    if end_of_directory < 0 or end_of_directory + 1 != base:
        raise ValueError("répertoire incohérent avec l'adresse de base")
    directory = chunk[24:end_of_directory]
    if len(directory) % 12:
        raise ValueError("répertoire de longueur invalide")
    record = MarcRecord(leader=leader)
    for i in range(0, len(directory), 12):
        entry = directory[i : i + 12].decode("ascii", errors="replace")
        tag, size, start = entry[:3], entry[3:7], entry[7:12]
        if not (size.isdigit() and start.isdigit()):
            raise ValueError(f"entrée de répertoire illisible pour la zone {tag}")
        body = chunk[base + int(start) : base + int(start) + int(size)]
        if len(body) != int(size) or not body.endswith(FIELD_END):
            raise ValueError(f"zone {tag} hors des limites de la notice")
        body = body[:-1]
        text = body.decode("utf-8", errors="replace")
        if tag < "010" and tag.isdigit():
            record.control.append((tag, text))
            continue
        indicators, *parts = body.split(SUBFIELD)
        ind = indicators.decode("ascii", errors="replace").ljust(2)
        subfields = []
        for part in parts:
            if part:
                subfields.append(
                    (
                        part[:1].decode("ascii", errors="replace"),
                        part[1:].decode("utf-8", errors="replace"),
                    )
                )
        record.fields.append(DataField(tag, ind[0], ind[1], subfields))
    return record
