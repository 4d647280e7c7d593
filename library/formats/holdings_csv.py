"""The documentalist's spreadsheet of paper holdings (CSV) as records with their copies.

UTF-8 (with or without BOM) or Windows-1252, `;` or `,` (sniffed from the header line).
Column names are matched without accents or case ("Mots-clés" = mots_cles); see the README
for the list. A bad row is reported with its line number; the other rows are kept.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from ..identifiers import normalise_isbn, normalise_issn
from ..models import (
    DOC_TYPE_LABELS,
    Author,
    AuthorKind,
    Copy,
    DocType,
    Record,
    Support,
    ThemeAssignment,
    ThemeSource,
)
from ..names import is_organisation
from ..text import clean_line, fold
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
    "notes",
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
    line: int
    message: str


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
    """(text, encoding): UTF-8 with or without BOM, else Windows-1252 (Latin-1 for its holes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
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
    parsed = ParsedFile(encoding=encoding, delimiter=delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        parsed.errors.append(RowError(1, "fichier vide : une ligne d'en-tête est attendue"))
        return parsed
    names = [column_name(h) for h in header]
    unknown = [h for h, n in zip(header, names, strict=True) if n and n not in COLUMNS]
    if unknown:
        parsed.warnings.append(RowError(1, "colonnes inconnues ignorées : " + ", ".join(unknown)))
    if "titre" not in names:
        parsed.errors.append(RowError(1, "colonne « titre » absente de l'en-tête"))
        return parsed
    seen_barcodes: dict[str, int] = {}
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            parsed.errors.append(RowError(line, f"ligne CSV illisible ({exc})"))
            line = reader.line_num + 1
            continue
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
            parsed.errors.append(
                RowError(start, f"{len(cells)} cellules pour {len(names)} colonnes")
            )
            continue
        # restore: a cell our export neutralised ("'=…", see spreadsheet.py) reads as written
        row = {
            n: restore(c.strip()).strip()
            for n, c in zip(names, cells, strict=False)
            if n in COLUMNS
        }
        try:
            record = _record(row, source)
        except ValueError as exc:
            parsed.errors.append(RowError(start, str(exc)))
            continue
        duplicate = next((c.barcode for c in record.copies if c.barcode in seen_barcodes), None)
        if duplicate:
            parsed.errors.append(
                RowError(
                    start, f"code-barres {duplicate} déjà utilisé ligne {seen_barcodes[duplicate]}"
                )
            )
            continue
        for copy in record.copies:
            seen_barcodes[copy.barcode] = start
        for warning in _warnings(row):
            parsed.warnings.append(RowError(start, warning))
        parsed.rows.append((start, record))
    return parsed


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _record(row: dict[str, str], source: str) -> Record:
    title = clean_line(row.get("titre", ""))
    if not title:
        raise ValueError("titre manquant")
    year = None
    raw_year = row.get("annee", "")
    if raw_year:
        if not re.fullmatch(r"\d{4}", raw_year) or not 1000 <= int(raw_year) <= 2999:
            raise ValueError(f"année invalide « {raw_year} » (attendu : quatre chiffres)")
        year = int(raw_year)
    date = row.get("date", "")
    if date and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        raise ValueError(f"date invalide « {date} » (attendu : AAAA, AAAA-MM ou AAAA-MM-JJ)")
    if date and year is None:
        year = int(date[:4])
    pages = None
    if row.get("pages"):
        digits = re.sub(r"\s*(p\.?|pages?)$", "", row["pages"], flags=re.I)
        if not digits.isdigit():
            raise ValueError(f"nombre de pages invalide « {row['pages']} »")
        pages = int(digits)
    doc_type = _doc_type(row.get("type", ""))
    support = Support.PAPIER
    if row.get("support"):
        folded = fold(row["support"])
        if folded.startswith("elec") or folded.startswith("num"):
            support = Support.ELECTRONIQUE
        elif not folded.startswith("pap"):
            raise ValueError(f"support inconnu « {row['support']} » (papier ou electronique)")
    language = (row.get("langue") or "fr").lower()
    if not re.fullmatch(r"[a-z]{2}|und", language):
        raise ValueError(f"langue invalide « {row['langue']} » (code ISO 639-1 : fr, en, es…)")
    copies = tuple(
        Copy(barcode=b, call_number=row.get("cote", ""), location=row.get("localisation", ""))
        for b in _split(row.get("code_barres", ""))
    )
    if copies and support is Support.ELECTRONIQUE:
        raise ValueError("un document électronique n'a pas d'exemplaire à code-barres")
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
        notes=row.get("notes", ""),
        source=(f"import:{source}" if source else "import")
        + (f"#{row['identifiant']}" if row.get("identifiant") else ""),
        copies=copies,
    )


def _warnings(row: dict[str, str]) -> list[str]:
    out = []
    for column, check in (("isbn", normalise_isbn), ("issn", normalise_issn)):
        if row.get(column):
            try:
                check(row[column])
            except ValueError as exc:
                out.append(f"{exc} (gardé tel quel)")
    return out


def _identifier(value: str, normalise) -> str:  # type: ignore[no-untyped-def]
    if not value:
        return ""
    try:
        return normalise(value)
    except ValueError:
        return value.strip()


def _author(name: str) -> Author:
    # "Nom, Prénom" is a person, unless the name is plainly an organisation's
    # ("Ministère de la Jeunesse, des Sports et de la Vie associative").
    person = "," in name and not is_organisation(name)
    kind = AuthorKind.PERSON if person else AuthorKind.ORGANISATION
    return Author(clean_line(name), kind)


def _doc_type(value: str) -> DocType:
    if not value:
        return DocType.OUVRAGE
    try:
        return DocType(value.strip().lower())
    except ValueError:
        pass
    found = _TYPE_BY_LABEL.get(fold(value.strip()))
    if found is None:
        known = ", ".join(t.value for t in DocType)
        raise ValueError(f"type de document inconnu « {value} » (valeurs : {known})")
    return found
