"""An OR read in one go: every part's postings summed into one table, then served as a list.

Whoosh's array union walks each part posting by posting through the matcher interface (is
this active, which document, its score, the next one), and each term's score asks the reader
for the document's field length: about ten Python calls per posting. Searches here read every
match anyway (the facets need them all), so the union reads each term's postings block by
block instead, with the field lengths of the segment read once per searcher, and computes the
same BM25F score with the same operations in the same order: the scores, hence the ranking,
are those of Whoosh's own union (tests/test_search_union.py compares them).

Parts that are not plain term postings (phrases, nested ANDs, other scorers) are read through
the matcher interface as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from whoosh import matching
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.binary import AndMaybeMatcher, IntersectionMatcher
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.scoring import BM25FScorer
from whoosh.util.numeric import byte_to_length

from .postings import Decoded, decoded

_CACHE = "_fonds_field_lengths"
_NORMS = "_fonds_length_norms"
_ONLY = "_fonds_only"  # documents outside which no union needs its scores (see restricted)


@contextmanager
def restricted(searcher: Any, only: set[int] | None) -> Iterator[None]:
    """While the block runs, the unions built on `searcher` score only the documents of `only`
    (None: all): an AND's parts need no score where the AND cannot match. Each kept document's
    score is computed as before, so any query whose matches all lie in `only` (and holds no
    exclusion) gets the same table."""
    if only is None:
        yield
        return
    searcher.__dict__[_ONLY] = only
    try:
        yield
    finally:
        searcher.__dict__.pop(_ONLY, None)


def union_matcher(
    submatchers: list[Any], searcher: Any, *, boost: float = 1.0, scored: bool = True
) -> Any:
    """A matcher over the union of `submatchers`: each document's score is the sum of its
    parts' scores (times `boost`), as whoosh.matching.ArrayUnionMatcher gives it."""
    totals: dict[int, float] = {}
    for matcher in submatchers:
        _add(totals, matcher, searcher, boost, scored)
    if scored:
        ids = sorted([d for d, s in totals.items() if s > 0])
    else:
        ids = sorted(totals)
    if not ids:
        return matching.NullMatcher()
    if not scored:
        return matching.ListMatcher(ids)
    return matching.ListMatcher(ids, weights=[totals[d] for d in ids])


def _add(totals: dict[int, float], matcher: Any, searcher: Any, boost: float, scored: bool) -> None:
    if not matcher.is_active():
        return
    leaf, factor = matcher, None
    if type(matcher) is WrappingMatcher:
        leaf, factor = matcher.child, matcher.boost
    if type(leaf) is W3LeafMatcher:
        scorer = leaf.scorer
        if not scored and scorer is None:
            found = decoded(searcher, leaf)
            if found is not None:
                totals.update(dict.fromkeys(found.ids, 1.0))
            else:
                _add_ids(totals, leaf)
            return
        if scored and type(scorer) is BM25FScorer:
            term = leaf.term()
            lengths = field_lengths(searcher, term[0]) if term else None
            if lengths is not None:
                found = decoded(searcher, leaf)
                if found is not None:
                    norms = _norms(searcher, term[0], scorer, lengths)
                    only = searcher.__dict__.get(_ONLY)
                    _add_decoded(totals, found, scorer, norms, factor, boost, only)
                else:
                    _add_scored(totals, leaf, scorer, lengths, factor, boost)
                return
    elif type(leaf) is matching.ListMatcher and leaf._scorer is None and not leaf._all_weights:
        _add_listed(totals, leaf, factor, boost, scored)  # a phrase's matches (phrases.py)
        return
    get = totals.get
    if not scored:
        while matcher.is_active():
            totals[matcher.id()] = 1.0
            matcher.next()
        return
    while matcher.is_active():
        docnum = matcher.id()
        totals[docnum] = get(docnum, 0.0) + matcher.score() * boost
        matcher.next()


def _add_listed(
    totals: dict[int, float], leaf: Any, factor: float | None, boost: float, scored: bool
) -> None:
    """A list of matches with their weights as scores (ListMatcher.score without a scorer)."""
    start = leaf._i
    ids = leaf._ids[start:]
    leaf._i = len(leaf._ids)
    if not scored:
        totals.update(dict.fromkeys(ids, 1.0))
        return
    weights = leaf._weights[start:] if leaf._weights else [1.0] * len(ids)
    get = totals.get
    for docnum, score in zip(ids, weights, strict=True):
        if factor is not None:
            score = score * factor
        totals[docnum] = get(docnum, 0.0) + score * boost


def _blocks(leaf: Any):
    """(ids, weights) of each block from the leaf's current position to its end."""
    while leaf.is_active():
        if leaf._ids is None:
            leaf._read_ids()
        if leaf._weights is None:
            leaf._read_weights()
        start = leaf._i
        yield leaf._ids[start:], leaf._weights[start:]
        leaf._i = leaf._blocklength - 1
        leaf.next()


def _add_ids(totals: dict[int, float], leaf: Any) -> None:
    while leaf.is_active():
        if leaf._ids is None:
            leaf._read_ids()
        for docnum in leaf._ids[leaf._i :]:
            totals[docnum] = 1.0
        leaf._i = leaf._blocklength - 1
        leaf.next()


def _add_scored(
    totals: dict[int, float],
    leaf: Any,
    scorer: Any,
    lengths: list[int | None],
    factor: float | None,
    boost: float,
) -> None:
    # whoosh.scoring.bm25, written out with the same operations in the same order
    idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    get = totals.get
    for ids, weights in _blocks(leaf):
        for docnum, tf in zip(ids, weights, strict=True):
            score = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths[docnum] / avgfl)))
            if factor is not None:
                score = score * factor
            totals[docnum] = get(docnum, 0.0) + score * boost


def _add_decoded(
    totals: dict[int, float],
    found: Decoded,
    scorer: Any,
    norms: list[float | None],
    factor: float | None,
    boost: float,
    only: set[int] | None = None,
) -> None:
    """_add_scored on a decoded list, each document's length part of the formula read from
    `norms` (the same value, computed once per searcher: see _norms); only the documents of
    `only` when given (see restricted)."""
    idf, k1_plus_1 = scorer.idf, scorer.K1 + 1
    get = totals.get
    pairs: Any = zip(found.ids, found.weights, strict=True)
    if only is not None:
        index, weights = found.index(), found.weights
        pairs = ((d, weights[index[d]]) for d in only.intersection(found.ids))
    if factor is None:
        for docnum, tf in pairs:
            score = idf * ((tf * k1_plus_1) / (tf + norms[docnum]))
            totals[docnum] = get(docnum, 0.0) + score * boost
        return
    for docnum, tf in pairs:
        score = idf * ((tf * k1_plus_1) / (tf + norms[docnum]))
        totals[docnum] = get(docnum, 0.0) + (score * factor) * boost


def _norms(searcher: Any, field: str, scorer: Any, lengths: list[int | None]) -> list[float | None]:
    """k1 * ((1 - b) + b * length / avgfl) of every document, as whoosh.scoring.bm25 computes
    it for each posting (kept on the searcher per field and parameters)."""
    avgfl, b, k1 = scorer.avgfl, scorer.B, scorer.K1
    cache = searcher.__dict__.setdefault(_NORMS, {})
    key = (field, avgfl, b, k1)
    norms = cache.get(key)
    if norms is None:
        norms = cache[key] = [
            None if length is None else k1 * ((1 - b) + b * length / avgfl) for length in lengths
        ]
    return norms


def field_lengths(searcher: Any, field: str | None) -> list[int | None] | None:
    """Each document's length in `field` for a one-segment searcher (read once, kept on it),
    or None where the reader is not a plain segment reader."""
    if field is None:
        return None
    cache = searcher.__dict__.setdefault(_CACHE, {})
    if field in cache:
        return cache[field]
    reader = searcher.reader()
    perdoc = getattr(reader, "_perdoc", None)
    lengths = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        if column is not None:
            lengths = [byte_to_length(b) if b else None for b in column]
    cache[field] = lengths
    return lengths


def all_scored(searcher: Any, query: Any) -> list[tuple[float, int]]:
    """Every match of `query` as (score, docnum), best first then by docnum: what
    `searcher.search(query, limit=None).top_n` gives, without the collector's calls per match.
    Whoosh's own matcher tree is read whole: a union's list of matches as it stands, an AND's
    and an AND-MAYBE's by set operations on their parts' tables, adding the scores as the
    tree's matchers add them (left part + right part)."""
    context = searcher.context()  # the searcher's weighting, as Searcher.search uses
    items: list[tuple[float, int]] = []
    for sub, offset in searcher.leaf_searchers():
        table = _table(query.matcher(sub, context))
        if offset:
            items.extend((score, docnum + offset) for docnum, score in table.items())
        else:
            items.extend((score, docnum) for docnum, score in table.items())
    items.sort(key=lambda item: (0 - item[0], item[1]))
    return items


def _table(matcher: Any) -> dict[int, float]:
    """{docnum: score} of a matcher from where it stands to its end."""
    kind = type(matcher)
    if kind is matching.NullMatcherClass or not matcher.is_active():
        return {}
    if kind is matching.ListMatcher and matcher._scorer is None and not matcher._all_weights:
        start = matcher._i
        ids = matcher._ids[start:]
        if matcher._weights:
            return dict(zip(ids, matcher._weights[start:], strict=True))
        return dict.fromkeys(ids, 1.0)
    if kind is IntersectionMatcher:  # score: a.score() + b.score()
        a, b = _table(matcher.a), _table(matcher.b)
        if len(b) < len(a):
            return {d: a[d] + sb for d, sb in b.items() if d in a}
        return {d: sa + b[d] for d, sa in a.items() if d in b}
    if kind is AndMaybeMatcher:  # a's matches; score a + b where b matches too
        a, b = _table(matcher.a), _table(matcher.b)
        return {d: (sa + b[d] if d in b else sa) for d, sa in a.items()}
    if kind is WrappingMatcher:  # score: child's * boost
        boost = matcher.boost
        return {d: s * boost for d, s in _table(matcher.child).items()}
    table = {}
    while matcher.is_active():
        table[matcher.id()] = matcher.score()
        matcher.next()
    return table
