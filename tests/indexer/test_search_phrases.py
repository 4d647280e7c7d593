"""Phrases checked on decoded positions (indexer/search/phrases.py) find what Whoosh's own phrase
finds by its spans, with the same scores: in every phrase field, for phrases with stop words,
elisions, hyphens and acronyms in them, for two words and longer runs, and for phrases that run
across the parts of a multi-part field (meta: subtitle, abstract, territories, publisher;
subjects: the keywords), whose terms follow each other there. Positions decoded once a request
serve its later checks: a phrase asked again, whole or a document at a time, answers the same."""

from __future__ import annotations

import random

import pytest
from whoosh import query as wq

from indexer.analysis import analyze
from indexer.search import SearchIndex, rebuild_index, sync_index
from indexer.search.compiler import FIELDS
from indexer.search.phrases import FastPhrase, Prepared
from indexer.search.postings import one_request
from library import Catalogue, Record

# a small vocabulary, so that phrases recur and common words meet everywhere
WORDS = (
    "emploi jeunes quartier ville contrat insertion logement social médiation rénovation "
    "urbaine politique habitants prioritaires zone franche école santé Saint-Denis "
    "peut-être sud-ouest l'emploi d'insertion l'école qu'habitants C.U.C.S. CUCS ZFU "
    "de la des du le les et en sur pour au aux 2009 13e"
).split()


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _record(rng: random.Random) -> Record:
    return Record(
        title=_text(rng, rng.randrange(2, 7)),
        subtitle=_text(rng, rng.randrange(0, 4)),
        abstract=_text(rng, rng.randrange(0, 25)),
        territories=tuple(_text(rng, 2) for _ in range(rng.randrange(0, 3))),
        publisher=_text(rng, rng.randrange(0, 3)),
        keywords=tuple(_text(rng, rng.randrange(1, 3)) for _ in range(rng.randrange(0, 4))),
        language="fr",
    )


@pytest.fixture(scope="module", params=[1, 3], ids=["one-segment", "three-segments"])
def fund(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("phrases")
    rng = random.Random(5)
    records = []
    with Catalogue.in_instance(root) as catalogue:
        index = SearchIndex.open(root / "index", batch_limit=300 // request.param)
        for _ in range(request.param):
            for _ in range(300 // request.param):
                record = _record(rng)
                records.append(record)
                catalogue.add(record, text=_text(rng, rng.randrange(0, 300)))
            sync_index(catalogue, index)
        if request.param == 1:
            rebuild_index(catalogue, index)  # one segment, as a rebuild leaves
    assert index.segment_count() == request.param
    yield index, records
    index.close()


def _phrases(rng: random.Random, records: list[Record], count: int) -> list[list[str]]:
    """The terms of runs of 2 to 4 consecutive words of the records' multi-part texts (a
    part's end and the next part's start included), and of as many words drawn at random."""
    out = []
    for _ in range(count):
        record = rng.choice(records)
        parts = [record.subtitle, record.abstract, *record.territories, record.publisher]
        joined = " ".join(p for p in parts if p).split() or record.title.split()
        size = rng.choice((2, 2, 3, 4))
        start = rng.randrange(max(1, len(joined) - size + 1))
        for text in (" ".join(joined[start : start + size]), _text(rng, size)):
            terms = analyze(text, "fr")
            if len(terms) > 1:
                out.append(terms)
    return out


def _scored(searcher, query) -> list[tuple[int, float]]:
    return [(d, float(s)) for s, d in searcher.search(query, limit=None, terms=False).top_n]


def test_phrases_find_what_whoosh_finds_with_the_same_scores(fund) -> None:
    index, records = fund
    searcher = index._fresh_view().searcher
    queries = [
        (FastPhrase(field, terms, boost=1.5), wq.Phrase(field, terms, boost=1.5))
        for terms in _phrases(random.Random(17), records, 60)
        for field in FIELDS
    ]
    ours = [_scored(searcher, fast) for fast, _ in queries]
    theirs = [_scored(searcher, whoosh) for _, whoosh in queries]
    assert [[d for d, _ in found] for found in ours] == [[d for d, _ in f] for f in theirs]
    for found, expected in zip(ours, theirs, strict=True):
        assert [s for _, s in found] == pytest.approx([s for _, s in expected], rel=1e-9)
    found = [fast for (fast, _), hits in zip(queries, ours, strict=True) if hits]
    assert len(found) > len(queries) / 3  # not a comparison of empty lists
    assert {len(q.words) for q in found} >= {2, 3}
    assert {q.fieldname for q in found} == set(FIELDS)


def test_a_phrase_asked_again_in_a_request_answers_the_same(fund) -> None:
    """Asked first for a few documents, then whole, then one document at a time (as a page's
    ranking asks), within one request: each answer is the one a fresh check gives."""
    index, records = fund
    searcher = index._fresh_view().searcher
    rng = random.Random(23)
    checked = 0
    for terms in _phrases(rng, records, 30):
        for field in FIELDS:
            phrase = FastPhrase(field, terms)
            for leaf, _ in searcher.leaf_searchers():  # as ranking asks: segment by segment
                fresh = phrase.prepare(leaf)
                if not isinstance(fresh, Prepared):
                    continue
                expected = FastPhrase._by_lists(fresh.lists, fresh.order, fresh.candidates)
                with one_request(searcher):
                    first = phrase.prepare(leaf)
                    assert isinstance(first, Prepared)
                    some = set(rng.sample(sorted(first.candidates), len(first.candidates) // 2))
                    assert FastPhrase._by_lists(first.lists, first.order, some) == expected & some
                    again = phrase.prepare(leaf)  # the same lists, kept for the request
                    assert isinstance(again, Prepared) and again.lists == first.lists
                    whole = FastPhrase._by_lists(again.lists, again.order, again.candidates)
                    assert whole == expected
                    assert {d for d in again.candidates if again.holds(d)} == expected
                checked += len(first.candidates)
    assert checked > 1000


def test_a_phrase_across_two_parts_of_a_field_is_found_as_whoosh_finds_it(tmp_path) -> None:
    """The meta field's parts (subtitle then abstract) and the keywords follow each other in
    their field, as their terms are indexed one after the other."""
    with Catalogue.in_instance(tmp_path) as catalogue:
        catalogue.add(
            Record(
                title="Rapport annuel",
                subtitle="observatoire des quartiers",
                abstract="prioritaires de la ville",
                keywords=("médiation sociale", "jeunes adultes"),
                language="fr",
            ),
            text="",
        )
        with SearchIndex.open(tmp_path / "index") as index:
            sync_index(catalogue, index)
            searcher = index._fresh_view().searcher
            asked = [
                ("meta", "quartiers prioritaires"),
                ("meta", "observatoire prioritaires"),
                ("subjects", "sociale jeunes"),
                ("subjects", "médiation jeunes"),
            ]
            ours = [_scored(searcher, FastPhrase(f, analyze(t, "fr"))) for f, t in asked]
            theirs = [_scored(searcher, wq.Phrase(f, analyze(t, "fr"))) for f, t in asked]
    assert ours == theirs
    assert [bool(found) for found in ours] == [True, False, True, False]
