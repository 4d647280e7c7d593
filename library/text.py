"""Text helpers shared by the catalogue and its users: accent folding, sort keys, cleaning."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# Letters that NFKD does not decompose but French readers expect to fold.
_EXTRA_FOLDS = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
    }
)
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+")
# What XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates):
# one such character in a title breaks every XML the record goes into (DOCX, MARCXML, OAI).
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class _CombiningMarks(dict[int, int | None]):
    """A translation table dropping combining marks (accents once decomposed), filled as
    characters are met: str.translate looks each one up in C, where a test of every
    character in Python cost a tenth of an import's planning."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_COMBINING_MARKS = _CombiningMarks()


def fold(text: str) -> str:
    """Lower case without accents: 'Évaluation Œuvre' -> 'evaluation oeuvre'."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return decomposed.translate(_COMBINING_MARKS).casefold()


def sort_key(text: str) -> str:
    """Key for alphabetical order as a French reader expects (accents and case ignored,
    leading articles kept: catalogues file 'La ville' under L)."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", fold(text))).strip()


def normalise_title(title: str) -> str:
    """Comparable form of a title, for duplicate detection."""
    return sort_key(title)


def clean_line(text: str) -> str:
    """One line of text: control characters dropped, spaces collapsed."""
    if not text.isprintable():  # a printable text has no character of category C
        text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return _SPACES.sub(" ", text).strip()


def xml_safe(text: str, *, keep: str = "") -> str:
    """Text every XML can carry: each character XML 1.0 forbids becomes a space (a vertical tab
    from Word, a NUL from a broken RIS file: both stood between two words), except those in
    `keep` (the form feed that separates the pages of a full text). The catalogue stores
    nothing else."""
    if not XML_FORBIDDEN.search(text):
        return text
    return XML_FORBIDDEN.sub(lambda m: m.group() if m.group() in keep else " ", text)


FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
# The abbreviations of the French typographic convention (janv., févr., …).
FRENCH_MONTHS_SHORT = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


def french_date(day: date) -> str:
    """'25 novembre 2026'."""
    return f"{day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"
