"""The documentalist's spreadsheet of paper holdings (CSV) as records with their copies.

UTF-8 (with or without BOM) or Windows-1252, `;` or `,` (sniffed from the header line).
Column names are matched without accents or case ("Mots-clés" = mots_cles); see the README
for the list. A bad row is reported with its line number; the other rows are kept.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..identifiers import normalise_isbn, normalise_issn
from ..models import (
    DOC_TYPE_LABELS,
    Author,
    AuthorKind,
    AuthorRole,
    Copy,
    DocType,
    Record,
    Series,
    Support,
    ThemeAssignment,
    ThemeSource,
)
from ..names import is_organisation
from ..text import clean_line, fold
from ..validation import Problem, Refused, acquisition_date_problem, series_number_problem
from .common import split_role
from .spreadsheet import restore

COLUMNS = (
    "titre",
    "sous_titre",
    "auteurs",
    "editeur",
    "lieu",
    "annee",
    "date",
    "type",
    "support",
    "langue",
    "pages",
    "isbn",
    "issn",
    "cote",
    "resume",
    "mots_cles",
    "territoires",
    "thematiques",
    "url",
    "collection",
    "numero_collection",
    "edition",
    "description_materielle",
    "note_publique",
    "notes",
    "date_acquisition",
    "code_barres",
    "localisation",
    "identifiant",  # the record's identifier in its system of origin (our exports write it)
)
_ALIASES = {
    "auteur": "auteurs",
    "editeurs": "editeur",
    "annee_de_publication": "annee",
    "mots_clefs": "mots_cles",
    "mots_cle": "mots_cles",
    "thematique": "thematiques",
    "territoire": "territoires",
    "code_barre": "code_barres",
    "codes_barres": "code_barres",
    "localisations": "localisation",
    "langues": "langue",
    "sous-titre": "sous_titre",
    "resumes": "resume",
    "title": "titre",
    "collections": "collection",
    "numeros_collection": "numero_collection",
    "numero_de_collection": "numero_collection",
    "mention_d_edition": "edition",
    "note_interne": "notes",
}
_TYPE_BY_LABEL = {fold(label): t for t, label in DOC_TYPE_LABELS.items()}
_TYPE_BY_LABEL.update(
    {
        "memoire": DocType.MEMOIRE,
        "these": DocType.MEMOIRE,
        "fiche d'experience": DocType.FICHE_EXPERIENCE,
        "guide methodologique": DocType.GUIDE,
        "guide": DocType.GUIDE,
    }
)


@dataclass(frozen=True, slots=True)
class RowError:
    """A row refused or a warning on it: a message, or the rule's problems (library.validation),
    or a reader's code and its facts, that the edge words (webapp.messages.row_message).
    An `offset` among the facts is where the record starts in the file (bytes)."""

    line: int
    message: str = ""
    problems: tuple[Problem, ...] = ()
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def note(cls, line: int, code: str, **params: Any) -> RowError:
        return cls(line, code=code, params=params)


class RowRefused(ValueError):
    """A reader refuses a record: a code and its facts, for a RowError."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class ParsedFile:
    """Records read from a file, each with the line it starts on, and the rows refused."""

    rows: list[tuple[int, Record]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ";"
    unit: str = (
        "ligne"  # what `line` counts: "ligne" of a text file, "notice" of a MARC or XML file
    )


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, else GBK when the bytes are Chinese, else
    Windows-1252 (Latin-1 for its holes). Readers say so when it was not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Chinese legacy files (GBK, as bibtexparser's own test file) decode strictly as GBK into
    # CJK ideographs; Windows-1252 text almost never does.
    try:
        text = data.decode("gbk")
        wide = [c for c in text if ord(c) > 127]
        if wide and sum(1 for c in wide if "\u4e00" <= c <= "\u9fff") * 2 > len(wide):
            return text, "gbk"
    except UnicodeDecodeError:
        pass
    chars = []
    for byte in data:
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))  # the 5 holes of cp1252: Latin-1's control characters
    return "".join(chars), "cp1252"


def column_name(header: str) -> str:
    name = re.sub(r"[^a-z0-9]+", "_", fold(header.strip())).strip("_")
    return _ALIASES.get(name, name)


def read_holdings(data: bytes, *, source: str = "") -> ParsedFile:
    text, encoding = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    if first_line.count("\t") > max(first_line.count(";"), first_line.count(",")):
        delimiter = "\t"  # Zotero's and Mendeley's "tab-separated" variants
    parsed = ParsedFile(encoding=encoding, delimiter=delimiter)
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        parsed.errors.append(RowError.note(1, "csv-empty"))
        return parsed
    except csv.Error as exc:
        parsed.errors.append(RowError.note(1, "csv-bad-header", **_csv_reason(exc)))
        return parsed
    folded = [re.sub(r"[^a-z0-9]+", "_", fold(h.strip())).strip("_") for h in header]
    english = is_reference_manager(folded)
    names = [_ENGLISH.get(n, n) for n in folded] if english else [column_name(h) for h in header]
    known = REFERENCE_COLUMNS if english else COLUMNS
    unknown = [h for h, n in zip(header, names, strict=True) if n and n not in known]
    if unknown:
        shown = tuple(h[:40] for h in unknown[:20])
        parsed.warnings.append(
            RowError.note(1, "csv-unknown-columns", columns=shown, more=len(unknown) - len(shown))
        )
    if "titre" not in names:
        parsed.errors.append(RowError.note(1, "csv-no-title-column"))
        return parsed
    seen_barcodes: dict[str, int] = {}
    offset = 0  # lines before the text the reader reads (it restarts after a broken row)
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if reader.line_num + offset >= len(lines) and '"' in "".join(lines[line - 1 : line]):
                # A quote opened on this row never closes: the reader took every row after it
                # as one cell. Say where it opened and read on from the next line.
                parsed.errors.append(RowError.note(line, "csv-open-quote"))
                offset = line
                reader = csv.reader(
                    io.StringIO("".join(lines[line:]), newline=""),
                    delimiter=delimiter,
                    strict=True,
                )
                line = offset + 1
                continue
            parsed.errors.append(RowError.note(line, "csv-bad-row", **_csv_reason(exc)))
            line = reader.line_num + offset + 1
            continue
        start, line = line, reader.line_num + offset + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
            parsed.errors.append(
                RowError.note(start, "csv-too-many-cells", cells=len(cells), columns=len(names))
            )
            continue
        # restore: a cell our export neutralised ("'=…", see spreadsheet.py) reads as written
        row = {
            n: restore(c.strip()).strip() for n, c in zip(names, cells, strict=False) if n in known
        }
        try:
            record = _record(_from_reference_manager(row) if english else row, source)
        except Refused as exc:
            parsed.errors.append(RowError(start, problems=(exc.problem,)))
            continue
        except RowRefused as exc:
            parsed.errors.append(RowError(start, code=exc.code, params=exc.params))
            continue
        except ValueError as exc:
            parsed.errors.append(RowError(start, str(exc)))
            continue
        duplicate = next((c.barcode for c in record.copies if c.barcode in seen_barcodes), None)
        if duplicate:
            parsed.errors.append(
                RowError.note(
                    start, "csv-barcode-used", barcode=duplicate, first=seen_barcodes[duplicate]
                )
            )
            continue
        for copy in record.copies:
            seen_barcodes[copy.barcode] = start
        parsed.rows.append((start, record))
    return parsed


def _csv_reason(exc: csv.Error) -> dict[str, Any]:
    """The csv module's error: a cell over the limit (its size), else its own words."""
    message = str(exc)
    if "field larger than field limit" in message:
        return {"limit": csv.field_size_limit()}
    return {"detail": message}


# -- spreadsheets of reference managers --------------------------------------------------------
# Zotero's "Export to CSV" and Mendeley's write English column names, one cell of authors
# separated by '; ', and their own item types; they are read into the columns above.
_ENGLISH = {
    "key": "identifiant",  # Zotero's item key: a second import updates what the first made
    "item_type": "type",
    "type": "type",
    "document_type": "type",
    "reference_type": "type",
    "publication_year": "annee",
    "year": "annee",
    "author": "auteurs",
    "authors": "auteurs",
    "title": "titre",
    "publication_title": "publication",
    "journal": "publication",
    "source": "publication",
    "source_title": "publication",
    "isbn": "isbn",
    "issn": "issn",
    "doi": "doi",
    "url": "url",
    "abstract_note": "resume",
    "abstract": "resume",
    "date": "date",
    "pages": "pages_range",
    "num_pages": "pages",
    "issue": "issue",
    "volume": "volume",
    "publisher": "editeur",
    "place": "lieu",
    "city": "lieu",
    "language": "langue",
    "call_number": "cote",
    "extra": "extra",
    "notes": "notes",
    "note": "notes",
    "manual_tags": "mots_cles",
    "automatic_tags": "tags_auto",
    "keywords": "mots_cles",
    "tags": "mots_cles",
    "editor": "editors",
    "editors": "editors",
    "series_editor": "editors",
    "translator": "translators",
    "file_attachments": "fichiers",
    "short_title": "titre_court",
    "series": "collection",
    "series_number": "numero_collection",
    "edition": "edition",
}
REFERENCE_COLUMNS = frozenset(_ENGLISH.values())
_MARKERS = {"item_type", "publication_year", "abstract_note", "manual_tags", "authors", "author"}
_ITEM_TYPES = {
    "book": DocType.OUVRAGE,
    "booksection": DocType.OUVRAGE,
    "book_section": DocType.OUVRAGE,
    "journalarticle": DocType.ARTICLE,
    "journal_article": DocType.ARTICLE,
    "magazinearticle": DocType.ARTICLE,
    "newspaperarticle": DocType.ARTICLE,
    "article": DocType.ARTICLE,
    "report": DocType.RAPPORT,
    "thesis": DocType.MEMOIRE,
    "conferencepaper": DocType.ACTES,
    "conference_proceedings": DocType.ACTES,
    "statute": DocType.TEXTE_OFFICIEL,
    "bill": DocType.TEXTE_OFFICIEL,
    "case": DocType.TEXTE_OFFICIEL,
    "document": DocType.AUTRE,
    "webpage": DocType.AUTRE,
    "generic": DocType.AUTRE,
}


def is_reference_manager(names: list[str]) -> bool:
    """A spreadsheet of Zotero or Mendeley (English names) rather than ours."""
    return bool(_MARKERS & set(names)) and "titre" not in names and "title" in names


def _from_reference_manager(row: dict[str, str]) -> dict[str, str]:
    """A row of Zotero's or Mendeley's spreadsheet as a row of ours."""
    from .common import language_639_1, parse_date, parse_pages

    out = {k: v for k, v in row.items() if k in COLUMNS}
    kind = re.sub(r"[^a-z_]", "", row.get("type", "").lower())
    doc_type = _ITEM_TYPES.get(kind) or _ITEM_TYPES.get(kind.replace("_", ""), DocType.AUTRE)
    out["type"] = doc_type.value
    people = [p for p in re.split(r";\s*", row.get("auteurs", "")) if p.strip()]
    people += [f"{p} (dir.)" for p in re.split(r";\s*", row.get("editors", "")) if p.strip()]
    people += [f"{p} (trad.)" for p in re.split(r";\s*", row.get("translators", "")) if p.strip()]
    out["auteurs"] = "|".join(p.replace("|", "/") for p in people)
    date, year = parse_date(row.get("date", ""))
    py = row.get("annee", "")
    if py.isdigit() and len(py) == 4 and (not year or int(py) != year):
        date, year = py, int(py)
    out["date"], out["annee"] = date, str(year or "")
    out["langue"] = language_639_1(row.get("langue", "")) if row.get("langue") else "und"
    pages = parse_pages(row.get("pages", ""))
    out["pages"] = str(pages) if pages else ""
    publication = row.get("publication", "")
    if doc_type is DocType.ARTICLE and publication and not out.get("editeur"):
        out["editeur"], publication = publication, ""
    host = [publication] if publication else []
    for key, label in (("volume", "vol. "), ("issue", "n° "), ("pages_range", "p. ")):
        if row.get(key):
            host.append(label + row[key])
    notes = ["Dans : " + ", ".join(host)] if host else []
    notes += [row[k] for k in ("notes", "extra") if row.get(k)]
    if row.get("doi"):
        notes.append(f"DOI : {row['doi']}")
        out["url"] = out.get("url") or f"https://doi.org/{row['doi']}"
    out["notes"] = "\n".join(notes)
    tags = re.split(r";\s*", row.get("mots_cles", "")) + re.split(r";\s*", row.get("tags_auto", ""))
    out["mots_cles"] = "|".join(t for t in tags if t.strip())
    out["isbn"] = (row.get("isbn", "").split() or [""])[0]
    out["issn"] = (row.get("issn", "").replace(",", " ").split() or [""])[0]
    electronic = row.get("url") or row.get("fichiers") or row.get("doi")
    out["support"] = "electronique" if electronic else "papier"
    return out


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _record(row: dict[str, str], source: str) -> Record:
    title = clean_line(row.get("titre", ""))
    if not title:
        raise RowRefused("csv-no-title")
    year = None
    raw_year = row.get("annee", "")
    if raw_year:
        if not re.fullmatch(r"\d{4}", raw_year) or not 1000 <= int(raw_year) <= 2999:
            raise RowRefused("csv-bad-year", value=raw_year)
        year = int(raw_year)
    date = row.get("date", "")
    if date and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        raise RowRefused("csv-bad-date", value=date)
    if date and year is None:
        year = int(date[:4])
    pages = None
    if row.get("pages"):
        digits = re.sub(r"\s*(p\.?|pages?)$", "", row["pages"], flags=re.I)
        if not digits.isdigit():
            raise RowRefused("csv-bad-pages", value=row["pages"])
        pages = int(digits)
    doc_type = _doc_type(row.get("type", ""))
    support = Support.PAPIER
    if row.get("support"):
        folded = fold(row["support"])
        if folded.startswith("elec") or folded.startswith("num"):
            support = Support.ELECTRONIQUE
        elif not folded.startswith("pap"):
            raise RowRefused("csv-bad-support", value=row["support"])
    language = (row.get("langue") or "fr").lower()
    if not re.fullmatch(r"[a-z]{2}|und", language):
        raise RowRefused("csv-bad-language", value=row["langue"])
    copies = tuple(
        Copy(barcode=b, call_number=row.get("cote", ""), location=row.get("localisation", ""))
        for b in _split(row.get("code_barres", ""))
    )
    if copies and support is Support.ELECTRONIQUE:
        raise RowRefused("csv-electronic-copies")
    acquired = row.get("date_acquisition", "")
    refused = acquisition_date_problem(acquired)
    if refused:
        raise Refused(refused)
    return Record(
        title=title,
        subtitle=clean_line(row.get("sous_titre", "")),
        authors=tuple(_author(a) for a in _split(row.get("auteurs", ""))),
        publisher=row.get("editeur", ""),
        place=row.get("lieu", ""),
        date=date or (str(year) if year else ""),
        year=year,
        doc_type=doc_type,
        support=support,
        language=language,
        pages=pages,
        isbn=_identifier(row.get("isbn", ""), normalise_isbn),
        issn=_identifier(row.get("issn", ""), normalise_issn),
        call_number=row.get("cote", ""),
        abstract=row.get("resume", ""),
        keywords=_split(row.get("mots_cles", "")),
        territories=_split(row.get("territoires", "")),
        themes=tuple(
            ThemeAssignment(s, ThemeSource.MANUAL) for s in _split(row.get("thematiques", ""))
        ),
        url=row.get("url", ""),
        series=_series(row.get("collection", ""), row.get("numero_collection", "")),
        edition=row.get("edition", ""),
        physical_description=row.get("description_materielle", ""),
        public_note=row.get("note_publique", ""),
        notes=row.get("notes", ""),
        acquired_on=acquired,
        source=(f"import:{source}" if source else "import")
        + (f"#{row['identifiant']}" if row.get("identifiant") else ""),
        copies=copies,
    )


def _series(titles: str, numbers: str) -> tuple[Series, ...]:
    """`collection` and `numero_collection`, several separated by `|` in the same order:
    'Cahiers Ville caraïbe|Études urbaines' with '12|3-4'."""
    names = [t.strip() for t in titles.split("|")] if titles.strip() else []
    numbers_given = [n.strip() for n in numbers.split("|")] if numbers.strip() else []
    if len(numbers_given) > len(names):
        raise RowRefused("csv-numbers-without-series", value=numbers)
    series = []
    for position, name in enumerate(names):
        number = numbers_given[position] if position < len(numbers_given) else ""
        if not name:
            continue
        refused = series_number_problem(number)
        if refused:
            raise Refused(refused)
        series.append(Series(name, number))
    return tuple(series)


def _identifier(value: str, normalise) -> str:
    if not value:
        return ""
    try:
        return normalise(value)
    except ValueError:
        return value.strip()


def _author(text: str) -> Author:
    # "Nom, Prénom" is a person, unless the name is plainly an organisation's
    # ("Ministère de la Jeunesse, des Sports et de la Vie associative"); a role follows the
    # name in parentheses: "Dupont, Marie (trad.)".
    name, role = split_role(clean_line(text))
    if role is None:
        known = tuple(r.abbreviation for r in AuthorRole if r.abbreviation)
        raise RowRefused("csv-unknown-role", value=text, roles=known)
    person = "," in name and not is_organisation(name)
    kind = AuthorKind.PERSON if person else AuthorKind.ORGANISATION
    return Author(name, kind, role)


def _doc_type(value: str) -> DocType:
    if not value:
        return DocType.OUVRAGE
    try:
        return DocType(value.strip().lower())
    except ValueError:
        pass
    found = _TYPE_BY_LABEL.get(fold(value.strip()))
    if found is None:
        raise RowRefused("csv-unknown-type", value=value, types=tuple(t.value for t in DocType))
    return found


def not_utf8(encoding: str) -> RowError | None:
    """The warning of a file that was not UTF-8 (None when it was)."""
    if encoding.startswith("utf-8"):
        return None
    return RowError.note(1, "not-utf8", encoding=encoding)
