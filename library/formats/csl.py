"""CSL-JSON (Citation Style Language 1.0 input data): Zotero, Pandoc, citeproc processors.

One array of items; every key is a CSL variable (the schema forbids others), so what CSL has
no variable for (territories, call number, thematics' sources) goes to `custom`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..models import AuthorKind, DocType, Record
from .bibtex import citation_key
from .common import ExportContext, clean_text

TYPES = {
    DocType.OUVRAGE: "book", DocType.RAPPORT: "report", DocType.ETUDE: "report",
    DocType.GUIDE: "report", DocType.ACTES: "book", DocType.ARTICLE: "article-journal",
    DocType.REVUE: "periodical", DocType.COMPTE_RENDU: "report",
    DocType.FICHE_EXPERIENCE: "report", DocType.LETTRE_INFORMATION: "periodical",
    DocType.MEMOIRE: "thesis", DocType.TEXTE_OFFICIEL: "legislation", DocType.AUTRE: "document",
}  # fmt: skip


def item(record: Record, ctx: ExportContext) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": ctx.identifier(record),
        "citation-key": citation_key(record),
        "type": TYPES[record.doc_type],
        "genre": record.doc_type.label,
        "title": clean_text(f"{record.title} : {record.subtitle}" if record.subtitle else record.title),
    }
    if record.subtitle:
        data["title-short"] = clean_text(record.title)
    authors = []
    for author in record.authors:
        if author.kind is AuthorKind.PERSON and author.given:
            authors.append({"family": author.family, "given": author.given})
        else:
            authors.append({"literal": author.name})
    if authors:
        data["author"] = authors
    if record.year:
        parts = [int(p) for p in record.date.split("-")] if record.date[:4] == str(record.year) else [record.year]
        data["issued"] = {"date-parts": [parts]}
    if record.publisher:
        key = "container-title" if record.doc_type is DocType.ARTICLE else "publisher"
        data[key] = clean_text(record.publisher)
    if record.place:
        data["publisher-place"] = clean_text(record.place)
    if record.pages:
        data["number-of-pages"] = record.pages
    if record.isbn:
        data["ISBN"] = record.isbn
    if record.issn:
        data["ISSN"] = record.issn
    if record.url:
        data["URL"] = record.url
    if record.abstract:
        data["abstract"] = clean_text(record.abstract)
    if record.language and record.language != "und":
        data["language"] = record.language
    if record.keywords:
        data["keyword"] = ", ".join(record.keywords)
    if record.themes:
        data["categories"] = [ctx.theme_label(t.slug) for t in record.themes]
    if record.notes:
        data["note"] = clean_text(record.notes)
    if record.call_number:
        data["call-number"] = record.call_number
    if ctx.centre:
        data["archive"] = ctx.centre
    page = ctx.record_url(record)
    custom: dict[str, Any] = {"support": record.support.value}
    if record.territories:
        custom["territories"] = list(record.territories)
    if page:
        custom["record-page"] = page
    data["custom"] = custom
    return data


def write(records: Iterable[Record], ctx: ExportContext) -> bytes:
    items = [item(r, ctx) for r in records]
    return (json.dumps(items, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
