"""The query language users type, parsed into a small tree that does not know the engine.

    mots                    every word, ranked (accents, case and plurals ignored)
    "expression exacte"     the words next to each other
    mot1 OU mot2            either (OR and | work too)
    -mot, -"expression"     exclusion
    préfixe*                words starting with the prefix (at least 3 letters)

Parsing never fails: odd input (unbalanced quotes, a lone `*` or `-`, a very long query)
is repaired and the repair is reported in `notes`: a code and its facts, which the edge
(`webapp.messages.query_note`) words in French for the user.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..analysis import fold, words

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 24
MIN_PREFIX = 3
_OR_WORDS = {"OU", "OR", "|"}
_TOKEN = re.compile(r'-?"[^"]*"|\S+')


@dataclass(frozen=True, slots=True)
class QueryNote:
    """What the parser repaired: query-too-long (chars), unclosed-quote, ignored (tokens),
    too-many-terms (terms), short-prefix (typed, min)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Words:
    """One word, or several that must follow each other (a phrase). Folded, not stemmed."""

    words: tuple[str, ...]
    typed: str = field(default="", compare=False)  # as the user wrote it (for messages)
    quoted: bool = field(default=False, compare=False)  # in quotes, not one hyphenated word

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True, slots=True)
class Prefix:
    prefix: str  # folded
    typed: str = field(default="", compare=False)


Clause = Words | Prefix


@dataclass(frozen=True, slots=True)
class Alternatives:
    """Clauses of which one must match (a single clause when the user wrote no OU)."""

    options: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    required: tuple[Alternatives, ...] = ()
    excluded: tuple[Clause, ...] = ()
    notes: tuple[QueryNote, ...] = field(default=())

    def words(self) -> list[str]:
        """Every positive folded word or prefix, for highlighting and suggestions."""
        out: list[str] = []
        for group in self.required:
            for option in group.options:
                out.extend(option.words if isinstance(option, Words) else [option.prefix])
        return out

    def marks(self) -> list[str]:
        """What a snippet marks: each word and prefix, and each expression as one (its words
        joined by spaces: marked only where they follow each other). A quoted expression's
        words are not marked apart: « "contrat de ville" » marked every « de » of a text. A
        hyphenated word's parts are, but for its stop words (the documents holding part of
        « femmes-relais » follow those holding it)."""
        out: list[str] = []
        for group in self.required:
            for option in group.options:
                if isinstance(option, Prefix):
                    out.append(option.prefix)
                elif not option.is_phrase:
                    out.extend(option.words)
                else:
                    out.append(" ".join(option.words))
                    content = [w for w in option.words if words(w)]
                    if len(content) > 1 and len(content) < len(option.words):
                        # as the index reads it, without its stop words: « emplois-jeunes »
                        # for « "emploi des jeunes" » (a snippet allows short words between)
                        out.append(" ".join(content))
                    if not option.quoted:
                        out.extend(content)
        return out

    def relaxed(self) -> ParsedQuery:
        """The same query with any word instead of every word (the fallback)."""
        options = tuple(o for group in self.required for o in group.options)
        if len(self.required) < 2:
            return self
        return ParsedQuery((Alternatives(options),), self.excluded, self.notes)

    def loosened(self) -> ParsedQuery | None:
        """Any of the query's words, if it has several: the words of the query, or those of
        one hyphenated word (« femmes-relais »: « relais » too). None for one word or one
        quoted phrase (its words are meant together)."""
        if len(self.required) > 1:
            return self.relaxed()
        if len(self.required) == 1 and len(self.required[0].options) == 1:
            option = self.required[0].options[0]
            if isinstance(option, Words) and option.is_phrase and not option.quoted:
                alone = tuple(Words((w,), w) for w in dict.fromkeys(option.words))
                return ParsedQuery((Alternatives(alone),), self.excluded, self.notes)
        return None


def parse(text: str) -> ParsedQuery:
    notes: list[QueryNote] = []
    text = text.replace("\x00", " ").strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(QueryNote("query-too-long", {"chars": MAX_QUERY_CHARS}))
    # Typographic quotes become plain ones; an unbalanced quote is dropped.
    text = text.translate({ord(c): '"' for c in "«»“”„"})
    if text.count('"') % 2:
        last = text.rfind('"')
        text = text[:last] + " " + text[last + 1 :]
        notes.append(QueryNote("unclosed-quote"))

    required: list[list[Clause]] = []
    excluded: list[Clause] = []
    join_next = False
    ignored: list[str] = []
    for raw in _TOKEN.findall(text):
        if raw in _OR_WORDS:
            join_next = bool(required)
            continue
        negative = raw.startswith("-") and len(raw) > 1
        body = raw[1:] if negative else raw
        clause = _clause(body, notes, ignored)
        if clause is None:
            continue
        if negative:
            excluded.append(clause)
        elif join_next and required:
            required[-1].append(clause)
        else:
            required.append([clause])
        join_next = False

    if ignored:
        notes.append(QueryNote("ignored", {"tokens": list(dict.fromkeys(ignored))}))
    # a clause typed twice is one (« quartier quartier… » 1,250 times weighs as « quartier »),
    # before the clauses are counted
    groups = list(dict.fromkeys(Alternatives(tuple(dict.fromkeys(g))) for g in required))
    excluded = list(dict.fromkeys(excluded))
    if len(groups) + len(excluded) > MAX_CLAUSES:
        groups = groups[:MAX_CLAUSES]
        excluded = excluded[: max(0, MAX_CLAUSES - len(groups))]
        notes.append(QueryNote("too-many-terms", {"terms": MAX_CLAUSES}))
    return ParsedQuery(tuple(groups), tuple(excluded), tuple(notes))


def _clause(body: str, notes: list[QueryNote], ignored: list[str]) -> Clause | None:
    if body.startswith('"') and body.endswith('"') and len(body) >= 2:
        # Stop words stay in phrases: each language drops its own when the query is compiled.
        found = words(body[1:-1], stops=False)
        return Words(tuple(found), body[1:-1], quoted=True) if found else None
    if body.endswith("*"):
        stem = body.rstrip("*")
        folded = [w for w in re.findall(r"\w+", fold(stem.replace("'", " ")))]
        if not folded:
            ignored.append(body)
            return None
        prefix = folded[-1]
        if len(prefix) < MIN_PREFIX:
            notes.append(QueryNote("short-prefix", {"typed": body, "min": MIN_PREFIX}))
            found = words(stem)
            return Words(tuple(found), stem) if found else None
        return Prefix(prefix, body)  # "l'éval*": the elision before the prefix does not count
    found = words(body)  # a lone French stop word ("de", "la") is dropped
    if len(found) > 1:  # "éco-quartier", "Fort-de-France": the parts in order, as a phrase
        found = words(body, stops=False)
    if not found:
        if re.search(r"\w", body) is None and body not in ("-", "+"):
            ignored.append(body)
        return None
    return Words(tuple(found), body)
