"""Names a fund gives its documents: file names, call numbers (cotes), ISBNs."""

from __future__ import annotations

import random
import re

from library.text import fold

# Dewey classes the centre shelves each thematic under.
DEWEY = {
    "evaluation": "307.1",
    "observation": "307.76",
    "jeunesse": "305.23",
    "reussite-educative": "371.9",
    "prevention-delinquance": "364.4",
    "mediation-sociale": "303.69",
    "emploi-insertion": "331.1",
    "renovation-urbaine": "307.34",
    "developpement-durable": "711.4",
    "discriminations": "305.8",
    "sante": "362.1",
    "logement": "363.5",
    "vie-associative": "361.7",
    "culture": "306",
}
_STOP = frozenset(
    {
        "a",
        "au",
        "aux",
        "de",
        "des",
        "du",
        "d",
        "l",
        "la",
        "le",
        "les",
        "un",
        "une",
        "et",
        "en",
        "dans",
        "sur",
        "pour",
        "par",
        "the",
        "of",
        "in",
        "and",
        "on",
        "el",
        "los",
        "las",
        "y",
        "del",
        "al",
        "con",
        "para",
    }
)
# Abbreviations the centre's staff use in file names.
_ABBREVIATIONS = (
    ("contrat urbain de cohesion sociale", "cucs"),
    ("gestion urbaine de proximite", "gup"),
    ("programme de reussite educative", "pre"),
    ("conseil local de securite et de prevention de la delinquance", "clspd"),
    ("atelier sante ville", "asv"),
    ("plan local pour l'insertion et l'emploi", "plie"),
    ("programme local de l'habitat", "plh"),
)
_ELIDED = re.compile(r"^(?:l|d|qu|j|n|s|c)'")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_IN_NAME = re.compile(r'[<>:"/\\|?*]+')
_SLUG_WORDS = 6


def slug(title: str) -> str:
    """'Évaluation à mi-parcours du contrat urbain…' -> 'evaluation-mi-parcours-cucs…'."""
    text = fold(title)
    for long, short in _ABBREVIATIONS:
        text = text.replace(long, short)
    words = []
    for word in text.split():
        word = _NOT_SLUG.sub("-", _ELIDED.sub("", word)).strip("-")
        if word and word not in _STOP:
            words.append(word)
    return "-".join(words[:_SLUG_WORDS]) or "document"


def file_name(number: int, year: int, title: str, ext: str, *, odd: bool = False) -> str:
    """`2009-evaluation-cucs-fort-de-france-0042.pdf`, or as a user saves it when `odd`:
    `Évaluation à mi-parcours du contrat urbain (0042).pdf` (accents, spaces)."""
    if not odd:
        return f"{year}-{slug(title)}-{number:04d}.{ext}"
    short = _NOT_IN_NAME.sub(" ", title.replace(" : ", " - "))
    if len(short) > 50:
        short = short[:50].rsplit(" ", 1)[0]
    return f"{' '.join(short.split())} ({number:04d}).{ext}"


def call_number(theme: str, main_entry: str) -> str:
    """Cote: Dewey class of the main thematic and three letters of the main entry: '307.1 EVA'."""
    words = [
        w for w in fold(main_entry).replace("'", " ").replace(",", " ").split() if w not in _STOP
    ]
    letters = re.sub(r"[^a-z]", "", words[0] if words else "x")[:3].upper() or "XXX"
    return f"{DEWEY[theme]} {letters}"


def isbn13(rng: random.Random) -> str:
    """A valid ISBN-13 in the French-language group: 978-2-XXXX-XXXX-C."""
    digits = "9782" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    check = (10 - total % 10) % 10
    return f"{digits[:3]}-{digits[3]}-{digits[4:8]}-{digits[8:]}-{check}"
