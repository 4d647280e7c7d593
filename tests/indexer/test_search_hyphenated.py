"""A hyphenated word of a longer expression ("centre médico-psychologique", "plan
climat-énergie territorial") spells the vocabulary's expression as its words typed apart would:
the full name finds the documents that only give the acronym."""

from __future__ import annotations

import pytest

from indexer.search import Finder, SearchRequest

from .vocabulary_fund import finder_over

DOCUMENTS = [
    ("Le CMP de Fort-de-France", "Le CMP reçoit les adultes du secteur."),
    ("Le PCET de la CACEM", "Adopté par la communauté en 2012."),
    ("Le centre social du quartier", "Un centre ouvert aux familles."),
]


@pytest.fixture
def finder(instance):
    equivalences = [
        ("CMP", "centre médico-psychologique"),
        ("PCET", "plan climat-énergie territorial"),
    ]
    with finder_over(instance, DOCUMENTS, equivalences) as found:
        yield found


def titles(finder: Finder, q: str) -> list[str]:
    hits = finder.search(SearchRequest(q=q, per_page=50)).hits
    return [h.title for h in hits if not h.partial]  # not those holding part of the words


@pytest.mark.parametrize(
    ("full_name", "acronym", "title"),
    [
        ("centre médico-psychologique", "CMP", "Le CMP de Fort-de-France"),
        ("plan climat-énergie territorial", "PCET", "Le PCET de la CACEM"),
    ],
)
def test_a_full_name_with_a_hyphenated_word_finds_the_acronym(finder, full_name, acronym, title):
    assert titles(finder, full_name) == titles(finder, acronym) == [title]
