"""A posting list decoded in one go (indexer/search/postings.py) holds what Whoosh's matcher
reads posting by posting: the same document numbers, weights and values, for every term of
every field, lists of one block or many, blocks of equal weights included; a list is decoded
once per request, and not kept after it unless a server keeps lists between requests
(KeptLists): then within its budget, the most read first, and never past a change of the index."""

from __future__ import annotations

import random

import pytest

from indexer.search import SearchIndex, SearchRequest, sync_index
from indexer.search.postings import Decoded, KeptLists, decoded, one_request
from library import Catalogue, Record

WORDS = "emploi jeunes quartier ville contrat insertion logement social".split()


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("postings")
    rng = random.Random(5)
    with Catalogue.in_instance(root) as catalogue:
        index = SearchIndex.open(root / "index", batch_limit=1000)
        for i in range(450):  # common words: lists of four blocks
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 60)))
            title = "emploi" if i % 3 else "emploi des jeunes"  # blocks whose weights are all 1
            catalogue.add(Record(title=title, language="fr"), text=text)
        sync_index(catalogue, index)
    yield index
    index.close()


def _whoosh_reads(matcher) -> tuple[list[int], list[float], list[bytes]]:
    ids, weights, values = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value())
        matcher.next()
    return ids, weights, values


def test_every_list_decodes_as_whoosh_reads_it(index) -> None:
    checked = blocks = 0
    for searcher, _ in index._fresh_view().searcher.leaf_searchers():
        reader = searcher.reader()
        for field, text in [(f, t) for f in ("title", "body") for t in reader.lexicon(f)]:
            found = decoded(searcher, reader.postings(field, text))
            if found is None:  # a term of one document: inlined in the term info
                assert reader.doc_frequency(field, text) == 1
                continue
            ids, weights, values = _whoosh_reads(reader.postings(field, text))
            assert found.ids == ids and found.weights == weights
            assert found.values is None or found.values == values
            assert found.index() == {d: i for i, d in enumerate(ids)}
            checked += 1
            blocks += len(ids) > 128
    assert checked > 10 and blocks >= 4, (checked, blocks)


def test_positions_read_many_at_once_are_those_whoosh_decodes(index) -> None:
    """positions_for (a phrase's candidates decoded in one pass) gives each document the
    positions Whoosh's own format decodes, alone or in a batch, in any order."""
    checked = 0
    for searcher, _ in index._fresh_view().searcher.leaf_searchers():
        reader = searcher.reader()
        decode = searcher.schema["body"].format.decode_positions
        for text in reader.lexicon("body"):
            found = decoded(searcher, reader.postings("body", text))
            if found is None or found.values is None or len(found.ids) < 20:
                continue
            wanted = {d: tuple(decode(v)) for d, v in zip(found.ids, found.values, strict=True)}
            some = found.ids[::3]
            batch = found.positions_for(list(reversed(some)))
            assert all(batch(d) == wanted[d] for d in some)
            assert [found.positions(d) for d in found.ids] == [wanted[d] for d in found.ids]
            alone = found.positions_for(found.ids[:2])  # too few to batch: one at a time
            assert alone(found.ids[0]) == wanted[found.ids[0]]
            checked += 1
    assert checked >= 5


def test_a_list_is_read_once_a_request_and_forgotten_after(index) -> None:
    top = index._fresh_view().searcher
    searcher = top.leaf_searchers()[0][0]  # a segment's: its reads kept in the top one's store
    reader = searcher.reader()
    with one_request(top):
        first = decoded(searcher, reader.postings("body", "emploi"))
        assert first is not None
        assert decoded(searcher, reader.postings("body", "emploi")) is first
    again = decoded(searcher, reader.postings("body", "emploi"))
    assert again is not first and again is not None and again.ids == first.ids


def test_a_matcher_already_moved_is_left_to_whoosh(index) -> None:
    searcher = index._fresh_view().searcher.leaf_searchers()[0][0]
    posting = searcher.reader().postings("body", "emploi")
    posting.skip_to(300)
    assert decoded(searcher, posting) is None


def test_kept_lists_serve_the_next_requests_of_the_searcher(index) -> None:
    top = index._fresh_view().searcher
    searcher = top.leaf_searchers()[0][0]
    reader = searcher.reader()
    kept = KeptLists(budget_bytes=50 * 1024 * 1024)
    with one_request(top, kept):
        first = decoded(searcher, reader.postings("body", "emploi"))
        assert first is not None
        first.positions_for(first.ids[:50])
    assert list(kept.lists.values()) == [first] and kept.size == first.footprint()
    with one_request(top, kept):  # the next request: the same list, its positions decoded
        assert decoded(searcher, reader.postings("body", "emploi")) is first
    assert decoded(searcher, reader.postings("body", "emploi")) is not first  # outside one


def _list(size: int) -> Decoded:
    found = Decoded([], [], None)
    found._base = size
    return found


def test_over_budget_the_lists_fewest_requests_read_go_first() -> None:
    kept = KeptLists(budget_bytes=1000)
    common, rare, other = _list(400), _list(400), _list(400)
    kept.absorb({(1, 0): common})
    kept.absorb({(1, 0): common, (1, 8): rare})
    assert set(kept.lists) == {(1, 0), (1, 8)} and kept.size == 800
    kept.absorb({(1, 0): common, (1, 16): other})  # 1,200 bytes: one must go
    assert set(kept.lists) == {(1, 0), (1, 16)}  # read by 3 and (last) 1 requests: kept
    assert kept.size == 800 <= kept.budget
    kept.absorb({(1, 24): _list(5000)})  # larger than the budget alone: not kept at all
    assert set(kept.lists) == {(1, 0), (1, 16)} and kept.size == 800


def test_counts_fade_so_that_words_read_long_ago_give_way(monkeypatch) -> None:
    monkeypatch.setattr(KeptLists, "AGE_EVERY", 4)
    kept = KeptLists(budget_bytes=1000)
    old, new = _list(600), _list(600)
    for _ in range(3):
        kept.absorb({(1, 0): old})
    kept.absorb({(1, 8): new})  # the fourth request halves the counts: old 1, new 0
    assert set(kept.lists) == {(1, 0)}
    for _ in range(2):
        kept.absorb({(1, 8): new})
    assert set(kept.lists) == {(1, 8)}  # now read more than the old one


def test_a_server_keeping_lists_answers_as_one_that_does_not_and_sees_each_change(
    tmp_path,
) -> None:
    """The same pages, request after request, with lists kept or not; a document added or
    deleted is found or gone at once (a write gives a new searcher, with nothing kept)."""
    rng = random.Random(11)
    queries = ["emploi", "jeunes quartier", '"contrat ville"', "insertion OU logement", "social"]
    with Catalogue.in_instance(tmp_path / "a") as catalogue:
        for _ in range(300):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(5, 80)))
            catalogue.add(Record(title=rng.choice(WORDS), language="fr"), text=text)
        plain = SearchIndex.open(tmp_path / "plain", batch_limit=1000)
        keeping = SearchIndex.open(tmp_path / "keeping", batch_limit=1000)
        keeping.keep_postings(64)
        for index in (plain, keeping):
            sync_index(catalogue, index)

        def pages(index: SearchIndex) -> list[tuple]:
            out = []
            for q in queries * 3:
                page = index.search(SearchRequest(q=q, per_page=50))
                out.append((q, page.total, [(h.id, round(h.score, 9)) for h in page.hits]))
            return out

        assert pages(keeping) == pages(plain)
        assert keeping._view.kept.lists  # lists were kept, and served the repeated queries
        added = catalogue.add(Record(title="xylophone emploi", language="fr"), text="emploi")
        gone = plain.search(SearchRequest(q="emploi", per_page=1)).hits[0].id
        catalogue.delete(gone)
        for index in (plain, keeping):
            sync_index(catalogue, index)
        found = {h.id for h in keeping.search(SearchRequest(q="emploi", per_page=500)).hits}
        assert added.id in found and gone not in found
        assert pages(keeping) == pages(plain)
        plain.close()
        keeping.close()
