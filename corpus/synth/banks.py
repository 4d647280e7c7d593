"""Phrase banks: what one language knows how to say about the fund's thematics.

The banks are data, one JSON file a language in `data/` (`bank-fr.json`, `bank-en.json`,
`bank-es.json`); this module holds their shape and the small reader that turns a file into a
`LanguageBank`. A file holds the generic slots, title frames, section headings and sentences,
connectors, openers, closers, subtitles, abstract openers and layout words, then one entry a
thematic (`themes`); the French file also holds `keywords`, the descriptors of the centre's
vocabulary that catalogue records carry whatever the document's language.

Templates are plain strings with `{slot}` holes. Noun-phrase slot values carry their own article
("la médiation", "le suivi", "les ateliers") so that templates stay gender-free; the composer
elides and contracts at the holes ("de" + "le suivi" → "du suivi", "de" + "Acajou" →
"d’Acajou"). Templates start in lower case: the composer capitalises, or puts a connector first.
A slot used as a sentence subject only takes values of one number.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

# An indicator of a table by quartier: label, low, high, kind ("n" count, "%" share, "f" decimal).
Indicator = tuple[str, float, float, str]


@dataclass(frozen=True, slots=True)
class ThemeBank:
    """Everything a language says about one thematic."""

    titles: tuple[tuple[str, str], ...]  # (doc type slug, template)
    subjects: tuple[str, ...]  # noun phrases for title frames and abstracts
    sentences: tuple[str, ...]
    headings: tuple[str, ...]
    indicators: tuple[Indicator, ...] = ()
    slots: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LanguageBank:
    """A language's banks: per-thematic phrases plus what every document of that language shares."""

    code: str
    themes: Mapping[str, ThemeBank]
    slots: Mapping[str, tuple[str, ...]]  # generic slots (partners, publics, months…)
    frames: tuple[tuple[str, str], ...]  # (doc type, title template using {sujet})
    section_headings: Mapping[str, tuple[str, ...]]  # section kind -> headings
    generic: Mapping[str, tuple[str, ...]]  # section kind -> sentences
    connectors: tuple[str, ...]  # "Par ailleurs,": capitalised, before a sentence
    openers: tuple[str, ...]  # "dans le quartier de {quartier},": templates, before a sentence
    closers: tuple[str, ...]  # ", selon {partenaire}": templates, before the final full stop
    subtitles: tuple[str, ...]
    abstract_openers: Mapping[str, str]  # doc type -> opening sentence ("" key: default)
    words: Mapping[str, str]  # small words of the layout: "quartier", "ensemble", "table"…


# --- the reader --------------------------------------------------------------------------------

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("fr", "en", "es")


def _tuples(values: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(items) for key, items in values.items()}


def _theme(data: Mapping[str, Any]) -> ThemeBank:
    return ThemeBank(
        titles=tuple((doc_type, template) for doc_type, template in data["titles"]),
        subjects=tuple(data["subjects"]),
        sentences=tuple(data["sentences"]),
        headings=tuple(data["headings"]),
        indicators=tuple((label, low, high, kind) for label, low, high, kind in data["indicators"]),
        slots=_tuples(data["slots"]),
    )


@cache
def _data(code: str) -> dict[str, Any]:
    return json.loads((DATA / f"bank-{code}.json").read_text(encoding="utf-8"))


@cache
def load_bank(code: str) -> LanguageBank:
    """The phrase bank of one language, read from `data/bank-<code>.json`."""
    data = _data(code)
    return LanguageBank(
        code=data["code"],
        themes={slug: _theme(theme) for slug, theme in data["themes"].items()},
        slots=_tuples(data["slots"]),
        frames=tuple((doc_type, template) for doc_type, template in data["frames"]),
        section_headings=_tuples(data["section_headings"]),
        generic=_tuples(data["generic"]),
        connectors=tuple(data["connectors"]),
        openers=tuple(data["openers"]),
        closers=tuple(data["closers"]),
        subtitles=tuple(data["subtitles"]),
        abstract_openers=dict(data["abstract_openers"]),
        words=dict(data["words"]),
    )


@cache
def load_keywords() -> dict[str, tuple[str, ...]]:
    """Descriptors of the centre's French vocabulary by thematic: catalogue keywords whatever
    the document's language (the `keywords` table of `data/bank-fr.json`)."""
    return _tuples(_data("fr")["keywords"])
