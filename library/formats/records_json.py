"""Records as JSON: the catalogue's own fields, lossless (the `json` export, `fonds show`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..models import Record


def record_to_dict(record: Record, theme_labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    labels = theme_labels or {}
    return {
        "id": record.id,
        "title": record.title,
        "subtitle": record.subtitle,
        "authors": [{"name": a.name, "kind": a.kind.value} for a in record.authors],
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
            {"slug": t.slug, "label": labels.get(t.slug, t.slug), "score": t.score,
             "source": t.source.value, "evidence": t.evidence}
            for t in record.themes
        ],  # fmt: skip
        "url": record.url,
        "notes": record.notes,
        "source": record.source,
        "file": None if record.file is None else {
            "sha256": record.file.sha256, "name": record.file.original_name,
            "media_type": record.file.media_type, "size": record.file.size,
            "path": record.file.store_path,
        },  # fmt: skip
        "text_status": record.text_status.value,
        "copies": [
            {"barcode": c.barcode, "call_number": c.call_number, "location": c.location,
             "status": c.status.value, "due_date": c.due_date}
            for c in record.copies
        ],  # fmt: skip
        "work_id": record.work_id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "deleted": record.deleted,
    }
