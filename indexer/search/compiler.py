"""Parsed queries (indexer/search/query.py) made into Whoosh queries: every field, every
language's stem, acronyms and their expansions, prefixes capped to their most frequent words."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from whoosh import query as wq

from ..analysis import STOP_WORDS, analyze, stem
from ..analysis import words as folded_words
from .models import Work
from .phrases import FastPhrase
from .query import Alternatives, ParsedQuery, Prefix, Words
from .union import union_matcher

# subjects: the keywords, apart from the other descriptive fields (meta), so that a record
# whose keywords say a word is weighed against the few words of its keywords, not diluted in
# its abstract (issue 11, seventh pass)
FIELD_BOOSTS = {"title": 6.0, "subjects": 2.0, "meta": 1.5, "body": 1.0}
FIELDS = tuple(FIELD_BOOSTS)
DESCRIPTIVE = ("title", "subjects", "meta")  # what a record says it is about
MAX_PREFIX_TERMS = 64  # terms a prefix may expand to, most frequent first
# Short prefixes expand to hundreds of unrelated words ("par*": part, parc, parent, parole…);
# past the most frequent ones they add cost (every posting is read) and little else.
SHORT_PREFIX_TERMS = {3: 16, 4: 32}
MAX_PREFIX_SCAN = 5_000  # terms looked at to choose them
# A whole query shares these among its prefixes (24 prefixes OR'ed would read 24 x 3 x 64 terms'
# postings otherwise): the work of one request stays bounded whatever is typed.
MAX_QUERY_TERMS = 768
MAX_QUERY_SCAN = 30_000


# Word families a French reader takes as one (décrocheur/décrochage, médiateur/médiation,
# insertion/insérer, traditionnel/tradition): words that share a root once one of these derivational endings is cut.
# Only these endings, and roots of at least FAMILY_ROOT letters: "médiation" and "médiathèque"
# share a beginning, not a root, and are never linked.
FAMILY_ENDINGS = (
    "ateurs", "atrices", "ateur", "atrice", "ations", "ation", "ements", "ement", "euses",
    "euse", "eurs", "eur", "ages", "age", "tions", "tion", "ions", "ion", "er",
    # adjectives and their nouns: traditionnelle/tradition, professionnel/profession,
    # parentalité/parent
    "ionnelles", "ionnelle", "ionnels", "ionnel", "alites", "alite",
)  # fmt: skip
FAMILY_ROOT = 5
# Nouns whose verb changes its ending otherwise (soutien/soutenir, construction/construire,
# inscription/inscrire, démolition/démolir): each class links only its own endings, with the
# shortest root it allows ("sou|tien": the ending says enough).
FAMILY_CLASSES = (
    (("tiens", "tien", "tenir", "tenu", "tenus", "tenue", "tenues"), 3),
    (("uctions", "uction", "uire", "uit", "uits"), FAMILY_ROOT),
    (("iptions", "iption", "ire", "it", "its"), FAMILY_ROOT),
    (("itions", "ition", "ir"), FAMILY_ROOT),
)
FAMILY_BOOST = 0.3  # a relative ranks after the word itself
MAX_TOGETHER = 8  # words of a plain query looked for next to each other as well
TOGETHER_BOOST = 1.0  # the phrase's score added to the words' where they stand together
REVERSED_FACTOR = 0.5  # two words together the other way round: half that
# A related expression of the vocabulary (associes: CUCS for « contrat de ville ») finds its
# documents too, for less than the query's own words.
RELATED_BOOST = 0.3
# In a title it counts twice that: a document titled on a related expression (« Relogement et
# rénovation urbaine » for "reloger les habitants") is about it; still below the query's own
# words in a title (CUCS before « contrat de ville » for "CUCS").
RELATED_TITLE_BOOST = 0.6
# Every part of a query of several parts in the title: its title scores count once more, times
# this (a title that names the whole request, not one of its words).
TITLE_ALL_BOOST = 1.0


def family_roots(word: str) -> set[str]:
    """The roots of a folded French word under FAMILY_ENDINGS (empty when it has none)."""
    return {
        word[: -len(ending)]
        for ending in FAMILY_ENDINGS
        if word.endswith(ending) and len(word) - len(ending) >= FAMILY_ROOT
    }


def family_stems(word: str) -> set[str]:
    """French stems of the words of `word`'s family (itself excluded), indexed or not."""
    own = stem(word, "fr")
    out = {stem(root + ending, "fr") for root in family_roots(word) for ending in FAMILY_ENDINGS}
    for endings, shortest in FAMILY_CLASSES:
        for ending in endings:
            if word.endswith(ending) and len(word) - len(ending) >= shortest:
                root = word[: -len(ending)]
                out.update(stem(root + other, "fr") for other in endings)
    out.discard(own)
    return out


class QueryCompiler:
    def __init__(self, languages: Sequence[str]) -> None:
        self._languages = tuple(languages)
        self._equivalences: list[tuple[tuple[str, ...], ...]] = []
        self._equivalences_by_start: dict[str, list[int]] = {}
        self._ambiguous: frozenset[tuple[str, ...]] = frozenset()
        self._related: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
        self._form_texts: dict[tuple[str, ...], str] = {}
        self._form_labels: dict[tuple[str, ...], str] = {}
        self._work = Work()
        self._prefix_share = 1

    def set_equivalences(
        self, groups: Iterable[Sequence[str]], related: Iterable[Sequence[str]] = ()
    ) -> None:
        """Expressions that mean the same (acronym and expansion): a query for one finds all.
        `related` expressions (CUCS, contrat de ville) find each other's documents, ranked after
        the query's own; an expression is related to its equivalents' related ones as well."""
        compiled = []
        texts: dict[tuple[str, ...], str] = {}
        labels: dict[tuple[str, ...], str] = {}  # each form as the vocabulary writes it

        def forms_of(group: Sequence[str]) -> tuple[tuple[str, ...], ...]:
            forms = tuple(dict.fromkeys(tuple(analyze(expr)) for expr in group))
            for expr in group:
                # the words as written, for highlighting ("zones franches urbaines" for ZFU)
                if analyze(expr):
                    texts.setdefault(tuple(analyze(expr)), " ".join(folded_words(expr)))
                    labels.setdefault(tuple(analyze(expr)), expr)
            return tuple(f for f in forms if f)

        groups = [tuple(g) for g in groups]
        for group in groups:
            forms = forms_of(group)
            if len(forms) > 1:
                compiled.append(forms)
        equivalent: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        for forms in compiled:
            for form in forms:
                equivalent.setdefault(form, set()).update(forms)
        links: dict[tuple[str, ...], dict[tuple[str, ...], None]] = {}
        for group in related:
            forms = forms_of(group)
            closed = [{f, *equivalent.get(f, ())} for f in forms]
            for k, own in enumerate(closed):
                for j, others in enumerate(closed):
                    if j == k:
                        continue
                    for form in own:
                        target = links.setdefault(form, {})
                        target.update(dict.fromkeys(sorted(others - own)))
        self._equivalences = compiled
        self._equivalences_by_start = _by_start(compiled)
        # an acronym that stands for several expressions (CLS): found from itself only
        self._ambiguous = _ambiguous_acronyms(groups)
        self._related = {form: tuple(others) for form, others in links.items() if others}
        self._form_texts = texts
        self._form_labels = labels

    def compile(
        self, parsed: ParsedQuery, reader, work: Work | None = None
    ) -> tuple[wq.Query | None, wq.Query | None, list[str], list[str]]:
        """(query, exclusion, words of the equivalent expressions the query was expanded to,
        words of the related expressions it was widened to).

        `work` counts the terms prefixes expanded to; the query's prefixes share the budget."""
        self._work = work if work is not None else Work()
        prefixes = sum(isinstance(o, Prefix) for g in parsed.required for o in g.options) + sum(
            isinstance(c, Prefix) for c in parsed.excluded
        )
        self._prefix_share = max(1, prefixes)
        groups = _expand_equivalences(
            parsed.required, self._equivalences, self._equivalences_by_start, self._ambiguous
        )
        if self._related:
            groups = _add_related(groups, self._related)
        required = [self._alternatives(group, reader) for group in groups]
        query = wq.And(required) if len(required) > 1 else (required[0] if required else None)
        runs = any(isinstance(o, _Run) for g in groups for o in g)
        together = self._together(parsed) if len(required) > 1 or runs else None
        if query is not None and len(groups) > 1 and TITLE_ALL_BOOST:
            # the words themselves, their equivalents and related expressions, not their family
            in_title = [self._alternatives(group, reader, ("title",)) for group in groups]
            query = wq.AndMaybe(query, wq.And(in_title, boost=TITLE_ALL_BOOST))
        if query is not None and together is not None:
            # outermost, so that ranking.ranked checks the words together only where a page
            # needs them (the title lift above is cheap: postings, no positions)
            query = Bonus(query, together)
        excluded = [self._clause(c, reader) for c in parsed.excluded]
        exclusion = AnyOf(excluded) if excluded else None
        equivalents = [
            self._form_texts[option.terms]
            for group in groups
            for option in group
            if isinstance(option, _Stems)
            and option.factor == 1.0
            and option.terms in self._form_texts
        ]
        widened = [
            option.terms
            for group in groups
            for option in group
            if isinstance(option, _Stems) and option.factor != 1.0
        ]
        # highlighted like the equivalents; named as the vocabulary writes them
        equivalents += [self._form_texts[t] for t in widened if t in self._form_texts]
        related = [self._form_labels[t] for t in widened if t in self._form_labels]
        return query, exclusion, equivalents, list(dict.fromkeys(related))

    def described(
        self, parsed: ParsedQuery, reader, fields: Sequence[str] = DESCRIPTIVE
    ) -> wq.Query | None:
        """Every part of the query (its equivalents and related expressions too, not its word
        families) in the title, keywords or other descriptive fields (or only some of them):
        what a document is about, not what its text mentions."""
        self._work = Work()
        self._prefix_share = 1
        groups = _expand_equivalences(
            parsed.required, self._equivalences, ambiguous=self._ambiguous
        )
        if self._related:
            groups = _add_related(groups, self._related)
        parts = [self._alternatives(group, reader, fields) for group in groups]
        return (wq.And(parts) if len(parts) > 1 else parts[0]) if parts else None

    def together(self, parsed: ParsedQuery) -> wq.Query | None:
        """The query's words next to each other, in order, in any field (None unless the query
        is two to MAX_TOGETHER plain words)."""
        return self._together(parsed)

    def _together(self, parsed: ParsedQuery) -> wq.Query | None:
        """For a query of plain words, the words next to each other, in order (two words: in
        either order), a phrase in any field: optional, it lifts the documents where they stand
        together."""
        if not 1 < len(parsed.required) <= MAX_TOGETHER:
            return None
        words: list[str] = []
        for group in parsed.required:
            option = group.options[0]
            if len(group.options) > 1 or not isinstance(option, Words) or option.is_phrase:
                return None
            words.append(option.words[0])
        variants: dict[tuple[str, ...], float] = {}
        for lang in self._languages:
            terms = tuple(stem(w, lang) for w in words if w not in STOP_WORDS[lang])
            if len(terms) > 1:
                variants.setdefault(terms, TOGETHER_BOOST)
        # two words the other way round count for less: "social mediation" for « médiation
        # sociale », "jeunes emploi" for « emploi des jeunes »
        for terms in list(variants):
            if len(terms) == 2:
                variants.setdefault(terms[::-1], TOGETHER_BOOST * REVERSED_FACTOR)
        if not variants:
            return None
        return AnyOf(
            [
                FastPhrase(f, list(terms), boost=FIELD_BOOSTS[f] * factor)
                for f in FIELDS
                for terms, factor in variants.items()
            ]
        )

    def _alternatives(
        self, group: Sequence[object], reader, fields: Sequence[str] = FIELDS
    ) -> wq.Query:
        options = [self._clause(option, reader, fields) for option in group]
        return options[0] if len(options) == 1 else AnyOf(options)

    def _clause(self, clause: object, reader, fields: Sequence[str] = FIELDS) -> wq.Query:
        if isinstance(clause, _Run):
            # the words anywhere in the text count as a related expression does: « rue » on one
            # page and « éducateurs » on another say the expression no more than its relatives
            # (its words next to each other are lifted by the query's Bonus)
            boost = RELATED_BOOST if fields == FIELDS else 1.0
            return wq.And(
                [self._alternatives(g, reader, fields) for g in clause.groups], boost=boost
            )
        if isinstance(clause, _Stems):
            return _fields_query(lambda f: _sequence(f, clause.terms, clause.factor_in(f)), fields)
        if isinstance(clause, Prefix):
            return self._prefix(clause.prefix, reader, fields)
        assert isinstance(clause, Words)
        variants = []
        for lang in self._languages:
            kept = (
                [w for w in clause.words if w not in STOP_WORDS[lang]]
                if clause.is_phrase
                else clause.words
            )
            terms = tuple(stem(w, lang) for w in kept)
            if terms and terms not in variants:
                variants.append(terms)
        if not variants:
            return wq.NullQuery
        # a word's family counts in every field at once only (not in the title-only pass)
        relatives = self._relatives(clause, reader, variants) if fields == FIELDS else []
        return _fields_query(
            lambda f: _any(
                [_sequence(f, terms) for terms in variants]
                + [wq.Term(f, t, boost=FIELD_BOOSTS[f] * FAMILY_BOOST) for t in relatives]
            ),
            fields,
        )

    def _relatives(self, clause: Words, reader, variants: list[tuple[str, ...]]) -> list[str]:
        """Indexed stems of the word's family (one word, not a phrase), by the French rule."""
        if clause.is_phrase or not clause.words:
            return []
        taken = {terms[0] for terms in variants}
        found = []
        for term in sorted(family_stems(clause.words[0]) - taken):
            if any(reader.doc_frequency(f, term) > 0 for f in FIELDS):
                found.append(term)
        self._work.terms += len(found)
        return found

    def _prefix(self, prefix: str, reader, fields: Sequence[str] = FIELDS) -> wq.Query:
        """A prefix capped to its most frequent expansions, plus the stem of the word itself
        (stems are shorter than words: 'evaluation*' must still find 'evalu')."""
        per_field = []
        scan_limit = min(MAX_PREFIX_SCAN, MAX_QUERY_SCAN // (self._prefix_share * len(FIELDS)))
        limit = min(
            SHORT_PREFIX_TERMS.get(len(prefix), MAX_PREFIX_TERMS),
            max(2, MAX_QUERY_TERMS // (self._prefix_share * len(FIELDS))),
        )
        for name in fields:
            candidates = []
            for i, term in enumerate(reader.expand_prefix(name, prefix)):
                if i >= scan_limit:
                    break
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                candidates.append((reader.doc_frequency(name, text), text))
            self._work.scanned += len(candidates)
            chosen = {t for _, t in heapq.nlargest(limit, candidates)}
            self._work.terms += len(chosen)
            chosen.update(stem(prefix, lang) for lang in self._languages)
            per_field.append(
                AnyOf([wq.Term(name, t, boost=FIELD_BOOSTS[name]) for t in sorted(chosen)])
            )
        return AnyOf(per_field)


@dataclass(frozen=True, slots=True)
class _Stems:
    """A clause already analysed (from the vocabulary's equivalences)."""

    terms: tuple[str, ...]
    factor: float = 1.0  # RELATED_BOOST for a related expression

    def factor_in(self, field: str) -> float:
        if field == "title" and self.factor == RELATED_BOOST:
            return RELATED_TITLE_BOOST
        return self.factor


@dataclass(frozen=True, slots=True)
class _Run:
    """Query words that must all be found (a run that spells a related expression)."""

    groups: tuple[tuple[object, ...], ...]


def _add_related(
    groups: list[list[object]], related: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]
) -> list[list[object]]:
    """Add to each group the expressions related to what it says: to a group of equivalents
    (CUCS), theirs; to a run of plain words spelling an expression (contrat de ville), theirs,
    the run kept as it is typed."""
    out = [list(g) for g in groups]
    for group in out:
        found = [o.terms for o in group if isinstance(o, _Stems) and o.terms in related]
        if found:
            have = {o.terms for o in group if isinstance(o, _Stems)}
            for terms in found:
                for other in related[terms]:
                    if other not in have:
                        have.add(other)
                        group.append(_Stems(other, RELATED_BOOST))
    plain = [
        (i, stem(word))
        for i, g in enumerate(out)
        if len(g) == 1 and isinstance(g[0], Words)
        for word in _hyphenated(g[0])
    ]
    starts = {s for _, s in plain}
    for form, others in related.items():
        if form[0] not in starts:
            continue
        for indexes in _spelled(plain, form):
            if not all(out[i] for i in indexes):
                continue
            if len(form) == 1:
                out[indexes[0]] = out[indexes[0]] + [_Stems(o, RELATED_BOOST) for o in others]
            else:
                # the run's words as typed (all of them, anywhere), or any related expression
                run = _Run(tuple(tuple(out[i]) for i in indexes))
                out[indexes[0]] = [run] + [_Stems(o, RELATED_BOOST) for o in others]
                for i in indexes[1:]:
                    out[i] = []
    return [g for g in out if g]


def _spelled(words: Sequence[tuple[int, object]], form: tuple[str, ...]) -> Iterator[list[int]]:
    """The groups (their positions) of each run of consecutive query words (group position,
    stem) whose stems spell `form`. A hyphenated word ("médico-psychologique") is one group of
    several words: a run takes all of its words or none."""
    n = len(form)
    for pos in range(len(words) - n + 1):
        window = words[pos : pos + n]
        if tuple(s for _, s in window) != form:
            continue
        if (pos > 0 and words[pos - 1][0] == window[0][0]) or (
            pos + n < len(words) and words[pos + n][0] == window[-1][0]
        ):
            continue  # part of a hyphenated word only
        indexes = list(dict.fromkeys(i for i, _ in window))
        if indexes == list(range(indexes[0], indexes[0] + len(indexes))):
            yield indexes


def _hyphenated(option: Words) -> tuple[str, ...]:
    """The words a run of the query may spell an expression with: a word, or each word of a
    hyphenated one ("primo-arrivants"); none of a phrase in quotes."""
    single = len(option.words) == 1 or (option.typed != "" and " " not in option.typed.strip())
    return option.words if single else ()


def _by_start(equivalences: Sequence[tuple[tuple[str, ...], ...]]) -> dict[str, list[int]]:
    """{stem: the equivalences (their ranks) having a form that starts with it}."""
    out: dict[str, list[int]] = {}
    for rank, forms in enumerate(equivalences):
        for start in dict.fromkeys(form[0] for form in forms):
            out.setdefault(start, []).append(rank)
    return out


def _expand_equivalences(
    groups: Sequence[Alternatives],
    equivalences: Sequence[tuple[tuple[str, ...], ...]],
    by_start: Mapping[str, list[int]] | None = None,
    ambiguous: frozenset[tuple[str, ...]] = frozenset(),
) -> list[list[object]]:
    """Rewrite runs of query words that spell one form of an equivalence into all its forms;
    not into a form of several equivalences (`ambiguous`: CLS, « contrat local de sécurité » and
    « contrat local de santé »), unless the query spells it: an expansion is sure, its
    acronym is not.

    `by_start` (_by_start of the equivalences) lets only those with a form that starts with a
    stem of the query be read, in their order: no other can change a group."""
    out: list[list[object]] = [list(g.options) for g in groups]
    if not equivalences:
        return out
    singles = [
        (i, stem(word) if word is not None else None)
        for i, g in enumerate(groups)
        if len(g.options) == 1 and isinstance(g.options[0], Words)
        for word in _hyphenated(g.options[0]) or [None]
    ]
    present = {s for _, s in singles}
    stems: dict[tuple[str, ...], tuple[str, ...]] = {}  # each option's stems, computed once
    # the stems of the options the second rewriting may replace: only these (never options it
    # creates) can spell a form, so an equivalence none of whose forms is among them is skipped
    replaceable = {
        _stems_of(option.words, stems)
        for g in groups
        for option in g.options
        if isinstance(option, Words) and (option.is_phrase or len(g.options) > 1)
    }
    if by_start is not None:
        starts = {s for s in present if s} | {terms[0] for terms in replaceable if terms}
        ranks = sorted({r for start in starts for r in by_start.get(start, ())})
        equivalences = [equivalences[r] for r in ranks]
    spelt: dict[int, list[int]] = {}  # the runs already rewritten, by their first group
    for forms in equivalences:
        for form in forms:
            if form[0] not in present:  # no run of the query's words can spell it
                continue
            for indexes in _spelled(singles, form):
                said = [f for f in forms if f == form or f not in ambiguous]
                if len(said) == 1:
                    continue  # nothing sure to add: the words stay as typed
                if spelt.get(indexes[0]) == indexes:
                    # the same words are a form of another equivalence as well (CLS: « contrat
                    # local de sécurité » and « contrat local de santé »): the query means either
                    have = {o.terms for o in out[indexes[0]] if isinstance(o, _Stems)}
                    out[indexes[0]] += [_Stems(f) for f in said if f not in have]
                elif all(out[i] for i in indexes):
                    out[indexes[0]] = [_Stems(f) for f in said]
                    for i in indexes[1:]:
                        out[i] = []
                    spelt[indexes[0]] = indexes
        # phrases typed in quotes ("zone franche urbaine"), and words among alternatives
        # (ZFU OU emploi, or any query once relaxed to any word)
        if replaceable.isdisjoint(forms):
            continue
        for group in out:
            for k, option in enumerate(group):
                if (
                    isinstance(option, Words)
                    and (option.is_phrase or len(group) > 1)
                    and (typed := _stems_of(option.words, stems)) in forms
                ):
                    sure = [_Stems(f) for f in forms if f == typed or f not in ambiguous]
                    if len(sure) > 1:
                        group[k : k + 1] = sure
    return [g for g in out if g]


def _ambiguous_acronyms(groups: Iterable[Sequence[str]]) -> frozenset[tuple[str, ...]]:
    """The analysed forms of the acronyms written alike in several equivalences (CLS for
    « contrat local de sécurité » and for « contrat local de santé »); not two acronyms that
    only share a stem (CIV, CIVIS)."""
    seen: dict[str, int] = {}
    for group in groups:
        for expr in dict.fromkeys(e.strip() for e in group if e.strip().isupper()):
            seen[expr] = seen.get(expr, 0) + 1
    return frozenset(tuple(analyze(a)) for a, n in seen.items() if n > 1 and analyze(a))


def _stems_of(words: tuple[str, ...], known: dict[tuple[str, ...], tuple[str, ...]]):
    found = known.get(words)
    if found is None:
        found = known[words] = tuple(stem(w) for w in words)
    return found


class Bonus(wq.AndMaybe):
    """The query's words (a), lifted where they stand together (b: an AnyOf of FastPhrases).
    Whoosh reads it as its AndMaybe; ranking.ranked checks b only where a page needs it."""


class AnyOf(wq.Or):
    """An OR whose matcher reads its parts' postings into arrays, part by part.

    Whoosh picks that for indexes of up to 5,000 documents and a binary tree of union matchers
    above; searches here score every match (facets need them all), where the tree's per-posting
    calls cost more: 'par*' at 20,000 documents took 460 ms with the tree, 240 ms with arrays."""

    matcher_type = wq.Or.ARRAY_MATCHER

    def _matcher(self, subs, searcher, context):
        # The same union and scores, its terms' postings read a block at a time (union.py)
        scored = context.weighting is not None if context else True
        parts = [sub.matcher(searcher, context) for sub in subs]
        return union_matcher(parts, searcher, boost=self.boost, scored=scored)


def _fields_query(build: Callable[[str], wq.Query], fields: Sequence[str] = FIELDS) -> wq.Query:
    return _any([build(name) for name in fields])


def _sequence(field: str, terms: Sequence[str], factor: float = 1.0) -> wq.Query:
    boost = FIELD_BOOSTS[field] * factor
    if len(terms) == 1:
        return wq.Term(field, terms[0], boost=boost)
    return FastPhrase(field, list(terms), boost=boost)


def labels_query(
    groups: Sequence[Sequence[tuple[str, ...]]], fields: Sequence[str] = FIELDS
) -> wq.Query | None:
    """Every group matched by one of its analysed labels, a label's terms next to each other
    in any of `fields` (the English and Spanish names of the concepts a French query spells)."""
    parts = [
        _FewOf([_sequence(f, terms) for f in fields for terms in labels])
        for labels in groups
        if labels
    ]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


class _FewOf(wq.Or):
    """An OR of a few rare terms or phrases: a plain tree of union matchers (AnyOf's arrays
    span the whole segment, which costs more than such a query reads)."""

    matcher_type = wq.Or.DEFAULT_MATCHER


def _any(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else AnyOf(queries)
