"""The OR read a block at a time (indexer/search/union.py), the matches taken without Whoosh's
collector and the phrases read a block at a time (phrases.py) find the same documents with the
same scores as Whoosh's own union, collector and skips: ranking does not move by a bit, on one
segment or several, words, prefixes, phrases, OU, exclusions and acronyms alike."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest
from whoosh import query as wq

from indexer.search import SearchIndex, SearchRequest, phrases, sync_index
from indexer.search.compiler import AnyOf
from indexer.search.lazy_union import plan
from indexer.search.models import Work
from indexer.search.query import parse
from indexer.search.ranking import (
    Banded,
    Followed,
    Then,
    Tier,
    _members,
    _TableRanking,
    _within,
    ranked,
)
from indexer.search.union import all_scored
from library import Catalogue, Record

WORDS = (
    "emploi jeunes quartier ville contrat insertion logement social médiation rénovation "
    "urbaine politique habitants formation chômage association éducation santé sécurité "
    "transport culture sport école famille travail zone franche prioritaire"
).split()
QUERIES = [
    "emploi",
    "jeunes emploi",
    "contrat de ville",
    '"rénovation urbaine"',
    "réno*",
    "qu*",
    "emploi OU logement",
    "emploi -logement",
    "insertion formation chômage",
    "inconnu",
    "ville quartier habitants école",
]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


@pytest.fixture(scope="module", params=[1, 3], ids=["one-segment", "three-segments"])
def index(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("union")
    rng = random.Random(11)
    with Catalogue.in_instance(root) as catalogue:
        index = SearchIndex.open(root / "index", batch_limit=400 // request.param)
        for _ in range(request.param):
            for _ in range(400 // request.param):  # common words: postings of several blocks
                catalogue.add(
                    Record(title=_text(rng, 4), abstract=_text(rng, 12), language="fr"),
                    text=_text(rng, rng.randrange(5, 300)),
                )
            sync_index(catalogue, index)
    if request.param == 1:
        index.compact()  # the batches' commits merged: one segment, as `fonds import` leaves
    assert index.segment_count() == request.param
    yield index
    index.close()


def _results(index: SearchIndex, q: str) -> tuple[list[tuple[int, float]], list[int]]:
    view = index._fresh_view()
    searcher = view.searcher
    query = index._compiler.compile(parse(q), searcher.reader(), Work())[0]
    if query is None:
        return [], []
    scored = [(d, float(s)) for s, d in searcher.search(query, limit=None, terms=False).top_n]
    return scored, sorted(searcher.docs_for_query(query))


def test_the_union_scores_every_document_as_whoosh_does(index, monkeypatch) -> None:
    ours = {q: _results(index, q) for q in QUERIES}
    monkeypatch.setattr(AnyOf, "_matcher", wq.Or._matcher)  # Whoosh's own array union
    theirs = {q: _results(index, q) for q in QUERIES}
    assert sum(len(scored) for scored, _ in ours.values()) > 1000  # long postings were read
    for q in QUERIES:
        assert ours[q] == theirs[q], q


def test_pages_and_facets_are_those_of_whoosh_union(index, monkeypatch) -> None:
    ours = [index.search(SearchRequest(q=q)) for q in QUERIES]
    monkeypatch.setattr(AnyOf, "_matcher", wq.Or._matcher)
    theirs = [index.search(SearchRequest(q=q)) for q in QUERIES]
    for a, b in zip(ours, theirs, strict=True):
        assert (a.total, a.hits, a.facets) == (b.total, b.hits, b.facets)


def test_matches_taken_whole_are_the_collectors_in_its_order(index) -> None:
    searcher = index._fresh_view().searcher
    for q in QUERIES:
        query = index._compiler.compile(parse(q), searcher.reader(), Work())[0]
        if query is None:
            continue
        expected = [(float(s), d) for s, d in searcher.search(query, limit=None).top_n]
        assert [(float(s), d) for s, d in all_scored(searcher, query)] == expected, q


def test_phrases_read_by_blocks_are_those_read_by_skips(index, monkeypatch) -> None:
    phrased = [q for q in QUERIES if '"' in q or len(q.split()) > 1]
    ours = {q: _results(index, q) for q in phrased}
    monkeypatch.setattr(phrases, "_plain", lambda posting: False)  # every posting skipped to
    theirs = {q: _results(index, q) for q in phrased}
    assert any(scored for scored, _ in ours.values())
    assert ours == theirs


def test_a_page_ranked_lazily_is_the_page_of_every_match_scored(index) -> None:
    """The "words together" bonus checked only where a page needs it (ranking.py), an OR of
    words scored only where a page needs it (pruned_union.py): any page, under any filter, is
    the one every match scored gives, scores to the bit."""
    searcher = index._fresh_view().searcher
    rng = random.Random(3)
    phrased = ['"emploi jeunes" OU logement', '"zone franche" OU "contrat ville"', '"ville emploi"']
    # many phrases OR'ed: each document a candidate of several, checked one phrase at a time
    phrased.append(" OU ".join(f'"{a} {b}"' for a, b in pairwise(WORDS[:13])))
    # words and prefixes with a phrase: their scores summed in the plan, in the walk's order
    phrased += [
        " OU ".join(WORDS[:10]) + ' OU "zone franche"',
        '"zone franche" OU ' + " OU ".join(WORDS[:10]),
        'qu* OU réno* OU emp* OU "emploi jeunes" OU ville',
    ]
    kinds = set()
    pruned = 0  # pages a PrunedUnion found without scoring every match
    for q in [*QUERIES, "jeunes emploi ville", "social zone franche", "école famille", *phrased]:
        query = index._compiler.compile(parse(q), searcher.reader(), Work())[0]
        if query is None:
            continue
        every = [(d, float(s)) for s, d in searcher.search(query, limit=None).top_n]
        docnums = [d for d, _ in every]
        for size in (1, 20, 200, len(docnums)):
            for _ in range(3):
                wanted = set(rng.sample(docnums, min(len(docnums), size)))
                ranking = ranked(searcher, query)  # fresh: nothing checked yet
                kinds.add(type(ranking).__name__)
                expected = [(d, s) for d, s in every if d in wanted][:20]
                assert ranking.top(wanted, 20) == expected, q
                assert ranking.top(None, 10) == every[:10], q
                pruned += getattr(ranking, "pruned", 0)
        assert list(ranked(searcher, query)) == every, q
    # phrases and words together went the lazy ways, in each segment
    if index.segment_count() == 1:
        assert kinds == {"_TableRanking", "LazyUnion", "_BonusRanking", "PrunedUnion"}
        assert pruned > 0
    else:
        assert kinds == {"_Segments"}


def test_the_words_of_an_or_with_a_phrase_are_summed_once_not_per_document(index) -> None:
    """24 prefixes OR'ed with a phrase were a tree of 600 nodes, walked for each of some 5,000
    documents refined: the words' scores are summed when the OR is planned."""
    searcher = index._fresh_view().searcher
    leaf = searcher.leaf_searchers()[0][0]  # (planned in each segment)
    q = " OU ".join(f"{w[:3]}*" for w in WORDS[:12]) + ' OU "zone franche"'
    query = index._compiler.compile(parse(q), searcher.reader(), Work())[0]
    tree = plan(query, leaf, searcher.context())
    assert tree[0] == "union"
    assert [child[0] for child in tree[1]][0] == "exact"
    assert sum(child[0] == "exact" for child in tree[1]) == 1  # every word in one table
    assert ranked(searcher, query).top(None, 20) == [
        (d, float(s)) for s, d in searcher.search(query, limit=20).top_n
    ]


def test_an_and_of_a_large_or_and_a_phrase_gathers_where_the_phrase_holds(index) -> None:
    """A phrase ANDed with an OR of twenty common words: the OR's documents are not gathered
    (postings by the thousand), the phrase's holds bound the AND; where it holds nowhere, no
    part is scored. Pages and scores are those of every match scored."""
    searcher = index._fresh_view().searcher
    many = " OU ".join(WORDS[:20])
    for phrase, holds in (('"zone franche"', True), ('"franche zone école zone"', False)):
        query = index._compiler.compile(parse(f"{many} {phrase}"), searcher.reader(), Work())[0]
        every = [(d, float(s)) for s, d in searcher.search(query, limit=None).top_n]
        assert bool(every) is holds
        assert ranked(searcher, query).top(None, 20) == every[:20]
        if index.segment_count() == 1:  # (segments are bounded each in its own ranking)
            leaf = searcher.leaf_searchers()[0][0]
            within = _within(query.a, leaf)
            assert within is not None and {d for d, _ in every} <= within
            assert len(within) < len(_members(query.a, leaf, AnyOf) or ())  # phrase checked


def test_an_and_whose_words_never_meet_checks_no_phrase(tmp_path, monkeypatch) -> None:
    """Two phrases that no document holds together: the AND is found empty from its words'
    postings, before any phrase's positions are read (24 acronyms typed together, each an OR
    of its expansions' phrases, took 1.8 s at 20,000 documents)."""
    with Catalogue.in_instance(tmp_path) as catalogue:
        for title in ("La zone franche urbaine", "La médiation sociale", "Zone et médiation"):
            catalogue.add(Record(title=title, language="fr"), text=title)
        index = SearchIndex.open(tmp_path / "index")
        sync_index(catalogue, index)
    try:
        searcher = index._fresh_view().searcher
        checks = []
        original = phrases.FastPhrase._by_lists

        def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
            checks.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(phrases.FastPhrase, "_by_lists", staticmethod(counting))
        for q, found in (('"zone franche" "médiation sociale"', 0), ('"zone franche" urbaine', 1)):
            checks.clear()
            query = index._compiler.compile(parse(q), searcher.reader(), Work())[0]
            every = list(ranked(searcher, query))
            assert bool(checks) is bool(found)  # no phrase checked where the words never meet
            assert every == [(d, float(s)) for s, d in searcher.search(query, limit=None).top_n]
            assert len(every) == found
    finally:
        index.close()


def test_a_tail_after_a_lazy_ranking_is_ranked_as_the_whole_list_was() -> None:
    """engine._abroad: a French concept query's English and Spanish documents after every
    French match. The French matches are ranked a page at a time, and whole only when a page
    reaches the tail; any page, under any filter, is that of the whole list."""
    rng = random.Random(5)
    table = {d: rng.choice([1.5, 2.0, rng.random() * 10]) for d in range(0, 300, 2)}
    extra = [(d, 9.0 - d / 100) for d in range(1, 60, 4)]  # best first, none in the table

    def whole() -> list[tuple[int, float]]:  # what _abroad built before: every match ranked
        french = list(_TableRanking(dict(table)))
        floor = min(s for _, s in french)
        best = max(s for _, s in extra)
        return french + [(d, floor * 0.5 * (0.5 + 0.5 * s / best)) for d, s in extra]

    expected = whole()
    first = _TableRanking(dict(table))
    then = Then(first, extra)
    assert then.top(None, 20) == expected[:20]
    assert first._items is None  # the first page ranked no more than it needed
    for size in (1, 5, 60, 200):
        for _ in range(5):
            wanted = set(rng.sample(range(300), size))
            for stop in (1, 20, 400):
                ranking = Then(_TableRanking(dict(table)), extra)
                assert ranking.top(wanted, stop) == [p for p in expected if p[0] in wanted][:stop]
    assert list(Then(_TableRanking(dict(table)), extra)) == expected
    assert Then(_TableRanking(dict(table)), extra).ids == {d for d, _ in expected}


def test_tiers_ranked_a_page_at_a_time_give_the_pages_of_the_whole_banded_list() -> None:
    """engine._across: a query across languages is a list of tiers (the query's own words in
    its language, the French documents on the concept, those that name it elsewhere…), each
    in a band below the one before. Each tier is ranked only as far as a page goes; any page,
    under any filter, is that of the whole list built tier by tier."""
    rng = random.Random(8)
    docnums = list(range(400))
    rng.shuffle(docnums)
    sources = [_TableRanking({d: rng.choice([1.0, 2.5, rng.random() * 8]) for d in docnums[:250]})]
    sources.append(_TableRanking({d: rng.random() * 3 for d in docnums[150:330]}))
    parts = [set(docnums[i : i + 50]) for i in range(0, 400, 50)]
    parts[3] = set()  # an empty tier takes no band

    def tiers() -> list[Tier]:
        return [Tier(part, None if k == 5 else sources[k % 2]) for k, part in enumerate(parts)]

    def whole() -> list[tuple[int, float]]:
        out, band = [], 7.0
        for k, part in enumerate(parts):
            if not part:
                continue
            table = {} if k == 5 else sources[k % 2]._table
            ordered = sorted(part, key=lambda d: (-table.get(d, 0.0), d))
            best = max(table.get(d, 0.0) for d in part) or 1.0
            out += [(d, band * (0.5 + 0.5 * table.get(d, 0.0) / best)) for d in ordered]
            band *= 0.5
        return out

    expected = whole()
    assert len(expected) == 350
    first = tiers()
    banded = Banded(first, 7.0)
    assert banded.top(None, 20) == expected[:20]
    assert all(part.source is None or part.source._items is None for part in first)
    for size in (1, 10, 100, 400):
        for _ in range(4):
            wanted = set(rng.sample(range(420), size))
            for stop in (1, 20, 500):
                assert (
                    Banded(tiers(), 7.0).top(wanted, stop)
                    == [p for p in expected if p[0] in wanted][:stop]
                )
    assert list(Banded(tiers(), 7.0)) == expected
    assert Banded(tiers(), 7.0).ids == {d for d, _ in expected}


def test_any_word_matches_follow_a_translation_s_tiers_a_page_at_a_time() -> None:
    """A translation's tiers (Banded) followed by the any-word matches (engine._run, when no
    document holds every word): the head is asked a page at a time, and gives the pages its
    whole list gives."""
    rng = random.Random(12)
    head_source = _TableRanking({d: rng.random() * 5 for d in range(0, 200, 2)})
    tiers = [Tier(set(range(0, 100, 2)), head_source), Tier(set(range(100, 200, 2)), head_source)]
    tail = {d: rng.random() * 3 for d in range(1, 300, 3)}
    whole = Followed(list(Banded(tiers, 9.0)), _TableRanking(dict(tail)))
    expected = list(whole)
    lazy_source = _TableRanking(dict(head_source._table))
    lazy = Followed(
        Banded([Tier(t.members, lazy_source) for t in tiers], 9.0), _TableRanking(dict(tail))
    )
    assert lazy.top(None, 20) == expected[:20]
    assert lazy_source._items is None
    for size in (3, 50, 300):
        wanted = set(rng.sample(range(300), size))
        for stop in (1, 20, 400):
            assert lazy.top(wanted, stop) == [p for p in expected if p[0] in wanted][:stop]
