"""Catalogue records as UNIMARC (bibliographic), the format PMB and French catalogues read.

Fields written: 001 (OAI identifier), 003 (record page), 005, 010/011 (ISBN/ISSN), 100 (coded
data, UTF-8 declared as "50"), 101 (language, ISO 639-2), 200 (title, subtitle, statement),
205 (edition), 210 (place, publisher, date), 215 (physical description, else pages), 225
(collection $a and number $v, one per collection), 300 (public note), 330 (abstract), 461
(an article's periodical: $t title, $x ISSN) with 463 (its issue: $v number, $d date, $p
pages), 606 (thematics), 607 (territories), 608 (document type), 610 (keywords), 700/701 and
710/711 (authors), 856; the internal note goes in the local field 990 $a (a partner's own 9XX).
Holdings: one 995 per copy as Koha's and PMB's UNIMARC have it: $e location, $f barcode,
$k call number (the owning and holding library codes, $b and $c, are the partner's own: left
out). A partner's 995 comes back as copies the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..identifiers import normalise_isbn, normalise_issn
from ..models import AuthorKind, AuthorRole, DocType, Host, Record, Series, Support
from .common import (
    PERIODICAL_TYPES,
    UNIMARC_RELATORS,
    ExportContext,
    author_from_name,
    copies_from_fields,
    exported_copies,
    import_source,
    in_statement_order,
    isbd_part,
    language_639_1,
    language_639_2,
    parse_date,
    parse_pages,
    person,
    physical_fields,
    physical_from_fields,
    role_of,
    series_number_text,
    type_by_label,
)
from .holdings_csv import RowRefused
from .hosts import issue_label, parse_date_words, periodical_host
from .marc import MarcRecord

_LEVEL = {DocType.ARTICLE: "a", DocType.REVUE: "s", DocType.LETTRE_INFORMATION: "s"}


def to_marc(record: Record, ctx: ExportContext, *, deleted: bool = False) -> MarcRecord:
    type_code = "l" if record.support is Support.ELECTRONIQUE else "a"
    status = (
        "d"
        if deleted or record.deleted
        else ("c" if record.created_at != record.updated_at else "n")
    )
    level = _LEVEL.get(record.doc_type, "m")
    marc = MarcRecord(leader=f"00000{status}{type_code}{level}0 2200000   450 ")
    marc.add_control("001", ctx.identifier(record))
    marc.add_control("003", ctx.record_url(record))
    marc.add_control("005", _version(record.updated_at))
    if record.isbn:
        marc.add("010", "  ", ("a", record.isbn))
    if record.issn:
        marc.add("011", "  ", ("a", record.issn))
    marc.add("100", "  ", ("a", _coded_data(record)))
    marc.add("101", "0 ", ("a", language_639_2(record.language)))
    names = [a.display for a in record.authors]
    marc.add(
        "200",
        "1 ",
        ("a", record.title),
        ("e", record.subtitle),
        ("f", names[0] if names else ""),
        *[("g", n) for n in names[1:]],
    )
    marc.add("205", "  ", ("a", record.edition))
    marc.add(
        "210",
        "  ",
        ("a", record.place),
        ("c", record.publisher),
        ("d", str(record.year) if record.year else ""),
    )
    extent, other, dimensions = physical_fields(record)
    marc.add("215", "  ", ("a", extent), ("c", other), ("d", dimensions))
    for series in record.series:
        marc.add("225", "2 ", ("a", series.title), ("v", series.number))
    marc.add("300", "  ", ("a", record.public_note))
    if record.host is not None:
        host = record.host
        marc.add("461", " 1", ("t", host.title), ("x", host.issn))
        marc.add(
            "463",
            " 1",
            ("v", issue_label(host.number)),
            ("d", host.date),
            ("p", f"p. {host.pages}" if host.pages else ""),
        )
    marc.add("990", "  ", ("a", record.notes))
    marc.add("330", "  ", ("a", record.abstract))
    for theme in record.themes:
        marc.add("606", "  ", ("a", ctx.theme_label(theme.slug)), ("2", "local"))
    for territory in record.territories:
        marc.add("607", "  ", ("a", territory))
    marc.add("608", "  ", ("a", record.doc_type.label), ("2", "local"))
    for keyword in record.keywords:
        marc.add("610", "0 ", ("a", keyword))
    # 700/710 the main author, 701/711 the other authors, 702/712 the other roles (translator,
    # director, illustrator, preface), each with its relator code in $4.
    first = True
    for author in record.authors:
        role = AuthorRole(author.role)
        main = role is AuthorRole.AUTHOR
        if author.kind is AuthorKind.PERSON:
            tag = ("700" if first else "701") if main else "702"
            marc.add(
                tag,
                " 1",
                ("a", author.family),
                ("b", author.given),
                ("c", author.suffix),
                ("4", UNIMARC_RELATORS[role]),
            )
        else:
            tag = ("710" if first else "711") if main else "712"
            marc.add(tag, "02", ("a", author.name), ("4", UNIMARC_RELATORS[role]))
        first = first and not main
    if record.url:
        marc.add("856", "4 ", ("u", record.url))
    for copy in exported_copies(record):
        marc.add("995", "  ", ("e", copy.location), ("f", copy.barcode), ("k", copy.call_number))
    # Fields go out in tag order, as ISO 2709 readers expect.
    marc.fields.sort(key=lambda f: f.tag)
    return marc


def _version(timestamp: str) -> str:
    digits = "".join(c for c in timestamp if c.isdigit())[:14]
    return f"{digits}.0" if len(digits) == 14 else ""


def _coded_data(record: Record) -> str:
    """100$a, 36 positions: entry date, type of date and dates, audience, government
    publication, modified, language of cataloguing, transliteration, character set (50 =
    ISO 10646, UTF-8), script of title (ba = Latin)."""
    entered = "".join(c for c in record.created_at if c.isdigit())[:8].ljust(8, "0")
    year = f"{record.year:04d}" if record.year else "    "
    if len(record.date) == 10:
        date_type, date2 = "j", record.date[5:7] + record.date[8:10]  # detailed date
    else:
        date_type, date2 = ("d", "    ") if record.year else ("f", "    ")
    if record.doc_type in PERIODICAL_TYPES and record.doc_type is not DocType.ARTICLE:
        date_type, date2 = "a", "9999"
    gov = "u" if record.doc_type is DocType.TEXTE_OFFICIEL else "y"
    value = f"{entered}{date_type}{year}{date2}m  {gov}0frey50      ba"
    assert len(value) == 36, value
    return value


def from_marc(marc: MarcRecord, source_name: str = "") -> Record:
    """A catalogue record from a UNIMARC record (ours or a partner's)."""
    marc = without_sorting_marks(marc)
    title = strip_isbd(marc.value("200", "a"))
    if not title.strip():
        raise RowRefused("marc-no-title", zone="200")
    subtitle = (
        " : ".join(strip_isbd(e) for e in marc.all("200")[0].get_all("e") if strip_isbd(e))
        if marc.first("200")
        else ""
    )
    authors = []
    for f in sorted(
        (f for f in marc.fields if f.tag in ("700", "701", "702", "710", "711", "712")),
        key=lambda f: (f.tag[2] == "2", marc.fields.index(f)),
    ):
        codes = [role_of(code) for code in f.get_all("4")]
        role = next((r for r in codes if r is not None), AuthorRole.AUTHOR)
        if f.tag.startswith("70") and (f.get("a") or f.get("g") or f.get("b")):
            # $g is the full forename when $b holds initials only: take the fuller one.
            given = f.get("g") if len(f.get("g")) > len(f.get("b")) else f.get("b")
            authors.append(person(f.get("a"), given, "", role))
        elif f.get("a"):
            parts = [strip_isbd(p) for p in [f.get("a"), *f.get_all("b")]]
            name = ". ".join(p for p in parts if p)
            if f.get("c"):
                name = f"{name} {f.get('c')}"
            authors.append(author_from_name(name, AuthorKind.ORGANISATION, role))
    heading = marc.first("200")
    statement = " ; ".join(heading.get_all("f") + heading.get_all("g")) if heading else ""
    coded = marc.value("100", "a")
    date, year = parse_date(marc.value("210", "d") or marc.value("214", "d"))
    if not year and len(coded) >= 13 and coded[9:13].isdigit():
        date, year = coded[9:13], int(coded[9:13])
    if year and len(coded) >= 17 and coded[8] == "j" and coded[13:17].isdigit():
        date, _ = parse_date(f"{year}-{coded[13:15]}-{coded[15:17]}")
    doc_type = _doc_type(marc)
    host = _host(marc)
    support = Support.ELECTRONIQUE if marc.leader[6:7] == "l" else Support.PAPIER
    return Record(
        title=title.strip(),
        subtitle=subtitle.strip(),
        authors=in_statement_order(authors, statement),
        publisher=strip_isbd(marc.value("210", "c") or marc.value("214", "c")),
        place=strip_isbd(marc.value("210", "a") or marc.value("214", "a")),
        date=date,
        year=year,
        doc_type=doc_type,
        support=support,
        language=language_639_1(marc.value("101", "a")),
        pages=parse_pages(marc.value("215", "a")),
        physical_description=physical_from_fields(
            isbd_part(marc.value("215", "a")),
            isbd_part(marc.value("215", "c")),
            isbd_part(marc.value("215", "d")),
        ),
        edition=isbd_part(marc.value("205", "a")),
        series=tuple(
            Series(strip_isbd(f.get("a")), series_number_text(strip_isbd(f.get("v"))))
            for f in marc.all("225")
            if strip_isbd(f.get("a"))
        ),
        public_note="\n".join(marc.values("300", "a")),
        isbn=_checked(marc.value("010", "a"), normalise_isbn),
        issn=_checked(marc.value("011", "a"), normalise_issn),
        host=host,
        abstract="\n".join(marc.values("330", "a")),
        keywords=_unique(marc.values("606", "a") + marc.values("610", "a")),
        territories=_unique(marc.values("607", "a")),
        url=marc.value("856", "u"),
        notes="\n".join(marc.values("990", "a")),
        source=import_source(source_name, _identifier(marc)),
        copies=holdings(marc) if support is Support.PAPIER else (),
    )


def holdings(marc: MarcRecord) -> tuple:
    """The copies of a UNIMARC record's 995 fields (Koha, PMB, ours): $f barcode, $k call
    number, $e location."""
    return copies_from_fields(
        (strip_isbd(f.get("f")), f.get("k"), f.get("e")) for f in marc.all("995")
    )


# Non-sorting markers around a leading article ('\x88Les \x89misérables'): NSB/NSE of
# ISO 6429 as UNIMARC in UTF-8 writes them, and the older SOS/ST pair some systems use.
_SORTING_MARKS = str.maketrans("", "", "\x88\x89\x98\x9c")


def without_sorting_marks(marc: MarcRecord) -> MarcRecord:
    """The record without its non-sorting markers: they order a catalogue's index and are
    never shown."""
    for f in marc.fields:
        f.subfields = [(c, v.translate(_SORTING_MARKS)) for c, v in f.subfields]
    return marc


def strip_isbd(value: str) -> str:
    """A value without the ISBD punctuation that separates it from the next one
    ('Escape from loneliness /', 'Paris :', 'Westminster Press,'); initials keep their point."""
    value = " ".join(value.split())
    while value and value[-1] in "/:;,=" and not value.endswith("..."):
        value = value[:-1].rstrip()
    initial = len(value) >= 3 and value[-3] in " ,.-"
    abbreviation = re.search(r"\b(?:etc|cf|éd|ed|dir|trad|ill|Jr|Sr|St|[A-Z])\.$", value)
    if value.endswith(".") and not value.endswith("..") and not initial and not abbreviation:
        value = value[:-1]
    return value.strip()


def _host(marc: MarcRecord) -> Host | None:
    """An article's host from 461 (periodical: $t, $x) and 463 (issue: $v, $d, pages in $p,
    else in $v after the number as some systems write it)."""
    periodical, issue = marc.first("461"), marc.first("463")
    if periodical is None or issue is None:
        return None
    number = re.sub(r"^(?:n[°o]\.?|no\.?|num[ée]ro)\s*", "", strip_isbd(issue.get("v")), flags=re.I)
    pages = strip_isbd(issue.get("p"))
    if not pages and re.search(r",\s*p{1,2}\.", number):
        number, _, pages = number.partition(",")
    return periodical_host(
        strip_isbd(periodical.get("t")),
        issn=periodical.get("x").strip(),
        number=number,
        date=parse_date_words(strip_isbd(issue.get("d"))),
        pages=pages,
    )


def _identifier(marc: MarcRecord) -> str:
    value = marc.control_value("001").strip()
    return value if value.startswith("oai:") else (f"unimarc:{value}" if value else "")


def _doc_type(marc: MarcRecord) -> DocType:
    for label in marc.values("608", "a"):
        found = type_by_label(label)
        if found:
            return found
    coded = marc.value("105", "a")
    if len(coded) >= 8:
        contents = coded[4:8]
        if "m" in contents:
            return DocType.MEMOIRE
        if "n" in contents:
            return DocType.TEXTE_OFFICIEL
        if "p" in contents:
            return DocType.RAPPORT
        if len(coded) > 8 and coded[8] == "1":
            return DocType.ACTES
    return {"a": DocType.ARTICLE, "s": DocType.REVUE}.get(marc.leader[7:8], DocType.OUVRAGE)


def _checked(value: str, normalise) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        return normalise(value.split()[0])
    except ValueError:
        return value


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
