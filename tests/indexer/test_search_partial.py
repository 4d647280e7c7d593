"""Few documents hold every word of a query: those holding some of them follow, flagged."""

from __future__ import annotations

import pytest

from indexer.search import Finder, SearchIndex, SearchRequest, sync_index
from indexer.search.engine import FILL_BELOW
from library import Catalogue, Record

DOCUMENTS = {
    "whole": ("Le conseil local de santé mentale de Fort-de-France", "Installation du conseil."),
    "health": ("Santé mentale et quartiers populaires", "Souffrance psychique des habitants."),
    "council": ("Le conseil local de la jeunesse du Robert", "Trente-deux jeunes élus."),
    "other": ("La médiation sociale dans les transports", "Les correspondants de nuit."),
    "women": ("Les femmes-relais des quartiers", "Médiatrices depuis 1990."),
    "adults": ("Les adultes-relais : bilan d'un dispositif", "Postes financés par l'État."),
}


@pytest.fixture
def finder(tmp_path):  # type: ignore[no-untyped-def]
    keys: dict[int, str] = {}
    with Catalogue.in_instance(tmp_path) as catalogue:
        for key, (title, text) in DOCUMENTS.items():
            keys[catalogue.add(Record(title=title, language="fr"), text=text).id] = key
        index = SearchIndex.open(tmp_path / "index")
        sync_index(catalogue, index)
        found = Finder(catalogue, index)
        found.keys = keys  # type: ignore[attr-defined]
        yield found
        index.close()


def test_the_documents_holding_part_of_the_words_follow_those_holding_all(finder) -> None:
    page = finder.search(SearchRequest(q="conseil local de santé mentale"))
    keys = [finder.keys[h.id] for h in page.hits]
    assert keys[0] == "whole" and not page.hits[0].partial
    # then those with part of the words, flagged; never a document with none of them
    assert set(keys[1:]) == {"health", "council"} and all(h.partial for h in page.hits[1:])
    assert page.complete == 1 and page.total == 3 and not page.relaxed
    data = page.to_json()
    assert data["complete"] == 1 and [h["partial"] for h in data["hits"]] == [False, True, True]


def test_a_query_every_result_holds_whole_has_no_partial_part(finder) -> None:
    page = finder.search(SearchRequest(q="santé mentale"))
    assert page.complete is None and not any(h.partial for h in page.hits)
    assert {finder.keys[h.id] for h in page.hits} == {"whole", "health"}


def test_sorted_by_date_or_title_a_search_lists_only_the_documents_holding_every_word(
    finder,
) -> None:
    for sort in ("newest", "oldest", "title"):
        page = finder.search(SearchRequest(q="conseil local de santé mentale", sort=sort))
        assert [finder.keys[h.id] for h in page.hits] == ["whole"] and page.complete is None


def test_a_page_of_documents_holding_every_word_is_not_filled(tmp_path) -> None:
    with Catalogue.in_instance(tmp_path) as catalogue:
        for n in range(FILL_BELOW):
            catalogue.add(Record(title=f"Atelier santé ville n° {n}", language="fr"))
        catalogue.add(Record(title="La ville durable", language="fr"))
        index = SearchIndex.open(tmp_path / "index")
        sync_index(catalogue, index)
        page = Finder(catalogue, index).search(SearchRequest(q="santé ville", per_page=50))
        index.close()
    assert page.total == FILL_BELOW and page.complete is None
    assert "La ville durable" not in [h.title for h in page.hits]


def test_pages_of_one_continue_the_same_order_through_the_partial_part(finder) -> None:
    q = "conseil local de santé mentale"
    whole = [h.id for h in finder.search(SearchRequest(q=q, per_page=50)).hits]
    paged = [
        h.id for p in (1, 2, 3) for h in finder.search(SearchRequest(q=q, per_page=1, page=p)).hits
    ]
    assert paged == whole and len(whole) == 3
    scores = [h.score for h in finder.search(SearchRequest(q=q, per_page=50)).hits]
    assert scores == sorted(scores, reverse=True)  # the partial part scored below the rest


def test_a_hyphenated_word_few_documents_hold_is_followed_by_those_holding_its_parts(
    finder,
) -> None:
    page = finder.search(SearchRequest(q="femmes-relais"))
    assert [finder.keys[h.id] for h in page.hits] == ["women", "adults"]
    assert page.complete == 1 and page.hits[1].partial
    quoted = finder.search(SearchRequest(q='"femmes relais"'))  # a quoted phrase is meant
    assert [finder.keys[h.id] for h in quoted.hits] == ["women"] and quoted.complete is None


def test_exports_feeds_and_alerts_take_only_the_documents_holding_every_word(finder) -> None:
    """all_ids serves exports, Atom feeds, e-mail alerts and « add the results to the basket »:
    an alert on a precise query must not send every new document that says one of its words."""
    ids = finder.all_ids(SearchRequest(q="conseil local de santé mentale"))
    assert [finder.keys[i] for i in ids] == ["whole"]
    assert [finder.keys[i] for i in finder.all_ids(SearchRequest(q="femmes-relais"))] == ["women"]
