"""Simple Dublin Core in its OAI-PMH container (`oai_dc:dc`), for harvesters and the `dc` export.

Elements: title ('Titre : sous-titre'), creator, subject (thematics, then keywords), description
(abstract), publisher, date (W3CDTF), type (DCMI 'Text' and the French type), format (media
type), identifier (OAI identifier, record page, URL, URN of ISBN and ISSN), language (ISO 639-1),
coverage (territories), relation (collections, and an article's host: 'Dans : Cahiers Ville
caraïbe, n° 3, décembre 2010, p. 12-25', read back as a note); rights is not used.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..identifiers import normalise_isbn, normalise_issn
from ..models import AuthorKind, DocType, Record, Series, Support
from ..names import is_organisation
from .common import (
    ExportContext,
    author_from_name,
    checked_identifier,
    full_title,
    import_source,
    language_639_1,
    parse_date,
    parse_pages,
    record_date,
    split_title,
    type_by_label,
    xml_text,
)
from .holdings_csv import ParsedFile, RowError, RowRefused
from .hosts import host_citation
from .marc import MarcXmlError, local, parse_xml

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"


SERIES_RELATION = "Collection : "  # dc:relation of a collection: 'Collection : Titre ; 12'
HOST_RELATION = "Dans : "  # dc:relation of an article's host: 'Dans : Revue, n° 3, p. 12-25'


def elements(record: Record, ctx: ExportContext) -> list[tuple[str, str]]:
    """(element, value) pairs of a record, in the order DC readers expect."""
    out: list[tuple[str, str]] = [("title", full_title(record))]
    out += [("creator", a.name) for a in record.authors]
    out += [("subject", ctx.theme_label(t.slug)) for t in record.themes]
    out += [("subject", k) for k in record.keywords]
    if record.abstract:
        out.append(("description", record.abstract))
    if record.publisher:
        out.append(("publisher", record.publisher))
    if record_date(record):
        out.append(("date", record_date(record)))
    out.append(("type", "Text"))
    out.append(("type", record.doc_type.label))
    if record.support is Support.PAPIER:
        out.append(("format", "Imprimé"))
    else:
        out.append(("format", record.file.media_type if record.file else "Document électronique"))
    if record.physical_description:
        out.append(("format", record.physical_description))
    elif record.pages:
        out.append(("format", f"{record.pages} p."))
    out.append(("identifier", ctx.identifier(record)))
    page = ctx.record_url(record)
    if page:
        out.append(("identifier", page))
    if record.url:
        out.append(("identifier", record.url))
    if record.isbn:
        out.append(("identifier", f"urn:isbn:{record.isbn}"))
    if record.issn:
        out.append(("identifier", f"urn:issn:{record.issn}"))
    if record.language and record.language != "und":
        out.append(("language", record.language))
    out += [("coverage", t) for t in record.territories]
    out += [("relation", SERIES_RELATION + c.display) for c in record.series]
    if record.host is not None:
        out.append(("relation", HOST_RELATION + host_citation(record.host)))
    if record.place:
        out.append(
            ("source", f"{record.place} : {record.publisher}" if record.publisher else record.place)
        )
    return out


def oai_dc(record: Record, ctx: ExportContext, *, schema_location: bool = True) -> str:
    """One <oai_dc:dc> element with its namespaces."""
    attrs = (
        f' xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    )
    if schema_location:
        attrs += f' xsi:schemaLocation="{OAI_DC_NS} {OAI_DC_SCHEMA}"'
    body = "\n".join(
        f"<dc:{name}>{xml_text(value)}</dc:{name}>" for name, value in elements(record, ctx)
    )
    return f"<oai_dc:dc{attrs}>\n{body}\n</oai_dc:dc>"


def write(records: Iterable[Record], ctx: ExportContext) -> bytes:
    """The `dc` export: one oai_dc:dc per record under one <records> root."""
    items = [oai_dc(r, ctx) for r in records]
    generated = f' generated="{ctx.generated}"' if ctx.generated else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<records count="{len(items)}"{generated}>\n' + "\n".join(items) + "\n</records>\n"
    ).encode("utf-8")


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Found:
    number: int
    values: list[tuple[str, str]]
    identifier: str
    deleted: bool = False


def read(data: bytes, *, source: str = "") -> ParsedFile:
    """Records of an oai_dc file: our `dc` export, or an OAI-PMH ListRecords/GetRecord
    response (deleted records are skipped)."""
    parsed = ParsedFile(encoding="utf-8", delimiter="")
    parsed.unit = "notice"
    try:
        root = parse_xml(data)
    except MarcXmlError as exc:
        parsed.unit = "ligne"
        parsed.errors.append(exc.row_error())
        return parsed
    for found in _dc_elements(root):
        if found.deleted:
            parsed.warnings.append(RowError.note(found.number, "deleted-by-partner"))
            continue
        try:
            parsed.rows.append((found.number, _record(found, source)))
        except RowRefused as exc:
            parsed.errors.append(RowError(found.number, code=exc.code, params=exc.params))
        except ValueError as exc:
            parsed.errors.append(RowError(found.number, str(exc)))
    if not parsed.rows and not parsed.errors and not parsed.warnings:
        parsed.errors.append(RowError.note(1, "no-oai-dc"))
    return parsed


def _dc_elements(root) -> Iterator[_Found]:
    number = 0
    oai_records = [
        e
        for e in root.iter()
        if local(e.tag) == "record" and e.tag.startswith("{http://www.openarchives.org/OAI/2.0/}")
    ]
    if oai_records:
        for record in oai_records:
            number += 1
            header = next((c for c in record if local(c.tag) == "header"), None)
            identifier = ""
            deleted = header is not None and header.get("status") == "deleted"
            if header is not None:
                identifier = next(
                    (c.text or "" for c in header if local(c.tag) == "identifier"), ""
                )
            dc = next((e for e in record.iter() if e.tag == f"{{{OAI_DC_NS}}}dc"), None)
            values = _values(dc) if dc is not None else []
            yield _Found(number, values, identifier.strip(), deleted or dc is None)
        return
    for dc in root.iter(f"{{{OAI_DC_NS}}}dc"):
        number += 1
        values = _values(dc)
        identifier = next((v for k, v in values if k == "identifier" and v.startswith("oai:")), "")
        yield _Found(number, values, identifier)


def _values(dc) -> list[tuple[str, str]]:
    return [
        (
            local(e.tag),
            " ".join((e.text or "").split())
            if local(e.tag) != "description"
            else (e.text or "").strip(),
        )
        for e in dc
        if e.tag.startswith(f"{{{DC_NS}}}")
    ]


def _record(found: _Found, source: str) -> Record:
    values: dict[str, list[str]] = {}
    for name, value in found.values:
        if value:
            values.setdefault(name, []).append(value)
    if not values.get("title"):
        raise RowRefused("no-dc-title")
    title, subtitle = split_title(values["title"][0])
    date, year = parse_date(values.get("date", [""])[0])
    doc_type = next((t for t in map(type_by_label, values.get("type", [])) if t), None)
    isbn = issn = url = ""
    for identifier in values.get("identifier", []):
        lowered = identifier.lower().replace(" ", "")
        bare = re.sub(r"^(?:urn:)?(?:isbn|issn)[:=]?", "", lowered, flags=re.I)
        if lowered.startswith(("urn:isbn:", "isbn")) and not isbn:
            isbn = checked_identifier(bare, normalise_isbn)
        elif lowered.startswith(("urn:issn:", "issn")) and not issn:
            issn = checked_identifier(bare, normalise_issn)
        elif lowered.startswith(("http://", "https://")) and "/notice/" not in lowered and not url:
            url = identifier
        elif not isbn and re.fullmatch(r"97[89][\d-]{10,14}|[\d-]{9,12}[\dX]", identifier):
            with contextlib.suppress(ValueError):  # a bare ISBN, when its check digit says so
                isbn = normalise_isbn(identifier)
    formats = values.get("format", [])
    pages = next((parse_pages(f) for f in formats if parse_pages(f)), None)
    electronic = any("/" in f or "lectronique" in f for f in formats)
    physical = next(
        (
            f
            for f in formats
            if parse_pages(f) and not re.fullmatch(r"\d+ p\.?", f) and "/" not in f
        ),
        "",
    )
    series = []
    for relation in values.get("relation", []):
        if relation.startswith(SERIES_RELATION):
            name, _, number = relation[len(SERIES_RELATION) :].rpartition(" ; ")
            series.append(Series(name, number) if name else Series(number, ""))
    # dc:source is the resource this one comes from (a journal issue, a printed book);
    # our own export writes 'place : publisher' there, read back as the place.
    place = ""
    notes = [r for r in values.get("relation", []) if r.startswith(HOST_RELATION)]
    publisher = values.get("publisher", [""])[0]
    for value in values.get("source", []):
        head, _, tail = value.partition(" : ")
        if publisher and tail == publisher and not place:
            place = head
        else:
            notes.append(f"Source : {value}")
    # dc:creator names the authors; dc:contributor the others (a thesis' director, a
    # translator...): kept after them, as authors when there is no creator at all.
    authors = [_dc_name(c) for c in values.get("creator", [])]
    authors += [_dc_name(c) for c in values.get("contributor", [])]
    return Record(
        title=title,
        subtitle=subtitle,
        authors=tuple(authors),
        publisher=publisher,
        place=place,
        date=date,
        year=year,
        doc_type=doc_type or DocType.AUTRE,
        support=Support.ELECTRONIQUE if electronic else Support.PAPIER,
        language=language_639_1(values.get("language", [""])[0]),
        pages=pages,
        isbn=isbn,
        issn=issn,
        abstract="\n".join(values.get("description", [])),
        keywords=tuple(dict.fromkeys(values.get("subject", []))),
        territories=tuple(dict.fromkeys(values.get("coverage", []))),
        url=url,
        series=tuple(series),
        physical_description=physical,
        notes="\n".join(notes),
        source=import_source(source, found.identifier),
    )


def _dc_name(value: str):
    """Dublin Core says nothing of a name's structure: the catalogue rule decides ('Nom,
    Prénom' is a person, unless its words are a body's; a name without a comma is a body's),
    as PMB, Koha and our own export write creators."""
    if "," in value and not is_organisation(value):
        return author_from_name(value, AuthorKind.PERSON)
    return author_from_name(value, AuthorKind.ORGANISATION)
