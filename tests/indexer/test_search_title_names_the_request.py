"""A query of several parts ranks first the documents whose title holds every part (a title that
names the whole request) before those whose title holds one part and whose text holds them all,
more often; the title pass counts the words themselves, not their word family."""

from __future__ import annotations

import pytest

from .keyed_fund import keyed_search

DOCUMENTS = {
    # both words in the title, once each
    "whole": ("Jardins du Lamentin : une médiation", "Compte rendu de la réunion du comité."),
    # one word in the title, both many times in the text, and side by side there
    "half": (
        "Médiation : les actions",
        "La médiation des jardins du bourg, la médiation des jardins du morne : les jardins ont "
        "leur médiation, et la médiation des jardins partagés se multiplie.",
    ),
    # the family of one word (« médiateurs » for « médiation ») in the title, not the word
    "family": ("Jardins : rencontre des médiateurs", "Compte rendu. Une médiation."),
}


@pytest.fixture(scope="module")
def search(tmp_path_factory):  # type: ignore[no-untyped-def]
    with keyed_search(tmp_path_factory.mktemp("title-names"), DOCUMENTS) as run:
        yield run


def test_a_title_holding_every_word_comes_first(search) -> None:
    found = search("médiation jardins")
    assert found[0] == "whole"
    assert set(found) == {"whole", "half", "family"}


def test_a_word_s_family_in_the_title_does_not_name_the_request(search) -> None:
    # "family" holds « jardins » and a relative of « médiation » in its title: no title lift
    from indexer.search import compiler

    with_pass = search("médiation jardins")
    saved = compiler.TITLE_ALL_BOOST
    compiler.TITLE_ALL_BOOST = 0.0
    try:
        without = search("médiation jardins")
    finally:
        compiler.TITLE_ALL_BOOST = saved
    assert with_pass.index("family") >= without.index("family")


def test_the_title_pass_leaves_a_single_word_query_alone(search) -> None:
    from indexer.search import compiler

    before = search("jardins")
    saved = compiler.TITLE_ALL_BOOST
    compiler.TITLE_ALL_BOOST = 0.0
    try:
        assert search("jardins") == before
    finally:
        compiler.TITLE_ALL_BOOST = saved


def test_without_the_title_pass_the_text_s_repetitions_win(search) -> None:
    # the signal is what puts "whole" first: the test above cannot pass by accident
    from indexer.search import compiler

    saved = compiler.TITLE_ALL_BOOST
    compiler.TITLE_ALL_BOOST = 0.0
    try:
        assert search("médiation jardins")[0] != "whole"
    finally:
        compiler.TITLE_ALL_BOOST = saved
