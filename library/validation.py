"""What a record may hold: the one rule the record form and every importer apply.

Text is NFC without control characters (one line for the short fields), each field has a
maximum length, a URL is http(s) and nothing else (no `javascript:` or `data:`), an ISBN or
ISSN has a right check digit (an ISBN-13 starts with 978 or 979). The form refuses a value
the rule refuses; an import drops it from the record and says so on its line (a refused
identifier is kept in the notes, where it misleads no one): never a value stored half-way.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, replace

from .identifiers import normalise_isbn, normalise_issn
from .models import Author, Record, Series
from .text import clean_line

LIMITS = {
    "title": 500,
    "subtitle": 500,
    "publisher": 300,
    "place": 200,
    "abstract": 20_000,
    "notes": 5000,
    "call_number": 100,
    "url": 2000,
    "edition": 300,
    "physical_description": 300,
    "public_note": 5000,
}
SERIES_TITLE_LIMIT = 300
MAX_SERIES = 10
AUTHOR_LIMIT = 300
KEYWORD_LIMIT = 200
MAX_AUTHORS = 50
MAX_KEYWORDS = 200
FIELD_LABELS = {
    "title": "titre",
    "subtitle": "sous-titre",
    "publisher": "éditeur",
    "place": "lieu",
    "abstract": "résumé",
    "notes": "notes",
    "call_number": "cote",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
    "authors": "auteurs",
    "keywords": "mots-clés",
    "territories": "territoires",
    "year": "année",
    "pages": "pages",
    "date": "date",
    "language": "langue",
    "edition": "mention d'édition",
    "physical_description": "description matérielle",
    "public_note": "note publique",
    "series": "collection",
    "acquired_on": "date d'acquisition",
}
URL_SCHEMES = ("http", "https")
_URL = re.compile(r"^(https?)://[^\s<>\"]+$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
# C0 and C1 controls (but tab and line feed), the non-characters XML refuses, lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_MULTILINE = ("abstract", "notes", "public_note")
# A number in a collection is a number: "12", "12 bis", "12a", "3-4" (a double issue),
# a roman numeral ("IV"). Words such as "hors-série" are not numbers: they belong in the
# edition statement or the public note, and the form says so.
_SERIES_NUMBER = re.compile(
    r"^(\d{1,6}[a-z]?( ?(bis|ter|quater))?([-/]\d{1,6})?|[IVXLCDM]{1,8})$", re.IGNORECASE
)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Problem:
    """A value the rule refuses: the field, why (French), what an import did with it, and
    whether the whole record must be refused (a record without a usable title). The form
    shows the reason; an import report shows the reason and what it did."""

    field: str
    reason: str
    fatal: bool = False
    consequence: str = ""

    @property
    def message(self) -> str:
        return f"{self.reason} : {self.consequence}" if self.consequence else self.reason


def clean_multiline(text: str) -> str:
    """NFC text, line breaks kept, without control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text).strip()


def clean_single(text: str) -> str:
    """NFC text on one line, without control characters."""
    return clean_line(_CONTROL.sub(" ", unicodedata.normalize("NFC", text)))


def url_problem(url: str) -> str:
    """Why a URL is refused ('' when it is fine): only http:// and https:// addresses."""
    if not url:
        return ""
    if len(url) > LIMITS["url"]:
        return f"adresse trop longue ({len(url)} caractères, {LIMITS['url']} au plus)"
    if not _URL.match(url):
        return "adresse web refusée : seules http:// et https:// sont admises"
    return ""


def series_number_problem(number: str) -> str:
    """Why a number in a collection is refused ('' when it is fine)."""
    if not number or _SERIES_NUMBER.match(number):
        return ""
    return (
        f"numéro de collection « {number[:40]} » : ce n'est pas un numéro (chiffres attendus, "
        "par ex. « 12 », « 12 bis », « 3-4 » ou « IV ») ; un hors-série se signale "
        "dans la mention d'édition ou la note publique"
    )


def acquisition_date_problem(value: str, today: datetime.date | None = None) -> str:
    """Why a date of acquisition is refused ('' when it is fine): AAAA-MM-JJ, not future."""
    if not value:
        return ""
    try:
        if not _ISO_DAY.match(value):
            raise ValueError(value)
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return f"date d'acquisition « {value[:40]} » illisible : AAAA-MM-JJ attendu"
    if day > (today or datetime.date.today()):
        return (
            f"date d'acquisition dans le futur ({value}) : indiquez le jour où le document est "
            "entré dans le fonds (aujourd'hui au plus tard), ou laissez la date vide"
        )
    return ""


def too_long(name: str, value: str) -> str:
    limit = LIMITS[name]
    if len(value) <= limit:
        return ""
    return f"{FIELD_LABELS[name]} trop long ({len(value):,} caractères, {limit:,} au plus)".replace(
        ",", "\u202f"
    )


def admit(record: Record) -> tuple[Record, list[Problem]]:
    """The record as the catalogue may hold it, and what was refused in it. Text is cleaned
    (control characters, Unicode form); a value over its limit, a URL of another scheme, a
    wrong identifier are dropped, each with a problem; a title that cannot be kept is fatal."""
    problems: list[Problem] = []
    values: dict[str, object] = {}
    notes_extra: list[str] = []
    for name in LIMITS:
        raw = getattr(record, name)
        text = clean_multiline(raw) if name in _MULTILINE else clean_single(raw)
        reason = url_problem(text) if name == "url" else too_long(name, text)
        if reason:
            fatal = name == "title"
            problems.append(Problem(name, reason, fatal, "" if fatal else "valeur non importée"))
            text = ""
        values[name] = text
    if not values["title"] and not any(p.field == "title" for p in problems):
        problems.append(Problem("title", "notice sans titre", True))
    for name, normalise, label in (
        ("isbn", normalise_isbn, "ISBN"),
        ("issn", normalise_issn, "ISSN"),
    ):
        raw = clean_single(getattr(record, name))
        try:
            values[name] = normalise(raw) if raw else ""
        except ValueError:
            values[name] = ""
            notes_extra.append(f"{label} (invalide) : {raw}"[: LIMITS["notes"]])
            problems.append(
                Problem(name, f"{label} invalide « {raw[:40]} »", False, "gardé en note")
            )
    authors: list[Author] = []
    seen: set[tuple[str, str]] = set()
    for author in record.authors:
        name = clean_single(author.name).strip(" ,;")
        if not name or (name.casefold(), author.role) in seen:
            continue  # the same person twice in the same role says nothing more
        seen.add((name.casefold(), author.role))
        if len(name) > AUTHOR_LIMIT:
            problems.append(
                Problem(
                    "authors", f"nom d'auteur trop long ({len(name)} caractères)", False, "ignoré"
                )
            )
            continue
        authors.append(replace(author, name=name))
    if len(authors) > MAX_AUTHORS:
        problems.append(
            Problem(
                "authors",
                f"{len(authors)} auteurs : les {MAX_AUTHORS} premiers sont gardés, "
                "les autres en note",
            )
        )
        notes_extra.append("Autres auteurs : " + " ; ".join(a.name for a in authors[MAX_AUTHORS:]))
        authors = authors[:MAX_AUTHORS]
    values["authors"] = tuple(authors)
    for name in ("keywords", "territories"):
        kept = []
        for item in getattr(record, name):
            text = clean_single(item)
            if text and len(text) <= KEYWORD_LIMIT:
                kept.append(text)
            elif text:
                problems.append(
                    Problem(
                        name,
                        f"{FIELD_LABELS[name]} trop long ({len(text)} caractères)",
                        False,
                        "ignoré",
                    )
                )
        values[name] = tuple(dict.fromkeys(kept))[:MAX_KEYWORDS]
    if record.year is not None and not 1000 <= record.year <= 2999:
        problems.append(
            Problem("year", f"année invraisemblable {record.year}", False, "non importée")
        )
        values["year"] = None
    if record.pages is not None and not 0 <= record.pages <= 100_000:
        problems.append(Problem("pages", "nombre de pages invraisemblable", False, "non importé"))
        values["pages"] = None
    if record.date and not _DATE.match(record.date):
        values["date"] = ""
    if not _LANGUAGE.match(record.language or ""):
        values["language"] = "und"
    damaged = [
        name
        for name in ("title", "subtitle", "publisher", "place", "abstract", "notes", "public_note")
        if "\ufffd" in str(values[name])
    ]
    if damaged:  # the file itself carries them: said, since the letters are lost at the source
        problems.append(
            Problem(
                damaged[0],
                "caractère illisible (\ufffd) déjà présent dans le fichier : "
                + ", ".join(FIELD_LABELS[n] for n in damaged),
                False,
                "à vérifier",
            )
        )
    series: list[Series] = []
    for item in record.series:
        title = clean_single(item.title).strip(" ;")
        number = clean_single(item.number)
        if not title:
            if number:
                problems.append(
                    Problem(
                        "series",
                        f"numéro de collection « {number[:40]} » sans collection",
                        False,
                        "ignoré",
                    )
                )
            continue
        if len(title) > SERIES_TITLE_LIMIT:
            problems.append(
                Problem(
                    "series",
                    f"titre de collection trop long ({len(title)} caractères)",
                    False,
                    "ignoré",
                )
            )
            continue
        reason = series_number_problem(number)
        if reason:
            problems.append(Problem("series", reason, False, "numéro gardé en note"))
            notes_extra.append(f"Numéro dans la collection {title} : {number}"[: LIMITS["notes"]])
            number = ""
        if all(s.title.casefold() != title.casefold() for s in series):
            series.append(Series(title, number))
    if len(series) > MAX_SERIES:
        problems.append(
            Problem(
                "series",
                f"{len(series)} collections : les {MAX_SERIES} premières sont gardées",
                False,
                "les autres ignorées",
            )
        )
        series = series[:MAX_SERIES]
    values["series"] = tuple(series)
    acquired = clean_single(record.acquired_on)
    reason = acquisition_date_problem(acquired)
    if reason:
        problems.append(Problem("acquired_on", reason, False, "non importée"))
        acquired = ""
    values["acquired_on"] = acquired
    if notes_extra:
        notes = "\n".join(p for p in (str(values["notes"]), *notes_extra) if p)
        if len(notes) <= LIMITS["notes"]:  # else the problems above say what was dropped
            values["notes"] = notes
    return replace(record, **values), problems  # type: ignore[arg-type]
