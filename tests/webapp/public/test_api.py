"""The JSON API as a partner site or a script uses it: the page's parameters, stable shapes,
French analysis, clear errors."""

from __future__ import annotations

import pytest

from .fund import HOSTILE, build_fund, make_app

HIT_KEYS = {
    "id",
    "title",
    "authors",
    "year",
    "type",
    "support",
    "language",
    "themes",
    "snippet",
    "highlights",
    "score",
    "availability",
    "call_number",
    "partial",
    "matched_keywords",
    "url",
    "api_url",
}
FACET_KEYS = {"theme", "type", "support", "year", "language", "author", "available", "decade"}


def search(client, **params):  # type: ignore[no-untyped-def]
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def titles(client, q: str, **params) -> set[str]:  # type: ignore[no-untyped-def]
    hits = search(client, q=q, per_page=50, **params)["hits"]
    return {h["title"] for h in hits if not h["partial"]}  # not those holding part of the words


def test_search_has_the_cli_shape_plus_paging_timing_and_suggestion(client) -> None:
    data = search(client, q="quartier", per_page=3)
    assert {"total", "hits", "facets", "page", "per_page", "took_ms", "suggestion"} <= set(data)
    assert (data["page"], data["per_page"], len(data["hits"])) == (1, 3, 3)
    assert data["total"] > 3 and data["pages"] == -(-data["total"] // 3)
    assert isinstance(data["took_ms"], float) and data["relaxed"] is False
    assert set(data["hits"][0]) == HIT_KEYS
    assert set(data["facets"]) == FACET_KEYS
    assert set(data["facets"]["theme"][0]) >= {"value", "label", "count"}


def test_hits_carry_themes_as_slugs_best_first_and_links(client, fund) -> None:
    hit = search(client, q="contrat urbain de cohésion sociale")["hits"][0]
    assert hit["id"] == fund.ids["cucs"] and hit["themes"] == ["evaluation", "observation"]
    assert hit["url"] == f"http://localhost/notice/{hit['id']}"
    assert hit["api_url"] == f"http://localhost/api/records/{hit['id']}"
    start, end = hit["highlights"][0]
    # the expansion of CUCS is marked too: the vocabulary says they are the same
    assert hit["snippet"][start:end].lower() in {"contrat", "urbain", "cohésion", "sociale", "cucs"}


def test_facets_have_french_labels_and_decades(client) -> None:
    facets = search(client)["facets"]
    labels = {f["value"]: f["label"] for f in facets["theme"]}
    assert labels["logement"] == "Logement et habitat"
    assert {f["value"]: f["label"] for f in facets["support"]} == {
        "electronique": "Électronique",
        "papier": "Papier",
    }
    decades = {f["value"]: f["count"] for f in facets["decade"]}
    assert decades == {"2010-2019": 6, "2000-2009": 6}
    assert decades["2000-2009"] == search(client, year="2000-2009")["total"]


def test_links_give_the_same_state_on_the_page_and_the_next_page(client) -> None:
    data = search(client, q="quartier", theme="logement", per_page=1)
    assert data["links"]["html"] == "http://localhost/?q=quartier&theme=logement&per_page=1"
    assert (
        data["links"]["self"] == "http://localhost/api/search?q=quartier&theme=logement&per_page=1"
    )
    assert data["links"]["prev"] is None
    if data["total"] > 1:
        assert data["links"]["next"].endswith("&page=2")


def test_the_query_is_echoed_as_understood(client) -> None:
    data = search(client, q="logement", theme="logement,jeunesse", year="2000 – 2009", page="-1")
    assert data["query"] == {
        "q": "logement",
        "theme": ["logement", "jeunesse"],
        "type": [],
        "support": [],
        "year": ["2000-2009"],
        "lang": [],
        "author": [],
        "available": [],
        "sort": "relevance",
        "page": 1,
        "per_page": 20,
    }
    assert "« page » ramené à 1 (entre 1 et 1000)." in data["messages"]


# -- French analysis, through the API -------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["évaluation", "Evaluations", "EVALUATION", "évaluations", "ÉVALUÉE"]
)
def test_accents_case_and_plurals_do_not_matter(client, query) -> None:
    assert {
        "Évaluation du contrat urbain de cohésion sociale de Fort-de-France",
        "EVALUATIONS des politiques locales de santé",
    } <= titles(client, query)


@pytest.mark.parametrize("query", ["quartier", "quartiers", "QUARTIERS"])
def test_singular_and_plural_find_the_same_documents(client, query) -> None:
    assert titles(client, query) == titles(client, "quartier")


@pytest.mark.parametrize(
    "query",
    ["ZFU", "zfu", "zones franches urbaines", "zone franche urbaine", '"zones franches urbaines"'],
)
def test_an_acronym_and_its_expansion_find_each_other(client, query) -> None:
    assert titles(client, query) == {
        "Les zones franches urbaines et l'emploi",
        "Bilan de la ZFU du Lamentin",
    }


def test_a_phrase_needs_its_words_together(client) -> None:
    assert titles(client, '"contrat de ville"') == {
        "Évaluation du contrat urbain de cohésion sociale de Fort-de-France"
    }
    assert titles(client, '"ville contrat"') == set()


def test_ou_accepts_either_word(client) -> None:
    either = titles(client, "médiation OU youth")
    assert either == {
        "Guide de la médiation sociale",
        "Youth employment in Caribbean neighbourhoods",
    }
    assert titles(client, "médiation | youth") == either


def test_a_minus_excludes_a_word(client) -> None:
    assert "Le logement social à Fort-de-France" in titles(client, "logement")
    found = titles(client, "logement -social")
    assert (
        "Le logement privé dégradé" in found and "Le logement social à Fort-de-France" not in found
    )


def test_a_prefix_finds_words_that_start_with_it(client) -> None:
    assert "Les jeunes des quartiers et la jeunesse" in titles(client, "jeun*")
    assert titles(client, "médiat*") == {"Guide de la médiation sociale"}


def test_every_word_is_required_and_relaxed_when_none_has_all(client) -> None:
    assert search(client, q="logement privé")["relaxed"] is False
    data = search(client, q="logement youth")
    assert data["relaxed"] is True and data["total"] >= 4


def test_a_misspelling_gets_a_suggestion_and_its_results(client) -> None:
    data = search(client, q="mediatoin")
    assert data["suggestion"] == "médiation" and data["corrected"] is True
    assert data["total"] == search(client, q="médiation")["total"] > 0


def test_a_typo_is_corrected_before_any_word_of_the_query_is_searched_alone(client) -> None:
    data = search(client, q="médiatoin sociale")
    assert data["corrected"] is True and data["relaxed"] is False
    assert data["suggestion"] == "médiation sociale"
    assert data["total"] == search(client, q="médiation sociale")["total"]


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"per_page": "beaucoup"},
        {"sort": "hasard"},
        {"theme": "astrologie"},
        {"type": "roman"},
        {"support": "cd-rom"},
        {"available": "perdu"},
        {"year": "an 2000"},
        {"lang": "français"},
    ],
)
def test_invalid_parameters_are_a_400_with_a_french_reason(client, params) -> None:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400
    data = response.get_json()
    assert data["error"] == "Paramètres de recherche invalides." and data["status"] == 400
    (problem,) = data["problems"]
    assert problem["param"] == next(iter(params)) and problem["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_out_of_range_numbers_are_clamped(client) -> None:
    data = search(client, page=-1, per_page=100000)
    assert (data["page"], data["per_page"]) == (1, 100)
    assert len(data["messages"]) == 2


def test_per_page_is_clamped_to_the_configured_maximum(fund) -> None:
    small = make_app(fund.root, SEARCH_MAX_PER_PAGE=5).test_client()
    data = small.get("/api/search?per_page=100000").get_json()
    assert data["per_page"] == 5 and len(data["hits"]) == 5


@pytest.mark.parametrize(
    "query",
    [
        '"contrat de',
        "*",
        "-",
        "- *",
        "OU",
        "a" * 10_000,
        "<script>alert(1)</script>",
        "\x00",
        "%FF",
        "é" * 600,
        "jeu* OU",
        '-"',
    ],
)
def test_odd_queries_give_results_or_a_message_never_an_error(client, query) -> None:
    data = search(client, q=query)
    assert isinstance(data["total"], int)


def test_undecodable_bytes_in_the_query_are_searched_not_refused(client) -> None:
    response = client.get("/api/search?q=%FF%FEquartier")
    assert response.status_code == 200 and response.is_json
    data = response.get_json()
    assert isinstance(data["total"], int) and "quartier" in data["query"]["q"]


def test_undecodable_bytes_in_a_filter_are_an_unknown_value_refused_with_400(client) -> None:
    response = client.get("/api/search?q=quartier&theme=%C3")
    assert response.status_code == 400 and response.is_json
    problems = response.get_json()["problems"]
    assert [p["param"] for p in problems] == ["theme"]
    assert "Valeur inconnue pour « thématique »" in problems[0]["message"]


def test_a_too_long_query_says_so(client) -> None:
    messages = search(client, q="quartier " * 1000)["messages"]
    assert any("Requête trop longue" in m for m in messages)


def test_an_unbalanced_quote_says_so(client) -> None:
    assert (
        "Guillemet non fermé : il a été ignoré."
        in search(client, q='"contrat de ville')["messages"]
    )


def test_catalogue_text_comes_back_as_data(client) -> None:
    hit = search(client, q="balises")["hits"][0]
    assert hit["title"] == HOSTILE
    response = client.get("/api/search?q=balises")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# -- one record ------------------------------------------------------------------------------


def test_a_record_comes_with_every_field_and_its_links(client, fund) -> None:
    record_id = fund.ids["cucs"]
    response = client.get(f"/api/records/{record_id}")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = response.get_json()
    assert data["title"].startswith("Évaluation du contrat urbain")
    assert data["authors"][0] == {
        "name": "Joseph-Angélique, Marie",
        "kind": "person",
        "role": "author",
    }
    assert [t["slug"] for t in data["themes"]] == ["evaluation", "observation"]
    assert data["themes"][0]["evidence"]["passages"][0]["page"] == 3
    assert data["links"] == {
        "html": f"http://localhost/notice/{record_id}",
        "api": f"http://localhost/api/records/{record_id}",
        "file": f"http://localhost/notice/{record_id}/fichier",
        "ris": f"http://localhost/export?format=ris&ids={record_id}",
        "bibtex": f"http://localhost/export?format=bibtex&ids={record_id}",
    }


def test_a_paper_record_lists_its_copies(client, fund) -> None:
    data = client.get(f"/api/records/{fund.ids['mediation']}").get_json()
    assert [(c["call_number"], c["location"], c["status"]) for c in data["copies"]] == [
        ("303.6 MED", "Salle de lecture", "available"),
        ("303.6 MED", "Réserve", "available"),
    ]
    assert data["links"]["file"] is None


def test_unknown_and_withdrawn_records(client, fund) -> None:
    missing = client.get("/api/records/99999")
    assert missing.status_code == 404 and missing.get_json()["error"] == "Notice introuvable."
    gone = client.get(f"/api/records/{fund.ids['withdrawn']}")
    assert gone.status_code == 410 and gone.get_json()["deleted"] is True
    assert gone.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/records/abc").status_code == 404
    assert client.get("/api/nowhere").get_json()["status"] == 404


def test_links_use_the_public_address_when_configured(tmp_path) -> None:
    fund = build_fund(tmp_path / "instance")
    proxied = make_app(fund.root, BASE_URL="https://crpv.example.org/").test_client()
    data = proxied.get("/api/search?q=ZFU").get_json()
    assert data["hits"][0]["url"].startswith("https://crpv.example.org/notice/")
    assert data["links"]["self"] == "https://crpv.example.org/api/search?q=ZFU"


def test_the_api_is_read_only(client) -> None:
    assert client.post("/api/search").status_code == 405
    assert client.delete("/api/records/1").status_code == 405


def test_availability_follows_loans_and_copy_changes_at_once(tmp_path) -> None:
    """GIVEN a paper record on the shelf WHEN its copy is lent, returned, then reported
    missing THEN the next search shows each state (the cached availability is never stale)."""
    from datetime import date

    from library import Catalogue, CopyStatus
    from library.loans import Loans

    fund = build_fund(tmp_path / "instance")
    client = make_app(fund.root).test_client()

    def states() -> list[str]:
        data = client.get("/api/search?q=médiation").get_json()
        return data["hits"][0]["availability"]

    assert states() == ["en-rayon"]
    with Catalogue.in_instance(fund.root) as catalogue:
        loans = Loans(catalogue)
        borrower = loans.add_borrower("Marie Lemoine")
        loans.check_out("CRPV000001", borrower.id, today=date(2013, 5, 2))
    assert states() == ["en-rayon", "en-pret"]  # the second copy is still on the shelf
    with Catalogue.in_instance(fund.root) as catalogue:
        Loans(catalogue).check_out("CRPV000002", borrower.id, today=date(2013, 5, 2))
    assert states() == ["en-pret"]
    on_loan = client.get("/api/search?available=en-pret").get_json()
    assert [h["title"] for h in on_loan["hits"]] == ["Guide de la médiation sociale"]
    with Catalogue.in_instance(fund.root) as catalogue:
        Loans(catalogue).check_in("CRPV000001", today=date(2013, 5, 3))
        Loans(catalogue).check_in("CRPV000002", today=date(2013, 5, 3))
    assert states() == ["en-rayon"]
    with Catalogue.in_instance(fund.root) as catalogue:
        for copy in catalogue.get(fund.ids["mediation"]).copies:
            catalogue.update_copy(
                copy.id,
                call_number=copy.call_number,
                location=copy.location,
                status=CopyStatus.MISSING,
            )
    assert states() == []
