"""A query of several words ranks first the documents where the words stand together, in order
(in the title, the notice or the text), before those that only hold them apart."""

from __future__ import annotations

import pytest

from .keyed_fund import keyed_search

DOCUMENTS = {
    "together": ("Note de travail n° 12", "Le contrat de ville du Lamentin a été signé en 2015."),
    "apart": (
        "Note de travail n° 13",
        "La ville a grandi. La ville change, la ville attire. Un contrat de travail, un autre "
        "contrat, chaque contrat compte pour les habitants de la ville.",
    ),
    "reversed": ("Note de travail n° 14", "La ville et son contrat avec l'État, la ville encore."),
    "one-word": ("Note de travail n° 15", "Le contrat de travail des jeunes."),
}


@pytest.fixture(scope="module")
def search(tmp_path_factory):  # type: ignore[no-untyped-def]
    with keyed_search(tmp_path_factory.mktemp("together"), DOCUMENTS) as run:
        yield run


def test_words_standing_together_come_before_the_same_words_apart(search) -> None:
    found = search("contrat ville")
    assert found[0] == "together"
    assert set(found) == {"together", "apart", "reversed"}  # every word still required


def test_the_stop_words_of_a_query_do_not_keep_its_words_apart(search) -> None:
    assert search("contrat de ville")[0] == "together"


def test_a_single_word_query_is_ranked_as_before(search) -> None:
    assert set(search("contrat")) == {"together", "apart", "reversed", "one-word"}


def test_two_words_typed_in_the_other_order_still_stand_together(search) -> None:
    # "ville contrat" (or "social mediation" for « médiation sociale »)
    found = search("ville contrat")
    assert found.index("together") < found.index("apart")
