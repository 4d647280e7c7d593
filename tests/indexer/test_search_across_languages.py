"""A query in English or Spanish finds the French documents on its concept, after the matches in
its own language, and the page says which concept it used: the French expression the vocabulary
translates ("youth employment" -> "emploi des jeunes"), else the thematic whose labels it uses.
And the reverse: a French query that spells a concept's French expression finds, after the French
documents, the English and Spanish ones that use its English or Spanish name."""

from __future__ import annotations

import pytest

from indexer.search import SearchIndex, SearchRequest, sync_index
from indexer.search.concepts import concepts_from, concepts_in
from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary
from library import Catalogue, Record, ThemeAssignment, ThemeSource

RECORDS = {
    "chomage-jeunes": ("Le chômage des jeunes en Martinique", "fr", ("emploi-insertion", "jeunesse")),
    "emploi-jeunes": ("Les jeunes et l'emploi au Lamentin", "fr", ("emploi-insertion",)),
    "emploi-seniors": ("L'emploi des seniors", "fr", ("emploi-insertion",)),
    "mentors": ("Youth mentoring in the Caribbean", "en", ("jeunesse",)),
    "engagement": ("L'engagement bénévole des jeunes", "fr", ("vie-associative",)),
    "clauses": ("Les clauses d'insertion dans les marchés publics", "fr", ("emploi-insertion",)),
    "loisirs": ("Les loisirs des adolescents", "fr", ("jeunesse",)),
    "youth-jobs": ("Youth employment in Saint Lucia", "en", ("emploi-insertion", "jeunesse")),
    "violencia": ("Prevención de la violencia en los barrios", "es", ("prevention-delinquance",)),
    "cls": ("Le contrat local de sécurité du Lamentin", "fr", ("prevention-delinquance",)),
    "violence": ("La violence au collège", "fr", ("reussite-educative",)),
    "mediacion": ("Mediación social en el Caribe", "es", ("mediation-sociale",)),
    "mediacion-lejos": ("La mediación en los barrios: una política social", "es", ()),
    "mediation": ("La médiation sociale à Fort-de-France", "fr", ("mediation-sociale",)),
    "emploi-des-jeunes": ("L'emploi des jeunes en Guadeloupe", "fr", ("emploi-insertion",)),
    "discrimination-es": ("La discriminación en el Caribe", "es", ()),
    "discrimination-en": ("Discrimination in hiring", "en", ()),
    "discrimination-fr": ("Les discriminations à l'embauche", "fr", ("discriminations",)),
    "chomeurs": ("Les chômeurs de longue date", "fr", ("emploi-insertion",)),
    "sismique-fr": ("Le risque sismique aux Antilles", "fr", ("developpement-durable",)),
    "sismico-es": ("Riesgo sísmico en el Caribe", "es", ()),
    "risques-fr": ("Les risques naturels : cyclones et séismes", "fr", ("developpement-durable",)),
    "risques-ailleurs": ("Les risques locatifs", "fr", ("logement",)),
    "addictions": ("Addictions et précarité au centre-ville", "fr", ("sante",)),
}  # fmt: skip


@pytest.fixture(scope="module")
def search(tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("across")
    keys = {}
    with Catalogue.in_instance(root) as catalogue:
        for key, (title, language, themes) in RECORDS.items():
            record = catalogue.add(Record(title=title, language=language), text=title)
            catalogue.set_auto_themes(
                record.id, [ThemeAssignment(s, ThemeSource.AUTO, 0.9) for s in themes]
            )
            keys[record.id] = key
        index = SearchIndex.open(root / "index")
        index.set_concepts(concepts_from(load_vocabulary(PACKAGED_VOCABULARY).themes))
        sync_index(catalogue, index)

    def run(q: str):  # type: ignore[no-untyped-def]
        page = index.search(SearchRequest(q=q))
        return [keys[h.id] for h in page.hits if not h.partial], page

    yield run
    index.close()


def test_an_english_query_finds_the_french_documents_on_its_concept_after_its_own(search) -> None:
    found, page = search("youth employment")
    assert found[0] == "youth-jobs"  # the words themselves, in their language, come first
    assert "emploi-jeunes" in found  # French, with the words of "emploi des jeunes"
    # the concept first: the French documents on its thematic that say only part of its
    # expression (« jeunes », « emploi ») come after those that say all of it
    last = max(found.index("emploi-jeunes"), found.index("emploi-des-jeunes"))
    assert last < found.index("chomage-jeunes") and last < found.index("emploi-seniors")
    # and not the thematics: neither a document on another thematic that says « jeunes », nor
    # one on the thematic without a word of the expression, nor an English one on youth alone
    assert "engagement" not in found and "clauses" not in found and "mentors" not in found
    assert page.concepts == ("emploi-insertion",)
    assert page.concept_terms == ("emploi des jeunes",)


def test_the_french_documents_saying_the_expression_itself_come_first(search) -> None:
    found, _ = search("youth employment")
    # « l'emploi des jeunes » before « les jeunes et l'emploi »
    assert found.index("emploi-des-jeunes") < found.index("emploi-jeunes")


def test_a_concept_is_found_whatever_thematic_its_documents_are_on(search) -> None:
    found, page = search("young people")  # -> "jeunes"
    assert {"chomage-jeunes", "emploi-jeunes", "engagement"} <= set(found)
    assert page.concept_terms == ("jeunes",)


def test_a_spanish_word_finds_the_french_documents_on_its_concept(search) -> None:
    found, page = search("violencia")
    # its own language first, then the French documents that speak of violences, on any
    # thematic ("Le contrat local de sécurité" is on crime prevention but says no such word)
    assert found == ["violencia", "violence"]
    assert page.concept_terms == ("violences",)


def test_words_of_the_query_standing_apart_rank_after_the_french_documents_on_it(search) -> None:
    found, page = search("mediación social")
    # the phrase in Spanish, then the French document that says "médiation sociale", then the
    # Spanish one where "mediación" and "social" are two words of a longer title
    assert found == ["mediacion", "mediation", "mediacion-lejos"]
    assert page.concept_terms == ("médiation sociale",)


def test_a_third_language_sharing_the_stem_ranks_after_the_french_documents(search) -> None:
    # "discriminación" and "discrimination" stem alike, but the query is Spanish
    found, _ = search("discriminación")
    assert found == ["discrimination-es", "discrimination-fr", "discrimination-en"]


def test_a_thematic_label_is_used_when_no_translation_covers_the_query(search) -> None:
    found, page = search("policing")  # an English label of crime prevention, translated nowhere
    assert set(found) == {"violencia", "cls"}  # the thematic's documents
    assert page.concepts == ("prevention-delinquance",) and page.concept_terms == ("",)


def test_a_french_query_is_left_alone(search) -> None:
    found, page = search("chômage")  # no English or Spanish document says "unemployment"
    assert found == ["chomage-jeunes"] and page.concepts == ()


def test_a_word_both_french_and_english_that_finds_french_documents_is_taken_as_french(
    search,
) -> None:
    found, page = search("violence")  # an English label of crime prevention, and French
    # French first; then, the query being French, the Spanish document on « violences »
    assert found == ["violence", "violencia"] and page.concepts_from_french
    assert page.concept_terms == ("violences",)


def test_a_french_query_finds_the_english_and_spanish_documents_on_its_concept_after(
    search,
) -> None:
    found, page = search("médiation sociale")
    assert found[0] == "mediation"  # French first
    assert found[-1] == "mediacion"  # « mediación social »: the concept's Spanish name
    assert "mediacion-lejos" not in found  # "mediación" and "social" apart: not the name
    assert page.concepts == ("mediation-sociale",) and page.concepts_from_french


def test_a_french_query_no_concept_covers_is_left_alone(search) -> None:
    found, page = search("médiation Fort-de-France")
    assert found == ["mediation"] and page.concepts == () and not page.concepts_from_french


def test_a_document_naming_the_concept_in_a_third_language_comes_after_the_french_ones(
    search,
) -> None:
    # "earthquake risk" is « risque sismique »: the French documents saying it, then the
    # Spanish one that names it ("riesgo sísmico"), then the French ones on its thematic that
    # say part of it (« risques naturels »)
    found, page = search("earthquake risk")
    assert page.concept_terms == ("risque sismique",)
    assert found == ["sismique-fr", "sismico-es", "risques-fr"]


def test_concepts_one_english_stem_names_are_found_by_either_french_expression(search) -> None:
    # "unemployment" and "unemployed" stem alike: « chômage » and « chômeurs » are one concept
    # there, not two that a document would need both of
    found, page = search("unemployment")
    assert "chomage-jeunes" in found and "chomeurs" in found
    assert page.concept_terms == ("chômage OU chômeurs",)
    concepts = concepts_in(
        ["unemployed"], concepts_from(load_vocabulary(PACKAGED_VOCABULARY).themes)
    )
    assert concepts is not None and [c.expression for c in concepts] == ["chômage OU chômeurs"]


@pytest.mark.parametrize("q", ["drogadicción", "drogodependencia", "drug addiction"])
def test_the_everyday_words_for_addiction_find_the_french_documents_on_addictions(search, q):
    found, page = search(q)
    assert found == ["addictions"] and page.concept_terms == ("addictions",)


def test_a_document_of_the_query_s_language_that_only_says_it_in_its_text_comes_after_the_french(
    tmp_path,
) -> None:
    """GIVEN a Spanish study titled on youth unemployment, a Spanish report that says the words
    once in its text, and the French study on « chômage des jeunes »
    WHEN one searches "desempleo juvenil"
    THEN the Spanish study comes first, the French one next, the passing mention after them."""
    records = {
        "es-about": ("Desempleo juvenil en el Caribe", "es", "Un estudio regional."),
        "es-mention": (
            "Programas sociales en Cuba",
            "es",
            "Los programas de vivienda y de salud; el desempleo juvenil sigue alto.",
        ),
        "fr": ("Le chômage des jeunes en Martinique", "fr", "Les jeunes demandeurs d'emploi."),
    }
    page, keys = _searched(tmp_path, _described(records), "desempleo juvenil")
    assert [keys[h.id] for h in page.hits] == ["es-about", "fr", "es-mention"]


def test_a_french_document_that_only_mentions_the_concept_comes_after_one_naming_it_elsewhere(
    tmp_path,
) -> None:
    """GIVEN a French book on « risque sismique », a Spanish study titled on « riesgo sísmico »,
    and a French Agenda 21 that mentions the « risque sismique » once in its text
    WHEN one searches "earthquake risk"
    THEN the French book comes first, the Spanish study next, the passing mention after."""
    records = {
        "fr-about": ("Le risque sismique aux Antilles", "fr", "Un ouvrage de synthèse."),
        "fr-mention": (
            "Agenda 21 de Schœlcher",
            "fr",
            "Les actions : mobilité, énergie, littoral et risque sismique des écoles.",
        ),
        "es-named": ("Riesgo sísmico en el Caribe", "es", "Un estudio comparado."),
    }
    page, keys = _searched(tmp_path, _described(records), "earthquake risk")
    assert [keys[h.id] for h in page.hits] == ["fr-about", "es-named", "fr-mention"]
    assert page.concept_terms == ("risque sismique",)


def test_documents_naming_the_concept_in_another_language_are_ordered_by_how_they_name_it(
    tmp_path,
) -> None:
    """GIVEN two English reports, one titled on social housing, one that names it once in a
    long abstract on migrants, and a French book on « logement social »
    WHEN one searches "vivienda social"
    THEN the French book comes first, then the report titled on social housing."""
    records = [
        ("fr", Record(title="Le logement social en Martinique", language="fr")),
        (
            "en-abstract",
            Record(
                title="Neighbours at the margins",
                language="en",
                abstract=(
                    "Migrants from Saint Lucia and Haiti in Martinique: work, schooling, "
                    "health, residence permits, informal jobs, and the social housing they "
                    "seldom reach, with the voices of families met in three neighbourhoods."
                ),
            ),
        ),
        ("en-title", Record(title="Social housing in the Eastern Caribbean", language="en")),
    ]
    page, keys = _searched(tmp_path, [(k, r, r.title) for k, r in records], "vivienda social")
    assert [keys[h.id] for h in page.hits] == ["fr", "en-title", "en-abstract"]


def test_a_document_titled_on_the_concept_in_another_language_comes_before_a_french_abstract_that_cites_it(
    tmp_path,
) -> None:
    """GIVEN a French book on « logement social », an English report titled on social housing,
    and a French security diagnosis whose abstract cites the « logement social » of a quarter
    WHEN one searches "vivienda social"
    THEN the French book comes first, the English report next, the diagnosis after."""
    records = [
        ("fr-title", Record(title="Le logement social en Martinique", language="fr")),
        ("en-title", Record(title="Social housing in the Eastern Caribbean", language="en")),
        (
            "fr-abstract",
            Record(
                title="Diagnostic local de sécurité de Fort-de-France",
                language="fr",
                abstract=(
                    "Violences, incivilités et sentiment d'insécurité dans les quartiers, "
                    "des halls du logement social aux abords des collèges."
                ),
            ),
        ),
    ]
    page, keys = _searched(tmp_path, [(k, r, r.title) for k, r in records], "vivienda social")
    assert [keys[h.id] for h in page.hits] == ["fr-title", "en-title", "fr-abstract"]
    assert page.concept_terms == ("logement social",)


def test_a_document_of_the_query_s_language_that_says_it_in_its_abstract_only_comes_after_the_french(
    tmp_path,
) -> None:
    """GIVEN an English report titled on social housing, an English paper on migrants whose
    abstract names social housing once, and a French book on « logement social »
    WHEN one searches "social housing"
    THEN the report comes first, the French book next, the paper that only mentions it after."""
    records = [
        ("en-title", Record(title="Social housing in the Eastern Caribbean", language="en")),
        (
            "en-abstract",
            Record(
                title="Neighbours at the margins",
                language="en",
                abstract=(
                    "Migrants from Saint Lucia and Haiti in Martinique: work, residence "
                    "permits and limited access to social housing."
                ),
            ),
        ),
        ("fr", Record(title="Le logement social en Martinique", language="fr")),
    ]
    page, keys = _searched(tmp_path, [(k, r, r.title) for k, r in records], "social housing")
    assert [keys[h.id] for h in page.hits] == ["en-title", "fr", "en-abstract"]


def test_an_english_query_the_lexicon_reads_as_a_vocabulary_expression_is_not_taken_as_french(
    tmp_path,
) -> None:
    """GIVEN a French book on « participation des habitants », and a French report on an
    artists' residence whose text says « résidence » and « participation »
    WHEN one searches "resident participation" (French words as well, apart in that report)
    THEN the book comes first: the query is English for the vocabulary's expression."""
    records = {
        "participation": (
            "La participation des habitants dans les quartiers",
            "fr",
            "Conseils citoyens et concertation.",
        ),
        "residence": (
            "Bilan d'une résidence d'artistes",
            "fr",
            "Une résidence de six mois ; la participation des enfants de l'école.",
        ),
    }
    page, keys = _searched(tmp_path, _described(records), "resident participation")
    assert [keys[h.id] for h in page.hits][0] == "participation"
    assert page.concept_terms == ("participation habitant",)


def test_a_word_spelt_as_only_french_writes_is_not_read_as_english(tmp_path) -> None:
    """GIVEN a French report on the elderly (« personnes âgées ») and one on « vieillissement »
    WHEN one searches « âgées » (whose English stem is that of "ageing")
    THEN it is searched as the French word it is: the report that says it first, no
    translation said to be used."""
    records = {
        "agees": ("Les personnes âgées isolées au Lamentin", "fr", "Les aînés vivent seuls."),
        "vieillissement": ("Le vieillissement de la population", "fr", "Projections à 2030."),
    }
    page, keys = _searched(tmp_path, _described(records), "âgées")
    assert [keys[h.id] for h in page.hits] == ["agees"]
    assert page.concept_terms == ()


def test_french_words_the_lexicon_reads_as_their_own_expression_stay_french(tmp_path) -> None:
    """GIVEN a French report on « médiation sociale » and a Spanish one on mediación social
    WHEN one searches "social mediation" (« médiation sociale » the other way round)
    THEN the French words are searched as French: no translation is said to be used."""
    records = {
        "fr": ("La médiation sociale à Fort-de-France", "fr", "Les médiateurs sociaux."),
        "es": ("Mediación social en el Caribe", "es", "Un estudio."),
    }
    page, keys = _searched(tmp_path, _described(records), "social mediation")
    assert [keys[h.id] for h in page.hits][0] == "fr"
    assert page.concept_terms == ()


def test_a_french_query_the_lexicon_half_reads_as_english_stays_french(tmp_path) -> None:
    """GIVEN a French guide on « aide aux devoirs » and a French report on HIV (« sida »)
    WHEN one searches "aide aux devoirs" (the lexicon reads "aide" as the English "aids" and
    knows no "devoirs")
    THEN the guide alone is found, as French words."""
    records = {
        "devoirs": ("L'aide aux devoirs au Lamentin", "fr", "Des bénévoles après l'école."),
        "sida": ("Prévention du sida", "fr", "Le dépistage du VIH."),
    }
    page, keys = _searched(tmp_path, _described(records), "aide aux devoirs")
    assert [keys[h.id] for h in page.hits] == ["devoirs"]
    assert page.concept_terms == ()


def test_with_no_document_saying_the_concept_its_thematic_comes_before_a_passing_mention(
    tmp_path,
) -> None:
    """GIVEN an English report on a youth exchange whose text mentions a youth council once,
    and a French article on a town's « conseil local de la jeunesse » (thematic jeunesse), and
    no document saying « conseil municipal des jeunes »
    WHEN one searches "youth council"
    THEN the French article comes first."""
    keys = {}
    with Catalogue.in_instance(tmp_path) as catalogue:
        exchange = catalogue.add(
            Record(title="Youth exchange Martinique – Saint Lucia", language="en"),
            text="Twelve young people met the town's youth council and sports clubs.",
        )
        council = catalogue.add(
            Record(title="Le Robert installe son conseil local de la jeunesse", language="fr"),
            text="Vingt jeunes de 13 à 17 ans élus pour deux ans.",
        )
        catalogue.set_auto_themes(council.id, [ThemeAssignment("jeunesse", ThemeSource.AUTO, 0.9)])
        keys = {exchange.id: "exchange", council.id: "council"}
        index = SearchIndex.open(tmp_path / "index")
        index.set_concepts(concepts_from(load_vocabulary(PACKAGED_VOCABULARY).themes))
        sync_index(catalogue, index)
    try:
        page = index.search(SearchRequest(q="youth council"))
    finally:
        index.close()
    assert [keys[h.id] for h in page.hits] == ["council", "exchange"]
    assert page.concept_terms == ("conseil municipal des jeunes",)


def test_a_text_holding_the_expression_s_words_apart_comes_after_the_documents_on_its_thematic(
    tmp_path,
) -> None:
    """GIVEN a book whose keywords say « évaluation des politiques publiques », a guide on
    evaluating urban policy (thematic évaluation) that says part of it, and an association's
    long guide whose text says « évaluation », « politiques » and « publiques » pages apart
    WHEN one searches "evaluación de políticas públicas"
    THEN the book comes first, the guide next, the association's guide last."""
    with Catalogue.in_instance(tmp_path) as catalogue:
        book = catalogue.add(
            Record(
                title="Les politiques de la ville à l'épreuve",
                language="fr",
                keywords=("évaluation des politiques publiques",),
            ),
            text="Une sociologie de l'action publique.",
        )
        guide = catalogue.add(
            Record(title="Évaluer la politique de la ville", language="fr"),
            text="Enjeux, méthodes et usages pour les chefs de projet.",
        )
        catalogue.set_auto_themes(guide.id, [ThemeAssignment("evaluation", ThemeSource.AUTO, 0.9)])
        scattered = catalogue.add(
            Record(title="Créer une association de quartier", language="fr"),
            text=(
                "Les statuts, l'assemblée générale et les subventions publiques. "
                + "Le bureau tient les comptes et prépare le rapport moral. " * 8
                + "Les politiques d'accueil des bénévoles. "
                + "Le trésorier présente le budget aux adhérents. " * 8
                + "Une évaluation des actions en fin d'année."
            ),
        )
        keys = {book.id: "book", guide.id: "guide", scattered.id: "scattered"}
        index = SearchIndex.open(tmp_path / "index")
        index.set_concepts(concepts_from(load_vocabulary(PACKAGED_VOCABULARY).themes))
        sync_index(catalogue, index)
    try:
        page = index.search(SearchRequest(q="evaluación de políticas públicas"))
    finally:
        index.close()
    assert [keys[h.id] for h in page.hits] == ["book", "guide", "scattered"]
    assert page.concept_terms == ("évaluation des politiques publiques",)


def _described(records: dict[str, tuple[str, str, str]]) -> list[tuple[str, Record, str]]:
    """(key, record, text) of {key: (title, language, text)}."""
    return [
        (key, Record(title=title, language=language), text)
        for key, (title, language, text) in records.items()
    ]


def _searched(tmp_path, records: list[tuple[str, Record, str]], q: str):  # type: ignore[no-untyped-def]
    """The first page for `q` over a new fund of these records (with the packaged
    vocabulary's concepts), and {record id: key}."""
    keys = {}
    with Catalogue.in_instance(tmp_path) as catalogue:
        for key, record, text in records:
            keys[catalogue.add(record, text=text).id] = key
        index = SearchIndex.open(tmp_path / "index")
        index.set_concepts(concepts_from(load_vocabulary(PACKAGED_VOCABULARY).themes))
        sync_index(catalogue, index)
    try:
        return index.search(SearchRequest(q=q)), keys
    finally:
        index.close()
