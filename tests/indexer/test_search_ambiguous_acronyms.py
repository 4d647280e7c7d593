"""An acronym the vocabulary gives two meanings (CLS: « contrat local de sécurité » and
« contrat local de santé »): typed, it finds the documents of both; an expansion typed finds
its own documents, and not those that only write the acronym, which may mean the other."""

from __future__ import annotations

import pytest

from indexer.search import Finder, SearchIndex, SearchRequest, sync_index
from library import Catalogue, DocType, Record

from .vocabulary_fund import finder_over

DOCUMENTS = [
    ("Contrat local de santé de Fort-de-France", "Les priorités de santé de la ville."),
    ("Le contrat local de sécurité du Lamentin", "La police municipale et les bailleurs."),
    ("Bilan annuel du CLS", "Le CLS a réuni la police, la justice et les bailleurs."),
]


@pytest.fixture
def finder(instance):
    equivalences = [
        ("CLS", "contrat local de sécurité"),
        ("CUCS", "contrat urbain de cohésion sociale"),
        ("CLS", "contrat local de santé"),
    ]
    with finder_over(instance, DOCUMENTS, equivalences, year=2012) as found:
        yield found


def titles(finder: Finder, q: str) -> set[str]:
    hits = finder.search(SearchRequest(q=q, per_page=50)).hits
    return {h.title for h in hits if not h.partial}  # not those holding part of the words


def test_the_acronym_finds_the_documents_of_each_of_its_meanings(finder):
    assert titles(finder, "CLS") == {title for title, _ in DOCUMENTS}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("contrat local de santé", "Contrat local de santé de Fort-de-France"),
        ("contrat local de sécurité", "Le contrat local de sécurité du Lamentin"),
    ],
)
def test_an_expansion_does_not_bring_the_acronym_of_the_other_meaning(finder, q, expected):
    assert titles(finder, q) == {expected}


def test_the_packaged_vocabulary_reads_cls_as_the_health_contract_too(instance):
    from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary

    catalogue = Catalogue.in_instance(instance)
    for title, text in DOCUMENTS:
        catalogue.add(Record(title=title, year=2012, doc_type=DocType.RAPPORT), text=text)
    vocabulary = load_vocabulary(PACKAGED_VOCABULARY)
    index = SearchIndex.open(instance / "index")
    index.set_equivalences(vocabulary.equivalences(), vocabulary.related())
    sync_index(catalogue, index)
    try:
        assert "Contrat local de santé de Fort-de-France" in titles(Finder(catalogue, index), "CLS")
    finally:
        index.close()
        catalogue.close()
