"""A posting list decoded in one go (indexer/search/postings.py) holds what Whoosh's matcher
reads posting by posting: the same document numbers, weights and values, for every term of
every field, lists of one block or many, blocks of equal weights included; a list is decoded
once per request, and not kept after it."""

from __future__ import annotations

import random

import pytest

from indexer.search import SearchIndex, sync_index
from indexer.search.postings import decoded, one_request
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
