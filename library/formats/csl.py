"""CSL-JSON (Citation Style Language 1.0 input data): Zotero, Pandoc, citeproc processors.

One array of items; every key is a CSL variable (the schema forbids others), so what CSL has
no variable for (territories, call number, thematics' sources) goes to `custom`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from ..identifiers import normalise_isbn, normalise_issn
from ..models import Author, AuthorKind, AuthorRole, DocType, Record, Series, Support
from .bibtex import citation_key
from .common import (
    UNTITLED,
    ExportContext,
    author_from_name,
    clean_text,
    import_source,
    language_639_1,
    parse_date,
    person,
    split_title,
    type_by_label,
    with_role,
)
from .holdings_csv import ParsedFile, RowError
from .hosts import periodical_host

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
    people: dict[str, list[dict[str, str]]] = {}
    others: list[str] = []
    for author in record.authors:
        if author.kind is AuthorKind.PERSON and author.given:
            name = {"family": author.family, "given": author.given}
            if author.suffix:
                name["suffix"] = author.suffix
        elif author.kind is AuthorKind.PERSON:
            name = {"family": author.family}
        else:
            name = {"literal": author.name}
        key = _ROLE_KEYS.get(AuthorRole(author.role))
        if key is None:  # CSL 1.0 has no variable for a preface's writer: a note says it
            others.append(with_role(author))
        else:
            people.setdefault(key, []).append(name)
    data.update(people)
    if record.year:
        parts = (
            [int(p) for p in record.date.split("-")]
            if record.date[:4] == str(record.year)
            else [record.year]
        )
        data["issued"] = {"date-parts": [parts]}
    if record.host is not None:  # an article's periodical, issue and pages
        data["container-title"] = clean_text(record.host.title)
        if record.host.number:
            data["issue"] = record.host.number
        if record.host.pages:
            data["page"] = record.host.pages
        if record.host.issn:
            data["ISSN"] = record.host.issn
    if record.publisher and record.host is not None:
        data["publisher"] = clean_text(record.publisher)
    elif record.publisher:
        key = "container-title" if record.doc_type is DocType.ARTICLE else "publisher"
        data[key] = clean_text(record.publisher)
    if record.place:
        data["publisher-place"] = clean_text(record.place)
    if record.pages:
        data["number-of-pages"] = record.pages
    if record.isbn:
        data["ISBN"] = record.isbn
    if record.issn and "ISSN" not in data:
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
    if record.series:  # CSL has one collection: the first; custom keeps them all
        data["collection-title"] = clean_text(record.series[0].title)
        if record.series[0].number:
            data["collection-number"] = record.series[0].number
    if record.edition:
        data["edition"] = clean_text(record.edition)
    notes = [clean_text(record.public_note)] if record.public_note else []
    if others:
        notes.append(ROLES_NOTE + " ; ".join(others))
    if notes:
        data["note"] = "\n".join(notes)
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
    if len(record.series) > 1:
        custom["collections"] = [{"title": c.title, "number": c.number} for c in record.series]
    if record.physical_description:
        custom["physical-description"] = record.physical_description
    if record.acquired_on:
        custom["acquired-on"] = record.acquired_on
    if record.notes:  # the internal note: no CSL variable, and never printed
        custom["internal-note"] = clean_text(record.notes)
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


_PEOPLE = (
    ("author", AuthorRole.AUTHOR),
    ("editor", AuthorRole.EDITOR),
    ("collection-editor", AuthorRole.EDITOR),
    ("editorial-director", AuthorRole.EDITOR),
    ("translator", AuthorRole.TRANSLATOR),
    ("illustrator", AuthorRole.ILLUSTRATOR),
)
_ROLE_KEYS = {role: key for key, role in reversed(_PEOPLE)}
ROLES_NOTE = "Contributions : "


def _text(value: object) -> str:
    """A CSL variable as text: strings and numbers as they are, a list by its first item
    (Zotero writes several ISSNs as a list), anything else as nothing."""
    while isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, (bool, dict)) or value is None:
        return ""
    return str(value).strip()


def load_json(data: bytes) -> tuple[object, RowError | None]:
    """(document, None) or (None, why, at its line): malformed text, nesting deeper than
    Python's stack, a number of thousands of digits are reasons, not tracebacks."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, RowError.note(1, "json-not-utf8", byte=exc.start)
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, RowError.note(exc.lineno, "json-invalid", column=exc.colno, detail=exc.msg)
    except RecursionError:
        return None, RowError.note(1, "json-too-deep")
    except ValueError:  # an integer of more than 4,300 digits
        return None, RowError.note(1, "json-huge-number")


def _date(issued: object) -> tuple[str, int | None]:
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        first = parts[0] if isinstance(parts, list) and parts else []
        if isinstance(first, list) and first:
            numbers = []
            for p in first[:3]:
                text = _text(p)
                if not text.isdigit() or len(text) > 4:
                    break
                numbers.append(int(text))
            if numbers:
                return parse_date(
                    "-".join(f"{n:02d}" if i else str(n) for i, n in enumerate(numbers))
                )
        return parse_date(_text(issued.get("raw") or issued.get("literal")))
    return parse_date(_text(issued))


def _names(item: dict[str, Any]) -> list[Author]:
    """People by CSL's structure: family and given with their particles and suffix, a
    `literal` for a name not to be split (a body's)."""
    out = []
    for key, role in _PEOPLE:
        names = item.get(key)
        if not isinstance(names, list):
            continue
        for name in names:
            if not isinstance(name, dict):
                continue
            family = " ".join(
                p
                for p in (_text(name.get("non-dropping-particle")), _text(name.get("family")))
                if p
            )
            given = " ".join(
                p for p in (_text(name.get("given")), _text(name.get("dropping-particle"))) if p
            )
            if family:
                out.append(person(family, given, _text(name.get("suffix")), role))
            elif _text(name.get("literal")):
                out.append(author_from_name(_text(name["literal"]), AuthorKind.ORGANISATION, role))
            elif given:
                out.append(person(given, "", "", role))
    return out


def read(data: bytes, *, source: str = "") -> ParsedFile:
    """Items of a CSL-JSON file (Zotero's "CSL JSON" export, Pandoc, our `csl-json`)."""
    parsed = ParsedFile(encoding="utf-8", delimiter="", unit="notice")
    items, refused = load_json(data)
    if refused:
        parsed.unit = "ligne"
        parsed.errors.append(refused)
        return parsed
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        parsed.errors.append(RowError.note(1, "csl-list-expected"))
        return parsed
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            parsed.errors.append(RowError.note(number, "csl-not-an-object"))
            continue
        if not _text(item.get("title")):
            if not any(k not in ("id", "type") and item.get(k) for k in item):
                parsed.warnings.append(RowError.note(number, "csl-empty-item"))
                continue
            item = {**item, "title": UNTITLED}
            parsed.warnings.append(RowError.note(number, "csl-untitled", title=UNTITLED))
        parsed.rows.append((number, _record(item, source)))
    return parsed


def _record(item: dict[str, Any], source: str) -> Record:
    title, subtitle = split_title(
        _text(item["title"]), _text(item.get("title-short") or item.get("shortTitle"))
    )
    date, year = _date(item.get("issued"))
    doc_type = type_by_label(_text(item.get("genre"))) or _BY_TYPE.get(
        _text(item.get("type")), DocType.AUTRE
    )
    raw_custom = item.get("custom")
    custom: dict[str, Any] = raw_custom if isinstance(raw_custom, dict) else {}
    keywords = [k.strip() for k in _text(item.get("keyword")).split(",") if k.strip()]
    categories = item.get("categories")
    keywords += [_text(c) for c in categories if _text(c)] if isinstance(categories, list) else []
    identifier = _text(item.get("id"))
    publisher = _text(item.get("publisher"))
    container = _text(item.get("container-title"))
    notes = [_text(custom.get("internal-note"))] if _text(custom.get("internal-note")) else []
    issn = _first_valid(item.get("ISSN"), normalise_issn)
    periodical = (
        periodical_host(
            container,
            issn=issn,
            volume=_text(item.get("volume")),
            number=_text(item.get("issue")),
            date=date,
            pages=_text(item.get("page")),
        )
        if doc_type is DocType.ARTICLE
        else None
    )
    if periodical is not None:  # the article's host carries its periodical, issue and pages
        container, issn = "", "" if periodical.issn else issn  # a wrong ISSN stays to be told
        item = {k: v for k, v in item.items() if k not in ("volume", "issue", "page")}
    if container and not publisher and doc_type in (DocType.ARTICLE, DocType.REVUE):
        publisher, container = container, ""  # our convention: an article's periodical
    host = [container] if container else []
    for key, label in (("volume", "vol. "), ("issue", "n° "), ("page", "p. ")):
        if _text(item.get(key)):
            host.append(label + _text(item.get(key)))
    if host:
        notes.insert(0, "Dans : " + ", ".join(host))
    doi = _text(item.get("DOI"))
    if doi:
        notes.append(f"DOI : {doi}")
    pages = _text(item.get("number-of-pages"))
    raw_territories = custom.get("territories")
    territories = raw_territories if isinstance(raw_territories, list) else []
    return Record(
        title=title,
        subtitle=subtitle,
        authors=tuple(_names(item)),
        publisher=publisher,
        place=_text(item.get("publisher-place")),
        date=date,
        year=year,
        doc_type=doc_type,
        support=Support.ELECTRONIQUE if custom.get("support") == "electronique" else Support.PAPIER,
        language=language_639_1(_text(item.get("language"))),
        pages=int(pages) if pages.isdigit() and len(pages) < 7 else None,
        isbn=_first_valid(item.get("ISBN"), normalise_isbn),
        issn=issn,
        host=periodical,
        call_number=_text(item.get("call-number")),
        abstract=_text(item.get("abstract")),
        keywords=tuple(dict.fromkeys(keywords)),
        territories=tuple(_text(t) for t in territories if _text(t)),
        url=_text(item.get("URL")) or (f"https://doi.org/{doi}" if doi else ""),
        series=_collections(item, custom),
        edition=_text(item.get("edition")),
        physical_description=_text(custom.get("physical-description")),
        public_note="\n".join(
            line for line in _text(item.get("note")).split("\n") if not line.startswith(ROLES_NOTE)
        ).strip(),
        notes="\n".join(notes),
        acquired_on=_text(custom.get("acquired-on")),
        source=import_source(source, identifier if identifier.startswith("oai:") else ""),
    )


def _collections(item: dict[str, Any], custom: dict[str, Any]) -> tuple[Series, ...]:
    """All our collections from `custom`, else CSL's one collection-title and number."""
    listed = custom.get("collections")
    if isinstance(listed, list) and listed:
        return tuple(
            Series(_text(c.get("title")), _text(c.get("number")))
            for c in listed
            if isinstance(c, dict) and _text(c.get("title"))
        )
    title = _text(item.get("collection-title"))
    return (Series(title, _text(item.get("collection-number"))),) if title else ()


def _first_valid(value: object, normalise) -> str:
    """The first right identifier of a list or of a text of several ('0002-7863, 1520-5126'),
    else the first as written."""
    values = value if isinstance(value, list) else re.split(r"[,;]\s*|\s+", _text(value))
    candidates = [_text(v) for v in values if _text(v)]
    for candidate in candidates:
        try:
            return normalise(candidate)
        except ValueError:
            continue
    return candidates[0] if candidates else ""
