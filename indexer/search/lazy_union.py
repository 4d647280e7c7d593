"""An OR of words and phrases (a phrase typed in quotes, an acronym's expansions: one per field
and per language's stems) ranked with as few phrase checks as the page needs.

Every document holding a word of the OR matches; so does every candidate in which one of its
phrases holds, and one phrase found is enough: phrases are checked cheapest first (short
fields' positions before the body's) and a document found is not checked again for matching.
Its exact score may need the other phrases too; ranking.py's heap checks them only for the
documents that can reach the page. Scores are summed as union.union_matcher sums them (the same
tree, order and `> 0` rule), so pages are those of every match scored.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from .phrases import FastPhrase, Prepared
from .ranking import LOOSE, BoundedRanking
from .union import _add

_MARGIN = 1.000001  # the loose bound is a flat sum: room for its rounding


class _Phrase:
    __slots__ = ("prepared", "most", "cost", "held", "scores")

    def __init__(self, prepared: Prepared, most: float) -> None:
        self.prepared = prepared
        self.most = most  # above its score in any document (Prepared.bound)
        lists = prepared.lists
        self.cost = sum(
            sum(map(len, found.values or ())) / max(1, len(found.ids)) for found in lists
        )
        self.held: dict[int, bool] = {}  # checked documents
        self.scores: dict[int, float] = {}  # its score in a candidate, once asked for

    def score(self, docnum: int) -> float:
        """Its score where it holds (a document is refined again and again: scored once)."""
        score = self.scores.get(docnum)
        if score is None:
            score = self.scores[docnum] = self.prepared.score(docnum)
        return score


def plan(query: Any, searcher: Any, context: Any) -> Any:
    """The query as a tree for lazy_ranking: ("union", children), ("exact", {docnum: score}),
    ("phrase", _Phrase) or ("null",); None when it holds anything else (then it is scored
    whole)."""
    from .compiler import AnyOf

    if type(query) is AnyOf:
        subs = query.subqueries
        if not subs:
            return ("null",)
        if len(subs) > 1 and query.boost != 1.0:
            return None
        children = [plan(sub, searcher, context) for sub in subs]
        if any(child is None for child in children):
            return None
        if len(children) == 1:
            return children[0]  # Whoosh's one-sub OR
        # a part that matches nothing adds nothing to a union, and a union of one part sums
        # to that part's score (every score here is > 0): the tree is cut to what counts
        # (a field's phrase in one language of three), and every sum keeps its floats
        kept = [child for child in children if child[0] != "null"]
        if len(kept) < 2:
            return kept[0] if kept else ("null",)
        # Words' tables are summed here, once, rather than in each document's walk of the
        # tree (24 prefixes OR'ed with a phrase: 600 nodes walked some 5,000 times). Summed
        # in the walk's order, from 0.0: the same floats. A part without phrases becomes one
        # table; the tables that open a union with phrases, one table.
        lead = 0
        while lead < len(kept) and kept[lead][0] == "exact":
            lead += 1
        if lead == len(kept):
            summed = _summed([child[1] for child in kept])
            return ("exact", {d: score for d, score in summed.items() if score > 0})
        if lead > 1:
            kept = [("exact", _summed([child[1] for child in kept[:lead]])), *kept[lead:]]
        return ("union", kept)
    if type(query) is FastPhrase:
        prepared = query.prepare(searcher, context)
        if not isinstance(prepared, Prepared):
            return ("null",) if not prepared.is_active() else None
        most = prepared.bound()
        if most is None or prepared.boost <= 0:
            return None
        return ("phrase", _Phrase(prepared, most))
    if isinstance(query, FastPhrase):
        return None
    matcher = query.matcher(searcher, context)
    table: dict[int, float] = {}
    _add(table, matcher, searcher, 1.0, True)  # what a union adds for it (times its boost)
    if not table:
        return ("null",)
    if min(table.values()) <= 0:
        return None
    return ("exact", table)


def _summed(tables: list[dict[int, float]]) -> dict[int, float]:
    """Each document's scores in `tables` added in their order, from 0.0, as _value adds a
    union's parts."""
    total = dict(tables[0])  # 0.0 + score * 1.0 is the score itself
    get = total.get
    for table in tables[1:]:
        for docnum, score in table.items():
            total[docnum] = get(docnum, 0.0) + score * 1.0
    return total


def _holds_phrase(query: Any) -> bool:
    from .compiler import AnyOf

    if type(query) is FastPhrase:
        return True
    return type(query) is AnyOf and any(_holds_phrase(sub) for sub in query.subqueries)


def phrases_of(node: Any) -> list[_Phrase]:
    if node[0] == "phrase":
        return [node[1]]
    if node[0] == "union":
        return [p for child in node[1] for p in phrases_of(child)]
    return []


def tables_of(node: Any) -> list[dict[int, float]]:
    if node[0] == "exact":
        return [node[1]]
    if node[0] == "union":
        return [t for child in node[1] for t in tables_of(child)]
    return []


class LazyUnion(BoundedRanking):
    """The matches of a planned OR (see plan), best first."""

    def __init__(self, tree: Any) -> None:
        self._tree = tree
        self._phrases = phrases_of(tree)
        tables = tables_of(tree)
        members: set[int] = set()
        for table in tables:
            members.update(table)
        undecided: set[int] = set()
        for phrase in self._phrases:
            undecided |= phrase.prepared.candidates
        undecided -= members
        for phrase in sorted(self._phrases, key=lambda p: p.cost):
            if not undecided:
                break
            asked = undecided & phrase.prepared.candidates
            if not asked:
                continue
            prepared = phrase.prepared
            found = FastPhrase._by_lists(prepared.lists, prepared.order, asked)
            phrase.held.update(dict.fromkeys(asked, False))
            phrase.held.update(dict.fromkeys(found, True))
            members |= found
            undecided -= found
        super().__init__(members)
        self._members = members
        # a loose bound for every match: its words' scores and every phrase it may hold,
        # summed flat; each phrase at its score there, all scored at once (where its scorers
        # allow: else at the most it can score anywhere)
        loose: dict[int, float] = {}
        for table in tables:
            for docnum, score in table.items():
                loose[docnum] = loose.get(docnum, 0.0) + score
        for phrase in self._phrases:
            held = phrase.held
            maybe = [d for d in phrase.prepared.candidates if held.get(d, True) and d in members]
            scores = phrase.prepared.scores(maybe)
            if scores is None:
                most = phrase.most
                for docnum in maybe:
                    loose[docnum] = loose.get(docnum, 0.0) + most
                continue
            phrase.scores = scores
            for docnum, score in scores.items():
                loose[docnum] = loose.get(docnum, 0.0) + score
        self._loose = loose
        self._unchecked: dict[int, tuple[int, ...]] = {}  # phrases left to check, in order
        self._bounds: dict[int, float] = {}  # their score so far, above the exact one

    def _rank(self, wanted: Collection[int] | None, stop: int) -> list[tuple[int, float]]:
        loose = self._loose
        heap = [
            (-(loose[d] * _MARGIN), d, LOOSE)
            for d in self._members
            if wanted is None or d in wanted
        ]
        return self._best_first(heap, stop)

    def _refine(self, docnum: int, state: int) -> tuple[float, bool]:
        if state == LOOSE:  # its exact score, the phrases not checked yet taken as holding
            score, settled = self._value(self._tree, docnum)
            assert score is not None  # a member
            if not settled:  # they will be checked heaviest first (the first on a tie)
                phrases = self._phrases
                unchecked = sorted(
                    (-p.score(docnum), i)
                    for i, p in enumerate(phrases)
                    if docnum in p.prepared.candidates and docnum not in p.held
                )
                self._unchecked[docnum] = tuple(i for _, i in unchecked)
                self._bounds[docnum] = score
            return score, settled
        order = self._unchecked.pop(docnum)  # CLOSE: the heaviest unchecked phrase is checked
        phrase = self._phrases[order[0]]
        holds = phrase.held[docnum] = phrase.prepared.holds(docnum)
        if len(order) == 1:  # every phrase checked: the exact score, summed as the tree sums
            score, settled = self._value(self._tree, docnum)
            assert score is not None and settled
            del self._bounds[docnum]
            return score, True
        self._unchecked[docnum] = order[1:]
        bound = self._bounds[docnum]
        if not holds:  # a bound still (its rounding made up for), without walking the tree
            bound = self._bounds[docnum] = (bound - phrase.score(docnum)) * _MARGIN
        return bound, False

    def _value(self, node: Any, docnum: int) -> tuple[float | None, bool]:
        """(the document's score under `node`, with unchecked phrases taken as holding: never
        below the exact one; whether every phrase it needs is checked, making it exact)."""
        kind = node[0]
        if kind == "exact":
            return node[1].get(docnum), True
        if kind == "phrase":
            phrase = node[1]
            if docnum not in phrase.prepared.candidates:
                return None, True
            held = phrase.held.get(docnum)
            if held is False:
                return None, True
            return phrase.score(docnum), held is not None
        if kind == "union":  # union.union_matcher: get(d, 0.0) + score * 1.0, kept when > 0
            total: float | None = None
            settled = True
            for child in node[1]:
                value, known = self._value(child, docnum)
                settled = settled and known
                if value is not None:
                    total = (0.0 if total is None else total) + value * 1.0
            return (total if total is not None and total > 0 else None), settled
        return None, True


def lazy_union(searcher: Any, query: Any, context: Any) -> LazyUnion | None:
    """A LazyUnion of `query` when it is an OR holding phrases (else None)."""
    if not _holds_phrase(query):  # nothing to check lazily: planning would score it twice
        return None
    tree = plan(query, searcher, context)
    if tree is None or not phrases_of(tree):
        return None
    return LazyUnion(tree)
