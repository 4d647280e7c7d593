"""RIS, with the tags Zotero's RIS translator reads (and EndNote, Mendeley, PMB).

Tags written: TY, ID (OAI identifier), AU, TI (title : subtitle), ST (title alone), T2 (the
periodical of an article), PY, DA, PB, CY, SN, SP (pages), M3 (report or thesis type), UR,
KW (keywords and thematics), AB, LA, CN (call number), T3 (collection, 'Titre ; numéro', one
line each), ET (edition), N1 (the public note; territories and contributions as notes of their
own), RN (the internal note: research notes), DP (the centre), ER. Lines end with CRLF; UTF-8 without BOM.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..identifiers import normalise_isbn, normalise_issn
from ..models import AuthorKind, AuthorRole, DocType, Record, Series
from .common import (
    PERIODICAL_TYPES,
    UNTITLED,
    ExportContext,
    author_from_name,
    clean_text,
    import_source,
    language_639_1,
    parse_date,
    parse_pages,
    person,
    series_number_text,
    split_title,
    type_by_label,
    with_role,
)
from .holdings_csv import ParsedFile, RowError, RowRefused, not_utf8
from .hosts import periodical_host

TYPES = {
    DocType.OUVRAGE: "BOOK",
    DocType.RAPPORT: "RPRT",
    DocType.ETUDE: "RPRT",
    DocType.GUIDE: "RPRT",
    DocType.ACTES: "CONF",
    DocType.ARTICLE: "JOUR",
    DocType.REVUE: "JFULL",
    DocType.COMPTE_RENDU: "RPRT",
    DocType.FICHE_EXPERIENCE: "RPRT",
    DocType.LETTRE_INFORMATION: "SER",
    DocType.MEMOIRE: "THES",
    DocType.TEXTE_OFFICIEL: "STAT",
    DocType.AUTRE: "GEN",
}
# Zotero reads M3 as the report or thesis type only; elsewhere it would take it for a DOI.
_M3_TYPES = ("RPRT", "THES")
_BY_TY = {
    "BOOK": DocType.OUVRAGE,
    "EBOOK": DocType.OUVRAGE,
    "EDBOOK": DocType.OUVRAGE,
    "CHAP": DocType.OUVRAGE,
    "RPRT": DocType.RAPPORT,
    "GOVDOC": DocType.RAPPORT,
    "CONF": DocType.ACTES,
    "CPAPER": DocType.ACTES,
    "JOUR": DocType.ARTICLE,
    "EJOUR": DocType.ARTICLE,
    "MGZN": DocType.ARTICLE,
    "NEWS": DocType.ARTICLE,
    "JFULL": DocType.REVUE,
    "SER": DocType.LETTRE_INFORMATION,
    "THES": DocType.MEMOIRE,
    "STAT": DocType.TEXTE_OFFICIEL,
    "LEGAL": DocType.TEXTE_OFFICIEL,
    "BILL": DocType.TEXTE_OFFICIEL,
}
TERRITORIES_NOTE = "Territoires : "
# Roles RIS has a tag for; the others (illustrator, preface) stay authors, with their role
# said in a note.
_RIS_ROLE_TAGS = {AuthorRole.EDITOR: "A2", AuthorRole.TRANSLATOR: "A4"}
_NOTE_ROLES = (AuthorRole.ILLUSTRATOR, AuthorRole.PREFACE)
ROLES_NOTE = "Contributions : "
_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$")


def write(records: Iterable[Record], ctx: ExportContext) -> bytes:
    out: list[str] = []
    for record in records:
        out.extend(_lines(record, ctx))
        out.append("")
    return "\r\n".join(out).encode("utf-8")


def _tag(tag: str, value: object) -> str:
    text = (
        " ".join(clean_text(str(value)).split())
        if tag not in ("AB", "N1")
        else (clean_text(str(value)).strip().replace("\n", " "))
    )
    return f"{tag}  - {text}"


def _lines(record: Record, ctx: ExportContext) -> list[str]:
    ty = TYPES[record.doc_type]
    lines = [_tag("TY", ty), _tag("ID", ctx.identifier(record))]
    for author in record.authors:
        lines.append(_tag(_RIS_ROLE_TAGS.get(AuthorRole(author.role), "AU"), author.name))
    title = f"{record.title} : {record.subtitle}" if record.subtitle else record.title
    lines.append(_tag("TI", title))
    if record.subtitle:
        lines.append(_tag("ST", record.title))
    host = record.host
    if host is not None:  # an article's periodical, issue and pages
        lines.append(_tag("T2", host.title))
        if host.number:
            lines.append(_tag("IS", host.number))
        if host.first_page:
            lines.append(_tag("SP", host.first_page))
        if host.last_page:
            lines.append(_tag("EP", host.last_page))
        if host.issn:
            lines.append(_tag("SN", host.issn))
    elif record.doc_type is DocType.ARTICLE and record.publisher:
        lines.append(_tag("T2", record.publisher))  # an article's "publisher" is its periodical
    if record.year:
        lines.append(_tag("PY", record.year))
    if record.date:
        lines.append(_tag("DA", record.date.replace("-", "/")))
    if record.publisher and (record.doc_type is not DocType.ARTICLE or host is not None):
        lines.append(_tag("PB", record.publisher))
    if record.place:
        lines.append(_tag("CY", record.place))
    for series in record.series:
        lines.append(_tag("T3", series.display))
    if record.edition:
        lines.append(_tag("ET", record.edition))
    periodical = record.doc_type in PERIODICAL_TYPES
    for number in (record.issn, record.isbn) if periodical else (record.isbn, record.issn):
        if number:
            lines.append(_tag("SN", number))
    if record.pages and host is None:
        lines.append(_tag("SP", record.pages))
    if ty in _M3_TYPES:
        lines.append(_tag("M3", record.doc_type.label))
    if record.url:
        lines.append(_tag("UR", record.url))
    for keyword in record.keywords:
        lines.append(_tag("KW", keyword))
    for theme in record.themes:
        lines.append(_tag("KW", ctx.theme_label(theme.slug)))
    if record.abstract:
        lines.append(_tag("AB", record.abstract))
    if record.language and record.language != "und":
        lines.append(_tag("LA", record.language))
    if record.call_number:
        lines.append(_tag("CN", record.call_number))
    if record.public_note:
        lines.append(_tag("N1", record.public_note))
    if record.notes:
        lines.append(_tag("RN", record.notes))
    others = [with_role(a) for a in record.authors if AuthorRole(a.role) in _NOTE_ROLES]
    if others:
        lines.append(_tag("N1", ROLES_NOTE + " ; ".join(others)))
    if record.territories:
        lines.append(_tag("N1", TERRITORIES_NOTE + " ; ".join(record.territories)))
    if ctx.centre:
        lines.append(_tag("DP", ctx.centre))
    lines.append("ER  - ")
    return lines


# -- reading -------------------------------------------------------------------------------


# Lines some systems put between records: EndNote's and PubMed's numbering ('1.', 'Record #1
# of 2'), the Web of Science header and footer ('FN Clarivate Analytics Web of Science',
# 'VR 1.0', 'EF').
_BETWEEN_RECORDS = re.compile(r"^(?:\d+\.?|Record #?\s*\d+ of \d+|FN\s.*|VR\s.*|EF)$", re.I)
# Tags of people, and the role each gives (A2 the editor of the book or series, A3 the
# series editor, A4 the translator or subsidiary author, ED the editor).
_PEOPLE = {
    "AU": AuthorRole.AUTHOR,
    "A1": AuthorRole.AUTHOR,
    "A2": AuthorRole.EDITOR,
    "A3": AuthorRole.EDITOR,
    "ED": AuthorRole.EDITOR,
    "A4": AuthorRole.TRANSLATOR,
}


def read(data: bytes, *, source: str = "") -> ParsedFile:
    """Records of a RIS file; a record without its ER, or text outside any record, is an
    error with its line number."""
    from .holdings_csv import decode

    text, encoding = decode(data)
    parsed = ParsedFile(encoding=encoding, delimiter="")
    if warning := not_utf8(encoding):
        parsed.warnings.append(warning)
    if _WOS_START.match(text.lstrip("\ufeff\r\n ")):
        return _read_wos(text, source, parsed)
    tags: list[tuple[str, str]] = []
    start = 0
    last_tag = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n\ufeff").lstrip("\ufeff")
        m = _LINE.match(line)
        if m is None:
            if not line.strip():
                continue
            if start and last_tag:  # a wrapped value goes on the previous tag
                tag, value = tags[-1]
                tags[-1] = (tag, f"{value} {line.strip()}")
                continue
            if _BETWEEN_RECORDS.match(line.strip()):
                continue
            # Text between records (a database's 'Provider: …' header, a note) is no record:
            # it is ignored, and said, since a record may have lost its TY line.
            parsed.warnings.append(RowError.note(number, "ris-stray-text", text=line[:40]))
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        if tag == "TY":
            if start:
                parsed.errors.append(RowError.note(start, "ris-no-end-next", next=number))
            start, tags, last_tag = number, [("TY", value)], "TY"
            continue
        if not start:
            if tag in ("FN", "VR", "EF"):
                continue
            parsed.errors.append(RowError.note(number, "ris-tag-outside", tag=tag, start="TY"))
            continue
        if tag == "ER":
            try:
                record, warnings = _record(tags, source)
                parsed.rows.append((start, record))
                parsed.warnings.extend(RowError(start, code=c, params=p) for c, p in warnings)
            except RowRefused as exc:
                parsed.errors.append(RowError(start, code=exc.code, params=exc.params))
            except ValueError as exc:
                parsed.errors.append(RowError(start, str(exc)))
            start, tags, last_tag = 0, [], ""
            continue
        tags.append((tag, value))
        last_tag = tag
    if start:
        parsed.errors.append(RowError.note(start, "ris-no-end"))
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(RowError.note(1, "ris-empty"))
    return parsed


def _record(
    tags: list[tuple[str, str]], source: str
) -> tuple[Record, list[tuple[str, dict[str, str]]]]:
    """The record of one RIS record's tags, and its warnings (codes and facts)."""
    values: dict[str, list[str]] = {}
    for tag, value in tags:
        if value:
            values.setdefault(tag, []).append(value)

    def first(*names: str) -> str:
        return next((values[n][0] for n in names if n in values), "")

    warnings: list[tuple[str, dict[str, str]]] = []
    ty = first("TY").upper()
    if not ty:
        raise RowRefused("ris-no-type")
    doi = first("DO", "DI")
    if not doi and ty not in _M3_TYPES and first("M3").startswith("10."):
        doi = first("M3")  # Zotero writes a DOI in M3 for the types without a DO tag
    title_text = first("TI", "T1", "CT", "BT")
    if not title_text:
        if len(values) <= 1:
            raise RowRefused("ris-empty-record")
        title_text = UNTITLED
        warnings.append(("ris-untitled", {"title": UNTITLED}))
    title, subtitle = split_title(title_text, first("ST"))  # no ST: no subtitle
    doc_type = _BY_TY.get(ty, DocType.AUTRE)
    if "M3" in values and ty in _M3_TYPES:
        doc_type = type_by_label(values["M3"][0]) or doc_type
    date, year = parse_date(first("DA"))
    py_date, py = parse_date(first("PY", "Y1"))
    if py and year != py:  # PY is the publication year; a DA of another year is another date
        date, year = py_date, py
    isbn = issn = ""
    for number in values.get("SN", []):
        number = re.sub(r"\([^)]*\)", " ", number)  # '1932-6208 (electronic)'
        for piece in re.split(r"[;,]\s*|\s+(?=\d{3})", number):
            isbn, issn = _classify(piece.strip(), isbn, issn)
    notes, public = list(values.get("RN", [])), []
    territories: tuple[str, ...] = ()
    for note in values.get("N1", []):
        if note.startswith(TERRITORIES_NOTE):
            territories = tuple(
                t.strip() for t in note[len(TERRITORIES_NOTE) :].split(";") if t.strip()
            )
        elif note.startswith(ROLES_NOTE):
            notes.append(note)
        else:
            public.append(note)
    publisher = first("PB")
    periodical = first("T2", "JO", "JF", "JA")
    article_host = (
        periodical_host(
            periodical,
            issn=issn,
            volume=first("VL"),
            number=first("IS"),
            date=date,
            pages=f"{first('SP')}-{first('EP')}" if first("EP") else first("SP"),
        )
        if doc_type is DocType.ARTICLE
        and (first("EP") or first("IS") or not parse_pages(first("SP")))
        else None
    )
    if article_host is not None:  # the host carries the periodical, issue, pages and ISSN
        periodical, issn = "", "" if article_host.issn else issn  # a wrong ISSN stays to be told
        values = {k: v for k, v in values.items() if k not in ("VL", "IS", "SP", "EP")}
    in_periodical = doc_type is DocType.ARTICLE and not publisher and periodical
    if in_periodical:
        publisher = periodical  # our convention: an article's publisher is its periodical
    host = _host(values, "" if in_periodical else periodical)
    if host:
        notes.insert(0, host)
    if doi:
        notes.append(f"DOI : {doi}")
    keywords: list[str] = []
    for value in values.get("KW", []):
        keywords.extend(k.strip() for k in value.split(";") if k.strip())
    urls = [u for value in values.get("UR", []) + values.get("L2", []) for u in _urls(value)]
    url = urls[0] if urls else (f"https://doi.org/{doi}" if doi else "")
    authors = tuple(_person(v, _PEOPLE[t]) for t, v in tags if t in _PEOPLE and v and v.strip(" ,"))
    record = Record(
        title=title,
        subtitle=subtitle,
        authors=authors,
        publisher=publisher,
        place=first("CY", "PP"),
        date=date,
        year=year,
        doc_type=doc_type,
        support=_support(values),
        language=language_639_1(first("LA")),
        pages=parse_pages(first("SP")) if "EP" not in values else None,
        isbn=isbn,
        issn=issn,
        host=article_host,
        call_number=first("CN"),
        abstract=first("AB", "N2"),
        keywords=tuple(dict.fromkeys(keywords)),
        territories=territories,
        url=url,
        series=tuple(_series(v) for v in values.get("T3", []) if v.strip(" ;")),
        edition=first("ET"),
        public_note="\n".join(public),
        notes="\n".join(notes),
        source=import_source(source, first("ID") if first("ID").startswith("oai:") else ""),
    )
    return record, warnings


# -- Web of Science ------------------------------------------------------------------------
# Its "plain text" export: two-letter tags followed by one space, continuation lines indented
# by three spaces, ER at the end of each record, EF at the end of the file. Read into the RIS
# tags above.
_WOS_START = re.compile(r"^(?:FN |PT [A-Z]\b)")
_WOS_TYPES = {"J": "JOUR", "B": "BOOK", "S": "BOOK", "C": "CONF", "P": "GEN"}
_WOS_MANY = {"AU", "AF", "ED", "BE", "CR", "C1"}  # one value per line
_WOS_TAGS = {
    "TI": "TI",
    "SO": "JF",
    "LA": "LA",
    "AB": "AB",
    "PU": "PB",
    "PI": "CY",
    "SN": "SN",
    "EI": "SN",
    "BN": "SN",
    "PY": "PY",
    "VL": "VL",
    "IS": "IS",
    "BP": "SP",
    "EP": "EP",
    "DI": "DO",
}


def _read_wos(text: str, source: str, parsed: ParsedFile) -> ParsedFile:
    fields: list[tuple[str, str]] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.lstrip("\ufeff").rstrip()
        if not line.strip():
            continue
        if line.startswith("   ") and fields:
            tag, value = fields[-1]
            if tag in _WOS_MANY:
                fields.append((tag, line.strip()))
            else:
                fields[-1] = (tag, f"{value} {line.strip()}")
            continue
        tag, _, value = line.partition(" ")
        if tag in ("FN", "VR", "EF"):
            continue
        if tag == "PT":
            start, fields = number, [("PT", value.strip())]
            continue
        if not start:
            parsed.errors.append(RowError.note(number, "ris-tag-outside", tag=tag, start="PT"))
            continue
        if tag == "ER":
            try:
                record, warnings = _record(_wos_as_ris(fields), source)
                parsed.rows.append((start, record))
                parsed.warnings.extend(RowError(start, code=c, params=p) for c, p in warnings)
            except RowRefused as exc:
                parsed.errors.append(RowError(start, code=exc.code, params=exc.params))
            except ValueError as exc:
                parsed.errors.append(RowError(start, str(exc)))
            start, fields = 0, []
            continue
        fields.append((tag, value.strip()))
    if start:
        parsed.errors.append(RowError.note(start, "wos-no-end"))
    return parsed


def _wos_as_ris(fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    kind = next((v for t, v in fields if t == "PT"), "J")
    ris = [("TY", _WOS_TYPES.get(kind, "GEN"))]
    full = [v for t, v in fields if t == "AF"]  # full names when the file has them
    ris += [("AU", v) for v in (full or [v for t, v in fields if t == "AU"])]
    ris += [("A2", v) for t, v in fields if t in ("ED", "BE")]
    for tag, value in fields:
        if tag in _WOS_TAGS:
            ris.append((_WOS_TAGS[tag], value))
        elif tag == "DE":
            ris += [("KW", k.strip()) for k in value.split(";") if k.strip()]
    return ris


def _person(value: str, role: AuthorRole):
    """RIS writes 'Last, First, Suffix' (Zotero, EndNote; 'Shannon,Claude E.' too); a name
    without a comma is a body's ('World Health Organization')."""
    if "," not in value:
        return author_from_name(value, AuthorKind.ORGANISATION, role)
    family, given, suffix = ([p.strip() for p in value.split(",", 2)] + ["", ""])[:3]
    return person(family, given, suffix, role)


def _host(values: dict[str, list[str]], periodical: str) -> str:
    """Where an article or chapter sits: 'Dans : Revue, vol. 9, n° 3, p. 379-423'."""

    def first(name: str) -> str:
        return values.get(name, [""])[0]

    parts = [periodical] if periodical else []
    if first("VL"):
        parts.append(f"vol. {first('VL')}")
    if first("IS"):
        parts.append(f"n° {first('IS')}")
    if first("SP") and "EP" in values:
        parts.append(f"p. {first('SP')}-{first('EP')}")
    elif first("SP") and not parse_pages(first("SP")):
        parts.append(f"p. {first('SP')}")
    return "Dans : " + ", ".join(parts) if parts else ""


def _urls(value: str) -> list[str]:
    # EndNote and Zotero put several addresses on one UR line, separated by ';' or spaces.
    return [u for u in re.split(r"[;\s]+", value) if u]


def _support(values: dict[str, list[str]]):
    from ..models import Support

    ty = values.get("TY", [""])[0].upper()
    return Support.ELECTRONIQUE if ty in ("ELEC", "EBOOK", "EJOUR") else Support.PAPIER


def _classify(value: str, isbn: str, issn: str) -> tuple[str, str]:
    if not value:
        return isbn, issn
    try:
        return isbn, issn or normalise_issn(value)
    except ValueError:
        pass
    try:
        return isbn or normalise_isbn(value), issn
    except ValueError:
        digits = re.sub(r"[^0-9Xx]", "", value)
        if len(digits) == 8 and not issn:
            return isbn, value
        return (isbn or value), issn


def _series(value: str) -> Series:
    """A T3 line: 'Cahiers Ville caraïbe ; 12' (ours), or a partner's series title alone."""
    title, _, number = value.rpartition(" ; ")
    if title and number and len(number) <= 20:
        return Series(title.strip(), series_number_text(number))
    return Series(value.strip(" ;"), "")
