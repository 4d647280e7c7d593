"""The thematic vocabulary as the tagger and the search use it: thematics, their terms, weights.

Written by `indexer.vocabulary.checker` from the documentalist's TOML file, and back to it by
`Vocabulary.to_toml()`; `to_dict`/`from_dict` are the JSON of the last good copy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..analysis import fold

PACKAGED_VOCABULARY = Path(__file__).parent.parent / "data" / "vocabulary.toml"
INSTANCE_FILE = "vocabulary.toml"
LAST_GOOD_FILE = "vocabulary.last-good.json"
DEFAULT_URI = "https://crpv-martinique.fr/vocabulaire/"


class TermKind(StrEnum):
    """Kinds of terms; the values are the words of the documentalist's file (`[poids]`)."""

    ACRONYM = "sigle"
    TERM = "terme"
    SYNONYM = "synonyme"
    NARROWER = "specifique"
    CUE = "indice"  # everyday words: weak signals
    FOREIGN = "langue"  # terms in English or Spanish


KINDS = tuple(TermKind)
DEFAULT_WEIGHTS: dict[str, float] = {
    TermKind.ACRONYM: 3.0,
    TermKind.TERM: 2.0,
    TermKind.SYNONYM: 2.0,
    TermKind.NARROWER: 2.0,
    TermKind.CUE: 0.5,
    TermKind.FOREIGN: 2.0,
}
FOREIGN_LANGUAGES = ("en", "es")


@dataclass(frozen=True, slots=True)
class Acronym:
    acronym: str
    expansions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WeightedTerm:
    """One expression of a thematic as the tagger uses it."""

    text: str
    kind: str
    weight: float
    language: str = "fr"
    concept: str = ""  # expressions of one concept (acronym and expansion, synonyms) share it


@dataclass(frozen=True, slots=True)
class Theme:
    slug: str
    label: str
    scope_note: str = ""
    terms: tuple[str, ...] = ()  # termes: preferred terms
    synonyms: tuple[tuple[str, ...], ...] = ()  # synonymes: groups, preferred first
    narrower: tuple[str, ...] = ()  # specifiques
    cues: tuple[str, ...] = ()  # indices: everyday words, weak signals
    acronyms: tuple[Acronym, ...] = ()
    foreign: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (("en", terms), ("es", terms))
    # traductions: a French expression and what English or Spanish call it (search uses them)
    translations: tuple[tuple[str, tuple[str, ...]], ...] = ()
    weights: tuple[tuple[str, float], ...] = ()  # per-term overrides
    # associes: groups of related expressions (not equivalent: CUCS and contrat de ville); the
    # search finds each through the others, ranked after the query's own words; no tagging
    related: tuple[tuple[str, ...], ...] = ()

    def foreign_terms(self, language: str) -> tuple[str, ...]:
        return dict(self.foreign).get(language, ())

    def weighted_terms(self, defaults: dict[str, float] | None = None) -> list[WeightedTerm]:
        """Every expression with its kind, weight and concept, in file order."""
        defaults = {**DEFAULT_WEIGHTS, **(defaults or {})}
        overrides = dict(self.weights)

        def make(text: str, kind: str, concept: str, language: str = "fr") -> WeightedTerm:
            return WeightedTerm(text, kind, overrides.get(text, defaults[kind]), language, concept)

        out = [make(t, TermKind.TERM, t) for t in self.terms]
        for group in self.synonyms:
            out.extend(make(t, TermKind.SYNONYM, group[0]) for t in group)
        out.extend(make(t, TermKind.NARROWER, t) for t in self.narrower)
        out.extend(make(t, TermKind.CUE, t) for t in self.cues)
        for acronym in self.acronyms:
            out.append(make(acronym.acronym, TermKind.ACRONYM, acronym.acronym))
            # An expansion weighs what its acronym weighs unless it has its own weight.
            weight = overrides.get(acronym.acronym, defaults[TermKind.ACRONYM])
            for expansion in acronym.expansions:
                out.append(
                    WeightedTerm(
                        expansion,
                        TermKind.ACRONYM,
                        overrides.get(expansion, weight),
                        "fr",
                        acronym.acronym,
                    )
                )
        for language, terms in self.foreign:
            out.extend(make(t, TermKind.FOREIGN, t, language) for t in terms)
        return out

    def all_texts(self) -> list[str]:
        return [t.text for t in self.weighted_terms()]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    themes: tuple[Theme, ...]
    title: str = ""
    uri: str = DEFAULT_URI
    version: str = ""
    default_weights: tuple[tuple[str, float], ...] = tuple(DEFAULT_WEIGHTS.items())

    def labels(self) -> dict[str, str]:
        return {t.slug: t.label for t in self.themes}

    def theme(self, slug: str) -> Theme:
        for theme in self.themes:
            if theme.slug == slug:
                return theme
        raise KeyError(slug)

    def weights(self) -> dict[str, float]:
        return {**DEFAULT_WEIGHTS, **dict(self.default_weights)}

    def term_count(self) -> int:
        """Number of distinct expressions over all thematics."""
        return sum(len({t.text for t in th.weighted_terms()}) for th in self.themes)

    def equivalences(self) -> list[tuple[str, ...]]:
        """Groups of expressions that mean the same (acronym and expansions, synonyms)."""
        seen: set[tuple[str, ...]] = set()
        groups: list[tuple[str, ...]] = []
        for theme in self.themes:
            candidates = [(a.acronym, *a.expansions) for a in theme.acronyms]
            candidates.extend(theme.synonyms)
            for group in candidates:
                key = tuple(sorted(g.casefold() for g in group))
                if len(group) > 1 and key not in seen:
                    seen.add(key)
                    groups.append(tuple(group))
        return groups

    def related(self) -> list[tuple[str, ...]]:
        """Groups of related expressions (associes), for the search only."""
        seen: set[tuple[str, ...]] = set()
        groups: list[tuple[str, ...]] = []
        for theme in self.themes:
            for group in theme.related:
                key = tuple(sorted(g.casefold() for g in group))
                if len(group) > 1 and key not in seen:
                    seen.add(key)
                    groups.append(tuple(group))
        return groups

    # -- serialisation -------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "uri": self.uri,
            "version": self.version,
            "default_weights": dict(self.default_weights),
            "themes": [
                {
                    "slug": t.slug,
                    "label": t.label,
                    "scope_note": t.scope_note,
                    "terms": list(t.terms),
                    "synonyms": [list(g) for g in t.synonyms],
                    "narrower": list(t.narrower),
                    "cues": list(t.cues),
                    "acronyms": [[a.acronym, list(a.expansions)] for a in t.acronyms],
                    "foreign": {lang: list(terms) for lang, terms in t.foreign},
                    "translations": {fr: list(others) for fr, others in t.translations},
                    "weights": dict(t.weights),
                    "related": [list(g) for g in t.related],
                }
                for t in self.themes
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Vocabulary:
        return cls(
            themes=tuple(
                Theme(
                    slug=t["slug"],
                    label=t["label"],
                    scope_note=t.get("scope_note", ""),
                    terms=tuple(t.get("terms", ())),
                    synonyms=tuple(tuple(g) for g in t.get("synonyms", ())),
                    narrower=tuple(t.get("narrower", ())),
                    cues=tuple(t.get("cues", ())),
                    acronyms=tuple(Acronym(a, tuple(e)) for a, e in t.get("acronyms", ())),
                    foreign=tuple((k, tuple(v)) for k, v in t.get("foreign", {}).items()),
                    translations=tuple((k, tuple(v)) for k, v in t.get("translations", {}).items()),
                    weights=tuple((k, float(v)) for k, v in t.get("weights", {}).items()),
                    related=tuple(tuple(g) for g in t.get("related", ())),
                )
                for t in data["themes"]
            ),
            title=data.get("title", ""),
            uri=data.get("uri", DEFAULT_URI),
            version=data.get("version", ""),
            default_weights=tuple(
                (k, float(v)) for k, v in data.get("default_weights", DEFAULT_WEIGHTS).items()
            ),
        )

    def to_toml(self, header: str = "") -> str:
        """The vocabulary in the documentalist's format (what `fonds vocab import` writes)."""
        q = _toml_string
        lines = [f"# {line}".rstrip() for line in header.splitlines()]
        lines += [
            "",
            "[vocabulaire]",
            f"titre = {q(self.title)}",
            f"uri = {q(self.uri)}",
            f"version = {q(self.version)}",
            "",
            "[poids]",
        ]
        lines += [f"{kind} = {weight!r}" for kind, weight in self.default_weights]
        for t in self.themes:
            lines += ["", "[[thematique]]", f"slug = {q(t.slug)}", f"libelle = {q(t.label)}"]
            if t.scope_note:
                lines.append(f"note = {q(t.scope_note)}")
            for key, values in (
                ("termes", t.terms),
                ("specifiques", t.narrower),
                ("indices", t.cues),
                *t.foreign,
            ):
                if values:
                    lines.append(f"{key} = [")
                    lines += [f"    {q(v)}," for v in values]
                    lines.append("]")
            if t.synonyms:
                lines.append("synonymes = [")
                lines += [f"    [{', '.join(q(v) for v in g)}]," for g in t.synonyms]
                lines.append("]")
            if t.related:
                lines.append("associes = [")
                lines += [f"    [{', '.join(q(v) for v in g)}]," for g in t.related]
                lines.append("]")
            if t.acronyms:
                lines += ["", "[thematique.sigles]"]
                for a in t.acronyms:
                    value = (
                        q(a.expansions[0])
                        if len(a.expansions) == 1
                        else ("[" + ", ".join(q(e) for e in a.expansions) + "]")
                    )
                    lines.append(f"{q(a.acronym)} = {value}")
            if t.translations:
                lines += ["", "[thematique.traductions]"]
                for french, others in t.translations:
                    lines.append(f"{q(french)} = [{', '.join(q(o) for o in others)}]")
            if t.weights:
                lines += ["", "[thematique.poids]"]
                lines += [f"{q(term)} = {weight!r}" for term, weight in t.weights]
        return "\n".join(lines).lstrip("\n") + "\n"


def acronym_key(text: str) -> str:
    """The comparable form of an acronym: no dots, no accents, capitals ('ACSé' -> 'ACSE')."""

    return fold(text.replace(".", "")).upper()


def _toml_string(value: str) -> str:
    # JSON string escapes are a subset of TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def iter_terms(vocabulary: Vocabulary) -> Iterator[tuple[Theme, WeightedTerm]]:
    """Every (thematic, weighted term) pair of a vocabulary, in file order."""
    weights = vocabulary.weights()
    for theme in vocabulary.themes:
        for term in theme.weighted_terms(weights):
            yield theme, term
