"""An article's host (its periodical, issue and pages) as exchange formats write it, and
back: MARC 21 773 $g ("n° 3 (déc. 2010), p. 12-25"), the pieces CSL-JSON, RIS and BibTeX
carry in fields of their own (container title, issue, pages, ISSN).

The words are catalogue data in French, as the catalogue's other exported words are
(document types, relator terms); the pages of the web app word the host for reading
(webapp/periodicals.py)."""

from __future__ import annotations

import re

from ..identifiers import normalise_issn
from ..models import Host
from ..periodicals import clean_pages, pages_problem
from ..text import FRENCH_MONTHS, FRENCH_MONTHS_SHORT

MONTHS_SHORT = FRENCH_MONTHS_SHORT
MONTHS = FRENCH_MONTHS
# Month words read back: French and English, full and abbreviated, lower case.
_MONTH_WORDS: dict[str, int] = {}
for _i, (_short, _full) in enumerate(zip(MONTHS_SHORT, MONTHS, strict=True)):
    _MONTH_WORDS[_short.rstrip(".")] = _MONTH_WORDS[_full] = _i + 1
for _i, _name in enumerate(
    "january february march april may june july august september october november december".split()
):
    _MONTH_WORDS[_name] = _MONTH_WORDS[_name[:3]] = _i + 1
_MONTH_WORDS.update({"fev": 2, "aout": 8, "dec": 12, "sep": 9, "juil": 7})


def issue_label(number: str) -> str:
    """'3' -> 'n° 3'; a designation that says what it is ('vol. 9, n° 3', 'hors-série') as is."""
    return f"n° {number}" if number[:1].isdigit() else number


def date_words(value: str, *, short: bool = False) -> str:
    """'2010-12' -> 'décembre 2010' ('déc. 2010' short); '2010-12-05' -> '5 décembre 2010'."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not m:
        return value or ""
    year, month, day = m.groups()
    if not month or not 1 <= int(month) <= 12:
        return year
    words = (MONTHS_SHORT if short else MONTHS)[int(month) - 1]
    return f"{int(day)} {words} {year}" if day else f"{words} {year}"


def host_g(host: Host) -> str:
    """MARC 21 773 $g, the related parts: 'n° 3 (déc. 2010), p. 12-25'."""
    text = issue_label(host.number) if host.number else ""
    if host.date:
        text = f"{text} ({date_words(host.date, short=True)})".strip()
    if host.pages:
        text = f"{text}, p. {host.pages}" if text else f"p. {host.pages}"
    return text


def host_citation(host: Host) -> str:
    """'Cahiers Ville caraïbe, n° 3, décembre 2010, p. 12-25': the host as a reader cites it."""
    parts = [host.title, issue_label(host.number) if host.number else "", date_words(host.date)]
    if host.pages:
        parts.append(f"p. {host.pages}")
    return ", ".join(p for p in parts if p)


_G_NUMBER = re.compile(r"^(.*?)\s*(?:\(([^)]*)\))?\s*(?:,?\s*p{1,2}\.\s*(\S+))?\s*\.?$")


def parse_host_g(text: str) -> tuple[str, str, str]:
    """(number, date, pages) from a 773 $g as we write it and as most catalogues do:
    'n° 3 (déc. 2010), p. 12-25', 'no 3 (Dec. 2010), p. 12-25', 'Vol. 9, no. 3 (2010)'."""
    m = _G_NUMBER.match(" ".join(text.split()))
    if not m:
        return "", "", ""
    number_text, when, pages = m.group(1).rstrip(" ,"), m.group(2) or "", m.group(3) or ""
    number = re.sub(r"^(?:n[°o]\.?|no\.?|num[ée]ro)\s*", "", number_text, flags=re.I)
    return number.strip(), parse_date_words(when), clean_pages(pages.rstrip(".,"))


def parse_date_words(text: str) -> str:
    """'déc. 2010' / 'December 2010' / '5 décembre 2010' / '2010-12' -> ISO ('2010-12')."""
    text = text.strip()
    if re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", text):
        return text
    m = re.fullmatch(r"(?:(\d{1,2})\s+)?([^\W\d]+)\.?\s+(\d{4})", text)
    if m:
        month = _MONTH_WORDS.get(m.group(2).lower().rstrip("."))
        if month:
            day = f"-{int(m.group(1)):02d}" if m.group(1) else ""
            return f"{m.group(3)}-{month:02d}{day}"
    m = re.search(r"\b(\d{4})\b", text)
    return m.group(1) if m else ""


def periodical_host(
    title: str,
    *,
    issn: str = "",
    volume: str = "",
    number: str = "",
    date: str = "",
    pages: str = "",
) -> Host | None:
    """The host an article read from a file names, when it names a periodical and where in it
    (the issue or the pages); None otherwise, or when the pages make no sense (the reader then
    keeps what it has as a note, as before)."""
    title, volume, number = title.strip(), volume.strip(), number.strip()
    pages = clean_pages(pages)
    if not title or not (number or pages) or pages_problem(pages):
        return None
    if volume and number:
        number = f"vol. {volume}, n° {number}"
    elif volume:
        number = f"vol. {volume}"
    try:
        issn = normalise_issn(issn) if issn else ""
    except ValueError:
        issn = ""
    return Host(title=title, issn=issn, number=number, date=date, pages=pages)
