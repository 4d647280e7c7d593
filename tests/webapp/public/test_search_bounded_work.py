"""No anonymous request costs more than a bounded amount of work, whatever is typed.

The defect this guards against: a 499-character query of 24 prefixes OR'ed with 7 facet
filters found nothing, and the zero-result help then ran 10 to 18 more full searches (1.6 to
4 s a page; six such requests held an ordinary search for 17 s). Work is counted here (index
searches per request, passes over the postings, terms a prefix expands to, words looked up for
a correction); the time it takes is measured by `make bench`, not asserted."""

from __future__ import annotations

from itertools import pairwise
from urllib.parse import quote, urlencode

import pytest

from indexer.search import SearchIndex
from indexer.search.compiler import MAX_QUERY_SCAN, MAX_QUERY_TERMS
from indexer.search.engine import MAX_CORRECTIONS

PREFIXES = [
    "qua", "pol", "éva", "con", "coh", "urb", "emp", "log", "ent", "rec", "bil", "hab",
    "rén", "pro", "soc", "ter", "mai", "édu", "jeu", "séc", "pré", "méd", "san", "cul",
]  # fmt: skip
COMMON = (
    "quartier politique ville contrat social habitants jeunes emploi logement projet "
    "rénovation urbaine cohésion prioritaire santé école association sécurité prévention "
    "médiation insertion formation culture centre famille"
).split()
# 24 short prefixes (hundreds of expansions each) OR'ed, then an expression up to 499 characters
_PREFIXES = " OU ".join(f"{p}*" for p in PREFIXES)
WORST = (_PREFIXES + ' "' + ("la politique de la ville en quartier prioritaire " * 8))[:498] + '"'
SEVEN_FILTERS = {
    "theme": "sante",
    "type": "rapport",
    "support": "papier",
    "year": "1990-1999",
    "lang": "en",
    "author": "Ville du Lamentin",
    "available": "en-pret",
}
HOSTILE_URLS = [
    "/?" + urlencode({"q": WORST, **SEVEN_FILTERS}),
    "/?" + urlencode({"q": WORST}),  # no document holds the expression: any prefix, ranked
    "/?" + urlencode({"q": "quartier " * 1_250}),  # 10,000 characters
    "/?" + urlencode({"q": " ".join(f"mot{n}" for n in range(1_000))}),
    "/?" + urlencode({"q": " ".join(f"zz{n:03d}qq" for n in range(1_000))}),  # 1,000 unknown
    "/?q=*",
    "/?q=title%3Aquartier+body%3A%2A+id%3A1",
    "/?q=quar%00tier",
    "/?q=%FF%FE%C3",
    "/?q=quartier&page=99999999999999999999",
    "/?" + "&".join(["q=quartier"] * 300 + ["theme=sante"] * 300 + ["page=2"] * 50),
    '/?q="unbalanced+quartier',
    "/?q=" + quote(" OU ".join(["ren*"] * 60)),
    # 24 phrases of common words OR'ed: most documents are candidates of most of them
    "/?" + urlencode({"q": " OU ".join(f'"{a} {b}"' for a, b in pairwise(COMMON))}),
]


@pytest.fixture
def runs(monkeypatch):  # type: ignore[no-untyped-def]
    """Every search the index runs, with its page (its `work` counts what it cost)."""
    pages = []
    original = SearchIndex._run

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        page = original(self, *args, **kwargs)
        pages.append(page)
        return page

    monkeypatch.setattr(SearchIndex, "_run", counting)
    return pages


def assert_bounded(page) -> None:  # type: ignore[no-untyped-def]
    work = page.work
    assert work.searches <= 4  # the query, its corrected and any-word forms, the exclusions
    assert work.terms <= 2 * MAX_QUERY_TERMS  # the query and its any-word form
    assert work.scanned <= 2 * MAX_QUERY_SCAN + 3 * 8
    assert work.corrections <= MAX_CORRECTIONS


def test_the_worst_query_with_seven_filters_runs_one_bounded_search(client, runs) -> None:
    assert len(WORST) == 499 and WORST.count("*") == 24
    response = client.get("/?" + urlencode({"q": WORST, **SEVEN_FILTERS}))
    assert response.status_code == 200
    assert "Aucun document ne correspond" in response.get_data(as_text=True)
    assert len(runs) == 1  # the zero-result help came with the page: no search of its own
    assert runs[0].total == 0 and runs[0].empty_help is not None
    assert_bounded(runs[0])
    assert runs[0].work.terms <= MAX_QUERY_TERMS  # 24 prefixes share one budget


def test_a_prefix_repeated_or_many_prefixes_share_one_budget(client, runs) -> None:
    client.get("/api/search?" + urlencode({"q": " OU ".join(["qua*", "pol*", "con*"] * 8)}))
    assert len(runs) == 1 and runs[0].work.terms <= MAX_QUERY_TERMS


@pytest.mark.parametrize("url", HOSTILE_URLS, ids=range(len(HOSTILE_URLS)))
def test_hostile_requests_answer_without_error_in_one_bounded_search(client, runs, url) -> None:
    for target in (url, url.replace("/?", "/api/search?", 1)):
        runs.clear()
        response = client.get(target)
        assert response.status_code in (200, 400), (target, response.status_code)
        assert len(runs) <= 1
        for page in runs:
            assert_bounded(page)


def test_a_word_typed_a_thousand_times_costs_what_it_costs_once(client, runs) -> None:
    # « quartier » 1,250 times (10,000 characters, cut to 500) was 55 clauses cut to 24, each
    # scored in every field: half a second at 20,000 documents, for one word
    client.get("/api/search?" + urlencode({"q": "quartier " * 1_250}))
    client.get("/api/search?" + urlencode({"q": "quartier"}))
    repeated, once = runs
    assert [(h.id, h.score) for h in repeated.hits] == [(h.id, h.score) for h in once.hits]


def test_unknown_words_are_named_without_searching_each_one(client, runs) -> None:
    words = " ".join(f"zz{n:03d}qq" for n in range(30))
    html = client.get("/?" + urlencode({"q": words})).get_data(as_text=True)
    assert "Aucun document du fonds ne contient « zz000qq »" in html
    assert len(runs) == 1
    assert runs[0].work.searches == 2  # every word, then any word: nothing per word
    assert runs[0].work.corrections <= MAX_CORRECTIONS
