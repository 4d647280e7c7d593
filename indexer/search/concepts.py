"""Concepts of the vocabulary as the search uses them across languages. Precise ones first: a
French expression and what English and Spanish call it ([thematique.traductions]: "youth
employment" -> the French documents that say "emploi des jeunes"); else a thematic's English and
Spanish labels find the French documents on the thematic. Both rank after the matches in the
query's own language, ordered by the French words. No engine here: plain values."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..analysis import analyze, fold

RANKING_TERMS = 12  # French preferred terms that order a concept's documents


@dataclass(frozen=True, slots=True)
class Concept:
    slug: str
    labels: tuple[tuple[str, tuple[str, ...]], ...]  # (language, analysed label terms)
    french: tuple[str, ...]  # French expressions that order its documents
    # a precise concept: the French expression whose documents it finds ("" = the thematic's)
    expression: str = ""


def concepts_from(themes: Iterable) -> list[Concept]:
    """Concepts from the vocabulary's thematics (`Theme` values of indexer.vocabulary): the
    precise ones (translations), then one per thematic (its English and Spanish labels)."""
    themes = list(themes)
    written = {
        lang: {fold(t) for theme in themes for t in theme.foreign_terms(lang)}
        for lang in ("en", "es")
    }
    out = []
    for theme in themes:
        for french, others in theme.translations:
            labels = tuple(
                dict.fromkeys(
                    (lang, tuple(analyze(other, lang)))
                    for other in others
                    for lang in _languages_of(other, written)
                    if analyze(other, lang)
                )
            )
            if labels:
                out.append(Concept(theme.slug, labels, (french,), french))
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


_SPANISH = re.compile("[áéíóúñ¿¡]")


def _languages_of(text: str, written: dict[str, set[str]]) -> tuple[str, ...]:
    """The language a translation is written in: the one whose labels list it, else Spanish
    when it has Spanish letters, else either ("youth" is no Spanish label, "violencia" no
    English one: analysed in the wrong language, a word could pass for the other's)."""
    folded = fold(text)
    listed = tuple(lang for lang in ("en", "es") if folded in written[lang])
    if len(listed) == 1:
        return listed
    if _SPANISH.search(text.lower()):
        return ("es",)
    return ("en", "es")


def concepts_in(words: Sequence[str], concepts: Sequence[Concept]) -> list[Concept] | None:
    """The concepts whose English or Spanish labels, together, cover every word of the query
    (analysed in the label's language); None when some word is no concept's label. Precise
    concepts are preferred: the thematics' labels are used when they do not cover the query."""
    precise = _cover(words, [c for c in concepts if c.expression])
    if precise is not None:
        return precise
    return _cover(words, [c for c in concepts if not c.expression])


def _cover(words: Sequence[str], concepts: Sequence[Concept]) -> list[Concept] | None:
    """The concepts whose labels cover every word, the longest label winning where labels
    overlap ("youth employment" is one concept, not "youth" and "employment" as well)."""
    spans: list[tuple[int, int, Concept]] = []
    by_language: dict[str, list[str]] = {}
    present: dict[str, set[str]] = {}  # a label can only start at one of the query's words
    for concept in concepts:
        for lang, label in concept.labels:
            if lang not in by_language:
                by_language[lang] = [(analyze(w, lang) or [""])[0] for w in words]
                present[lang] = set(by_language[lang])
            if label and label[0] not in present[lang]:
                continue
            flat = by_language[lang]
            n = len(label)
            for start in range(len(flat) - n + 1):
                if tuple(flat[start : start + n]) == label:
                    spans.append((start, start + n, concept))
    kept = [
        (a, b, c)
        for a, b, c in spans
        if not any(x <= a and b <= y and y - x > b - a for x, y, _ in spans)
    ]
    covered = {k for a, b, _ in kept for k in range(a, b)}
    if not words or len(covered) < len(words):
        return None
    by_span: dict[tuple[int, int], list[Concept]] = {}
    for a, b, concept in sorted(kept, key=lambda s: s[:2]):
        if concept not in by_span.setdefault((a, b), []):
            by_span[(a, b)].append(concept)
    used: list[Concept] = []
    for alike in by_span.values():
        for concept in _either(alike):
            if concept not in used:
                used.append(concept)
    return used


def _either(alike: list[Concept]) -> list[Concept]:
    """Precise concepts the same words name ("unemployment" and "unemployed" are one English
    stem: « chômage », « chômeurs ») as one, found by either French expression (the engine
    requires every concept of a query: each on its own would ask for both)."""
    precise = [c for c in alike if c.expression]
    if len(precise) < 2:
        return alike
    merged = Concept(
        precise[0].slug,
        tuple(dict.fromkeys(label for c in precise for label in c.labels)),
        tuple(dict.fromkeys(t for c in precise for t in c.french)),
        " OU ".join(dict.fromkeys(_quoted(c.expression) for c in precise)),
    )
    return [merged] + [c for c in alike if not c.expression]


def query_languages(words: Sequence[str], concepts: Sequence[Concept]) -> set[str]:
    """The languages whose labels of these concepts the query's words spell."""
    found = set()
    for concept in concepts:
        for lang, label in concept.labels:
            flat = tuple((analyze(w, lang) or [""])[0] for w in words)
            n = len(label)
            if any(flat[i : i + n] == label for i in range(len(flat) - n + 1)):
                found.add(lang)
    return found


def _quoted(expression: str) -> str:
    """An expression of several words as one option of an OU (its words together)."""
    return f'"{expression}"' if len(expression.split()) > 1 else expression


def french_labelled(concepts: Sequence[Concept]) -> list[tuple[Concept, Concept]]:
    """(the precise concept labelled by its analysed French expression, the concept itself)."""
    out = []
    for concept in concepts:
        terms = tuple(analyze(concept.expression, "fr")) if concept.expression else ()
        if terms:
            labelled = Concept(concept.slug, (("fr", terms),), concept.french, concept.expression)
            out.append((labelled, concept))
    return out


def french_cover(
    words: Sequence[str], labelled: Sequence[tuple[Concept, Concept]]
) -> list[Concept] | None:
    """The precise concepts whose French expressions, together, are every word of a French
    query ("rénovation urbaine", "chômage"); None when some word is no concept's expression."""
    if not labelled:
        return None
    used = _cover(words, [french for french, _ in labelled])
    if used is None:
        return None
    originals = dict(labelled)
    out = []
    for concept in used:
        if concept in originals:
            out.append(originals[concept])
        else:  # expressions the same French stems spell (« accès au droit », « aux droits »),
            # merged by _cover: their concepts merged likewise
            alike = [orig for own, orig in labelled if own.labels == concept.labels]
            out.extend(c for c in _either(alike) if c not in out)
    return out
