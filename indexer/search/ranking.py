"""Matches best first, with the "words together" bonus checked only where it can change a page.

A query of several words scores each match as its words' scores plus, where the words stand
next to each other (a phrase per field and per language's stems, compiler.Bonus), the phrases'
scores. The words' scores are cheap (postings read once); checking a phrase means decoding the
positions of every candidate, which for common words is most documents of the fund. A page
needs the best 20 only, so each match starts with an upper bound of its score (its words' score
plus every phrase it could hold at the most BM25 can give), then a closer one (plus those
phrases' scores as if they held), then its exact score (positions checked). A heap keyed on
these pops the matches best first; an exact score at the top of the heap comes before every
bound below it, so the page is the same, to the bit and in the same order, as scoring every
match (tests/indexer/test_search_union.py compares them).
"""

from __future__ import annotations

import heapq
import itertools
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterator
from operator import neg
from typing import Any

from whoosh import query as wq

from .membership import _has_phrase, _known, matching_ids
from .phrases import FastPhrase, Prepared, _ids
from .union import _table, restricted

EXACT, CLOSE, LOOSE = 0, 1, 2  # how far a heap entry's score is from the match's


class Ranking:
    """Every match as (docnum, score), best first (then by docnum)."""

    def __init__(self, items: list[tuple[int, float]]) -> None:
        self._items: list[tuple[int, float]] | None = items

    @property
    def ids(self) -> set[int]:
        return {d for d, _ in self}

    def top(self, wanted: Collection[int] | None, stop: int) -> list[tuple[int, float]]:
        """The first `stop` matches among `wanted` (all when None), best first."""
        out = []
        for docnum, score in self:
            if wanted is None or docnum in wanted:
                out.append((docnum, score))
                if len(out) >= stop:
                    break
        return out

    def _all(self) -> list[tuple[int, float]]:
        # a lazy ranking (the subclasses) ranks every match only when asked for all of them
        if self._items is None:
            self._items = self.top(None, self._size())
        return self._items

    def _size(self) -> int:
        return len(self.ids)  # a lazy ranking's ids come from its matches, not from _all

    def __iter__(self) -> Iterator[tuple[int, float]]:
        return iter(self._all())

    def __bool__(self) -> bool:
        return bool(self._all())

    def __add__(self, other: list[tuple[int, float]]) -> list[tuple[int, float]]:
        return self._all() + other


class Followed(Ranking):
    """`head`, best first, then the matches of `tail` that are not in it, their scores scaled
    below the head's as Banded scales a tier. The tail is ranked a page at a time (an
    any-word query can match most of the fund: only the page asked for is ranked)."""

    def __init__(self, head: list[tuple[int, float]] | Ranking, tail: Ranking) -> None:
        super().__init__([])
        self._items = None
        # a list (best first) or a ranking: a translation's tiers (Banded), asked a page at a
        # time too
        self._head = head if isinstance(head, Ranking) else Ranking(head)
        self._tail = tail
        self._in_head = self._head.ids
        first = self._head.top(None, 1)
        self._top = (first[0][1] if first else 1.0) or 1.0
        self._tail_best: float | None = None

    @property
    def ids(self) -> set[int]:
        return self._in_head | self._tail.ids

    def _size(self) -> int:
        return len(self.ids)

    def __bool__(self) -> bool:
        return bool(self._head) or bool(self._tail)

    def top(self, wanted: Collection[int] | None, stop: int) -> list[tuple[int, float]]:
        top = self._top
        out = [(d, top * (0.5 + 0.5 * max(s, 0.0) / top)) for d, s in self._head.top(wanted, stop)]
        if len(out) < stop:
            among = (self._tail.ids if wanted is None else set(wanted)) - self._in_head
            rest = self._tail.top(among, stop - len(out))
            if self._tail_best is None:  # the tail's best, whatever the page or the filters
                first = self._tail.top(self._tail.ids - self._in_head, 1)
                self._tail_best = (first[0][1] if first else 1.0) or 1.0
            best = self._tail_best
            out.extend((d, top * (0.25 + 0.25 * max(s, 0.0) / best)) for d, s in rest)
        return out


class Then(Ranking):
    """`first`'s matches, then `tail`'s (best first, none of them in `first`), each scored
    below `first`'s lowest score: the English and Spanish documents that name a French query's
    concept, after every French match (engine._abroad). `first` is ranked a page at a time, and
    whole only when a page reaches the tail (its lowest score is the tail's ceiling)."""

    def __init__(self, first: Ranking, tail: list[tuple[int, float]]) -> None:
        super().__init__([])
        self._items = None
        self._first = first
        self._tail = tail
        self._in_tail = {d for d, _ in tail}
        self._scaled: list[tuple[int, float]] | None = None

    @property
    def ids(self) -> set[int]:
        return self._first.ids | self._in_tail

    def _size(self) -> int:
        return len(self.ids)

    def __bool__(self) -> bool:
        return bool(self._first) or bool(self._tail)

    def top(self, wanted: Collection[int] | None, stop: int) -> list[tuple[int, float]]:
        out = self._first.top(wanted, stop)
        if len(out) < stop:
            if self._scaled is None:
                floor = min((s for _, s in self._first), default=1.0)
                best = max(s for _, s in self._tail) or 1.0
                self._scaled = [(d, floor * 0.5 * (0.5 + 0.5 * s / best)) for d, s in self._tail]
            rest = (pair for pair in self._scaled if wanted is None or pair[0] in wanted)
            out.extend(itertools.islice(rest, stop - len(out)))
        return out


class Tier:
    """A part of a banded list: its documents, those `source` holds in its order and with its
    scores, then the others by docnum, scored 0."""

    __slots__ = ("members", "source", "_best")

    def __init__(self, members: set[int], source: Ranking | None = None) -> None:
        self.members = members
        self.source = source
        self._best: float | None = None

    def top(self, wanted: Collection[int] | None, stop: int) -> list[tuple[int, float]]:
        among = self.members if wanted is None else self.members.intersection(wanted)
        if not among or stop <= 0:
            return []
        out = self.source.top(among, stop) if self.source is not None else []
        if len(out) < stop:  # every member the source holds is in: the others follow
            held = {d for d, _ in out}
            rest = sorted(d for d in among if d not in held)
            out.extend((d, 0.0) for d in rest[: stop - len(out)])
        return out

    def best(self) -> float:
        """Its highest score (0.0 when the source holds none of its documents)."""
        if self._best is None:
            first = self.top(None, 1)
            self._best = max(first[0][1], 0.0) if first else 0.0
        return self._best

    def all(self) -> list[tuple[int, float]]:
        return self.top(None, len(self.members))


class Banded(Ranking):
    """Tiers one after the other, each tier's scores put in a band of its own below the one
    before (the k-th non-empty tier's in (top / 2**(k+1), top / 2**k], in the tier's order),
    each tier ranked a page at a time (a tier is ranked whole only when a page goes through
    it): engine._across's order of a query across languages."""

    def __init__(self, tiers: list[Tier], top: float) -> None:
        super().__init__([])
        self._items = None
        self._tiers = [tier for tier in tiers if tier.members]
        self._top = top if top > 0 else 1.0

    @property
    def ids(self) -> set[int]:
        return set().union(*(tier.members for tier in self._tiers))

    def _size(self) -> int:
        return sum(len(tier.members) for tier in self._tiers)  # tiers do not overlap

    def __bool__(self) -> bool:
        return bool(self._tiers)

    def top(self, wanted: Collection[int] | None, stop: int) -> list[tuple[int, float]]:
        out: list[tuple[int, float]] = []
        band = self._top
        for tier in self._tiers:
            if len(out) >= stop:
                break
            found = tier.top(wanted, stop - len(out))
            if found:
                best = tier.best() or 1.0
                out.extend((d, band * (0.5 + 0.5 * max(s, 0.0) / best)) for d, s in found)
            band *= 0.5
        return out


class LazyRanking(Ranking, ABC):
    """A ranking that finds its best matches a page at a time (`_rank`), and ranks every match
    only when asked for all of them. `_matches` holds every match (a set, or a dict by docnum)."""

    def __init__(self, matches: Collection[int]) -> None:
        super().__init__([])
        self._items = None
        self._matches = matches

    @property
    def ids(self) -> set[int]:
        matches = self._matches
        return matches if isinstance(matches, set) else set(matches)

    def __bool__(self) -> bool:
        return bool(self._matches)

    def _size(self) -> int:
        return len(self._matches)

    def top(self, wanted: Collection[int] | None, stop: int) -> list[tuple[int, float]]:
        if self._items is not None:
            return Ranking.top(self, wanted, stop)
        return self._rank(wanted, stop)

    @abstractmethod
    def _rank(self, wanted: Collection[int] | None, stop: int) -> list[tuple[int, float]]:
        """The first `stop` matches among `wanted` (all when None), best first."""


class BoundedRanking(LazyRanking):
    """A lazy ranking whose matches start with upper bounds of their scores, refined (`_refine`)
    only while they stand at the top of the heap (`_best_first`)."""

    @abstractmethod
    def _refine(self, docnum: int, state: int) -> tuple[float, bool]:
        """A closer bound of a match's score (checking one more phrase), and whether it is
        now its exact score."""

    def _best_first(self, heap: list[tuple[float, int, int]], stop: int) -> list[tuple[int, float]]:
        """Pop (-bound, docnum, state) entries: an exact score at the top comes before every
        bound below it; any other entry is refined and pushed back."""
        heapq.heapify(heap)
        out: list[tuple[int, float]] = []
        while heap and len(out) < stop:
            key, docnum, state = heap[0]
            if state == EXACT:
                heapq.heappop(heap)
                out.append((docnum, float(-key or 0.0)))
                continue
            score, exact = self._refine(docnum, state)
            heapq.heapreplace(heap, (-score, docnum, EXACT if exact else CLOSE))
        return out


class _BonusRanking(BoundedRanking):
    """The matches of `base` (their scores in `scores`), each lifted by the bonus phrases it
    holds, summed as the union of the phrases sums them (`boost`, `union`: see compiler.Bonus)."""

    def __init__(
        self, scores: dict[int, float], parts: list[Prepared], boost: float, union: bool
    ) -> None:
        super().__init__(scores)
        self._scores = scores
        self._parts = parts
        self._boost = boost
        self._union = union
        loose: dict[int, float] = {}
        for part in parts:
            most = part.bound()
            assert most is not None
            if union:
                most *= abs(boost) * 1.000001
            for docnum in part.candidates:
                if docnum in scores:
                    loose[docnum] = loose.get(docnum, 0.0) + most
        self._loose = loose
        self._pending: dict[int, list[tuple[int, float]]] = {}
        self._held: dict[int, dict[int, bool]] = {}

    def _rank(self, wanted: Collection[int] | None, stop: int) -> list[tuple[int, float]]:
        scores, loose = self._scores, self._loose
        heap: list[tuple[float, int, int]] = []
        for docnum, score in scores.items():
            if wanted is not None and docnum not in wanted:
                continue
            extra = loose.get(docnum)
            if extra is None:
                heap.append((-score, docnum, EXACT))
            else:
                heap.append((-(score + extra), docnum, LOOSE))
        return self._best_first(heap, stop)

    def _refine(self, docnum: int, state: int) -> tuple[float, bool]:
        if state == LOOSE:  # the phrases' scores as if they all held
            parts = self._pending[docnum] = [
                (i, part.score(docnum))
                for i, part in enumerate(self._parts)
                if docnum in part.candidates
            ]
            held: dict[int, bool] = self._held.setdefault(docnum, {})
        else:  # the phrase that weighs most is checked
            parts, held = self._pending[docnum], self._held[docnum]
            unknown = [(score, -i) for i, score in parts if i not in held]
            _, minus_i = max(unknown)
            held[-minus_i] = self._parts[-minus_i].holds(docnum)
        return self._sum(docnum, parts, held), len(held) == len(parts)

    def _sum(self, docnum: int, parts: list[tuple[int, float]], held: dict[int, bool]) -> float:
        """The match's score with the bonus of every phrase that holds or may hold (not
        checked yet), summed in the union's order: never below the exact score, and equal to
        it once every phrase is checked."""
        bonus = 0.0
        any_held = False
        for i, score in parts:
            if held.get(i, True):
                bonus = bonus + score * self._boost if self._union else score
                any_held = True
        base = self._scores[docnum]
        return base + bonus if any_held and (bonus > 0 or not self._union) else base


def ranked(searcher: Any, query: Any) -> Ranking:
    """Every match of `query` best first. Phrases are checked lazily in each segment: those of
    an OR of words and phrases (lazy_union.py), the bonus phrases of a compiler.Bonus; else
    every match is scored and a page picked from them by a heap (_TableRanking). Segments are ranked apart and their pages
    merged (a segment's scores use the whole index's statistics, as Whoosh's do)."""
    leaves = searcher.leaf_searchers()
    context = searcher.context()
    if len(leaves) == 1 and leaves[0][1] == 0:
        return _ranked_leaf(leaves[0][0], query, context)
    return _Segments([(_ranked_leaf(sub, query, context), offset) for sub, offset in leaves])


def _ranked_leaf(sub: Any, query: Any, context: Any) -> Ranking:
    """The ranking of one segment's matches (docnums of the segment)."""
    from .compiler import AnyOf, Bonus
    from .lazy_union import lazy_union
    from .pruned_union import pruned_union

    if type(query) is AnyOf:
        lazy = lazy_union(sub, query, context)
        if lazy is not None:
            return lazy
        pruned = pruned_union(sub, query, context)
        if pruned is not None:
            return pruned
    if isinstance(query, Bonus):
        together = query.b
        phrases = together.subqueries if isinstance(together, AnyOf) else [together]
        if phrases and all(type(p) is FastPhrase for p in phrases):
            prepared = [p.prepare(sub, context) for p in phrases]
            parts = [p for p in prepared if isinstance(p, Prepared)]
            if all(isinstance(p, Prepared) or _empty(p) for p in prepared) and all(
                p.bound() is not None for p in parts
            ):
                within = _within(query.a, sub)
                if within is not None and not within:
                    scores = {}  # its words never meet: nothing to build, nothing to check
                else:
                    with restricted(sub, within):
                        scores = _table(query.a.matcher(sub, context))
                union = isinstance(together, AnyOf) and len(phrases) > 1
                return _BonusRanking(scores, parts, together.boost, union)
    within = _within(query, sub)
    if within is not None and not within:
        return _TableRanking({})  # its words never meet: nothing to build, nothing to check
    with restricted(sub, within):
        return _TableRanking(_table(query.matcher(sub, context)))


_GATHERED = 20  # a part of an AND this many times larger than its smallest is not gathered


def _within(query: Any, searcher: Any) -> set[int] | None:
    """Documents outside which `query` cannot match, read from its terms' postings without
    scoring them (more than its matches: a phrase counts as its words), when it is an AND
    (None otherwise, or when some part cannot be bounded so)."""
    from .compiler import AnyOf

    kind = type(query)
    if kind is wq.And or isinstance(query, wq.AndMaybe):
        required = query.a if isinstance(query, wq.AndMaybe) else query
        parts = list(required.subqueries) if type(required) is wq.And else [required]
        phrased = [part for part in parts if _has_phrase(part) and _known(part)]
        if not phrased:
            return _members(query, searcher, AnyOf)
        # A part whose postings far outnumber the smallest part's (24 prefixes OR'ed: a
        # million postings, against a phrase's thousands) is not gathered: the documents
        # where the phrases hold, among the others', bound the AND well enough, and when
        # they hold nowhere no part is scored at all.
        sizes = [_postings(part, searcher) for part in parts]
        if any(size is None for size in sizes):
            return _members(query, searcher, AnyOf)
        known = [size for size in sizes if size is not None]
        least = max(min(known), 1)
        if all(size <= _GATHERED * least for size in known):
            return _members(query, searcher, AnyOf)  # the phrases are checked as scored
        within: set[int] | None = None
        for size, part in sorted(zip(known, parts, strict=True), key=lambda item: item[0]):
            if size > _GATHERED * least:
                break
            members = _members(part, searcher, AnyOf)
            if members is not None:
                within = members if within is None else within & members
                if not within:
                    return set()
        for part in phrased:
            within = matching_ids(searcher, part, within)
            if not within:
                return set()
        return within
    return None


def _postings(query: Any, searcher: Any) -> int | None:
    """How many postings gathering `query`'s documents reads (its terms' document
    frequencies; a phrase reads its rarest word's first); None for a query of another kind."""
    from .compiler import AnyOf

    kind = type(query)
    if kind is wq.Term:
        return int(searcher.doc_frequency(query.fieldname, query.text))
    if kind is FastPhrase:
        words = [w for w in query.words if w is not None]
        return min((int(searcher.doc_frequency(query.fieldname, w)) for w in words), default=0)
    if kind is not wq.And and kind is not AnyOf:
        return None
    sizes = [_postings(sub, searcher) for sub in query.subqueries]
    if any(size is None for size in sizes):
        return None
    known = [size for size in sizes if size is not None]
    return min(known, default=0) if kind is wq.And else sum(known)


def _members(query: Any, searcher: Any, any_of: type) -> set[int] | None:
    kind = type(query)
    if kind is any_of:
        found: set[int] = set()
        for sub in query.subqueries:
            members = _members(sub, searcher, any_of)
            if members is None:
                return None
            found |= members
        return found
    if kind is wq.And:
        known = [
            m for m in (_members(s, searcher, any_of) for s in query.subqueries) if m is not None
        ]
        if not known:
            return None
        known.sort(key=len)
        return known[0].intersection(*known[1:])
    if isinstance(query, wq.AndMaybe):
        return _members(query.a, searcher, any_of)
    if kind is wq.Term or kind is FastPhrase:
        words = [query.text] if kind is wq.Term else [w for w in query.words if w is not None]
        field = query.fieldname
        if field not in searcher.schema or not words:
            return set()
        reader = searcher.reader()
        within: set[int] | None = None
        for word in words:
            try:
                text = searcher.schema[field].to_bytes(word)
            except ValueError:
                return set()
            if (field, text) not in reader:
                return set()
            ids = _ids(searcher, reader.postings(field, text))
            within = set(ids) if within is None else within.intersection(ids)
        return within
    return None


class _TableRanking(LazyRanking):
    """Matches already scored ({docnum: score}): a page is the best `stop` of them, picked by
    a heap (every match sorted only when all of them are asked for)."""

    def __init__(self, table: dict[int, float]) -> None:
        super().__init__(table)
        self._table = table

    def _rank(self, wanted: Collection[int] | None, stop: int) -> list[tuple[int, float]]:
        table = self._table
        scores: Collection[float]
        docnums: Collection[int]
        if wanted is None:
            scores, docnums = table.values(), table.keys()
        else:
            if len(wanted) < len(table):
                docnums = [d for d in wanted if d in table]
            else:
                docnums = [d for d in table if d in wanted]
            scores = list(map(table.__getitem__, docnums))
        # best score first, then lowest docnum: the largest (score, -docnum)
        pairs = zip(scores, map(neg, docnums), strict=True)
        if stop >= len(docnums):
            best = sorted(pairs, reverse=True)
        else:
            best = heapq.nlargest(stop, pairs)
        return [(-minus, float(score or 0.0)) for score, minus in best]


def table_ranking(table: dict[int, float]) -> Ranking:
    """Matches already scored, ranked a page at a time."""
    return _TableRanking(table)


class _Segments(Ranking):
    """The rankings of several segments (each with its docnum offset) as one: a page is the
    best of each segment's page, merged by score then docnum."""

    def __init__(self, parts: list[tuple[Ranking, int]]) -> None:
        super().__init__([])
        self._items = None
        self._parts = parts

    @property
    def ids(self) -> set[int]:
        return {d + offset for part, offset in self._parts for d in part.ids}

    def __bool__(self) -> bool:
        return any(part for part, _ in self._parts)

    def _size(self) -> int:
        return sum(len(part.ids) for part, _ in self._parts)

    def top(self, wanted: Collection[int] | None, stop: int) -> list[tuple[int, float]]:
        if self._items is not None:
            return Ranking.top(self, wanted, stop)
        found: list[tuple[int, float]] = []
        for part, offset in self._parts:
            if wanted is None:
                mine = None
            else:
                mine = {d - offset for d in wanted if d >= offset}
            found.extend((d + offset, score) for d, score in part.top(mine, stop))
        found.sort(key=lambda item: (0 - item[1], item[0]))
        return found[:stop]


def _empty(matcher: Any) -> bool:
    return not matcher.is_active()
