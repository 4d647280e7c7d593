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
    DocType.OUVRAGE: "book",
    DocType.RAPPORT: "report",
    DocType.ETUDE: "report",
    DocType.GUIDE: "report",
    DocType.ACTES: "book",
    DocType.ARTICLE: "article-journal",
    DocType.REVUE: "periodical",
    DocType.COMPTE_RENDU: "report",
    DocType.FICHE_EXPERIENCE: "report",
    DocType.LETTRE_INFORMATION: "periodical",
    DocType.MEMOIRE: "thesis",
    DocType.TEXTE_OFFICIEL: "legislation",
    DocType.AUTRE: "document",
}


def item(record: Record, ctx: ExportContext) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": ctx.identifier(record),
        "citation-key": citation_key(record),
        "type": TYPES[record.doc_type],
        "genre": record.doc_type.label,
        "title": clean_text(
            f"{record.title} : {record.subtitle}" if record.subtitle else record.title
        ),
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
        parts = (
            [int(p) for p in record.date.split("-")]
            if record.date[:4] == str(record.year)
            else [record.year]
        )
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


# -- reading -------------------------------------------------------------------------------

_BY_TYPE = {
    "book": DocType.OUVRAGE,
    "report": DocType.RAPPORT,
    "article-journal": DocType.ARTICLE,
    "article-magazine": DocType.ARTICLE,
    "article-newspaper": DocType.ARTICLE,
    "article": DocType.ARTICLE,
    "periodical": DocType.REVUE,
    "thesis": DocType.MEMOIRE,
    "legislation": DocType.TEXTE_OFFICIEL,
    "regulation": DocType.TEXTE_OFFICIEL,
    "bill": DocType.TEXTE_OFFICIEL,
    "paper-conference": DocType.ACTES,
    "chapter": DocType.OUVRAGE,
    "pamphlet": DocType.LETTRE_INFORMATION,
}


def read(data: bytes, *, source: str = "") -> Any:
    """Items of a CSL-JSON file (Zotero's "CSL JSON" export, Pandoc, our `csl-json`)."""
    from ..identifiers import normalise_isbn, normalise_issn
    from ..models import Support
    from .common import (
        author_from_name,
        import_source,
        language_639_1,
        parse_date,
        person,
        split_title,
        type_by_label,
    )
    from .holdings_csv import ParsedFile, RowError

    parsed = ParsedFile(encoding="utf-8", delimiter="", unit="notice")
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        parsed.unit = "ligne"
        parsed.errors.append(RowError(getattr(exc, "lineno", 1), f"JSON invalide : {exc}"))
        return parsed
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        parsed.errors.append(RowError(1, "une liste d'éléments CSL est attendue"))
        return parsed
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not str(item.get("title") or "").strip():
            parsed.errors.append(RowError(number, "élément sans titre (« title »)"))
            continue
        title, subtitle = split_title(
            str(item["title"]), str(item.get("title-short") or item.get("shortTitle") or "")
        )
        authors = []
        for name in item.get("author") or item.get("editor") or []:
            if not isinstance(name, dict):
                continue
            if name.get("family"):
                authors.append(person(str(name["family"]), str(name.get("given") or "")))
            elif name.get("literal"):
                authors.append(author_from_name(str(name["literal"]), AuthorKind.ORGANISATION))
        issued = item.get("issued") or {}
        parts = issued.get("date-parts", [[]])[0] if isinstance(issued, dict) else []
        raw_date = (
            "-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(parts))
            if parts
            else (issued.get("raw", "") if isinstance(issued, dict) else str(issued))
        )
        date, year = parse_date(raw_date)
        doc_type = type_by_label(str(item.get("genre") or "")) or _BY_TYPE.get(
            str(item.get("type")), DocType.AUTRE
        )
        custom = item.get("custom") if isinstance(item.get("custom"), dict) else {}
        keywords = [k.strip() for k in str(item.get("keyword") or "").split(",") if k.strip()]
        keywords += [str(c) for c in item.get("categories") or []]
        identifier = str(item.get("id") or "")

        def checked(value: object, normalise) -> str:  # type: ignore[no-untyped-def]
            text = str(value or "").strip()
            try:
                return normalise(text) if text else ""
            except ValueError:
                return text

        pages = item.get("number-of-pages")
        parsed.rows.append(
            (
                number,
                Record(
                    title=title,
                    subtitle=subtitle,
                    authors=tuple(authors),
                    publisher=str(item.get("publisher") or item.get("container-title") or ""),
                    place=str(item.get("publisher-place") or ""),
                    date=date,
                    year=year,
                    doc_type=doc_type,
                    support=Support.ELECTRONIQUE
                    if custom.get("support") == "electronique"
                    else Support.PAPIER,
                    language=language_639_1(str(item.get("language") or "")),
                    pages=int(pages) if str(pages or "").isdigit() else None,
                    isbn=checked(item.get("ISBN"), normalise_isbn),
                    issn=checked(item.get("ISSN"), normalise_issn),
                    call_number=str(item.get("call-number") or ""),
                    abstract=str(item.get("abstract") or ""),
                    keywords=tuple(dict.fromkeys(keywords)),
                    territories=tuple(str(t) for t in custom.get("territories") or []),
                    url=str(item.get("URL") or ""),
                    notes=str(item.get("note") or ""),
                    source=import_source(
                        source, identifier if identifier.startswith("oai:") else ""
                    ),
                ),
            )
        )
    return parsed
