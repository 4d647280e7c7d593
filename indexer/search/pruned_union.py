"""An OR of words (a word in every field and language's stem, a prefix's expansions) ranked a
page at a time: only the documents that can still reach the page are scored.

Scoring every match costs a Python step per posting, and a prefix such as "par*" expands to
dozens of common words (tens of thousands of postings at 20,000 documents) for a page of 20.
Every term's BM25 score has a ceiling (its idf, its highest frequency, its shortest field), and
a document's score is at most the sum of the ceilings of the terms it holds. So: a few
documents of the terms that weigh most are scored exactly; the page's last score among them
is a floor; the terms whose ceilings together stay under that floor cannot lift a document
that holds nothing else onto the page, and only the documents of the other terms are scored.
The matches themselves (for the facets and the total) are the union of the terms' document
numbers, taken whole in C.

Scores are summed as union.union_matcher sums them (the same tree, the same operations in the
same order), so a page is the one every match scored gives, to the bit
(tests/indexer/test_search_union.py compares them).
"""

from __future__ import annotations

import heapq
from collections.abc import Collection
from operator import neg
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.scoring import BM25FScorer

from .postings import decoded
from .ranking import LazyRanking
from .union import _norms, field_lengths

_MARGIN = 1.000001  # ceilings are sums and products of floats: room for their rounding
SAMPLE = 4  # documents scored per place on the page to find the floor


class _Leaf:
    """A term's decoded postings and what scores them (union._add_decoded's formula)."""

    __slots__ = ("ids", "weights", "index", "idf", "k1_plus_1", "norms", "factor", "reach")

    def __init__(self, found: Any, scorer: Any, norms: list, factor: float | None) -> None:
        self.ids = found.ids
        self.weights = found.weights
        self.index = found.index()
        self.idf = scorer.idf
        self.k1_plus_1 = scorer.K1 + 1
        self.norms = norms
        self.factor = factor
        self.reach = 0.0  # its ceiling times the boosts above it (set by the tree)

    def ceiling(self) -> float | None:
        """More than the term's score can be in any of its documents (None: no bound, the
        scores may not all be positive)."""
        if not self.ids or not self.idf > 0 or (self.factor is not None and not self.factor > 0):
            return None
        weights = self.weights
        if not min(weights) > 0:
            return None
        try:
            shortest = min(map(self.norms.__getitem__, self.ids))
        except TypeError:  # a document without a length: scored whole, as before
            return None
        if shortest < 0:
            return None
        most = max(weights)
        bound = self.idf * ((most * self.k1_plus_1) / (most + shortest))
        if self.factor is not None:
            bound *= self.factor
        return bound * _MARGIN


def _plan(query: Any, searcher: Any, context: Any) -> Any:
    """("union", boost, children) / _Leaf / None (nothing matches) as union_matcher reads the
    query; raises _Unplannable for anything it does not sum the same way."""
    from .compiler import AnyOf

    if type(query) is AnyOf:
        subs = query.subqueries
        if not subs:
            return None
        if len(subs) == 1:  # Whoosh's one-sub OR: the sub's matcher, its boost ignored
            return _plan(subs[0], searcher, context)
        if not query.boost > 0:
            raise _Unplannable
        children = [child for child in (_plan(s, searcher, context) for s in subs) if child]
        return ("union", query.boost, children) if children else None
    if type(query) is not wq.Term:
        raise _Unplannable
    matcher = query.matcher(searcher, context)
    if not matcher.is_active():
        return None
    leaf, factor = matcher, None
    if type(matcher) is WrappingMatcher:
        leaf, factor = matcher.child, matcher.boost
    if type(leaf) is not W3LeafMatcher or type(leaf.scorer) is not BM25FScorer:
        raise _Unplannable
    term = leaf.term()
    lengths = field_lengths(searcher, term[0]) if term else None
    found = decoded(searcher, leaf) if lengths is not None else None
    if found is None or lengths is None:
        raise _Unplannable
    return _Leaf(found, leaf.scorer, _norms(searcher, term[0], leaf.scorer, lengths), factor)


class _Unplannable(Exception):
    """A part of the query this module does not score (it is then scored whole)."""


def _reach(node: Any, above: float, leaves: list[_Leaf]) -> bool:
    """Set each leaf's reach (its ceiling times the boosts above it); False when a ceiling is
    unknown."""
    if isinstance(node, _Leaf):
        ceiling = node.ceiling()
        if ceiling is None:
            return False
        node.reach = ceiling * above * _MARGIN
        leaves.append(node)
        return True
    _, boost, children = node
    return all(_reach(child, above * boost * _MARGIN, leaves) for child in children)


def _add(totals: dict[int, float], node: Any, boost: float, only: set[int] | None) -> None:
    """Add `node`'s scores, times `boost`, to `totals` as union_matcher adds a part's (the same
    operations in the same order for each document), for the documents of `only` (all when
    None)."""
    get = totals.get
    if isinstance(node, _Leaf):
        idf, k1_plus_1, norms, factor = node.idf, node.k1_plus_1, node.norms, node.factor
        if only is None:
            pairs: Any = zip(node.ids, node.weights, strict=True)
        else:
            index, weights = node.index, node.weights
            pairs = ((d, weights[index[d]]) for d in only.intersection(node.ids))
        for docnum, tf in pairs:
            score = idf * ((tf * k1_plus_1) / (tf + norms[docnum]))
            if factor is not None:
                score = score * factor
            totals[docnum] = get(docnum, 0.0) + score * boost
        return
    _, own, children = node
    inner: dict[int, float] = {}
    for child in children:
        _add(inner, child, own, only)
    for docnum, score in inner.items():
        if score > 0:  # union_matcher keeps these only
            totals[docnum] = get(docnum, 0.0) + score * boost


def _scores(tree: Any, only: set[int] | None) -> dict[int, float]:
    """{docnum: score} of the documents of `only` (all when None) under the planned tree."""
    totals: dict[int, float] = {}
    _, own, children = tree
    for child in children:
        _add(totals, child, own, only)
    return {d: s for d, s in totals.items() if s > 0}


class PrunedUnion(LazyRanking):
    """The matches of a planned union, a page scored at a time (every match scored only when
    all of them are asked for, or when pruning would not save anything)."""

    def __init__(self, tree: Any, leaves: list[_Leaf]) -> None:
        members: set[int] = set().union(*(leaf.ids for leaf in leaves))
        super().__init__(members)
        self._tree = tree
        self._leaves = leaves
        self._table: dict[int, float] | None = None
        self.pruned = 0  # pages found without scoring every match (tests read it)

    def _rank(self, wanted: Collection[int] | None, stop: int) -> list[tuple[int, float]]:
        members: set[int] = self._matches  # type: ignore[assignment]
        if wanted is None:
            pool = members
        else:
            pool = members & (wanted if isinstance(wanted, (set, frozenset)) else set(wanted))
        if stop <= 0 or not pool:
            return []
        scores = None if self._table is not None else self._page_scores(pool, stop)
        if scores is None:
            if self._table is None:
                self._table = _scores(self._tree, None)
            table = self._table
            scores = table if pool is members else {d: table[d] for d in pool}
        else:
            self.pruned += 1
        pairs = zip(scores.values(), map(neg, scores.keys()), strict=True)
        best = heapq.nlargest(stop, pairs) if stop < len(scores) else sorted(pairs, reverse=True)
        return [(-minus, float(score or 0.0)) for score, minus in best]

    def _page_scores(self, pool: set[int], stop: int) -> dict[int, float] | None:
        """Exact scores of every document of `pool` that can be among its best `stop`, or None
        where finding them would cost about as much as scoring them all."""
        if stop * SAMPLE * 2 >= len(pool):
            return None
        # the floor: some documents of the terms that weigh most, scored exactly
        sample: set[int] = set()
        wanted = stop * SAMPLE
        for leaf in sorted(self._leaves, key=lambda leaf: -leaf.reach):
            for docnum in pool.intersection(leaf.ids):
                sample.add(docnum)
                if len(sample) >= wanted:
                    break
            if len(sample) >= wanted:
                break
        scores = _scores(self._tree, sample)
        if len(scores) < stop:
            return None
        floor = heapq.nlargest(stop, scores.values())[-1] / _MARGIN
        # the terms whose ceilings, all together, stay under the floor cannot lift a document
        # holding nothing else onto the page: only the other terms' documents can get there
        low, ordered = 0.0, sorted(self._leaves, key=lambda leaf: leaf.reach)
        cut = 0
        while cut < len(ordered) and low + ordered[cut].reach < floor:
            low += ordered[cut].reach
            cut += 1
        candidates: set[int] = set().union(*(leaf.ids for leaf in ordered[cut:]))
        candidates &= pool
        candidates -= sample
        if 2 * len(candidates) >= len(pool):
            return None
        scores.update(_scores(self._tree, candidates))
        return scores


def pruned_union(searcher: Any, query: Any, context: Any) -> PrunedUnion | None:
    """A PrunedUnion of `query` when it is an OR of plain BM25 terms (else None)."""
    try:
        tree = _plan(query, searcher, context)
    except _Unplannable:
        return None
    if tree is None or isinstance(tree, _Leaf):
        return None
    leaves: list[_Leaf] = []
    if not _reach(tree, 1.0, leaves) or len(leaves) < 2:
        return None
    return PrunedUnion(tree, leaves)
