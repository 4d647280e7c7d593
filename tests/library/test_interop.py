"""Partners' real files import clean: every file of `../shared/interop/` and of
`tests/data/interop/` (one folder per format, each file kept with its origin in SOURCES.md),
compared with what an independent reader (pymarc, lxml, rispy, bibtexparser, json) reads
from the same bytes. A file dropped into one of these folders is a new test.

Clean means: nothing refused, no replacement character (U+FFFD) or control character in
what would be stored, one record per distinct reference, each record with the title and the
number of names the independent reader finds, and the format recognised from the bytes.
"""

from __future__ import annotations

import json
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

from indexer.importing import plan_import
from library import Catalogue, Record
from library.formats.common import UNTITLED
from library.formats.readers import READERS, sniff
from library.text import sort_key
from tests.conftest import REPO, SHARED, _shared_dir
from webapp.messages import import_reason, row_message

FOLDERS = (SHARED / "interop", REPO / "tests" / "data" / "interop")
FORMAT_OF_FOLDER = {
    "bib": "bibtex",
    "csl": "csl-json",
    "csv": "csv",
    "marc": "iso2709",
    "marcxml": "marcxml",
    "oai": "oai_dc",
    "ris": "ris",
    "unimarc": "iso2709",
}
# What the fixtures' own projects say of their character set (pymarc's test reads 1251.dat as
# Windows-1251, bibtexparser's reads gbk_test.bib as GBK): the independent readers are told.
ENCODINGS = {"1251.dat": "cp1251", "gbk_test.bib": "gbk"}
_BAD_CHARS = re.compile("[\ufffd\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _files() -> list[Path]:
    found = []
    for folder in FOLDERS:
        if folder.is_dir():
            found += [
                p
                for p in sorted(folder.glob("*/*"))
                if p.is_file() and p.parent.name in FORMAT_OF_FOLDER and p.name != "SOURCES.md"
            ]
    return found


def _name(path: Path) -> str:
    return f"{path.parent.parent.parent.name}/{path.parent.name}/{path.name}"


@dataclass(frozen=True)
class Seen:
    """One record as the independent reader sees it."""

    title: str
    names: int
    year: str = ""


# -- the independent readers ------------------------------------------------------------------


def _pymarc(data: bytes, encoding: str) -> list[Seen]:
    import pymarc

    # pymarc reads a blank leader/09 as MARC-8, which UNIMARC is not: say UTF-8 for those.
    unimarc = any(r is not None and r.get("200") for r in pymarc.MARCReader(data))
    options = {"file_encoding": encoding} if encoding else {"force_utf8": unimarc}
    out = []
    reader = pymarc.MARCReader(data, to_unicode=True, utf8_handling="replace", **options)
    with warnings.catch_warnings():  # pymarc warns of the bytes it replaces: we count them
        warnings.simplefilter("ignore")
        records = list(reader)
    for record in records:
        if record is None:  # pymarc refuses a trailing line break after the last record
            assert data.endswith(b"\x1d\n"), reader.current_exception
            continue
        unimarc = record.get("200") is not None and record.get("245") is None
        title = record.get("200" if unimarc else "245")
        text = " ".join(title.get_subfields("a", "e" if unimarc else "b")) if title else ""
        tags = ("700", "701", "702", "710", "711", "712") if unimarc else ("100", "110", "111")
        tags += () if unimarc else ("700", "710", "711")
        names = sum(1 for f in record.get_fields(*tags) if f.get("a"))
        out.append(Seen(text, names))
    return out


def _marcxml(data: bytes, encoding: str) -> list[Seen]:
    from lxml import etree

    root = etree.fromstring(data)
    out = []
    for record in root.iter("{*}record"):
        leader = next((e.text or "" for e in record.iter("{*}leader")), "")
        kind = record.get("type") or ""
        if (kind and kind != "Bibliographic") or leader[6:7] in ("u", "v", "x", "y", "z"):
            continue  # holdings and authority records describe no document
        tags = {d.get("tag"): d for d in record.iter("{*}datafield")}
        unimarc = "200" in tags and "245" not in tags
        heading = tags.get("200" if unimarc else "245")
        codes = ("a", "e") if unimarc else ("a", "b")
        text = (
            " ".join(s.text or "" for s in heading if s.get("code") in codes)
            if heading is not None
            else ""
        )
        people = ("70", "71") if unimarc else ("100", "110", "111", "700", "710", "711")
        names = sum(1 for d in record.iter("{*}datafield") if d.get("tag", "").startswith(people))
        out.append(Seen(text, names))
    return out


def _rispy(data: bytes, encoding: str) -> list[Seen]:
    import io

    import rispy

    text = data.decode("utf-8-sig")
    if text.lstrip().startswith(("FN ", "PT ")):  # Web of Science's tagged export
        return [
            Seen(
                e.get("document_title", ""),
                len(e.get("author_full_name") or e.get("authors") or []),
                str(e.get("publication_year", "")),
            )
            for e in rispy.load(io.StringIO(text), implementation=rispy.WokParser)
        ]
    entries = rispy.load(io.StringIO(text))
    return [
        Seen(
            e.get("title") or e.get("primary_title") or UNTITLED,
            sum(
                len(e.get(k) or [])
                for k in (
                    "authors",
                    "first_authors",
                    "secondary_authors",
                    "tertiary_authors",
                    "subsidiary_authors",
                )
            ),
            (e.get("year") or e.get("publication_year") or "")[:4],
        )
        for e in entries
    ]


def _bibtexparser(data: bytes, encoding: str) -> list[Seen]:
    import bibtexparser
    from bibtexparser.middlewares.names import split_multiple_persons_names

    library = bibtexparser.parse_string(data.decode(encoding or "utf-8"))
    by_key = {e.key.lower(): e for e in library.entries}
    out = []
    for entry in library.entries:
        if entry.entry_type.lower() in ("set", "xdata"):
            continue
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        parent = by_key.get(fields.get("crossref", "").lower())
        if parent is not None and "editor" not in fields and "editor" in parent.fields_dict:
            fields["editor"] = str(parent.fields_dict["editor"].value)  # biblatex inherits it
        names = sum(
            len([n for n in split_multiple_persons_names(fields.get(k, "")) if n != "others"])
            for k in (
                "author",
                "editor",
                "translator",
                "illustrator",
                "foreword",
                "introduction",
                "afterword",
            )
            if fields.get(k)
        )
        out.append(Seen(fields.get("title") or UNTITLED, names))
    return out


def _csl(data: bytes, encoding: str) -> list[Seen]:
    items = json.loads(data)
    people = ("author", "editor", "translator", "illustrator", "collection-editor")
    return [
        Seen(i.get("title") or UNTITLED, sum(len(i.get(k) or []) for k in people))
        for i in items
        if any(v for k, v in i.items() if k not in ("id", "type"))  # an empty item is no record
    ]


def _oai(data: bytes, encoding: str) -> list[Seen]:
    from lxml import etree

    dc = "{http://purl.org/dc/elements/1.1/}"
    root = etree.fromstring(data)
    out = []
    for metadata in root.iter("{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"):
        titles = metadata.findall(dc + "title")
        names = len(metadata.findall(dc + "creator")) + len(metadata.findall(dc + "contributor"))
        out.append(Seen(titles[0].text if titles else "", names))
    return out


def _csv(data: bytes, encoding: str) -> list[Seen]:
    import csv
    import io

    text = data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";" if ";" in text[:500] else ","))
    title = next(k for k in rows[0] if k.lower() in ("titre", "title"))
    return [Seen(r[title], 0) for r in rows if (r[title] or "").strip()]


INDEPENDENT = {
    "iso2709": _pymarc,
    "marcxml": _marcxml,
    "ris": _rispy,
    "bibtex": _bibtexparser,
    "csl-json": _csl,
    "oai_dc": _oai,
    "csv": _csv,
}


# -- the test -------------------------------------------------------------------------------


def _text_of(record: Record) -> list[str]:
    values = [
        record.title,
        record.subtitle,
        record.publisher,
        record.place,
        record.abstract,
        record.notes,
        record.url,
        record.isbn,
        record.issn,
        record.call_number,
    ]
    values += [a.name for a in record.authors] + list(record.keywords) + list(record.territories)
    return values


def _params() -> list[Path | None]:
    # Without ../shared beside the checkout, one test says so (skipped, or failed under CI).
    return _files() + ([] if (SHARED / "interop").is_dir() else [None])


@pytest.mark.parametrize("path", _params(), ids=lambda p: _name(p) if p else "shared-missing")
def test_a_real_file_imports_clean(path: Path | None):
    if path is None:
        _shared_dir(SHARED / "interop", "the interoperability files")
        pytest.fail("../shared/interop is a folder without files")
    fmt = FORMAT_OF_FOLDER[path.parent.name]
    if fmt == "iso2709" and path.suffix == ".xml":
        fmt = "marcxml"  # UNIMARC in XML (MarcXchange, or the MARCXML slim schema)
    data = path.read_bytes()
    # GIVEN a partner's file, WHEN it is read as `fonds import` reads it (format sniffed)
    assert sniff(data[:4096], path.suffix) == fmt, "format not recognised from the bytes"
    parsed = READERS[fmt](data, source=path.name)
    plan = plan_import(Catalogue.open(":memory:"), parsed)
    # THEN nothing is refused
    assert plan.errors == [], [f"{plan.unit} {e.line}: {row_message(e)}" for e in plan.errors]
    # and what would be stored holds no replacement or control character
    for row in plan.rows:
        for value in _text_of(row.record):
            bad = _BAD_CHARS.findall(value.replace("\n", " ").replace("\t", " "))
            assert not bad, (row.line, value[:80], bad)
            assert value == unicodedata.normalize("NFC", value), (row.line, value[:80])
            # letters, not bytes of another character set read as combining marks
            marks = sum(1 for c in value if unicodedata.combining(c))
            assert marks <= 2 or marks * 3 <= sum(c.isalpha() for c in value), value[:80]
    # and each record is the one the independent reader sees, with as many names
    seen = INDEPENDENT[fmt](data, ENCODINGS.get(path.name, ""))
    assert len(parsed.rows) == len(seen)
    for (line, record), other in zip(parsed.rows, seen, strict=True):
        # the same title, give or take markup (LaTeX commands the other reader keeps raw)
        ours = set(sort_key(record.title).split())
        theirs = set(sort_key(re.sub(r"\\([a-zA-Z]+)|[{}\\]", r"\1", other.title)).split())
        assert len(ours & theirs) >= 0.5 * len(ours), (line, record.title, other.title)
        if fmt != "csv":
            assert len(record.authors) == other.names, (line, record.authors)
    # and one record per distinct reference: the same one twice is skipped, with its reason
    created = [r for r in plan.rows if r.action == "create"]
    skipped = [r for r in plan.rows if r.action == "skip"]
    assert all(r.reason_code == "same-reference-in-file" for r in skipped)
    assert all("même référence" in import_reason(r) for r in skipped)
    assert len(created) + len(skipped) == len(seen)
    distinct = {
        (
            sort_key(f"{r.record.title} {r.record.subtitle}"),
            r.record.year,
            r.record.isbn,
            r.record.authors[0].name if r.record.authors else "",
        )
        for r in plan.rows
    }
    assert len(created) <= len(distinct)


# -- damaged files ----------------------------------------------------------------------------
DAMAGED = REPO / "tests" / "data" / "interop-damaged"


@pytest.mark.parametrize(
    "path",
    sorted(p for p in DAMAGED.glob("*/*") if p.name != "SOURCES.md"),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_a_damaged_real_file_is_refused_with_the_position_of_each_fault(path: Path):
    fmt = FORMAT_OF_FOLDER[path.parent.name]
    parsed = READERS[fmt](path.read_bytes(), source=path.name)
    assert parsed.errors
    for error in parsed.errors:
        assert error.line >= 1 and row_message(error).strip()
        if fmt == "iso2709":  # a binary file: the byte offset too
            assert "(octet " in row_message(error), row_message(error)
