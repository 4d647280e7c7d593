"""Which documents match a query, read from the decoded postings (indexer/search/membership.py):
the same documents as Whoosh's `docs_for_query`, for every kind of query the compiler makes
(words, several words with their "together" phrases, quoted phrases, prefixes, OU, exclusions,
acronyms and related expressions), on one segment, on three, and with deleted documents."""

from __future__ import annotations

import random

import pytest

from indexer.analysis import analyze
from indexer.search import SearchIndex, sync_index
from indexer.search import membership as membership_module
from indexer.search.compiler import labels_query
from indexer.search.membership import any_match, matching_ids
from indexer.search.models import Work
from indexer.search.query import parse
from library import Catalogue, Record

WORDS = (
    "emploi jeunes quartier ville contrat insertion logement social médiation rénovation "
    "urbaine politique habitants formation chômage association éducation santé cohésion "
    "sociale urbain zone franche prioritaire de la des"
).split()
QUERIES = [
    "emploi",
    "jeunes emploi",
    "contrat de ville",
    "CUCS",
    "ZFU emploi",
    '"rénovation urbaine"',
    '"zone franche" OU "contrat ville"',
    '"ville emploi" jeunes',
    "réno*",
    "qu*",
    "emploi OU logement",
    "emploi -logement",
    'jeunes -"zone franche"',
    "insertion formation chômage",
    "inconnu",
    "emploi inconnu",
    "ville quartier habitants cohésion",
]

LABELS = [("youth employment", "empleo juvenil", "emploi"), ("zona franca", "urban renewal")]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


@pytest.fixture(scope="module", params=["one", "three", "deleted"], ids=lambda p: f"{p}-segment(s)")
def index(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("membership")
    rng = random.Random(5)
    batches = 3 if request.param == "three" else 1
    with Catalogue.in_instance(root) as catalogue:
        index = SearchIndex.open(root / "index", batch_limit=400 // batches)
        index.set_equivalences(
            [
                ("CUCS", "contrat urbain de cohésion sociale"),
                ("ZFU", "zone franche urbaine"),
            ],
            [("contrat de ville", "contrat urbain de cohésion sociale")],
        )
        ids = []
        for _ in range(batches):
            for _ in range(400 // batches):  # common words: postings of several blocks
                ids.append(
                    catalogue.add(
                        Record(title=_text(rng, 4), abstract=_text(rng, 10), language="fr"),
                        text=_text(rng, rng.randrange(5, 200)),
                    ).id
                )
            sync_index(catalogue, index)
        if request.param != "three":
            index.compact()  # the batches' commits merged: one segment, as `fonds import` leaves
        if request.param == "deleted":
            for record_id in rng.sample(ids, 40):
                catalogue.delete(record_id)
            sync_index(catalogue, index)
        assert index.segment_count() == (3 if request.param == "three" else 1)
    yield index
    index.close()


def _compiled(index: SearchIndex, q: str):
    view = index._fresh_view()
    query, excluded, _, _ = index._compiler.compile(parse(q), view.searcher.reader(), Work())
    return view.searcher, [part for part in (query, excluded) if part is not None]


def _labels(index: SearchIndex):
    """The queries of a concept's names (plain ORs of phrases and words, ANDed)."""
    view = index._fresh_view()
    names = [[tuple(analyze(label)) for label in group] for group in LABELS]
    return view.searcher, [labels_query(names[:1]), labels_query(names), labels_query(names[1:])]


def test_the_matches_are_those_whoosh_finds(index) -> None:
    rng = random.Random(9)
    checked = 0
    for q in [*QUERIES, "labels"]:
        searcher, queries = _labels(index) if q == "labels" else _compiled(index, q)
        for query in queries:
            expected = set(searcher.docs_for_query(query))
            assert matching_ids(searcher, query) == expected, q
            among = set(rng.sample(range(searcher.doc_count_all()), 60))
            assert matching_ids(searcher, query, among) == expected & among, q
            checked += len(expected)
    assert checked > 1000  # common words: most of the fund matched, many phrases checked


def test_whether_any_document_matches_is_what_whoosh_finds(index) -> None:
    rng = random.Random(4)
    for q in [*QUERIES, "labels"]:
        searcher, queries = _labels(index) if q == "labels" else _compiled(index, q)
        for query in queries:
            expected = set(searcher.docs_for_query(query))
            for _ in range(5):
                kept = set(rng.sample(range(searcher.doc_count_all()), rng.choice((1, 5, 40))))
                assert any_match(searcher, query, kept.__contains__) == bool(expected & kept), q
            assert any_match(searcher, query, lambda d: True) == bool(expected), q


def test_an_existence_test_stops_at_the_first_document_found(index, monkeypatch) -> None:
    """'jeunes emploi' holds in most documents: a few phrase checks, not one per match (on
    several segments Whoosh reads the phrase whole instead)."""
    searcher, (query, *_) = _compiled(index, '"jeunes emploi"')
    checks = []
    original = membership_module._Checker.holds

    def counted(self, node, docnum):  # type: ignore[no-untyped-def]
        if node is query:
            checks.append(docnum)
        return original(self, node, docnum)

    monkeypatch.setattr(membership_module._Checker, "holds", counted)
    matches = set(searcher.docs_for_query(query))
    assert len(matches) > 20
    assert any_match(searcher, query, lambda d: True)
    if len(searcher.leaf_searchers()) == 1:
        assert 0 < len(checks) < len(matches) / 4
    else:
        assert checks == []


def test_the_matches_are_checked_a_set_at_a_time(index, monkeypatch) -> None:
    """« logement social » as a concept's OR of 12 phrases over 9,400 candidates was 110,000
    walks of the query, a document at a time: each phrase is now checked in all the documents
    still in question at once (the sets are Whoosh's, as the test above says)."""
    calls = []
    monkeypatch.setattr(
        membership_module._Checker, "holds", lambda self, node, docnum: calls.append(docnum)
    )
    searcher, queries = _labels(index)
    for query in queries:
        matching_ids(searcher, query)
    for q in ('"zone franche" OU "contrat ville"', 'jeunes "rénovation urbaine"'):
        for query in _compiled(index, q)[1]:
            matching_ids(searcher, query)
    assert calls == []
