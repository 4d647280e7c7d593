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


def fold(text: str) -> str:
    """Lower case without accents: 'Évaluation Œuvre' -> 'evaluation oeuvre'."""
    text = text.translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def sort_key(text: str) -> str:
    """Key for alphabetical order as a French reader expects (accents and case ignored,
    leading articles kept: catalogues file 'La ville' under L)."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", fold(text))).strip()


def normalise_title(title: str) -> str:
    """Comparable form of a title, for duplicate detection."""
    return sort_key(title)


def clean_line(text: str) -> str:
    """One line of text: control characters dropped, spaces collapsed."""
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return _SPACES.sub(" ", text).strip()


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


def french_date(day: date) -> str:
    """'25 novembre 2026'."""
    return f"{day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"
