"""Related expressions of the vocabulary (associes): a query for one finds the documents of the
others too, for less than its own words, and says so."""

from __future__ import annotations

import pytest

from indexer.search import Finder, SearchIndex, SearchRequest, sync_index
from library import Catalogue, DocType, Record

from .vocabulary_fund import finder_over

DOCUMENTS = [
    ("Le contrat de ville de Fort-de-France", "Le contrat de ville signé en 2000."),
    ("Bilan du CUCS du Lamentin", "Les actions du CUCS et leurs résultats."),
    ("Guide des jardins partagés", "La ville et ses jardins, un contrat avec les habitants."),
]


@pytest.fixture
def finder(instance):
    with finder_over(
        instance,
        DOCUMENTS,
        [("CUCS", "contrat urbain de cohésion sociale")],
        [("contrat de ville", "contrat urbain de cohésion sociale")],
    ) as found:
        yield found


def search(finder: Finder, q: str):
    return finder.search(SearchRequest(q=q, per_page=50))


def whole(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The titles found for the query, not those that follow holding part of its words."""
    return [h.title for h in page.hits if not h.partial]


def test_a_related_expression_finds_its_documents_after_the_expression_itself(finder):
    page = search(finder, "contrat de ville")
    titles = [h.title for h in page.hits]
    # the query's words, still found apart, and the related expression after the words together
    assert titles == [
        "Le contrat de ville de Fort-de-France",
        "Bilan du CUCS du Lamentin",
        "Guide des jardins partagés",
    ]
    assert set(page.related) == {"CUCS", "contrat urbain de cohésion sociale"}


def test_the_relation_goes_both_ways_and_through_the_acronym(finder):
    titles = [h.title for h in search(finder, "CUCS").hits]
    assert titles == ["Bilan du CUCS du Lamentin", "Le contrat de ville de Fort-de-France"]


def test_words_that_do_not_spell_the_expression_are_not_widened(finder):
    page = search(finder, "ville")
    assert "Bilan du CUCS du Lamentin" not in [h.title for h in page.hits]
    assert page.related == ()


@pytest.fixture
def fund_finder(instance):
    """A few records searched with the packaged vocabulary, as the site searches."""
    from indexer.search.concepts import concepts_from
    from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary

    catalogue = Catalogue.in_instance(instance)
    for title, text in [
        ("Le bèlè, musique traditionnelle de la Martinique", "Chants et danses du bèlè."),
        ("Le tambour bèlè à Sainte-Thérèse", "Les swarés du quartier."),
        ("La musique au collège", "Une chorale et un orchestre."),
        ("Relogement et rénovation urbaine", "Trois cents ménages relogés."),
        ("Les habitants de Volga-Plage", "Une enquête auprès des familles."),
        ("Le chômage dans les zones urbaines sensibles", "Deux fois plus élevé qu'ailleurs."),
        ("Recueillir la mémoire orale de Texaco", "Des entretiens avec les anciens du quartier."),
        ("Souffrance psychique et quartiers populaires", "Trois quartiers de Fort-de-France."),
        ("L'accès aux droits des étrangers", "Titre de séjour, couverture maladie, scolarité."),
        ("La santé des habitants des ZUS", "Sans complémentaire santé, on renonce aux soins."),
        ("Ce que disent les habitants de Trénelle", "La tranquillité publique vue du quartier."),
        (
            "Convention pluriannuelle de Fort-de-France",
            "Elle fixe le programme de rénovation urbaine des quartiers de la rive droite.",
        ),
    ]:
        catalogue.add(Record(title=title, year=2010, doc_type=DocType.ARTICLE), text=text)
    vocabulary = load_vocabulary(PACKAGED_VOCABULARY)
    index = SearchIndex.open(instance / "index")
    index.set_equivalences(vocabulary.equivalences(), vocabulary.related())
    index.set_concepts(concepts_from(vocabulary.themes))
    sync_index(catalogue, index)
    yield Finder(catalogue, index)
    index.close()
    catalogue.close()


@pytest.mark.parametrize("q", ["musique traditionnelle", "traditional music", "música tradicional"])
def test_traditional_music_finds_the_bele_that_does_not_say_it(fund_finder, q):
    titles = whole(search(fund_finder, q))
    assert titles[:2] == [
        "Le bèlè, musique traditionnelle de la Martinique",
        "Le tambour bèlè à Sainte-Thérèse",
    ]
    assert "La musique au collège" not in titles


def test_rehousing_the_inhabitants_finds_the_rehousing_of_households(fund_finder):
    page = search(fund_finder, "reloger les habitants")
    assert whole(page) == ["Relogement et rénovation urbaine"]
    assert "relogement" in page.related


@pytest.mark.parametrize("q", ["PRU", "projet de rénovation urbaine"])
def test_a_pru_is_a_project_or_a_programme_of_urban_renewal(fund_finder, q):
    """Local plans write PRU for « projet » or « programme de rénovation urbaine »."""
    titles = [h.title for h in search(fund_finder, q).hits]
    assert titles[0] == "Convention pluriannuelle de Fort-de-France"


@pytest.mark.parametrize("q", ["marché du travail", "mercado de trabajo", "labour market"])
def test_the_labour_market_finds_the_documents_on_unemployment(fund_finder, q):
    assert "Le chômage dans les zones urbaines sensibles" in titles_of(fund_finder, q)


def titles_of(finder: Finder, q: str) -> list[str]:
    return [h.title for h in search(finder, q).hits]


def test_oral_history_finds_the_oral_memory_of_a_quarter(fund_finder):
    page = search(fund_finder, "histoire orale")
    assert [h.title for h in page.hits] == ["Recueillir la mémoire orale de Texaco"]
    assert "mémoire orale" in page.related


@pytest.fixture
def titled_finder(instance):
    """A report titled on a related expression, and texts that say the query's words."""
    catalogue = Catalogue.in_instance(instance)
    for title, text in [
        ("La Martinique face au vieillissement", "Une île qui compte de plus en plus d'aînés."),
        (
            "Diagnostic du quartier de Volga-Plage",
            "Les jeunes, les familles et les personnes âgées du quartier ; l'habitat, l'emploi, "
            "les équipements, les commerces et les transports.",
        ),
        (
            "Rapport d'activité du centre social",
            "Un atelier pour les personnes âgées, un club de devoirs pour les enfants, des "
            "sorties familiales, une permanence pour l'emploi et l'accès aux droits.",
        ),
    ]:
        catalogue.add(Record(title=title, year=2010, doc_type=DocType.RAPPORT), text=text)
    index = SearchIndex.open(instance / "index")
    index.set_equivalences([], [("personnes âgées", "vieillissement")])
    sync_index(catalogue, index)
    yield Finder(catalogue, index)
    index.close()
    catalogue.close()


def test_a_document_titled_on_a_related_expression_comes_before_passing_mentions(titled_finder):
    """What a document is about before what mentions the query once among other things."""
    titles = titles_of(titled_finder, "personnes âgées")
    assert titles[0] == "La Martinique face au vieillissement"
    assert len(titles) == 3


@pytest.fixture
def street_finder(instance):
    """Street educators by their institutional name, and a text that says the words apart."""
    catalogue = Catalogue.in_instance(instance)
    for title, text in [
        (
            "Le club de prévention du Lamentin",
            "La prévention spécialisée va au-devant des jeunes de Bélème.",
        ),
        (
            "Compte rendu du comité de suivi de Sainte-Thérèse",
            "Les éducateurs de l'école primaire ont rappelé les travaux : la rue Lamartine "
            "est fermée jusqu'en mars.",
        ),
    ]:
        catalogue.add(Record(title=title, year=2010, doc_type=DocType.RAPPORT), text=text)
    index = SearchIndex.open(instance / "index")
    index.set_equivalences([], [("éducateurs de rue", "prévention spécialisée")])
    sync_index(catalogue, index)
    yield Finder(catalogue, index)
    index.close()
    catalogue.close()


def test_words_of_an_expression_held_apart_count_no_more_than_a_related_expression(
    street_finder,
):
    """« éducateurs » and « rue » in unrelated sentences do not say « éducateurs de rue »."""
    titles = titles_of(street_finder, "éducateurs de rue")
    assert titles == [
        "Le club de prévention du Lamentin",
        "Compte rendu du comité de suivi de Sainte-Thérèse",
    ]


@pytest.mark.parametrize("q", ["santé mentale", "mental health", "salud mental"])
def test_mental_health_finds_the_psychological_distress_of_the_quarters(fund_finder, q):
    assert "Souffrance psychique et quartiers populaires" in titles_of(fund_finder, q)


@pytest.mark.parametrize("q", ["couverture maladie universelle", "CMU"])
def test_universal_health_cover_finds_the_texts_on_health_cover(fund_finder, q):
    """« couverture maladie » and « complémentaire santé » are what the CMU gives."""
    titles = titles_of(fund_finder, q)
    assert "L'accès aux droits des étrangers" in titles
    assert "La santé des habitants des ZUS" in titles


@pytest.mark.parametrize("q", ["sentiment d'insécurité", "sensación de inseguridad"])
def test_the_feeling_of_insecurity_finds_the_surveys_on_public_tranquillity(fund_finder, q):
    assert "Ce que disent les habitants de Trénelle" in titles_of(fund_finder, q)
