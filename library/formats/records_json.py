"""Records as JSON: the catalogue's own fields, lossless (the `json` export, `fonds show`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..models import Record, Series


def record_to_dict(record: Record, theme_labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    labels = theme_labels or {}
    return {
        "id": record.id,
        "title": record.title,
        "subtitle": record.subtitle,
        "authors": [
            {"name": a.name, "kind": a.kind.value, "role": a.role.value} for a in record.authors
        ],
        "publisher": record.publisher,
        "place": record.place,
        "date": record.date,
        "year": record.year,
        "type": record.doc_type.value,
        "support": record.support.value,
        "language": record.language,
        "pages": record.pages,
        "isbn": record.isbn,
        "issn": record.issn,
        "call_number": record.call_number,
        "abstract": record.abstract,
        "keywords": list(record.keywords),
        "territories": list(record.territories),
        "themes": [
            {
                "slug": t.slug,
                "label": labels.get(t.slug, t.slug),
                "score": t.score,
                "source": t.source.value,
                "evidence": t.evidence,
            }
            for t in record.themes
        ],
        "url": record.url,
        "series": [{"title": c.title, "number": c.number} for c in record.series],
        "host": None
        if record.host is None
        else {
            "title": record.host.title,
            "issn": record.host.issn,
            "number": record.host.number,
            "date": record.host.date,
            "pages": record.host.pages,
            "periodical_id": record.host.periodical_id,
            "issue_id": record.host.issue_id,
        },
        "edition": record.edition,
        "physical_description": record.physical_description,
        "public_note": record.public_note,
        "notes": record.notes,
        "acquired_on": record.acquired_on,
        "source": record.source,
        "file": None
        if record.file is None
        else {
            "sha256": record.file.sha256,
            "name": record.file.original_name,
            "media_type": record.file.media_type,
            "size": record.file.size,
            "path": record.file.store_path,
        },
        "text_status": record.text_status.value,
        "copies": [
            {
                "barcode": c.barcode,
                "call_number": c.call_number,
                "location": c.location,
                "status": c.status.value,
                "due_date": c.due_date,
            }
            for c in record.copies
        ],
        "work_id": record.work_id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "deleted": record.deleted,
    }


def record_from_dict(data: Mapping[str, Any]) -> Record:
    """The inverse of `record_to_dict`: a record as another instance exported it.

    The id, the timestamps but `created_at`, and the stored file stay behind: the importing
    catalogue assigns its own, and the file's bytes are not in the JSON."""
    from ..models import (
        Author,
        AuthorKind,
        AuthorRole,
        Copy,
        CopyStatus,
        DocType,
        Host,
        Support,
        TextStatus,
        ThemeAssignment,
        ThemeSource,
    )
    from .holdings_csv import RowRefused

    def text(key: str) -> str:
        value = data.get(key)
        return "" if value is None else str(value)

    def texts(key: str) -> tuple[str, ...]:
        value = data.get(key) or []
        if not isinstance(value, list):
            raise RowRefused("json-not-a-list", key=key)
        return tuple(str(v) for v in value)

    title = text("title").strip()
    if not title:
        raise RowRefused("json-no-title")
    try:
        doc_type = DocType(text("type") or "autre")
        support = Support(text("support") or "electronique")
    except ValueError as exc:
        raise RowRefused("json-unknown-value", detail=str(exc)) from None
    authors = []
    for item in data.get("authors") or []:
        if isinstance(item, str):
            authors.append(
                Author(item, AuthorKind.PERSON if "," in item else AuthorKind.ORGANISATION)
            )
        else:
            authors.append(
                Author(
                    str(item["name"]),
                    AuthorKind(item.get("kind") or "person"),
                    AuthorRole(item.get("role") or "author"),
                )
            )
    themes = []
    for item in data.get("themes") or []:
        slug = item if isinstance(item, str) else item.get("slug")
        if not slug:
            continue
        source = (
            ThemeSource(item.get("source", "manual"))
            if isinstance(item, dict)
            else ThemeSource.MANUAL
        )
        score = item.get("score") if isinstance(item, dict) else None
        evidence = item.get("evidence") if isinstance(item, dict) else None
        themes.append(ThemeAssignment(str(slug), source, score, evidence))
    copies = tuple(
        Copy(
            barcode=str(c["barcode"]),
            call_number=str(c.get("call_number") or ""),
            location=str(c.get("location") or ""),
            status=CopyStatus(c.get("status") or "available")
            if c.get("status") != "on_loan"
            else CopyStatus.AVAILABLE,
        )
        for c in data.get("copies") or []
    )
    year = data.get("year")
    pages = data.get("pages")
    raw_host = data.get("host")
    host = None
    if isinstance(raw_host, dict) and str(raw_host.get("title") or "").strip():
        # The ids are the exporting instance's: the importing catalogue finds or creates
        # the periodical and the issue by ISSN, title and number.
        host = Host(
            title=str(raw_host["title"]).strip(),
            issn=str(raw_host.get("issn") or ""),
            number=str(raw_host.get("number") or ""),
            date=str(raw_host.get("date") or ""),
            pages=str(raw_host.get("pages") or ""),
        )
    return Record(
        title=title,
        subtitle=text("subtitle"),
        authors=tuple(authors),
        publisher=text("publisher"),
        place=text("place"),
        date=text("date"),
        year=int(year) if year not in (None, "") else None,
        doc_type=doc_type,
        support=support,
        language=text("language") or "und",
        pages=int(pages) if pages not in (None, "") else None,
        isbn=text("isbn"),
        issn=text("issn"),
        call_number=text("call_number"),
        abstract=text("abstract"),
        keywords=texts("keywords"),
        territories=texts("territories"),
        themes=tuple(themes),
        url=text("url"),
        host=host,
        series=tuple(
            Series(str(c.get("title") or "").strip(), str(c.get("number") or "").strip())
            for c in data.get("series") or []
            if isinstance(c, dict) and str(c.get("title") or "").strip()
        ),
        edition=text("edition"),
        physical_description=text("physical_description"),
        public_note=text("public_note"),
        notes=text("notes"),
        acquired_on=text("acquired_on"),
        source=text("source"),
        text_status=TextStatus.NONE,
        copies=copies if support is Support.PAPIER else (),
        created_at=text("created_at"),
    )


FORMAT_NAME = "fonds-records"
FORMAT_VERSION = 1


def write(records: Iterable[Record], ctx: Any) -> bytes:
    """The `json` export: the catalogue's own fields, with who exported them and when."""
    import json

    items = []
    for record in records:
        item = record_to_dict(record, ctx.theme_labels)
        item["identifier"] = ctx.identifier(record)
        items.append(item)
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "repository": ctx.repository,
        "centre": ctx.centre,
        "generated": ctx.generated,
        "count": len(items),
        "records": items,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read(data: bytes, *, source: str = "") -> Any:
    """Records of a `json` export (or a bare list of records); errors name the record number."""

    from .common import import_source
    from .csl import load_json
    from .holdings_csv import ParsedFile, RowError, RowRefused

    parsed = ParsedFile(encoding="utf-8", delimiter="", unit="notice")
    document, refused = load_json(data)
    if refused:
        parsed.unit = "ligne"
        parsed.errors.append(refused)
        return parsed
    items = document.get("records") if isinstance(document, dict) else document
    if not isinstance(items, list):
        parsed.errors.append(RowError.note(1, "json-no-records"))
        return parsed
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            parsed.errors.append(RowError.note(number, "json-not-an-object"))
            continue
        try:
            record = record_from_dict(item)
        except RowRefused as exc:
            parsed.errors.append(RowError(number, code=exc.code, params=exc.params))
            continue
        except (ValueError, KeyError, TypeError) as exc:
            parsed.errors.append(RowError(number, str(exc)))
            continue
        identifier = str(item.get("identifier") or "")
        from dataclasses import replace

        parsed.rows.append((number, replace(record, source=import_source(source, identifier))))
    return parsed
