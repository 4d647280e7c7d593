"""Phrase matching with set operations on positions, instead of Whoosh's span objects.

Whoosh checks a phrase by building a Python object for every position of every word in every
candidate document: a common phrase over a fund of long reports took 0.3 s at 2,000 documents
and several seconds at 20,000. Here the documents holding every word are found first (sets of
document numbers), then each candidate's positions are decoded once and shifted into one set
intersection, in C. Postings are read a block at a time, rarest word first, only for the
documents still standing. Scores are the words' own scores summed, as Whoosh scores a phrase.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import accumulate
from pickle import loads

from whoosh import matching
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.scoring import WeightLengthScorer
from whoosh.system import _INT_SIZE

from .postings import Decoded, decoded

# scorers whose score is _score(weight, dfl(docnum)), which the phrase computes from its reads
_LENGTH_SCORERS = (WeightLengthScorer,)


class FastPhrase(wq.Phrase):
    """An exact phrase (words next to each other, in order) on a field indexed with positions."""

    def matcher(self, searcher, context=None):
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
            starts_alive = self._by_blocks(postings, order, candidates)
        else:
            starts_alive = self._by_lists(lists, order, candidates)  # type: ignore[arg-type]
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
    def _by_lists(lists: list[Decoded], order: list[int], candidates: set[int]):
        """(documents where the words follow each other, each word's weight in them) from the
        words' decoded lists, rarest word first, positions decoded only for the documents
        still standing."""
        starts: dict[int, set[int]] = {}
        weights: list[dict[int, float]] = [{} for _ in lists]
        alive: Iterable[int] = candidates
        for rank, offset in enumerate(order):
            found = lists[offset]
            at = found.index()
            values, word_weights = found.values, found.weights
            kept: dict[int, set[int]] = {}
            seen = weights[offset]
            for docnum in alive:
                j = at[docnum]
                positions = accumulate(loads(_pickled(values[j])))  # type: ignore[index]
                if offset:
                    shifted = set(map((-offset).__add__, positions))
                else:
                    shifted = set(positions)
                if rank:
                    shifted &= starts[docnum]
                if shifted:
                    kept[docnum] = shifted
                    seen[docnum] = word_weights[j]
            starts, alive = kept, kept.keys()
            if not kept:
                return None
        return set(alive), weights

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
