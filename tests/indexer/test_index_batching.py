"""Writing the index in batches: every record once, whatever the pace and the fund's size.

The defect this guards against: batch sizes that change between commits made the slices
overlap, and a rebuild wrote the overlapping records twice (1,600 of 2,000 records)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.search import SearchIndex, SearchRequest, rebuild_index, sync_index
from indexer.search.service import catalogue_documents
from indexer.search.store import Pacer, paced_slices
from library import Catalogue, Record


@given(
    ids=st.lists(st.integers(), max_size=300),
    sizes=st.lists(st.integers(min_value=-5, max_value=80), min_size=1, max_size=50),
)
def test_any_sequence_of_batch_sizes_writes_every_id_exactly_once(ids, sizes):
    def endless():
        while True:
            yield from sizes

    written = [i for part in paced_slices(ids, endless()) for i in part]
    assert written == ids


@given(
    count=st.integers(min_value=0, max_value=5000),
    timings=st.lists(st.floats(min_value=0.0, max_value=100.0), min_size=1, max_size=20),
    limit=st.integers(min_value=1, max_value=3000),
)
def test_the_pacer_reacting_to_commit_times_never_overlaps_or_skips(count, timings, limit):
    ids = list(range(count))
    pacer = Pacer(batch_seconds=2.0, largest=limit)
    seen: list[int] = []
    for n, part in enumerate(paced_slices(ids, pacer.sizes())):
        assert 1 <= len(part) <= limit
        seen.extend(part)
        pacer.observe(len(part), timings[n % len(timings)])
    assert seen == ids


def fill(catalogue: Catalogue, count: int) -> None:
    for n in range(count):
        catalogue.add(
            Record(title=f"Rapport {n} sur la médiation sociale", year=1990 + n % 30),
            text=f"médiation quartier numéro{n}",
        )


@pytest.mark.slow
def test_a_fund_of_2500_records_rebuilt_and_synced_in_many_batches_holds_each_once(instance):
    catalogue = Catalogue.in_instance(instance)
    fill(catalogue, 2500)
    with SearchIndex.open(instance / "index", batch_limit=150) as index:
        report = sync_index(catalogue, index, batch_seconds=0.001)
        assert report.indexed == 2500
        assert index.duplicate_ids() == [] and index.doc_count() == 2500

        report = rebuild_index(catalogue, index)
        assert report.rebuilt and report.indexed == 2500
        assert index.duplicate_ids() == [] and index.doc_count() == 2500
        assert index.indexed_revisions() == {
            i: rev for i, (rev, _deleted) in catalogue.revisions().items()
        }
        page = index.search(SearchRequest(q="médiation", per_page=5))
        assert page.total == 2500
        assert len({hit.id for hit in page.hits}) == 5
    catalogue.close()


def test_a_rebuild_fed_a_record_twice_refuses_and_keeps_the_index_in_force(instance):
    catalogue = Catalogue.in_instance(instance)
    fill(catalogue, 30)
    documents = catalogue_documents(catalogue)

    def doubled(ids):
        yield from documents(ids)
        yield from documents(ids[:1])

    with SearchIndex.open(instance / "index", batch_limit=7) as index:
        sync_index(catalogue, index)
        before = index.generation
        with pytest.raises(RuntimeError, match="twice"):
            index.rebuild(catalogue.revisions, doubled)
        assert index.generation == before
        assert index.doc_count() == 30 and index.duplicate_ids() == []
    catalogue.close()
