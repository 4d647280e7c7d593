"""A small French fund whose documents are named by keys, and a search that answers the keys of
its hits in order: what the ranking tests compare."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from indexer.search import SearchIndex, SearchRequest, sync_index
from library import Catalogue, Record


@contextmanager
def keyed_search(
    root: Path, documents: Mapping[str, tuple[str, str]]
) -> Iterator[Callable[[str], list[str]]]:
    """documents: key -> (title, text), catalogued in French and indexed under root."""
    keys = {}
    with Catalogue.in_instance(root) as catalogue:
        for key, (title, text) in documents.items():
            keys[catalogue.add(Record(title=title, language="fr"), text=text).id] = key
        index = SearchIndex.open(root / "index")
        sync_index(catalogue, index)

    def run(q: str) -> list[str]:
        # the documents that hold the query, not those that follow holding part of its words
        return [keys[h.id] for h in index.search(SearchRequest(q=q)).hits if not h.partial]

    try:
        yield run
    finally:
        index.close()
