"""Rows of the catalogue's tables to values and back: the one place that knows both shapes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from typing import Any

from .errors import InvalidRecord
from .keys import origin_id, title_key
from .models import (
    Author,
    Copy,
    CopyStatus,
    DocType,
    Record,
    Series,
    SourceFile,
    Support,
    TextStatus,
    ThemeAssignment,
    ThemeSource,
)
from .text import XML_FORBIDDEN, xml_safe
from .themes import is_effective

# json.dumps(value, ensure_ascii=False), with one encoder for all (dumps builds one per call
# when given an option: a sixth of the cost of writing a record's JSON columns)
to_json = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True, slots=True)
class ThemeRow:
    """The full state of one thematic on a record, rejected proposals included."""

    slug: str
    auto_score: float | None
    auto_evidence: dict[str, Any] | None
    manual: str | None  # 'add', 'remove' or None
    manual_by: str | None
    manual_at: str | None

    @property
    def effective(self) -> bool:
        return is_effective(self.manual, self.auto_score is not None)


RECORD_COLUMNS = (
    "title",
    "subtitle",
    "publisher",
    "place",
    "date",
    "year",
    "doc_type",
    "support",
    "language",
    "pages",
    "isbn",
    "issn",
    "call_number",
    "abstract",
    "keywords",
    "territories",
    "url",
    "notes",
    "series",
    "edition",
    "physical_description",
    "public_note",
    "acquired_on",
    "source",
    "file_sha256",
    "text_status",
    "work_id",
    "curated",
    "title_key",
    "origin_id",
)


def theme_order(theme: ThemeAssignment) -> tuple[int, float, str]:
    """Manual thematics first, then automatic ones by decreasing score."""
    manual = 0 if theme.source is ThemeSource.MANUAL else 1
    return (manual, -(theme.score or 0.0), theme.slug)


def theme_row(row: sqlite3.Row, *, evidence: bool = True) -> ThemeRow:
    """A thematic row; without the tagger's evidence (None) when `evidence` is False."""
    found = json.loads(row["auto_evidence"]) if evidence and row["auto_evidence"] else None
    return ThemeRow(
        row["slug"], row["auto_score"], found, row["manual"], row["manual_by"], row["manual_at"]
    )


def stored_copy_status(status: CopyStatus) -> str:
    # Being on loan is derived from the loans; a copy on loan is physically 'available'.
    return "available" if status is CopyStatus.ON_LOAN else status.value


def copy_from_row(row: sqlite3.Row) -> Copy:
    due = row["loan_due_date"]
    status = CopyStatus(row["status"])
    return Copy(
        barcode=row["barcode"],
        call_number=row["call_number"],
        location=row["location"],
        status=CopyStatus.ON_LOAN if due is not None else status,
        id=row["id"],
        due_date=due,
        issue_id=row["issue_id"],
    )


def file_from_row(row: sqlite3.Row) -> SourceFile:
    return SourceFile(
        row["sha256"], row["original_name"], row["media_type"], row["size"], row["store_path"]
    )


def validate(record: Record) -> None:
    if not record.title or not record.title.strip():
        raise InvalidRecord("title", "a record needs a title")
    if record.year is not None and not 1000 <= record.year <= 2999:
        raise InvalidRecord("year", f"implausible year {record.year}")
    if record.pages is not None and record.pages < 0:
        raise InvalidRecord("pages", "negative page count")
    DocType(record.doc_type)
    Support(record.support)


_TEXT_FIELDS = tuple(f.name for f in fields(Record) if f.type == "str")


def _texts(record: Record) -> Iterator[str]:
    """Every text `xml_safe_record` cleans."""
    for name in _TEXT_FIELDS:
        yield getattr(record, name)
    yield from record.keywords
    yield from record.territories
    for series in record.series:
        yield series.title
        yield series.number
    for author in record.authors:
        yield author.name
    for copy in record.copies:
        yield copy.barcode
        yield copy.call_number
        yield copy.location


def xml_safe_record(record: Record) -> Record:
    """The record with every text of its description cleaned of the characters XML 1.0
    forbids (library.text.xml_safe): the catalogue stores nothing an export could choke on."""
    if not XML_FORBIDDEN.search("\n".join(_texts(record))):
        return record  # the usual case, in one search (a batch cleans 10,000 records)
    changes: dict[str, Any] = {}
    for field in fields(record):
        value = getattr(record, field.name)
        if isinstance(value, str):
            cleaned: Any = xml_safe(value)
        elif field.name in ("keywords", "territories"):
            cleaned = tuple(xml_safe(v) for v in value)
        elif field.name == "series":
            cleaned = tuple(Series(xml_safe(s.title), xml_safe(s.number)) for s in value)
        elif field.name == "authors":
            cleaned = tuple(replace(a, name=xml_safe(a.name)) for a in value)
        elif field.name == "copies":
            cleaned = tuple(xml_safe_copy(c) for c in value)
        else:
            continue
        if cleaned != value:
            changes[field.name] = cleaned
    return replace(record, **changes) if changes else record


def xml_safe_copy(copy: Copy) -> Copy:
    return replace(
        copy,
        barcode=xml_safe(copy.barcode),
        call_number=xml_safe(copy.call_number),
        location=xml_safe(copy.location),
    )


def series_json(series: tuple[Series, ...]) -> str:
    return to_json([{"title": s.title, "number": s.number} for s in series])


def series_from_json(text: str) -> tuple[Series, ...]:
    return tuple(Series(item["title"], item.get("number", "")) for item in json.loads(text or "[]"))


def record_values(record: Record) -> tuple[object, ...]:
    return (
        record.title.strip(),
        record.subtitle,
        record.publisher,
        record.place,
        record.date,
        record.year,
        DocType(record.doc_type).value,
        Support(record.support).value,
        record.language or "und",
        record.pages,
        record.isbn,
        record.issn,
        record.call_number,
        record.abstract,
        to_json(list(record.keywords)),
        to_json(list(record.territories)),
        record.url,
        record.notes,
        series_json(record.series),
        record.edition,
        record.physical_description,
        record.public_note,
        record.acquired_on,
        record.source,
        record.file.sha256 if record.file else None,
        TextStatus(record.text_status).value,
        record.work_id,
        int(record.curated),
        title_key(record.title),
        origin_id(record.source),
    )


def record_from_row(
    row: sqlite3.Row,
    authors: tuple[Author, ...],
    themes: tuple[ThemeAssignment, ...],
    copies: tuple[Copy, ...],
    file: SourceFile | None,
) -> Record:
    return Record(
        id=row["id"],
        title=row["title"],
        subtitle=row["subtitle"],
        authors=authors,
        publisher=row["publisher"],
        place=row["place"],
        date=row["date"],
        year=row["year"],
        doc_type=DocType(row["doc_type"]),
        support=Support(row["support"]),
        language=row["language"],
        pages=row["pages"],
        isbn=row["isbn"],
        issn=row["issn"],
        call_number=row["call_number"],
        abstract=row["abstract"],
        keywords=tuple(json.loads(row["keywords"])),
        territories=tuple(json.loads(row["territories"])),
        themes=themes,
        url=row["url"],
        notes=row["notes"],
        series=series_from_json(row["series"]),
        edition=row["edition"],
        physical_description=row["physical_description"],
        public_note=row["public_note"],
        acquired_on=row["acquired_on"],
        source=row["source"],
        file=file,
        text_status=TextStatus(row["text_status"]),
        copies=copies,
        work_id=row["work_id"],
        curated=bool(row["curated"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted=bool(row["deleted"]),
        rev=row["rev"],
    )
