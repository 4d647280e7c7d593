"""Snippets read the text in two steps; a match deep in a long text is still shown."""

from __future__ import annotations

from indexer.search import Finder, SearchIndex, SearchRequest, sync_index
from library import Catalogue, Record


def test_a_match_past_the_head_of_a_long_text_is_still_highlighted(instance) -> None:
    filler = "Le conseil citoyen s'est réuni au centre social. " * 600  # about 30,000 characters
    with Catalogue.in_instance(instance) as catalogue:
        deep = catalogue.add(
            Record(title="Compte rendu des conseils citoyens"),
            text=filler + "La médiation sociale de nuit commence en septembre.",
        )
        early = catalogue.add(
            Record(title="Note", abstract="Sans rapport."), text="La médiation sociale d'abord."
        )
        with SearchIndex.open(instance / "index") as index:
            sync_index(catalogue, index)
            page = Finder(catalogue, index).search(SearchRequest(q="médiation"))
    by_id = {hit.id: hit for hit in page.hits}
    for record in (deep, early):
        hit = by_id[record.id]
        start, end = hit.highlights[0]
        assert hit.snippet[start:end].lower() == "médiation"
    assert by_id[deep.id].snippet.startswith("… ")
