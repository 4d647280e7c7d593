"""Catalogue records as MARC 21 bibliographic records (Koha, US/Canadian catalogues, OAI-PMH
`marcxml`).

Fields written: 001 (OAI identifier), 005, 008, 020/022 (ISBN/ISSN), 041 (language), 100/110
(first author), 245 (title), 250 (edition), 264 (publication), 300 (physical description,
else pages), 490 (collection $a and number $v, traced) with 830 (its heading), 500 (public
note), 590 (the internal note: MARC's local note), 520 (abstract), 650 (thematics), 651
(territories), 653 (keywords), 655 (document type), 700/710 (other authors), 773 (an
article's host: $t periodical, $g "n° 3 (déc. 2010), p. 12-25", $x ISSN), 856 (URL and
record page), 852 (holdings: one per copy, $b location, $h call number, $p barcode). On import,
852 and Koha's item field 952 give the copies.
"""

from __future__ import annotations

import re

from ..identifiers import normalise_isbn, normalise_issn
from ..models import Author, AuthorKind, AuthorRole, DocType, Host, Record, Series, Support
from .common import (
    MARC21_RELATORS,
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
from .hosts import host_g, parse_host_g, periodical_host
from .marc import MarcRecord
from .unimarc import _checked, _unique, without_sorting_marks
from .unimarc import strip_isbd as _strip_isbd

_LEVEL = {DocType.ARTICLE: "a", DocType.REVUE: "s", DocType.LETTRE_INFORMATION: "s"}
# 008/24-27 nature of contents (books).
_CONTENTS = {
    DocType.MEMOIRE: "m",
    DocType.TEXTE_OFFICIEL: "l",
    DocType.RAPPORT: "t",
    DocType.ETUDE: "t",
    DocType.COMPTE_RENDU: "t",
}


def to_marc(record: Record, ctx: ExportContext, *, deleted: bool = False) -> MarcRecord:
    status = (
        "d"
        if deleted or record.deleted
        else ("c" if record.created_at != record.updated_at else "n")
    )
    level = _LEVEL.get(record.doc_type, "m")
    # 06 'a' language material (electronic texts too; the form is in 008/23), 09 'a' UCS,
    # 17 '7' minimal level, 18 'c' ISBD punctuation omitted, 20-23 entry map.
    marc = MarcRecord(leader=f"00000{status}a{level} a22000007c 4500")
    marc.add_control("001", ctx.identifier(record))
    marc.add_control("005", _version(record.updated_at))
    marc.add_control("008", _fixed(record))
    if record.isbn:
        marc.add("020", "  ", ("a", record.isbn))
    if record.issn:
        marc.add("022", "  ", ("a", record.issn))
    if record.language and record.language != "und":
        marc.add("041", "  ", ("a", language_639_2(record.language)))
    authors = list(record.authors)
    # The main entry is the first author (100/110); everyone else, authors and the other roles
    # alike, is an added entry (700/710), each with its relator code ($4) and term ($e).
    main = next((a for a in authors if AuthorRole(a.role) is AuthorRole.AUTHOR), None)
    if main is not None:
        marc.add("110" if main.kind is AuthorKind.ORGANISATION else "100", *_entry(main))
    statement = ", ".join(a.display for a in authors)
    marc.add(
        "245",
        ("1" if authors else "0") + "0",
        ("a", record.title),
        ("b", record.subtitle),
        ("c", statement),
    )
    marc.add("250", "  ", ("a", record.edition))
    marc.add(
        "264",
        " 1",
        ("a", record.place),
        ("b", record.publisher),
        ("c", str(record.year) if record.year else ""),
    )
    extent, other, dimensions = physical_fields(record)
    marc.add("300", "  ", ("a", extent), ("b", other), ("c", dimensions))
    for series in record.series:
        marc.add("490", "1 ", ("a", series.title), ("v", series.number))
    marc.add("500", "  ", ("a", record.public_note))
    marc.add("590", "  ", ("a", record.notes))
    marc.add("520", "  ", ("a", record.abstract))
    for theme in record.themes:
        marc.add("650", " 7", ("a", ctx.theme_label(theme.slug)), ("2", "local"))
    for territory in record.territories:
        marc.add("651", " 4", ("a", territory))
    for keyword in record.keywords:
        marc.add("653", "  ", ("a", keyword))
    marc.add("655", " 7", ("a", record.doc_type.label), ("2", "local"))
    for author in authors:
        if author is not main:
            marc.add("710" if author.kind is AuthorKind.ORGANISATION else "700", *_entry(author))
    if record.host is not None:
        host = record.host
        marc.add("773", "0 ", ("t", host.title), ("g", host_g(host)), ("x", host.issn))
    for series in record.series:
        marc.add("830", " 0", ("a", series.title), ("v", series.number))
    if record.url:
        marc.add("856", "40", ("u", record.url))
    page = ctx.record_url(record)
    if page:
        marc.add("856", "42", ("u", page), ("z", "Notice du centre de ressources"))
    # Holdings: one 852 per copy, $b location, $h call number, $p barcode (piece designation).
    for copy in exported_copies(record):
        marc.add("852", "8 ", ("b", copy.location), ("h", copy.call_number), ("p", copy.barcode))
    marc.fields.sort(key=lambda f: f.tag)
    return marc


def _entry(author: Author) -> tuple[str, *tuple[tuple[str, str], ...]]:
    """Indicators and subfields of a 100/110/700/710: the name as catalogued ($a, with a
    suffix in $c), the relator term ($e) and code ($4)."""
    role = AuthorRole(author.role)
    if author.kind is AuthorKind.ORGANISATION:
        return ("2 ", ("a", author.name), ("e", _TERMS[role]), ("4", MARC21_RELATORS[role]))
    name = f"{author.family}, {author.given}" if author.given else author.family
    return (
        "1 ",
        ("a", name),
        ("c", author.suffix),
        ("e", _TERMS[role]),
        ("4", MARC21_RELATORS[role]),
    )


_TERMS = {
    AuthorRole.AUTHOR: "author",
    AuthorRole.TRANSLATOR: "translator",
    AuthorRole.EDITOR: "editor",
    AuthorRole.ILLUSTRATOR: "illustrator",
    AuthorRole.PREFACE: "author of introduction",
}


def _version(timestamp: str) -> str:
    digits = "".join(c for c in timestamp if c.isdigit())[:14]
    return f"{digits}.0" if len(digits) == 14 else ""


def _fixed(record: Record) -> str:
    """008, 40 positions (books layout)."""
    entered = "".join(c for c in record.created_at if c.isdigit())[2:8].ljust(6, "0")
    if record.year and len(record.date) == 10:
        dates = f"e{record.year:04d}{record.date[5:7]}{record.date[8:10]}"
    elif record.year:
        dates = f"s{record.year:04d}    "
    else:
        dates = "nuuuuuuuu"
    form = (
        "o"
        if record.support is Support.ELECTRONIQUE and record.url
        else ("s" if record.support is Support.ELECTRONIQUE else " ")
    )
    contents = _CONTENTS.get(record.doc_type, " ").ljust(4)
    conference = "1" if record.doc_type is DocType.ACTES else "0"
    government = "u" if record.doc_type is DocType.TEXTE_OFFICIEL else " "
    value = (
        f"{entered}{dates}xx      {form}{contents}{government}{conference}00 0 "
        f"{language_639_2(record.language)} d"
    )
    assert len(value) == 40, value
    return value


def from_marc(marc: MarcRecord, source_name: str = "") -> Record:
    """A catalogue record from a MARC 21 record."""
    marc = without_sorting_marks(marc)
    title = _strip_isbd(marc.value("245", "a"))
    if not title:
        raise RowRefused("marc-no-title", zone="245")
    authors = []
    for f in marc.fields:
        if f.tag not in ("100", "110", "111", "700", "710", "711") or not f.get("a"):
            continue
        # Relator terms are in $e, but in $j for meetings (their $e is a subordinate unit).
        terms = [*f.get_all("4"), *f.get_all("j" if f.tag[1:] == "11" else "e")]
        roles = [role_of(t) for t in terms]
        role = next((r for r in roles if r is not None), AuthorRole.AUTHOR)
        if f.tag[1:] == "00":
            # 100/700 ind1 0 = forename only ('Homer'), 1 = surname, forename; $c holds
            # titles and suffixes ('Jr.'), kept only when they are a suffix.
            family, _, given = _strip_isbd(f.get("a")).partition(",")
            suffix = next((c for c in map(_strip_isbd, f.get_all("c")) if _SUFFIX.fullmatch(c)), "")
            authors.append(person(family, given, suffix, role))
        else:
            # 110/710 bodies, 111/711 meetings: the name and its subordinate units.
            parts = [_strip_isbd(p) for p in [f.get("a"), *f.get_all("b")]]
            name = ". ".join(p for p in parts if p)
            authors.append(author_from_name(name, AuthorKind.ORGANISATION, role))
    publication = marc.first("264") or marc.first("260")
    date, year = parse_date(publication.get("c") if publication else "")
    fixed = marc.control_value("008")
    if len(fixed) >= 15 and fixed[7:11].isdigit():
        if not year:
            date, year = fixed[7:11], int(fixed[7:11])
        if fixed[6] == "e" and fixed[11:15].isdigit() and year == int(fixed[7:11]):
            date, _ = parse_date(f"{year}-{fixed[11:13]}-{fixed[13:15]}")
    language = marc.value("041", "a") or (fixed[35:38] if len(fixed) >= 38 else "")
    urls = [f.get("u") for f in marc.all("856") if f.get("u") and f.ind2 != "2"]
    support = Support.ELECTRONIQUE if len(fixed) > 23 and fixed[23] in "osq" else Support.PAPIER
    return Record(
        title=title,
        subtitle=_strip_isbd(marc.value("245", "b")),
        authors=in_statement_order(authors, marc.value("245", "c")),
        publisher=_strip_isbd(publication.get("b")) if publication else "",
        place=_strip_isbd(publication.get("a")) if publication else "",
        date=date,
        year=year,
        doc_type=_doc_type(marc),
        support=support,
        language=language_639_1(language),
        pages=parse_pages(marc.value("300", "a")),
        physical_description=physical_from_fields(
            isbd_part(marc.value("300", "a")),
            isbd_part(marc.value("300", "b")),
            isbd_part(marc.value("300", "c")),
        ),
        edition=isbd_part(marc.value("250", "a")),
        series=_series(marc),
        public_note="\n".join(marc.values("500", "a")),
        isbn=_checked(marc.value("020", "a"), normalise_isbn),
        issn=_checked(marc.value("022", "a"), normalise_issn),
        host=_host(marc),
        abstract="\n".join(marc.values("520", "a")),
        keywords=_unique(marc.values("650", "a") + marc.values("653", "a")),
        territories=_unique(marc.values("651", "a")),
        url=urls[0] if urls else "",
        notes="\n".join(marc.values("590", "a")),
        source=import_source(source_name, _identifier(marc)),
        copies=holdings(marc) if support is Support.PAPIER else (),
    )


def _host(marc: MarcRecord) -> Host | None:
    """An article's host from 773: the periodical ($t, else $a), its ISSN ($x), the issue,
    its date and the pages from $g."""
    field = marc.first("773")
    if field is None:
        return None
    number, when, pages = parse_host_g(" ".join(field.get_all("g")))
    return periodical_host(
        _strip_isbd(field.get("t") or field.get("a")),
        issn=field.get("x").strip(),
        number=number,
        date=when,
        pages=pages,
    )


def holdings(marc: MarcRecord) -> tuple:
    """The copies of a MARC 21 record: 852 ($p barcode, $h and $i call number, $b or $c
    location; ours and most systems'), and Koha's item field 952 ($p barcode, $o call number,
    $c shelving location)."""
    rows = [
        (f.get("p"), " ".join(f.get_all("h") + f.get_all("i")), f.get("b") or f.get("c"))
        for f in marc.all("852")
    ]
    rows += [(f.get("p"), f.get("o"), f.get("c")) for f in marc.all("952")]
    return copies_from_fields(rows)


def _series(marc: MarcRecord) -> tuple[Series, ...]:
    """Collections from 490 (as the document states them), else from 830 (their headings)."""
    fields = marc.all("490") or marc.all("830")
    return tuple(
        Series(_strip_isbd(f.get("a")), series_number_text(_strip_isbd(f.get("v"))))
        for f in fields
        if _strip_isbd(f.get("a"))
    )


def _identifier(marc: MarcRecord) -> str:
    value = marc.control_value("001").strip()
    if value.startswith("oai:"):
        return value
    org = marc.control_value("003").strip()
    return f"marc21:{org + ':' if org else ''}{value}" if value else ""


_SUFFIX = re.compile(r"(?:Jr|Sr|Jnr|Snr)\.?|[IVX]{1,5}|\d(?:st|nd|rd|th)", re.I)


def _doc_type(marc: MarcRecord) -> DocType:
    for label in marc.values("655", "a"):
        found = type_by_label(label)
        if found:
            return found
    fixed = marc.control_value("008")
    contents = fixed[24:28] if len(fixed) >= 28 else ""
    if "m" in contents:
        return DocType.MEMOIRE
    if "l" in contents:
        return DocType.TEXTE_OFFICIEL
    if "t" in contents:
        return DocType.RAPPORT
    if len(fixed) > 29 and fixed[29] == "1":
        return DocType.ACTES
    return {"a": DocType.ARTICLE, "s": DocType.REVUE}.get(marc.leader[7:8], DocType.OUVRAGE)
