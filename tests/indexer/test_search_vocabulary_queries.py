"""Every expression of the packaged vocabulary, typed as a query, is searched without error:
expressions that share their French stems (« immigrés », « immigration »; « accès au droit »,
« accès aux droits ») are one concept, found by either, and bring their English and Spanish
documents after the French ones."""

from __future__ import annotations

import pytest

from indexer.search import SearchIndex, SearchRequest, sync_index
from indexer.search.concepts import concepts_from
from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary
from indexer.vocabulary.model import iter_terms
from library import Catalogue, Record

RECORDS = {
    "immigration-fr": ("L'immigration haïtienne en Martinique", "fr"),
    "immigrants-en": ("Haitian immigrants in the French Caribbean", "en"),
    "droits-fr": ("L'accès aux droits des étrangers", "fr"),
    "other": ("La médiation sociale", "fr"),
}


@pytest.fixture(scope="module")
def fund(tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("vocabulary-queries")
    vocabulary = load_vocabulary(PACKAGED_VOCABULARY)
    keys = {}
    with Catalogue.in_instance(root) as catalogue:
        for key, (title, language) in RECORDS.items():
            keys[catalogue.add(Record(title=title, language=language), text=title).id] = key
        index = SearchIndex.open(root / "index")
        index.set_equivalences(vocabulary.equivalences(), vocabulary.related())
        index.set_concepts(concepts_from(vocabulary.themes))
        sync_index(catalogue, index)
    yield index, keys, vocabulary
    index.close()


@pytest.mark.parametrize("q", ["immigration", "immigrés", "immigration haïtienne"])
def test_expressions_sharing_their_stems_find_the_french_then_the_english_document(fund, q) -> None:
    index, keys, _ = fund
    page = index.search(SearchRequest(q=q))
    found = [keys[h.id] for h in page.hits if not h.partial]
    assert found == ["immigration-fr", "immigrants-en"]


def test_access_to_rights_written_either_way_is_searched(fund) -> None:
    index, keys, _ = fund
    for q in ("accès aux droits", "accès au droit"):
        assert [keys[h.id] for h in index.search(SearchRequest(q=q)).hits][0] == "droits-fr"


def test_every_expression_of_the_vocabulary_is_a_query_that_runs(fund) -> None:
    index, _, vocabulary = fund
    queries = {term.text for _, term in iter_terms(vocabulary)}
    for theme in vocabulary.themes:
        for french, others in theme.translations:
            queries.update([french, *others])
    assert len(queries) > 1000
    for q in sorted(queries):
        index.search(SearchRequest(q=q))  # raises on the first query the engine cannot run
