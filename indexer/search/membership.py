"""Which documents match a query, without scores, from the request's decoded postings.

Whoosh's `docs_for_query` walks an AND posting by posting through its matchers (a skip per
candidate and part), and a phrase inside it checks the positions of every document holding its
words, even those the AND's other parts rule out. Here the documents that can match are found
first with set operations on the terms' postings (a phrase counts as its words: ranking._members),
then each of them is checked against the query, phrases only for the documents still standing;
an existence test stops at the first document found.

The sets are those `docs_for_query` gives (tests/indexer/test_search_membership.py compares
them); any query this module cannot read (several segments, a query type it does not know, a
posting list it cannot decode) is left to Whoosh.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from whoosh import query as wq

from .phrases import FastPhrase, Prepared, _ids


def matching_ids(searcher: Any, query: Any, among: Collection[int] | None = None) -> set[int]:
    """The documents matching `query` (those of `among` only, when given)."""
    checker = _checker(searcher, query)
    if checker is None:
        found = set(searcher.docs_for_query(query))
        return found if among is None else found.intersection(among)
    candidates, exact = checker.candidates(query)
    if among is not None:
        candidates = candidates.intersection(among)
    if exact:  # no phrase to check: the candidates are the matches
        return candidates
    return checker.matching(query, candidates)


def any_match(searcher: Any, query: Any, keep: Callable[[int], bool]) -> bool:
    """Whether any document for which `keep` is true matches `query` (stops at the first one
    found)."""
    checker = _checker(searcher, query)
    if checker is None:
        return any(keep(d) for d in searcher.docs_for_query(query))
    candidates, _ = checker.candidates(query)
    return any(keep(d) and checker.holds(query, d) for d in sorted(candidates))


def _checker(searcher: Any, query: Any) -> _Checker | None:
    leaves = searcher.leaf_searchers()
    if len(leaves) != 1 or leaves[0][1] != 0 or not _known(query):
        return None
    return _Checker(leaves[0][0], query)


def _known(query: Any) -> bool:
    """Whether every node of the query is one _Checker reads: terms, phrases, ANDs, plain ORs
    (the compiler's included: their own matchers only change how they are read)."""
    from .compiler import AnyOf, _FewOf

    kind = type(query)
    if kind is wq.Term or kind is FastPhrase or query is wq.NullQuery:
        return True
    if isinstance(query, wq.AndMaybe):
        return _known(query.a)
    if kind is wq.And or (kind in (wq.Or, AnyOf, _FewOf) and not query.minmatch):
        return all(_known(sub) for sub in query.subqueries)
    return False


class _Checker:
    """A query's nodes checked one document at a time on one segment, each term's documents
    and each phrase's prepared lists read once."""

    def __init__(self, searcher: Any, query: Any) -> None:
        self._searcher = searcher
        self._query = query
        self._context = searcher.boolean_context()
        self._terms: dict[int, set[int]] = {}
        self._phrases: dict[int, Prepared | set[int]] = {}

    def candidates(self, query: Any) -> tuple[set[int], bool]:
        """(the documents that may match: those holding a phrase's words count, whether it
        is every one of them and no other: no phrase was met)."""
        kind = type(query)
        if kind is wq.Term:
            return self._term(query), True
        if kind is FastPhrase:
            found = self._phrase(query)
            return (found.candidates, False) if isinstance(found, Prepared) else (found, True)
        if query is wq.NullQuery or not getattr(query, "subqueries", True):
            return set(), True
        if isinstance(query, wq.AndMaybe):
            return self.candidates(query.a)
        parts = [self.candidates(sub) for sub in query.subqueries]
        exact = all(e for _, e in parts)
        sets = [found for found, _ in parts]
        if isinstance(query, wq.And):
            sets.sort(key=len)
            return sets[0].intersection(*sets[1:]), exact
        return set().union(*sets), exact

    def holds(self, query: Any, docnum: int) -> bool:
        kind = type(query)
        if kind is wq.Term:
            return docnum in self._term(query)
        if kind is FastPhrase:
            found = self._phrase(query)
            if isinstance(found, Prepared):
                return docnum in found.candidates and found.holds(docnum)
            return docnum in found
        if query is wq.NullQuery:
            return False
        if isinstance(query, wq.AndMaybe):
            return self.holds(query.a, docnum)
        if not query.subqueries:  # Whoosh's matcher of an empty AND or OR: nothing
            return False
        if isinstance(query, wq.And):
            return all(self.holds(sub, docnum) for sub in query.subqueries)
        return any(self.holds(sub, docnum) for sub in query.subqueries)

    def matching(self, query: Any, among: set[int]) -> set[int]:
        """The documents of `among` that match `query`, a set at a time: each phrase checked
        in all the documents still in question at once, an AND's parts without phrases first,
        an OR's parts each on the documents no earlier part matched (the documents `holds`
        accepts, without its walk of the tree per document: « logement social » as an OR of
        12 phrases over 9,400 candidates was 110,000 calls)."""
        if not among:
            return set()
        kind = type(query)
        if kind is wq.Term:
            return among & self._term(query)
        if kind is FastPhrase:
            phrase = self._phrase(query)
            if isinstance(phrase, Prepared):
                asked = among & phrase.candidates
                return FastPhrase._by_lists(phrase.lists, phrase.order, asked) if asked else set()
            return among & phrase
        if query is wq.NullQuery:
            return set()
        if isinstance(query, wq.AndMaybe):
            return self.matching(query.a, among)
        if not query.subqueries:  # Whoosh's matcher of an empty AND or OR: nothing
            return set()
        if isinstance(query, wq.And):
            standing = among
            for sub in sorted(query.subqueries, key=_has_phrase):
                standing = self.matching(sub, standing)
                if not standing:
                    break
            return standing
        found: set[int] = set()
        left = among
        for sub in query.subqueries:
            hit = self.matching(sub, left)
            if hit:
                found |= hit
                left = left - hit
                if not left:
                    break
        return found

    def _term(self, query: Any) -> set[int]:
        found = self._terms.get(id(query))
        if found is None:
            searcher = self._searcher
            field, reader = query.fieldname, searcher.reader()
            found = set()
            if field in searcher.schema:
                try:
                    text = searcher.schema[field].to_bytes(query.text)
                except ValueError:
                    text = None
                if text is not None and (field, text) in reader:
                    found = set(_ids(searcher, reader.postings(field, text)))
            self._terms[id(query)] = found
        return found

    def _phrase(self, query: Any) -> Prepared | set[int]:
        """The phrase ready to be checked, or its matches when Whoosh found them whole (its
        lists could not be decoded)."""
        found = self._phrases.get(id(query))
        if found is None:
            prepared = query.prepare(self._searcher, self._context)
            if not isinstance(prepared, Prepared):
                prepared = set(prepared.all_ids()) if prepared.is_active() else set()
            found = self._phrases[id(query)] = prepared
        return found


def _has_phrase(query: Any) -> bool:
    """Whether the query holds a phrase anywhere."""
    if type(query) is FastPhrase:
        return True
    return any(_has_phrase(sub) for sub in getattr(query, "subqueries", ()))
