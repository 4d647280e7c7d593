"""Segments: a batch that ends merges its own into one (leaving a larger fund's segment alone),
a save merges only small ones (and stays fast).

The defect this guards against: `fonds index` left 14 segments and every query built its
matchers 14 times (p95 doubled on the fund users actually have)."""

from __future__ import annotations

from indexer.search import SearchIndex, SearchRequest, rebuild_index, sync_index
from indexer.search.store import MOST_SEGMENTS
from library import Catalogue, Record


def fill(catalogue: Catalogue, count: int, start: int = 0) -> list[int]:
    return [
        catalogue.add(
            Record(title=f"Rapport {n} sur la médiation sociale", year=1990 + n % 30),
            text=f"médiation quartier numéro{n}",
        ).id
        for n in range(start, start + count)
    ]


def largest_segment(index: SearchIndex) -> tuple[str, int]:
    segments = index._require_ix()._segments()  # noqa: SLF001 - what the test is about
    big = max(segments, key=lambda s: s.doc_count_all())
    return big.segment_id(), big.doc_count_all()


def test_a_batch_written_in_many_commits_ends_as_one_segment(instance):
    catalogue = Catalogue.in_instance(instance)
    fill(catalogue, 300)
    with SearchIndex.open(instance / "index", batch_limit=20) as index:
        sync_index(catalogue, index, batch_seconds=0.001)
        assert index.segment_count() > 1  # many commits, many segments
        sync_index(catalogue, index, compact=True)  # nothing new: only the merge
        assert index.segment_count() == 1
        assert index.search(SearchRequest(q="médiation")).total == 300
        assert index.duplicate_ids() == []
    catalogue.close()


def test_a_rebuild_leaves_one_segment(instance):
    catalogue = Catalogue.in_instance(instance)
    fill(catalogue, 120)
    with SearchIndex.open(instance / "index", batch_limit=15) as index:
        rebuild_index(catalogue, index)
        assert index.segment_count() == 1
        assert index.doc_count() == 120
    catalogue.close()


def test_a_rebuild_in_batches_of_unequal_sizes_also_leaves_one_segment(instance):
    # The pacer's first batch (200) is larger than the rest of a 250-record fund: a rebuild
    # must still merge its whole fresh generation, not keep the largest part apart.
    catalogue = Catalogue.in_instance(instance)
    fill(catalogue, 250)
    with SearchIndex.open(instance / "index") as index:
        rebuild_index(catalogue, index)
        assert index.segment_count() == 1
        assert index.doc_count() == 250 and index.duplicate_ids() == []
    catalogue.close()


def test_saves_one_by_one_never_rewrite_the_large_segment_and_stay_few(instance):
    catalogue = Catalogue.in_instance(instance)
    fill(catalogue, 200)
    with SearchIndex.open(instance / "index") as index:
        sync_index(catalogue, index, compact=True)
        big = largest_segment(index)
        for n in range(40):  # forty workspace saves, each its own commit
            fill(catalogue, 1, start=1000 + n)
            sync_index(catalogue, index)
            assert index.segment_count() <= MOST_SEGMENTS
            assert largest_segment(index) == big  # the save did not rewrite it
        assert index.search(SearchRequest(q="médiation")).total == 240
        assert index.duplicate_ids() == []
        assert index.segment_count() < 10  # without merging: 41
    catalogue.close()


def test_deletions_survive_a_merge(instance):
    catalogue = Catalogue.in_instance(instance)
    first = fill(catalogue, 60)
    with SearchIndex.open(instance / "index", batch_limit=10) as index:
        sync_index(catalogue, index, compact=True)
        ids = fill(catalogue, 60, start=100)
        sync_index(catalogue, index, batch_seconds=0.001)
        assert index.segment_count() > 2
        for record_id in ids[:5]:
            catalogue.delete(record_id)
        sync_index(catalogue, index, compact=True)
        assert index.segment_count() == 1
        assert index.doc_count() == 115
        assert set(index.indexed_revisions()) == set(first + ids[5:])
    catalogue.close()


def test_a_small_batch_leaves_the_larger_fund_segment_alone(instance):
    """An import of 30 records into a fund of 200 rewrites the 30, not the 200."""
    catalogue = Catalogue.in_instance(instance)
    fill(catalogue, 200)
    with SearchIndex.open(instance / "index", batch_limit=10) as index:
        sync_index(catalogue, index, compact=True)
        assert index.segment_count() == 1
        fund = largest_segment(index)
        fill(catalogue, 30, start=1000)
        sync_index(catalogue, index, batch_seconds=0.001, compact=True)
        assert largest_segment(index) == fund
        assert index.segment_count() == 2  # the fund's segment and the batch's
        assert index.search(SearchRequest(q="médiation")).total == 230
        assert index.duplicate_ids() == []
        # A batch larger than all the others together stays apart (each segment kept is
        # larger than the smaller ones together: at most log2 of the documents)...
        fill(catalogue, 250, start=2000)
        sync_index(catalogue, index, batch_seconds=0.001, compact=True)
        assert largest_segment(index)[1] == 250
        assert index.segment_count() == 3
        # ...and one no larger than them all together merges them all.
        fill(catalogue, 300, start=3000)
        sync_index(catalogue, index, batch_seconds=0.001, compact=True)
        assert index.segment_count() == 1
        assert index.doc_count() == 780 and index.duplicate_ids() == []
    catalogue.close()


def _contents(index: SearchIndex) -> dict[str, object]:
    """Everything a query can read from an index, by record id (document numbers differ
    between two indexes of the same records): each term's postings with their weights and
    positions and its statistics, each document's field lengths and stored row."""
    with index._require_ix().reader() as reader:  # noqa: SLF001 - what the test is about
        record_of = {n: int(fields["id"]) for n, fields in reader.iter_docs()}
        postings = {}
        for field, term in reader.all_terms():
            matcher = reader.postings(field, term)
            found = []
            while matcher.is_active():
                found.append((record_of[matcher.id()], matcher.weight(), matcher.value()))
                matcher.next()
            if found:
                info = reader.term_info(field, term)  # what scoring and skipping read
                summary = (info.doc_frequency(), info.weight(), info.max_weight())
                span = (info.min_length(), info.max_length())
                postings[(field, term)] = (sorted(found), summary, span)
        lengths = {
            (record_of[n], field): reader.doc_field_length(n, field)
            for n in record_of
            for field in ("title", "meta", "body")
        }
        stored = {record_of[n]: fields for n, fields in reader.iter_docs()}
    return {"postings": postings, "lengths": lengths, "stored": stored}


def test_a_merged_index_reads_exactly_like_the_same_records_written_at_once(instance):
    # A batch's end merges its segments (some with deletions and replaced documents) straight
    # into one: every posting, position, field length and stored row must come out as if the
    # records had been indexed in one commit, or rankings and phrase searches would drift.
    catalogue = Catalogue.in_instance(instance)
    words = ["médiation", "quartier", "logement", "emploi", "santé", "école", "transport"]
    ids = [
        catalogue.add(
            Record(title=f"{words[n % 7].capitalize()} {n} à Fort-de-France", year=1990 + n % 30),
            text=" ".join(words[(n * k) % 7] for k in range(1, 2 + n % 40)) + f" numéro{n}",
        ).id
        for n in range(150)
    ]
    with SearchIndex.open(instance / "merged", batch_limit=12) as merged:
        sync_index(catalogue, merged, batch_seconds=0.001)
        for record_id in ids[:10]:
            catalogue.delete(record_id)
        for record_id in ids[20:30]:
            record = catalogue.get(record_id)
            catalogue.save(record, text="logement logement insalubre rénovation urbaine")
        sync_index(catalogue, merged, batch_seconds=0.001)
        assert merged.segment_count() > 1
        sync_index(catalogue, merged, compact=True)
        assert merged.segment_count() == 1
        with SearchIndex.open(instance / "at-once", batch_limit=1000) as at_once:
            rebuild_index(catalogue, at_once)
            assert at_once.segment_count() == 1
            expected = _contents(at_once)
            assert _contents(merged) == expected
            assert len(expected["stored"]) == 140
            # (Scores may differ in the last digits: Whoosh stores each document's field
            # length as one byte, and a merge sums those rounded lengths into the average.)
            for q in ("logement insalubre", '"rénovation urbaine"', "médiation quartier"):
                request = SearchRequest(q=q, per_page=200)
                got = {h.id for h in merged.search(request).hits}
                assert got and got == {h.id for h in at_once.search(request).hits}
    catalogue.close()


def test_a_record_another_process_indexes_during_a_batch_is_not_indexed_twice(instance):
    # A batch adds the records it found missing from the index without looking each one up
    # in every segment; should another process index one of them meanwhile (a save in the
    # web app), the batch must see the segment it does not know and replace, not add.
    catalogue = Catalogue.in_instance(instance)
    ids = fill(catalogue, 80)
    other = SearchIndex.open(instance / "index")
    with SearchIndex.open(instance / "index", batch_limit=10) as index:
        written: list[int] = []

        def meanwhile(count: int) -> None:
            written.append(count)
            if len(written) == 1:  # after the first commit: the next records, elsewhere
                sync_index(catalogue, other)

        sync_index(catalogue, index, batch_seconds=0.0001, compact=True, progress=meanwhile)
        assert len(written) > 2 and other.doc_count() == 80
        assert index.duplicate_ids() == []
        assert index.doc_count() == 80
        assert sorted(index.indexed_revisions()) == ids
    other.close()
    catalogue.close()
