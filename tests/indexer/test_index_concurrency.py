"""Two processes write the catalogue and the index at the same time: nothing is lost."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from indexer.search import Finder, SearchIndex, SearchRequest
from library import Catalogue

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from indexer.search import SearchIndex, sync_index
    from library import Catalogue, Record

    instance, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    catalogue = Catalogue.in_instance(instance)
    index = SearchIndex.open(instance / "index", write_timeout=60)
    for n in range(count):
        catalogue.add(Record(title=f"{name} notice {n}"), text=f"texte {name} numéro {n}")
        if n % 5 == 4:
            sync_index(catalogue, index, batch_seconds=0.05)
    sync_index(catalogue, index)
    index.close()
    catalogue.close()
    """
)


@pytest.mark.slow
def test_two_writers_at_once_lose_no_update(instance):
    # GIVEN an empty instance
    # WHEN two processes add and index 60 records each, concurrently
    Catalogue.in_instance(instance).close()
    SearchIndex.open(instance / "index").close()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(instance), name, "60"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in ("alpha", "beta")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=240)
        assert writer.returncode == 0, err.decode()
    # THEN every record of both is in the catalogue and found in the index, once
    with (
        Catalogue.in_instance(instance) as catalogue,
        SearchIndex.open(instance / "index") as index,
    ):
        assert catalogue.count() == 120
        assert index.indexed_revisions() == {
            i: rev for i, (rev, _) in catalogue.revisions().items()
        }
        assert index.duplicate_ids() == []
        finder = Finder(catalogue, index)
        assert finder.search(SearchRequest(q="alpha")).total == 60
        assert finder.search(SearchRequest(q="beta")).total == 60
