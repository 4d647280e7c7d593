"""What a record may hold: the one rule the record form and every importer apply.

Text is NFC without control characters (one line for the short fields), each field has a
maximum length, a URL is http(s) and nothing else (no `javascript:` or `data:`), an ISBN or
ISSN has a right check digit (an ISBN-13 starts with 978 or 979). The form refuses a value
the rule refuses; an import drops it from the record and says so on its line (a refused
identifier is kept in the notes, where it misleads no one): never a value stored half-way.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

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


class Refusal(StrEnum):
    """Why the rule refuses a value; its facts are in Problem.params, the French sentence at
    the edge (webapp.messages.problem_reason)."""

    TOO_LONG = "too-long"  # length, limit (the field's name is Problem.field)
    URL_TOO_LONG = "url-too-long"  # length, limit
    URL_SCHEME = "url-scheme"
    NO_TITLE = "no-title"
    BAD_IDENTIFIER = "bad-identifier"  # value (ISBN or ISSN: Problem.field)
    AUTHOR_TOO_LONG = "author-too-long"  # length
    TOO_MANY_AUTHORS = "too-many-authors"  # count, kept
    ITEM_TOO_LONG = "item-too-long"  # length (a keyword or a territory: Problem.field)
    IMPLAUSIBLE_YEAR = "implausible-year"  # year
    IMPLAUSIBLE_PAGES = "implausible-pages"
    DAMAGED_TEXT = "damaged-text"  # fields: where U+FFFD already stands
    NUMBER_WITHOUT_SERIES = "number-without-series"  # number
    SERIES_TITLE_TOO_LONG = "series-title-too-long"  # length
    NOT_A_SERIES_NUMBER = "not-a-series-number"  # number
    TOO_MANY_SERIES = "too-many-series"  # count, kept
    ACQUISITION_UNREADABLE = "acquisition-unreadable"  # value
    ACQUISITION_FUTURE = "acquisition-future"  # value


class Outcome(StrEnum):
    """What an import did with a refused value (worded at the edge)."""

    NONE = ""
    VALUE_DROPPED = "value-dropped"
    KEPT_IN_NOTES = "kept-in-notes"
    IGNORED = "ignored"
    DROPPED = "dropped"  # of a feminine field (année, date)
    DROPPED_MASCULINE = "dropped-masculine"  # of a masculine one (nombre de pages)
    TO_CHECK = "to-check"
    NUMBER_KEPT_IN_NOTES = "number-kept-in-notes"
    OTHERS_IGNORED = "others-ignored"


@dataclass(frozen=True, slots=True)
class Problem:
    """A value the rule refuses: the field, why (a code and its facts), what an import did
    with it, and whether the whole record must be refused (a record without a usable title).
    The form shows the reason; an import report shows the reason and what it did."""

    field: str
    code: Refusal
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    fatal: bool = False
    consequence: Outcome = Outcome.NONE


class Refused(ValueError):
    """A reader refuses a whole row for a value the rule refuses (the problem says why)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem.code))
        self.problem = problem


def _problem(
    name: str,
    code: Refusal,
    fatal: bool = False,
    consequence: Outcome = Outcome.NONE,
    **params: Any,
) -> Problem:
    return Problem(name, code, params, fatal, consequence)


def clean_multiline(text: str) -> str:
    """NFC text, line breaks kept, without control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text).strip()


def clean_single(text: str) -> str:
    """NFC text on one line, without control characters."""
    return clean_line(_CONTROL.sub(" ", unicodedata.normalize("NFC", text)))


def url_problem(url: str) -> Problem | None:
    """Why a URL is refused (None when it is fine): only http:// and https:// addresses."""
    if not url:
        return None
    if len(url) > LIMITS["url"]:
        return _problem("url", Refusal.URL_TOO_LONG, length=len(url), limit=LIMITS["url"])
    if not _URL.match(url):
        return _problem("url", Refusal.URL_SCHEME)
    return None


def series_number_problem(number: str) -> Problem | None:
    """Why a number in a collection is refused (None when it is fine)."""
    if not number or _SERIES_NUMBER.match(number):
        return None
    return _problem("series", Refusal.NOT_A_SERIES_NUMBER, number=number[:40])


def acquisition_date_problem(value: str, today: datetime.date | None = None) -> Problem | None:
    """Why a date of acquisition is refused (None when it is fine): AAAA-MM-JJ, not future."""
    if not value:
        return None
    try:
        if not _ISO_DAY.match(value):
            raise ValueError(value)
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return _problem("acquired_on", Refusal.ACQUISITION_UNREADABLE, value=value[:40])
    if day > (today or datetime.date.today()):
        return _problem("acquired_on", Refusal.ACQUISITION_FUTURE, value=value)
    return None


def too_long(name: str, value: str) -> Problem | None:
    limit = LIMITS[name]
    if len(value) <= limit:
        return None
    return _problem(name, Refusal.TOO_LONG, length=len(value), limit=limit)


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
        refused = url_problem(text) if name == "url" else too_long(name, text)
        if refused:
            fatal = name == "title"
            outcome = Outcome.NONE if fatal else Outcome.VALUE_DROPPED
            problems.append(replace(refused, fatal=fatal, consequence=outcome))
            text = ""
        values[name] = text
    if not values["title"] and not any(p.field == "title" for p in problems):
        problems.append(_problem("title", Refusal.NO_TITLE, True))
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
                _problem(name, Refusal.BAD_IDENTIFIER, False, Outcome.KEPT_IN_NOTES, value=raw[:40])
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
                _problem(
                    "authors", Refusal.AUTHOR_TOO_LONG, False, Outcome.IGNORED, length=len(name)
                )
            )
            continue
        authors.append(replace(author, name=name))
    if len(authors) > MAX_AUTHORS:
        problems.append(
            _problem("authors", Refusal.TOO_MANY_AUTHORS, count=len(authors), kept=MAX_AUTHORS)
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
                    _problem(name, Refusal.ITEM_TOO_LONG, False, Outcome.IGNORED, length=len(text))
                )
        values[name] = tuple(dict.fromkeys(kept))[:MAX_KEYWORDS]
    if record.year is not None and not 1000 <= record.year <= 2999:
        problems.append(
            _problem("year", Refusal.IMPLAUSIBLE_YEAR, False, Outcome.DROPPED, year=record.year)
        )
        values["year"] = None
    if record.pages is not None and not 0 <= record.pages <= 100_000:
        problems.append(
            _problem("pages", Refusal.IMPLAUSIBLE_PAGES, False, Outcome.DROPPED_MASCULINE)
        )
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
            _problem(
                damaged[0],
                Refusal.DAMAGED_TEXT,
                False,
                Outcome.TO_CHECK,
                fields=tuple(damaged),
            )
        )
    series: list[Series] = []
    for item in record.series:
        title = clean_single(item.title).strip(" ;")
        number = clean_single(item.number)
        if not title:
            if number:
                problems.append(
                    _problem(
                        "series",
                        Refusal.NUMBER_WITHOUT_SERIES,
                        False,
                        Outcome.IGNORED,
                        number=number[:40],
                    )
                )
            continue
        if len(title) > SERIES_TITLE_LIMIT:
            problems.append(
                _problem(
                    "series",
                    Refusal.SERIES_TITLE_TOO_LONG,
                    False,
                    Outcome.IGNORED,
                    length=len(title),
                )
            )
            continue
        refused = series_number_problem(number)
        if refused:
            problems.append(replace(refused, consequence=Outcome.NUMBER_KEPT_IN_NOTES))
            notes_extra.append(f"Numéro dans la collection {title} : {number}"[: LIMITS["notes"]])
            number = ""
        if all(s.title.casefold() != title.casefold() for s in series):
            series.append(Series(title, number))
    if len(series) > MAX_SERIES:
        problems.append(
            _problem(
                "series",
                Refusal.TOO_MANY_SERIES,
                False,
                Outcome.OTHERS_IGNORED,
                count=len(series),
                kept=MAX_SERIES,
            )
        )
        series = series[:MAX_SERIES]
    values["series"] = tuple(series)
    acquired = clean_single(record.acquired_on)
    refused = acquisition_date_problem(acquired)
    if refused:
        problems.append(replace(refused, consequence=Outcome.DROPPED))
        acquired = ""
    values["acquired_on"] = acquired
    if notes_extra:
        notes = "\n".join(p for p in (str(values["notes"]), *notes_extra) if p)
        if len(notes) <= LIMITS["notes"]:  # else the problems above say what was dropped
            values["notes"] = notes
    return replace(record, **values), problems  # type: ignore[arg-type]
