"""Concepts of the vocabulary as the search uses them across languages: a thematic's English and
Spanish labels find the French documents on it (ranked after the matches in the query's own
language), ordered by the thematic's French preferred terms. No engine here: plain values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..analysis import analyze

RANKING_TERMS = 12  # French preferred terms that order a concept's documents


@dataclass(frozen=True, slots=True)
class Concept:
    slug: str
    labels: tuple[tuple[str, tuple[str, ...]], ...]  # (language, analysed label terms)
    french: tuple[str, ...]  # French expressions that order its documents


def concepts_from(themes: Iterable) -> list[Concept]:  # type: ignore[type-arg]
    """Concepts from the vocabulary's thematics (`Theme` values of indexer.vocabulary)."""
    out = []
    for theme in themes:
        labels = tuple(
            (lang, tuple(analyze(label, lang)))
            for lang, terms in theme.foreign
            for label in terms
            if analyze(label, lang)
        )
        if labels:
            french = tuple(theme.terms[:RANKING_TERMS]) + tuple(g[0] for g in theme.synonyms)
            out.append(Concept(theme.slug, labels, french))
    return out


def concepts_in(words: Sequence[str], concepts: Sequence[Concept]) -> list[Concept] | None:
    """The concepts whose English or Spanish labels, together, cover every word of the query
    (analysed in the label's language); None when some word is no concept's label."""
    covered = [False] * len(words)
    used: list[Concept] = []
    by_language: dict[str, list[str]] = {}
    for concept in concepts:
        for lang, label in concept.labels:
            if lang not in by_language:
                by_language[lang] = [(analyze(w, lang) or [""])[0] for w in words]
            flat = by_language[lang]
            n = len(label)
            for start in range(len(flat) - n + 1):
                if tuple(flat[start : start + n]) == label:
                    for k in range(start, start + n):
                        covered[k] = True
                    if concept not in used:
                        used.append(concept)
    if not words or not all(covered):
        return None
    return used
