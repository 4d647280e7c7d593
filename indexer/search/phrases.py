"""Phrase matching with set operations on positions, instead of Whoosh's span objects.

Whoosh checks a phrase by building a Python object for every position of every word in every
candidate document: a common phrase over a fund of long reports took 0.3 s at 2,000 documents
and several seconds at 20,000. Here the documents holding every word are found first (sets of
document numbers), then each candidate's positions are decoded once and shifted into one set
intersection, in C. Postings are read a block at a time, rarest word first, only for the
documents still standing. Scores are the words' own scores summed, as Whoosh scores a phrase.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from itertools import accumulate
from pickle import loads

from whoosh import matching
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.scoring import BM25FScorer, WeightLengthScorer
from whoosh.system import _INT_SIZE

from .postings import Decoded, decoded
from .union import _norms, field_lengths

# scorers whose score is _score(weight, dfl(docnum)), which the phrase computes from its reads
_LENGTH_SCORERS = (WeightLengthScorer,)


class FastPhrase(wq.Phrase):
    """An exact phrase (words next to each other, in order) on a field indexed with positions."""

    def matcher(self, searcher, context=None):
        prepared = self.prepare(searcher, context)
        if not isinstance(prepared, Prepared):
            return prepared
        found = sorted(self._by_lists(prepared.lists, prepared.order, prepared.candidates))
        if not found:
            return matching.NullMatcher()
        if prepared.weighting is None:
            return matching.ListMatcher(found)
        return matching.ListMatcher(found, weights=[prepared.score(d) for d in found])

    def prepare(self, searcher, context=None):
        """The phrase's candidates (documents holding every word) and its words' decoded lists,
        to check positions on any of them (a Prepared); or, where the lists cannot be decoded,
        the phrase's matcher itself."""
        field = self.fieldname
        words = [w for w in self.words if w is not None]
        if field not in searcher.schema or not words:
            return matching.NullMatcher()
        reader = searcher.reader()
        encoded = [searcher.schema[field].to_bytes(w) for w in words]
        if any((field, text) not in reader for text in encoded):
            return matching.NullMatcher()
        # Candidates: documents with every word, rarest word first so the sets stay small
        order = sorted(range(len(words)), key=lambda i: reader.doc_frequency(field, encoded[i]))
        candidates = set(_ids(searcher, reader.postings(field, encoded[order[0]])))
        for i in order[1:]:
            if not candidates:
                return matching.NullMatcher()
            candidates.intersection_update(_ids(searcher, reader.postings(field, encoded[i])))
        if not candidates:
            return matching.NullMatcher()
        weighting = searcher.weighting if context is None else context.weighting
        postings = [searcher.postings(field, text, weighting=weighting) for text in encoded]
        if not all(_plain(p) for p in postings):  # deletions filtered, inlined, other scorer
            return self._matcher_by_skips(postings, order, candidates, weighting)
        lists = [decoded(searcher, p) for p in postings]
        if any(found is None or found.values is None for found in lists):
            return self._matcher_by_blocks(postings, order, candidates, weighting)
        scorers = [p.scorer for p in postings] if weighting is not None else None
        norms = None
        lengths = field_lengths(searcher, field)
        if scorers and lengths is not None and all(type(s) is BM25FScorer for s in scorers):
            norms = [_norms(searcher, field, s, lengths) for s in scorers]
        return Prepared(lists, order, candidates, scorers, norms, self.boost, weighting)  # type: ignore[arg-type]

    def _matcher_by_blocks(self, postings, order, candidates, weighting):
        starts_alive = self._by_blocks(postings, order, candidates)
        if starts_alive is None:
            return matching.NullMatcher()
        alive, weights = starts_alive
        found = sorted(alive)
        if weighting is None:
            return matching.ListMatcher(found)
        # the words' scores summed in the phrase's order, as Whoosh's Phrase (and p.score())
        scorers = [p.scorer for p in postings]
        scores = []
        for docnum in found:
            total = 0
            for scorer, seen in zip(scorers, weights, strict=True):
                total += scorer._score(seen[docnum], scorer.dfl(docnum))
            scores.append(total * self.boost)
        return matching.ListMatcher(found, weights=scores)

    @staticmethod
    def _by_lists(lists: list[Decoded], order: list[int], candidates: Iterable[int]) -> set[int]:
        """The candidates where the words follow each other, from the words' decoded lists:
        rarest word first, each next word's positions only for the documents still standing,
        the last one only looked up (no set of it built)."""
        if not isinstance(candidates, Collection):
            candidates = tuple(candidates)
        if len(order) == 2:  # most phrases: one set per document, the other word streamed
            rare, other = order
            rare_at = lists[rare].positions_for(candidates)
            other_at = lists[other].positions_for(candidates)
            back = (rare - other).__add__  # the other word's position, put on the rare one's
            return {d for d in candidates if not set(rare_at(d)).isdisjoint(map(back, other_at(d)))}
        last = len(order) - 1
        first = order[0]
        positions = lists[first].positions_for(candidates)
        if first:
            starts = {d: set(map((-first).__add__, positions(d))) for d in candidates}
        else:
            starts = {d: set(positions(d)) for d in candidates}
        for rank in range(1, last + 1):
            offset = order[rank]
            positions = lists[offset].positions_for(starts.keys())
            shift = (-offset).__add__
            if rank == last:
                return {
                    d
                    for d, standing in starts.items()
                    if not standing.isdisjoint(map(shift, positions(d)) if offset else positions(d))
                }
            kept = {}
            for d, standing in starts.items():
                shifted = standing.intersection(map(shift, positions(d)))
                if shifted:
                    kept[d] = shifted
            if not kept:
                return set()
            starts = kept
        return set(starts)

    @staticmethod
    def _by_blocks(postings, order: list[int], candidates: set[int]):
        """The same, each word's postings read a block at a time through its matcher."""
        starts: dict[int, set[int]] = {}
        weights: list[dict[int, float]] = [{} for _ in postings]
        alive = candidates
        for rank, offset in enumerate(order):
            kept: dict[int, set[int]] = {}
            seen = weights[offset]
            for docnum, value, weight in _entries(postings[offset], alive):
                positions = _positions(value)
                shifted = set(map((-offset).__add__, positions)) if offset else set(positions)
                if rank:
                    shifted &= starts[docnum]
                if shifted:
                    kept[docnum] = shifted
                    seen[docnum] = weight
            starts, alive = kept, set(kept)
            if not alive:
                return None
        return alive, weights

    def _matcher_by_skips(self, postings, order, candidates, weighting):
        """The same, through the matcher interface: each candidate's postings skipped to."""
        found: list[int] = []
        scores: list[float] = []
        for docnum in sorted(candidates):
            starts: set[int] | None = None
            for offset in order:  # rarest word first: a mismatch is usually found sooner
                posting = postings[offset]
                posting.skip_to(docnum)
                positions = _positions(posting.value())
                shifted = set(map((-offset).__add__, positions)) if offset else set(positions)
                starts = shifted if starts is None else starts & shifted
                if not starts:
                    break
            if starts:
                found.append(docnum)
                if weighting is not None:  # every posting stands on docnum: all were read
                    scores.append(sum(p.score() for p in postings) * self.boost)
        if not found:
            return matching.NullMatcher()
        return matching.ListMatcher(found, weights=scores or None)


class Prepared:
    """A phrase ready to be checked: its candidates, its words' decoded lists (rarest first in
    `order`), and what scores it."""

    __slots__ = ("lists", "order", "candidates", "scorers", "norms", "boost", "weighting")

    def __init__(
        self,
        lists: list[Decoded],
        order: list[int],
        candidates: set[int],
        scorers: list | None,
        norms: list | None,
        boost: float,
        weighting,
    ) -> None:
        self.lists = lists
        self.order = order
        self.candidates = candidates
        self.scorers = scorers
        self.norms = norms  # per word, union._norms of its field (None: the scorers' own)
        self.boost = boost
        self.weighting = weighting

    def holds(self, docnum: int) -> bool:
        """Whether the words follow each other in this candidate."""
        return bool(FastPhrase._by_lists(self.lists, self.order, (docnum,)))

    def score(self, docnum: int) -> float:
        """The phrase's score in a document where it holds: its words' scores summed in the
        phrase's order, as Whoosh's Phrase (and p.score()) gives it (whoosh.scoring.bm25
        written out as union._add_decoded does)."""
        total = 0
        if self.norms is None:
            for scorer, found in zip(self.scorers, self.lists, strict=True):  # type: ignore[arg-type]
                weight = found.weights[found.index()[docnum]]
                total += scorer._score(weight, scorer.dfl(docnum))
            return total * self.boost
        for scorer, found, norms in zip(self.scorers, self.lists, self.norms, strict=True):  # type: ignore[arg-type]
            tf = found.weights[found.index()[docnum]]
            total += scorer.idf * ((tf * (scorer.K1 + 1)) / (tf + norms[docnum]))
        return total * self.boost

    def scores(self, docnums: Collection[int]) -> dict[int, float] | None:
        """score() of each of these candidates where the phrase would hold, a word at a time
        over all of them (the same floats, at a fraction of the calls); None where its
        scorers are not BM25's written out (then score() one by one)."""
        if self.norms is None:
            return None
        docs = list(docnums)
        totals: list[float] = [0.0] * len(docs)
        for scorer, found, norms in zip(self.scorers, self.lists, self.norms, strict=True):  # type: ignore[arg-type]
            index, weights = found.index(), found.weights
            idf, k1 = scorer.idf, scorer.K1 + 1
            totals = [
                total + idf * ((tf * k1) / (tf + norms[d]))
                for total, tf, d in zip(
                    totals, [weights[index[d]] for d in docs], docs, strict=True
                )
            ]
        boost = self.boost
        return {d: total * boost for d, total in zip(docs, totals, strict=True)}

    def bound(self) -> float | None:
        """More than the phrase's score can be in any document (BM25 stays under idf * (k1 + 1)),
        or None where its scorers are not BM25's."""
        total = 0.0
        for scorer in self.scorers or ():
            if (
                type(scorer) is not BM25FScorer
                or scorer.idf < 0
                or scorer.K1 < 0
                or not 0 <= scorer.B <= 1
            ):
                return None
            total += scorer.idf * (scorer.K1 + 1)
        return total * abs(self.boost) * 1.000001 if self.scorers else None


def _plain(posting) -> bool:
    """A posting list read from its blocks, scored (if at all) from weight and length."""
    return type(posting) is W3LeafMatcher and (
        posting.scorer is None or isinstance(posting.scorer, _LENGTH_SCORERS)
    )


def _ids(searcher, posting) -> list[int]:
    """Every document number of a posting list (its blocks read whole)."""
    if type(posting) is not W3LeafMatcher:
        return list(posting.all_ids())
    found = decoded(searcher, posting)
    if found is not None:
        return found.ids
    out: list[int] = []
    while posting.is_active():
        if posting._ids is None:
            posting._read_ids()
        out.extend(posting._ids[posting._i :])
        posting._i = posting._blocklength - 1
        posting.next()
    return out


def _entries(posting, wanted: set[int]):
    """(docnum, value, weight) of the postings of the `wanted` documents, in order (a plain
    posting list, see _plain)."""
    while posting.is_active():
        if posting._ids is None:
            posting._read_ids()
        ids = posting._ids
        first = posting._i
        hits = [j for j in range(first, len(ids)) if ids[j] in wanted]
        if hits:
            if posting._values is None:
                posting._read_values()
            if posting._weights is None:
                posting._read_weights()
            values, weights = posting._values, posting._weights
            for j in hits:
                yield ids[j], values[j], weights[j]
        posting._i = posting._blocklength - 1
        posting.next()


def _positions(value: bytes) -> list[int]:
    """Whoosh's Positions encoding (a count, then pickled deltas), decoded in C."""
    return list(accumulate(loads(_pickled(value))))


def _pickled(value: bytes) -> bytes:
    """The pickle of the deltas in a Positions value (after its count; its end mark kept)."""
    return value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b"."
