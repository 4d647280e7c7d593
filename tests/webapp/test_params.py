"""Reading search parameters from a URL: what users type or paste never breaks the search."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from indexer.search import SearchRequest
from webapp.params import args_for, parse_search_args, request_from_args

THEMES = {"evaluation", "jeunesse", "logement"}


def parse(**args):  # type: ignore[no-untyped-def]
    return parse_search_args(MultiDict(args), theme_slugs=THEMES, per_page=20, max_per_page=100)


def test_empty_args_browse_everything_newest_first() -> None:
    request = request_from_args(MultiDict(), per_page=20)
    assert request == SearchRequest(per_page=20)
    assert request.effective_sort == "newest"


def test_every_parameter_is_read_and_facets_repeat() -> None:
    args = MultiDict(
        [
            ("q", "contrat de ville"),
            ("theme", "evaluation"),
            ("theme", "jeunesse"),
            ("type", "rapport"),
            ("support", "papier"),
            ("year", "2000-2009"),
            ("year", "2012"),
            ("lang", "fr"),
            ("author", "Dupont, Marie"),
            ("available", "en-rayon"),
            ("sort", "oldest"),
            ("page", "3"),
            ("per_page", "50"),
        ]
    )
    parsed = parse_search_args(args, theme_slugs=THEMES, per_page=20, max_per_page=100)
    assert parsed.problems == ()
    assert parsed.request == SearchRequest(
        q="contrat de ville",
        themes=("evaluation", "jeunesse"),
        types=("rapport",),
        supports=("papier",),
        years=("2000-2009", "2012"),
        languages=("fr",),
        authors=("Dupont, Marie",),
        available=("en-rayon",),
        sort="oldest",
        page=3,
        per_page=50,
    )


def test_comma_separated_values_are_accepted_except_for_authors() -> None:
    request = parse(theme="evaluation,logement", author="Dupont, Marie").request
    assert request.themes == ("evaluation", "logement")
    assert request.authors == ("Dupont, Marie",)


def test_unknown_facet_values_are_dropped_with_a_french_reason() -> None:
    parsed = parse(theme="astrologie", type="roman", support="cd", available="perdu", year="demain")
    assert parsed.request == SearchRequest(per_page=20)
    assert {p.param for p in parsed.invalid} == {"theme", "type", "support", "available", "year"}
    assert all("ignorée" in p.message for p in parsed.invalid)


def test_page_and_per_page_are_clamped_not_refused() -> None:
    parsed = parse(page="-1", per_page="100000")
    assert (parsed.request.page, parsed.request.per_page) == (1, 100)
    assert parsed.invalid == ()
    assert {p.kind for p in parsed.problems} == {"clamped"}


def test_a_page_that_is_not_a_number_is_invalid() -> None:
    parsed = parse(page="deux", per_page="1e9")
    assert (parsed.request.page, parsed.request.per_page) == (1, 20)
    assert [p.param for p in parsed.invalid] == ["page", "per_page"]


def test_unknown_sort_falls_back_to_the_default() -> None:
    parsed = parse(q="jeunes", sort="au-hasard")
    assert parsed.request.sort == "" and parsed.request.effective_sort == "relevance"
    assert parsed.invalid[0].param == "sort"


def test_relevance_without_words_browses_newest_first() -> None:
    assert parse(sort="relevance").request.effective_sort == "newest"


def test_year_ranges_are_normalised_and_absurd_ones_dropped() -> None:
    assert parse(year="2009").request.years == ("2009",)
    assert parse(year="2000 – 2009").request.years == ("2000-2009",)
    assert parse(year="2009-2009").request.years == ("2009",)
    assert parse(year="2010-2000").request.years == ()
    assert parse(year="99999").request.years == ()


def test_control_characters_and_undecodable_bytes_are_cleaned() -> None:
    request = parse(q="quar\x00tier\ufffd", lang="FR").request
    assert request.q == "quar tier"
    assert request.languages == ("fr",)


def test_a_huge_query_is_bounded() -> None:
    assert len(parse(q="mot " * 5000).request.q) <= 2000


def test_without_a_vocabulary_any_well_formed_theme_slug_is_kept() -> None:
    request = request_from_args({"theme": ["nouvelle-thematique", "<script>"]})
    assert request.themes == ("nouvelle-thematique",)


def test_plain_mappings_work_as_well_as_multidicts() -> None:
    args = {"q": "santé", "theme": ["sante"], "page": 2}
    request = request_from_args(args, theme_slugs={"sante"})
    assert (request.q, request.themes, request.page) == ("santé", ("sante",), 2)


def test_links_keep_the_state_and_leave_defaults_out() -> None:
    request = SearchRequest(q="PRE", themes=("jeunesse",), page=3, per_page=20)
    assert args_for(request) == [("q", "PRE"), ("theme", "jeunesse"), ("page", "3")]
    # changing a filter starts again at page 1
    assert args_for(request, theme=[]) == [("q", "PRE")]
    assert args_for(request, page=4)[-1] == ("page", "4")


def test_links_round_trip_through_the_parser() -> None:
    request = SearchRequest(
        q="a", themes=("logement",), years=("2000-2009",), sort="title", page=2, per_page=50
    )
    assert parse_search_args(MultiDict(args_for(request)), theme_slugs=THEMES).request == request
