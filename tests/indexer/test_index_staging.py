"""A batch writes its documents as one segment apart, without the index's lock, then adopts it.

The defects this guards against: a batch that held the lock for its whole length (another
writer, a save in the web app, would wait minutes); a record indexed twice or at an older
revision when another process indexed it while the batch was writing; a staged segment that
reads differently from the same records written by Whoosh's own pool; staging folders left
behind."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

import pytest

from indexer.search import SearchIndex, SearchRequest, rebuild_index, staging, store, sync_index
from indexer.search.service import catalogue_documents
from library import Catalogue
from tests.indexer.test_index_segments import _contents, fill


def test_a_batch_spilling_many_runs_reads_exactly_like_records_written_by_saves(
    instance, monkeypatch
):
    # A pool of a few kilobytes spills dozens of runs, each of several marshalled blocks.
    catalogue = Catalogue.in_instance(instance)
    fill(catalogue, 150)
    with SearchIndex.open(instance / "saves", batch_limit=40) as saves:
        sync_index(catalogue, saves)  # paced commits through Whoosh's own pool
        sync_index(catalogue, saves, compact=True)  # merged into one segment
        expected = _contents(saves)
    monkeypatch.setattr(store, "WRITER_MB", 0.02)
    monkeypatch.setattr(staging.TermPool, "BLOCK", 50)
    spills: list[int] = []
    save = staging.TermPool.save

    def counting_save(pool):
        spills.append(sum(len(terms) for terms in pool.fields.values()))
        save(pool)

    monkeypatch.setattr(staging.TermPool, "save", counting_save)
    with SearchIndex.open(instance / "batch", batch_limit=40) as batch:
        sync_index(catalogue, batch, compact=True)
        assert len([n for n in spills if n > 50]) > 5  # runs of several blocks
        assert batch.segment_count() == 1
        assert _contents(batch) == expected
        assert batch.search(SearchRequest(q="médiation")).total == 150
    catalogue.close()


def test_another_writer_is_not_kept_waiting_while_a_batch_writes(instance):
    catalogue = Catalogue.in_instance(instance)
    ids = fill(catalogue, 60)
    documents = catalogue_documents(catalogue)
    saved: list[int] = []
    other = SearchIndex.open(instance / "index", write_timeout=0.5)

    def writing(part):
        # While the batch builds and writes its documents, the index is free: a save in the
        # web app goes through at once.
        lock = other._require_ix().lock("WRITELOCK")  # noqa: SLF001 - what the test is about
        assert lock.acquire(blocking=False)
        lock.release()
        other.write(documents(ids[:1]))
        saved.append(len(part))
        yield from documents(part)

    with SearchIndex.open(instance / "index", batch_limit=10) as index:
        index.sync(catalogue.revisions(), writing, compact=True)
        assert saved == [10] * 6
        assert index.doc_count() == 60 and index.duplicate_ids() == []
    other.close()
    catalogue.close()


def test_the_newer_revision_stays_when_another_process_indexed_a_record_meanwhile(instance):
    catalogue = Catalogue.in_instance(instance)
    ids = fill(catalogue, 40)
    first, later = ids[0], ids[-1]  # built by the batch before and after the change
    first_revision = catalogue.get(first).rev
    other = SearchIndex.open(instance / "index")

    def meanwhile(count: int) -> None:
        if count and not other.doc_count():
            sync_index(catalogue, other)  # every record at its first revision, elsewhere
            for record_id in (first, later):
                record = catalogue.get(record_id)
                catalogue.save(record, text="médiation rénovée")

    with SearchIndex.open(instance / "index", batch_limit=10) as index:
        sync_index(catalogue, index, compact=True, progress=meanwhile)
        revisions = index.indexed_revisions()
        assert index.doc_count() == 40 and index.duplicate_ids() == []
        # the batch built `later` after its change: its copy is newer and replaces the other's
        assert revisions[later] == catalogue.get(later).rev
        # both copies of `first` are of its first revision: the other process's one stays,
        # and the next sync brings it up to date
        assert revisions[first] == first_revision != catalogue.get(first).rev
        sync_index(catalogue, index, compact=True)
        assert index.indexed_revisions() == {
            i: rev for i, (rev, _deleted) in catalogue.revisions().items()
        }
        assert index.search(SearchRequest(q="rénovée")).total == 2
    other.close()
    catalogue.close()


def test_a_batch_that_fails_leaves_the_index_as_it_was_and_no_staging_folder(instance):
    catalogue = Catalogue.in_instance(instance)
    fill(catalogue, 30)
    with SearchIndex.open(instance / "index") as index:
        sync_index(catalogue, index, compact=True)
        before = _contents(index)
        fill(catalogue, 30, start=100)
        documents = catalogue_documents(catalogue)

        def failing(ids):
            yield from documents(ids[:5])
            raise RuntimeError("disk full")

        with pytest.raises(RuntimeError):
            index.sync(catalogue.revisions(), failing, compact=True)
        assert _contents(index) == before
        assert list((instance / "index" / staging.STAGING).iterdir()) == []
        assert sync_index(catalogue, index, compact=True).indexed == 30  # lock released
        assert index.doc_count() == 60 and index.duplicate_ids() == []
    catalogue.close()


def test_a_staging_folder_left_by_a_dead_process_is_removed_one_in_use_is_kept(instance):
    catalogue = Catalogue.in_instance(instance)
    fill(catalogue, 5)
    parent = instance / "index" / staging.STAGING
    dead, alive = parent / "batch-dead", parent / "batch-alive"
    for folder in (dead, alive):
        folder.mkdir(parents=True)
        (folder / "MAIN_x.seg").write_bytes(b"half a segment")
        (folder / ".lock").touch()
        old = time.time() - 3600
        os.utime(folder, (old, old))
    with open(alive / ".lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # its process is still writing
        with SearchIndex.open(instance / "index") as index:
            assert not dead.exists() and alive.exists()
            sync_index(catalogue, index, compact=True)
            assert alive.exists()
            rebuild_index(catalogue, index)
            assert index.doc_count() == 5 and index.segment_count() == 1
    catalogue.close()


def _reader_contents(reader) -> dict[str, object]:
    """Everything a query reads from a one-segment index, down to each posting's bytes."""
    postings = {}
    for field, term in reader.all_terms():
        matcher = reader.postings(field, term)
        found = []
        while matcher.is_active():
            found.append((matcher.id(), matcher.weight(), matcher.value()))
            matcher.next()
        info = reader.term_info(field, term)
        postings[(field, term)] = (
            found,
            info.doc_frequency(),
            info.weight(),
            info.max_weight(),
            info.min_length(),
            info.max_length(),
            info.min_id(),
            info.max_id(),
        )
    fields = ("title", "meta", "body", "spell", "id", "lang")
    return {
        "postings": postings,
        "lengths": {
            (n, f): reader.doc_field_length(n, f) for n in range(reader.doc_count()) for f in fields
        },
        "totals": {f: reader.field_length(f) for f in fields},
        "extremes": {
            f: (reader.min_field_length(f), reader.max_field_length(f))
            for f in ("title", "meta", "body")
        },
        "stored": [reader.stored_fields(n) for n in range(reader.doc_count())],
    }


def test_the_batch_writer_writes_what_whooshs_own_writer_writes(tmp_path, monkeypatch):
    """Random documents (repeated words, accents, empty and long fields, boosts going
    Whoosh's own way) through both writers: the same postings, positions, weights, lengths
    and stored rows."""
    from random import Random

    from whoosh import index as whoosh_index

    rng = Random(16)
    words = ["médiat", "quarti", "logement", "ville", "été", "œuvr", "a", "x1", "日本", "n\u00a0b"]

    def terms(most: int) -> str:
        count = rng.choice([0, 1, 2, 5, 40, most])
        return (" " * rng.randint(1, 3)).join(rng.choice(words) for _ in range(count))

    documents = []
    for n in range(300):
        fields = {
            "id": str(n),
            "title": terms(12),
            "meta": terms(300),
            "body": terms(3000),
            "spell": terms(30),
            "lang": rng.choice(["fr", "en"]),
            "data": (n, rng.randint(1990, 2020), ("x",)),
        }
        if n % 37 == 0:
            fields["_boost"] = 2.0
        if n % 41 == 0:
            fields["_title_boost"] = 3.0
        if n % 43 == 0:
            del fields["meta"]
        documents.append(fields)

    def written(folder, writer_of) -> dict[str, object]:
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), store._schema())
        writer = writer_of(ix)
        writer.compound = False  # its files one by one (a compound file holds their times)
        for fields in documents:
            writer.add_document(**fields)
        writer.commit(merge=False)
        with ix.reader() as reader:
            return _reader_contents(reader) | {"files": _segment_files(ix)}

    whooshs = written(tmp_path / "whoosh", lambda ix: ix.writer(codec=store._Codec()))
    runs: list[int] = []
    save = staging.TermPool.save
    monkeypatch.setattr(staging.TermPool, "save", lambda pool: runs.append(1) or save(pool))
    ours = written(
        tmp_path / "batch", lambda ix: staging.BatchWriter(ix, limitmb=0.05, codec=store._Codec())
    )
    assert ours == whooshs
    assert len(runs) > 3  # its pool spilled runs, merged term by term
    assert {name.rsplit(".", 1)[1] for name in whooshs["files"]} >= {"trm", "pst"}
    assert any((length or 0) > 1000 for length in whooshs["lengths"].values())  # rounded


def _segment_files(ix) -> dict[str, bytes]:
    """The bytes of the only segment's files, its random name left out."""
    (segment,) = ix._segments()
    name = segment.segment_id().encode()
    folder = Path(ix.storage.folder)
    return {
        path.name.replace(segment.segment_id(), "SEGMENT"): path.read_bytes().replace(
            name, b"SEGMENT"
        )
        for path in sorted(folder.iterdir())
        if path.name.startswith(segment.segment_id())
    }


@pytest.mark.parametrize("level", [None, 3])
def test_blocks_are_stored_uncompressed_and_read_the_same(tmp_path, level):
    """Whoosh compressed every block, a one-posting block too (larger for it); ours are
    stored plain (inflating them was a tenth of a search's CPU); at a level set on the
    codec, a one-posting block still is; every reader reads them."""
    from whoosh import index as whoosh_index
    from whoosh import query as wq

    codec = store._Codec() if level is None else store._Codec(compression=level)
    ix = whoosh_index.create_in(str(tmp_path), store._schema())
    writer = staging.BatchWriter(ix, limitmb=1, codec=codec)
    for n in range(40):
        body = "quartier ville " * (n % 5 + 1) + ("bele" if n == 7 else "")
        writer.add_document(id=str(n), body=body, lang="fr", data=(n, 2000, ()))
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        single = reader.postings("body", "bele")
        common = reader.postings("body", "quartier")
        assert single._compression == 0 and list(single.all_ids()) == [7]  # noqa: SLF001
        assert common._compression == (level or 0)  # noqa: SLF001
        assert len(list(common.all_ids())) == 40
        assert [
            searcher.stored_fields(d)["id"]
            for d in searcher.docs_for_query(wq.Term("body", "bele"))
        ] == ["7"]
        assert searcher.doc_frequency("body", "quartier") == 40


def test_blocks_are_pickled_with_protocol_4_and_read_as_whoosh_writes_them(tmp_path):
    """A block's data is a protocol-4 pickle (values as bytes, not one `_codecs.encode` call
    each), and every reader gets from it the postings Whoosh's own writer stores."""
    import pickle
    import zlib

    from whoosh import index as whoosh_index
    from whoosh.codec.whoosh3 import W3Codec

    def written(folder, writer_of):
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), store._schema())
        writer = writer_of(ix)
        for n in range(300):  # 'quartier' fills three blocks; positions past 255 and 65535
            body = "quartier ville " * (n % 7 + 1) + "mot " * (n * 230 if n == 299 else n)
            writer.add_document(id=str(n), body=body + " quartier", lang="fr", data=(n, 1, ()))
        writer.commit(merge=False)
        return ix

    ours = written(
        tmp_path / "ours", lambda ix: staging.BatchWriter(ix, limitmb=1, codec=store._Codec())
    )
    stock = written(tmp_path / "stock", lambda ix: ix.writer(codec=W3Codec()))
    with ours.reader() as mine, stock.reader() as theirs:
        terms = list(theirs.all_terms())
        assert terms == list(mine.all_terms())
        for field, text in terms:
            if field != "body":
                continue
            a, b = mine.postings(field, text), theirs.postings(field, text)
            assert list(a.items_as("positions")) == list(b.items_as("positions")), text
            assert list(a.items_as("weight")) == list(b.items_as("weight")), text
        leaf = mine.postings("body", b"quartier")
        assert leaf._blocklength == 128  # noqa: SLF001 (a full block: compressed)
        postfile, offset = leaf._postfile, leaf._baseoffset  # noqa: SLF001
        size = abs(postfile.get_int(offset))
        block = postfile.get(offset + 4, size)
        header = pickle.loads(block)
        data = block[len(pickle.dumps(header, 2)) :]
        raw = zlib.decompress(data) if header[3] else data
        assert raw[:2] == b"\x80\x04"
        assert b"_codecs" not in raw
