"""A query in English or Spanish finds the French documents on its concept, after the matches in
its own language, and the page says which concept it used."""

from __future__ import annotations

import pytest

from indexer.search import SearchIndex, SearchRequest, sync_index
from indexer.search.concepts import concepts_from
from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary
from library import Catalogue, Record, ThemeAssignment, ThemeSource

RECORDS = {
    "chomage-jeunes": ("Le chômage des jeunes en Martinique", "fr", ("emploi-insertion", "jeunesse")),
    "clauses": ("Les clauses d'insertion dans les marchés publics", "fr", ("emploi-insertion",)),
    "loisirs": ("Les loisirs des adolescents", "fr", ("jeunesse",)),
    "youth-jobs": ("Youth employment in Saint Lucia", "en", ("emploi-insertion", "jeunesse")),
    "violencia": ("Prevención de la violencia en los barrios", "es", ("prevention-delinquance",)),
    "cls": ("Le contrat local de sécurité du Lamentin", "fr", ("prevention-delinquance",)),
    "violence": ("La violence au collège", "fr", ("reussite-educative",)),
}  # fmt: skip


@pytest.fixture(scope="module")
def search(tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("across")
    keys = {}
    with Catalogue.in_instance(root) as catalogue:
        for key, (title, language, themes) in RECORDS.items():
            record = catalogue.add(Record(title=title, language=language), text=title)
            catalogue.set_auto_themes(
                record.id, [ThemeAssignment(s, ThemeSource.AUTO, 0.9) for s in themes]
            )
            keys[record.id] = key
        index = SearchIndex.open(root / "index")
        index.set_concepts(concepts_from(load_vocabulary(PACKAGED_VOCABULARY).themes))
        sync_index(catalogue, index)

    def run(q: str):  # type: ignore[no-untyped-def]
        page = index.search(SearchRequest(q=q))
        return [keys[h.id] for h in page.hits], page

    yield run
    index.close()


def test_an_english_query_finds_french_documents_on_its_concepts_after_its_own(search) -> None:
    found, page = search("youth employment")
    assert found[0] == "youth-jobs"  # the words themselves come first
    assert "chomage-jeunes" in found  # French, on both concepts
    assert "clauses" not in found and "loisirs" not in found  # on one concept only
    assert set(page.concepts) == {"jeunesse", "emploi-insertion"}


def test_a_spanish_word_finds_the_french_documents_on_its_concept(search) -> None:
    found, page = search("violencia")
    assert found == ["violencia", "cls"]  # "La violence au collège" is on another thematic
    assert page.concepts == ("prevention-delinquance",)


def test_a_french_query_is_left_alone(search) -> None:
    found, page = search("chômage")
    assert found == ["chomage-jeunes"] and page.concepts == ()


def test_a_word_both_french_and_english_that_finds_french_documents_is_taken_as_french(
    search,
) -> None:
    found, page = search("violence")  # an English label of crime prevention, and French
    assert found == ["violence"] and page.concepts == ()
