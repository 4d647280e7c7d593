"""The shape of a phrase bank: what one language knows how to say about the fund's thematics.

Templates are plain strings with `{slot}` holes. Noun-phrase slot values carry their own article
("la médiation", "le suivi", "les ateliers") so that templates stay gender-free; the composer
elides and contracts at the holes ("de" + "le suivi" → "du suivi", "de" + "Acajou" →
"d’Acajou"). Templates start in lower case: the composer capitalises, or puts a connector first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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
