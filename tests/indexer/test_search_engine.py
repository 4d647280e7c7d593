"""The search facade as a reader of the fund experiences it: French words, facets, odd queries."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.search import Finder, SearchIndex, SearchRequest, rebuild_index, sync_index
from library import (
    Author,
    AuthorKind,
    Catalogue,
    Copy,
    DocType,
    Record,
    Support,
    ThemeAssignment,
    ThemeSource,
)
from webapp.messages import facet_label

DOCUMENTS = [
    dict(
        title="Évaluation du contrat urbain de cohésion sociale de Fort-de-France",
        year=2009,
        doc_type=DocType.RAPPORT,
        authors=(Author("Joseph-Angélique, Marie"),),
        language="fr",
        text="Les quartiers prioritaires ont bénéficié de l'évaluation. Politique de la ville.",
        themes=("evaluation",),
    ),
    dict(
        title="Les zones franches urbaines et l'emploi",
        year=2011,
        doc_type=DocType.ETUDE,
        authors=(Author("Ville du Lamentin", AuthorKind.ORGANISATION),),
        language="fr",
        text="Les entreprises implantées en zone franche urbaine recrutent dans le quartier.",
        themes=("emploi-insertion",),
    ),
    dict(
        title="Guide de la médiation sociale",
        year=2007,
        doc_type=DocType.GUIDE,
        support=Support.PAPIER,
        copies=(Copy("CRPV000001", "303.6 MED", "Salle"),),
        language="fr",
        abstract="Les médiateurs sociaux et les adultes relais dans les quartiers.",
        themes=("mediation-sociale",),
    ),
    dict(
        title="Youth employment in Caribbean neighbourhoods",
        year=2012,
        doc_type=DocType.ETUDE,
        language="en",
        text="Housing conditions and youth policies in Martinique.",
        themes=("jeunesse", "emploi-insertion"),
    ),
    dict(
        title="EVALUATIONS des politiques locales de santé",
        year=2013,
        doc_type=DocType.RAPPORT,
        language="fr",
        text="Atelier santé ville, prévention et conseils de quartier.",
        themes=("sante", "evaluation"),
    ),
    dict(
        title="Renovación urbana en La Habana",
        year=2010,
        doc_type=DocType.ETUDE,
        language="es",
        text="La renovación de los barrios y la vivienda social.",
        themes=("renovation-urbaine",),
    ),
]


def make_catalogue(instance, documents=DOCUMENTS) -> Catalogue:
    catalogue = Catalogue.in_instance(instance)
    for doc in documents:
        doc = dict(doc)
        text = doc.pop("text", "")
        themes = doc.pop("themes", ())
        record = catalogue.add(Record(**doc), text=text)
        catalogue.set_auto_themes(
            record.id,
            [ThemeAssignment(t, ThemeSource.AUTO, 0.9 - 0.1 * i) for i, t in enumerate(themes)],
        )
    return catalogue


@pytest.fixture
def fund(instance):
    catalogue = make_catalogue(instance)
    index = SearchIndex.open(instance / "index")
    index.set_equivalences([("ZFU", "zone franche urbaine"), ("ASV", "atelier santé ville")])
    sync_index(catalogue, index)
    yield Finder(
        catalogue, index, theme_labels={"evaluation": "Évaluation"}, value_label=facet_label
    )
    index.close()
    catalogue.close()


def titles(finder: Finder, q: str, **filters) -> list[str]:
    hits = finder.search(SearchRequest(q=q, per_page=50, **filters)).hits
    return [h.title for h in hits if not h.partial]  # not those holding part of the words


@pytest.mark.parametrize(
    "query", ["évaluation", "Evaluations", "EVALUATION", "evaluation", "ÉVALUÉE"]
)
def test_accents_case_and_plurals_do_not_matter(fund, query):
    found = titles(fund, query)
    assert any(t.startswith("Évaluation du contrat") for t in found)
    assert any(t.startswith("EVALUATIONS") for t in found)


def test_singular_finds_plural_and_back(fund):
    assert "Guide de la médiation sociale" in titles(fund, "quartier")
    assert titles(fund, "quartiers") == titles(fund, "quartier")


def test_an_acronym_finds_its_expansion_and_back(fund):
    by_acronym = titles(fund, "ZFU")
    by_words = titles(fund, "zones franches urbaines")
    assert by_acronym == by_words == ["Les zones franches urbaines et l'emploi"]
    assert titles(fund, "ASV") == ["EVALUATIONS des politiques locales de santé"]


def test_english_and_spanish_documents_are_stemmed_in_their_language(fund):
    assert titles(fund, "neighbourhood") == ["Youth employment in Caribbean neighbourhoods"]
    assert titles(fund, "barrio") == ["Renovación urbana en La Habana"]


def test_a_phrase_needs_its_words_together(fund):
    assert titles(fund, '"politique de la ville"') == [
        "Évaluation du contrat urbain de cohésion sociale de Fort-de-France"
    ]
    assert titles(fund, '"ville politique"') == []


def test_or_exclusion_and_prefix(fund):
    assert len(titles(fund, "barrio OU neighbourhood")) == 2
    assert "EVALUATIONS des politiques locales de santé" not in titles(fund, "évaluation -santé")
    assert set(titles(fund, "médiat*")) == {"Guide de la médiation sociale"}


def test_all_words_first_then_any_word_with_a_flag(fund):
    page = fund.search(SearchRequest(q="médiation vivienda"))
    assert page.relaxed and page.total == 2


def test_a_misspelt_word_gets_a_suggestion_with_its_accents_and_its_results(fund):
    page = fund.search(SearchRequest(q="mediatoin"))
    assert page.suggestion == "médiation" and page.corrected
    assert page.total == fund.search(SearchRequest(q="médiation")).total == 1


def test_empty_query_browses_the_fund_newest_first(fund):
    page = fund.search(SearchRequest())
    assert page.total == len(DOCUMENTS)
    assert [h.year for h in page.hits] == sorted((h.year for h in page.hits), reverse=True)


def test_sorting_by_title_and_oldest(fund):
    by_title = titles(fund, "", sort="title")
    assert by_title[0].startswith("Évaluation") and by_title[-1].startswith("Youth")
    assert fund.search(SearchRequest(sort="oldest")).hits[0].year == 2007


def test_hits_carry_themes_best_first_and_a_highlighted_snippet(fund):
    hit = fund.search(SearchRequest(q="santé")).hits[0]
    assert hit.themes == ("sante", "evaluation")
    assert hit.snippet and hit.highlights
    start, end = hit.highlights[0]
    assert hit.snippet[start:end].lower().startswith("sant")


def marked(hit) -> list[str]:
    return [hit.snippet[start:end].lower() for start, end in hit.highlights]


def test_a_quoted_expression_is_marked_where_it_stands_not_its_small_words_apart(fund):
    # « "politique de la ville" »: every « de » and « la » of the text was marked
    page = fund.search(SearchRequest(q='"politique de la ville" OU "zone franche"'))
    by_title = {hit.title: hit for hit in page.hits}
    hit = by_title["Évaluation du contrat urbain de cohésion sociale de Fort-de-France"]
    assert "bénéficié de l'évaluation" in hit.snippet  # « de » alone there: not marked
    assert marked(hit) == ["politique de la ville"]
    assert marked(by_title["Les zones franches urbaines et l'emploi"]) == ["zone franche"]
    # a hyphenated word is marked whole where it stands so (its parts alone elsewhere)
    (hit,) = fund.search(SearchRequest(q="adultes-relais")).hits
    assert marked(hit) == ["adultes relais"]


def test_facet_values_within_a_facet_combine_with_or_and_facets_with_and(fund):
    assert fund.search(SearchRequest(types=("guide", "etude"))).total == 4
    assert fund.search(SearchRequest(types=("etude",), languages=("fr",))).total == 1


def test_year_ranges_select_a_decade(fund):
    assert fund.search(SearchRequest(years=("2000-2009",))).total == 2
    assert fund.search(SearchRequest(years=("2011",))).total == 1


def test_availability_comes_from_the_catalogue(fund):
    page = fund.search(SearchRequest(available=("en-rayon",)))
    assert [h.title for h in page.hits] == ["Guide de la médiation sociale"]


def test_facet_labels_are_french(fund):
    facets = fund.search(SearchRequest()).facets
    assert {f.value: f.label for f in facets["support"]}["papier"] == "Papier"
    assert {f.value: f.label for f in facets["theme"]}["evaluation"] == "Évaluation"
    assert {f.value: f.label for f in facets["type"]}["etude"] == "Étude"


def _count(page, facet, value):
    return next((f.count for f in page.facets[facet] if f.value == value), 0)


FILTERS = {
    "themes": ["evaluation", "emploi-insertion", "sante", "jeunesse"],
    "types": ["rapport", "etude", "guide"],
    "languages": ["fr", "en", "es"],
    "supports": ["papier", "electronique"],
}
_FACET_OF = {"themes": "theme", "types": "type", "languages": "language", "supports": "support"}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.sampled_from(["", "quartier", "évaluation", "politique"]),
    chosen=st.dictionaries(st.sampled_from(sorted(FILTERS)), st.integers(0, 3), max_size=3),
)
def test_every_facet_count_equals_what_clicking_it_gives(fund, query, chosen):
    filters = {name: (FILTERS[name][i % len(FILTERS[name])],) for name, i in chosen.items()}
    page = fund.search(SearchRequest(q=query, **filters))
    for name, facet in _FACET_OF.items():
        if name in filters:
            continue  # counts of a facet already filtered are over the other filters
        for value in FILTERS[name]:
            clicked = fund.search(SearchRequest(q=query, **filters, **{name: (value,)}))
            assert _count(page, facet, value) == clicked.total


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80))
def test_no_query_makes_the_engine_fail(fund, query):
    page = fund.search(SearchRequest(q=query))
    assert page.total >= 0


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "*",
        "-",
        "a" * 10_000,
        "-quartier",
        "de*",
        "<script>alert(1)</script>",
        "OU OU",
        '""',
        "( ) [ ]",
    ],
)
def test_odd_queries_give_results_or_a_message(fund, query):
    page = fund.search(SearchRequest(q=query))
    assert page.total >= 0
    if query in ('"unbalanced', "a" * 10_000, "de*", "*"):
        assert page.notes


def test_a_word_typed_again_and_again_counts_once_and_leaves_room_for_the_others(fund):
    # 30 times « quartier » used to fill the 24 terms a query keeps: « emploi » was dropped
    # (with a « requête trop longue » note) and any document on « quartier » came
    page = fund.search(SearchRequest(q="quartier " * 30 + "emploi"))
    assert not page.notes
    assert [h.title for h in page.hits if not h.partial] == [
        "Les zones franches urbaines et l'emploi"
    ]
    once = fund.search(SearchRequest(q="quartier emploi"))
    assert [(h.id, h.score) for h in page.hits] == [(h.id, h.score) for h in once.hits]


def test_an_exclusion_alone_browses_the_rest(fund):
    with_word = fund.search(SearchRequest(q="quartier")).total
    assert with_word == 4
    assert fund.search(SearchRequest(q="-quartier")).total == len(DOCUMENTS) - with_word


def test_prefix_expansion_is_capped(instance):
    words = [f"conseil{chr(97 + i)}{chr(97 + j)}" for i in range(26) for j in range(10)]
    catalogue = make_catalogue(instance, [dict(title=f"Doc {w}", text=w) for w in words])
    index = SearchIndex.open(instance / "index")
    sync_index(catalogue, index)
    page = Finder(catalogue, index).search(SearchRequest(q="conse*"))
    assert 0 < page.total < len(words)  # the most frequent expansions only, not all 260 words


def test_sync_follows_edits_and_deletions(fund):
    catalogue, index = fund.catalogue, fund.index
    record = catalogue.get(3)
    catalogue.save(
        Record(
            **{
                **{k: getattr(record, k) for k in record.__dataclass_fields__},
                "title": "Manuel des correspondants de nuit",
            }
        )
    )
    catalogue.delete(1)
    report = sync_index(catalogue, index)
    assert (report.indexed, report.deleted) == (1, 1)
    assert titles(fund, "correspondants") == ["Manuel des correspondants de nuit"]
    assert "Évaluation du contrat urbain de cohésion sociale de Fort-de-France" not in titles(
        fund, "évaluation"
    )
    assert sync_index(catalogue, index).indexed == 0  # nothing left to do


def test_rebuild_swaps_in_a_fresh_generation(fund):
    before = fund.index.generation
    report = rebuild_index(fund.catalogue, fund.index)
    assert report.rebuilt and report.indexed == len(DOCUMENTS)
    assert fund.index.generation != before
    assert not (fund.index.root / before).exists()
    assert fund.search(SearchRequest(q="médiation")).total == 1


def test_an_index_built_with_another_analysis_is_rebuilt(instance, monkeypatch):
    catalogue = make_catalogue(instance)
    with SearchIndex.open(instance / "index") as index:
        sync_index(catalogue, index)
        first = index.generation
    monkeypatch.setattr("indexer.search.store.analysis_stamp", lambda: "another-analysis")
    with SearchIndex.open(instance / "index") as index:
        assert index.created and index.generation != first
        assert sync_index(catalogue, index).indexed == len(DOCUMENTS)


def test_a_failed_write_releases_the_writer(fund):
    def broken(ids):
        yield from ()
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        fund.index.sync({999: (1, False)}, broken)
    fund.catalogue.touch(2)
    assert sync_index(fund.catalogue, fund.index).indexed == 1  # the lock was not kept


def test_more_like_this_finds_neighbours(fund):
    record = fund.catalogue.get(1)
    similar = fund.more_like(record)
    assert record.id not in [r.id for r in similar]
    assert any("EVALUATIONS" in r.title for r in similar)


def test_random_documents_are_all_found_by_their_title_words(instance):
    rng = random.Random(7)
    vocabulary = [
        "médiation",
        "logement",
        "jeunesse",
        "santé",
        "emploi",
        "quartier",
        "culture",
        "insertion",
        "rénovation",
        "parentalité",
        "délinquance",
        "observatoire",
    ]
    docs = [
        dict(title=" ".join(rng.sample(vocabulary, 3)) + f" {n}", year=2005 + n % 9)
        for n in range(120)
    ]
    catalogue = make_catalogue(instance, docs)
    index = SearchIndex.open(instance / "index")
    sync_index(catalogue, index)
    finder = Finder(catalogue, index)
    for word in vocabulary:
        expected = sum(1 for d in docs if word in d["title"])
        assert finder.search(SearchRequest(q=word)).total == expected
    for a, b in itertools.islice(itertools.combinations(vocabulary, 2), 20):
        expected = sum(1 for d in docs if a in d["title"] and b in d["title"])
        page = finder.search(SearchRequest(q=f"{a} {b}"))
        whole = page.total if page.complete is None else page.complete
        assert whole == expected or (expected == 0 and page.relaxed)
