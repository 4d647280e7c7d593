"""A few reports catalogued and indexed with a vocabulary's acronyms and related expressions
given by hand: what the tests of expansions and relations search."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from indexer.search import Finder, SearchIndex, sync_index
from library import Catalogue, DocType, Record


@contextmanager
def finder_over(
    root: Path,
    documents: Sequence[tuple[str, str]],
    equivalences: Sequence[Sequence[str]],
    related: Sequence[Sequence[str]] = (),
    *,
    year: int = 2010,
) -> Iterator[Finder]:
    """documents: (title, text) of reports of `year`, catalogued and indexed under root."""
    catalogue = Catalogue.in_instance(root)
    for title, text in documents:
        catalogue.add(Record(title=title, year=year, doc_type=DocType.RAPPORT), text=text)
    index = SearchIndex.open(root / "index")
    index.set_equivalences(equivalences, related)
    sync_index(catalogue, index)
    try:
        yield Finder(catalogue, index)
    finally:
        index.close()
        catalogue.close()
