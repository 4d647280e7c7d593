"""English and Spanish queries that no concept of the vocabulary covers are translated word by
word (indexer/data/lexique.tsv) and find the French documents that use the translation, after the
documents in their own language that hold their words together; the page names the French words
it searched. French queries and odd input are left as they were."""

from __future__ import annotations

import pytest

from indexer.search import SearchIndex, SearchRequest, sync_index
from indexer.search.concepts import Concept, concepts_from, concepts_in
from indexer.search.lexicon import default_lexicon, parse_lexicon, translatable
from indexer.search.query import parse
from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary
from library import Catalogue, Record

RECORDS = {
    "locataires": ("L'enquête de satisfaction des locataires de Dillon", "fr"),
    "tenants": ("Tenant satisfaction in Castries social housing", "en"),
    "tenants-apart": ("Tenants and landlords: the satisfaction of owners", "en"),
    "bruit": ("Les plaintes pour bruit dans les résidences", "fr"),
    "ateliers": ("Des ateliers de cuisine pour les familles", "fr"),
    "talleres": ("Talleres de cocina en Santo Domingo", "es"),
    "ascenseur": ("Les pannes d'ascenseur dans les tours", "fr"),
    "jardins": ("Jardins et potagers des quartiers", "fr"),
    "vieillissement": ("Le vieillissement de la population martiniquaise", "fr"),
    "en-commun": ("Les transports en commun de l'agglomération", "fr"),
    "transport-public": ("Le transport scolaire, un service public", "fr"),
}

CONCEPTS = concepts_from(load_vocabulary(PACKAGED_VOCABULARY).themes)


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The fund searched with the vocabulary's concepts (and so the lexicon), and without."""
    root = tmp_path_factory.mktemp("lexicon")
    keys = {}
    with Catalogue.in_instance(root) as catalogue:
        for key, (title, language) in RECORDS.items():
            record = catalogue.add(Record(title=title, language=language), text=title)
            keys[record.id] = key
        with_lexicon = SearchIndex.open(root / "index")
        with_lexicon.set_concepts(CONCEPTS)
        sync_index(catalogue, with_lexicon)
        plain = SearchIndex.open(root / "plain")
        sync_index(catalogue, plain)

    def run(index: SearchIndex, q: str):  # type: ignore[no-untyped-def]
        page = index.search(SearchRequest(q=q))
        return [keys[h.id] for h in page.hits if not h.partial], page

    yield (lambda q: run(with_lexicon, q)), (lambda q: run(plain, q))
    with_lexicon.close()
    plain.close()


@pytest.fixture(scope="module")
def search(indexes):  # type: ignore[no-untyped-def]
    return indexes[0]


def no_label_covers(q: str) -> bool:
    return concepts_in(parse(q).words(), CONCEPTS) is None


LONG_FRENCH = (
    "quartier politique ville contrat social habitants jeunes emploi logement projet "
    "rénovation urbaine cohésion prioritaire santé école association sécurité prévention "
    "médiation insertion formation culture centre"
)


def test_a_long_french_query_is_not_read_as_english_when_no_document_holds_it_all(indexes):
    # 9 of its 24 words are English words too (« centre » -> "centre culturel"): it was read
    # as English, the page saying « Requête comprise comme « centre culturel formation
    # insertion médiateur prévention securite association ecole … » (traduction) »
    search, plain = indexes
    found, page = search(LONG_FRENCH)
    assert page.relaxed and page.concept_terms == ()
    assert found == plain(LONG_FRENCH)[0]
    assert default_lexicon().concepts_for(parse(LONG_FRENCH).words()) == []
    # place names count for neither side: "youth" is half of « youth in Fort-de-France »
    (first, *_) = default_lexicon().concepts_for(parse("youth in Fort-de-France").words())
    # put head first as French writes it, the name left as typed keeps its order (the page
    # read « france de fort jeunesse »)
    assert first[0].expression == "fort de france jeunesse"


def test_a_place_name_is_left_as_typed_whole_in_a_translation() -> None:
    # the Spanish lexicon dropped « de » (a Spanish stop word) and read « France » as
    # « français » (« francés »): the page said « violences jeunes fort français »
    lexicon = default_lexicon()
    (first, *_) = lexicon.concepts_for(parse("violencia juvenil en Fort-de-France").words())
    assert first[0].expression == "violences jeunes fort de france"
    spanish = lexicon.translate(parse("vivienda social en Schœlcher").words(), "es")
    assert spanish.french == ("logement social", "schoelcher")
    assert spanish.known == 2  # the name is not a word the lexicon knew
    # a country's name in the language of the query is translated: it is no place of the fund
    assert lexicon.translate(parse("empleo juvenil en Martinica").words(), "es").french == (
        "emploi des jeunes",
        "Martinique",
    )


def test_an_english_query_of_no_label_finds_the_french_document_of_its_translation(search):
    assert no_label_covers("tenant satisfaction")
    found, page = search("tenant satisfaction")
    # its own language, the words together, first; then the French survey of « locataires »;
    # then the English document where the words stand apart
    assert found == ["tenants", "locataires", "tenants-apart"]
    assert page.concepts == ("",) and page.concept_terms == ("satisfaction locataires",)


def test_a_spanish_query_of_no_label_finds_the_french_document_of_its_translation(search):
    assert no_label_covers("quejas por ruido")
    found, page = search("quejas por ruido")
    assert found == ["bruit"]
    assert page.concept_terms == ("plaintes bruit",)  # "por" is a Spanish stop word


def test_a_spanish_plural_is_found_as_the_lexicon_writes_the_singular(search):
    assert no_label_covers("talleres de cocina")
    found, page = search("talleres de cocina")
    assert found == ["talleres", "ateliers"]  # « Talleres de cocina » itself first
    assert page.concept_terms == ("atelier cuisine",)


def test_a_word_the_lexicon_does_not_know_is_kept_then_left_out_when_nothing_has_it(search):
    found, page = search("broken lift")  # "broken": no entry; no French document says it
    assert found == ["ascenseur"]
    assert page.concept_terms == ("ascenseur",)


def test_when_no_document_has_every_word_the_any_word_matches_follow_the_translation(indexes):
    search, plain = indexes
    found, page = search("quejas por ruido en Castries")  # no document holds every word
    assert plain("quejas por ruido en Castries")[0] == ["tenants"]  # "Castries", any word
    assert found == ["bruit", "tenants"] and page.relaxed
    assert page.concept_terms == ("plaintes bruit",)


def test_a_french_query_is_unchanged(indexes):
    search, plain = indexes
    for q in ("locataires satisfaction", "plaintes bruit", "ateliers de cuisine", "ascenseur"):
        found, page = search(q)
        assert page.concepts == () and page.concept_terms == ()
        assert found == plain(q)[0]


def test_what_a_query_finds_in_its_own_language_is_never_lost(indexes):
    search, plain = indexes
    for q in ("tenant satisfaction", "talleres de cocina", "tenants landlords", "cocina"):
        assert set(plain(q)[0]) <= set(search(q)[0])


def test_an_english_expression_of_french_words_is_searched_as_french_and_translated(indexes):
    search, plain = indexes
    # "public" and "transport" are French words: as French, the query finds the school
    # transport; as English, it is « transports en commun », which French writes otherwise
    assert plain("public transport")[0] == ["transport-public"]
    found, page = search("public transport")
    assert set(found) == {"transport-public", "en-commun"}
    assert page.concept_terms == ("transports en commun",)
    # in French order (Spanish "transporte público" too), what it says in French comes first
    assert search("transport public")[0] == ["transport-public", "en-commun"]


def test_a_query_is_french_when_its_english_reading_says_its_own_words():
    lexicon = default_lexicon()
    assert lexicon.names_whole(parse("public transport").words())
    # "social mediator" is « médiateur social »: « médiation sociale » the other way round,
    # a word of its family: French; so are words translated one by one, and one word alone
    assert not lexicon.names_whole(parse("social mediation").words())
    assert not lexicon.names_whole(parse("violence sociale").words())
    assert not lexicon.names_whole(parse("transport").words())


def test_a_french_query_with_a_typo_is_corrected_not_translated(search):
    # "population" is an English and a Spanish word of the lexicon, spelt as in French
    found, page = search("vieilisement de la population")
    assert found == ["vieillissement"] and page.corrected and page.concepts == ()


@pytest.mark.parametrize(
    "q",
    ["", "   ", "-", '"', "«", "tenant*", "tenant OU satisfaction", "tenant -landlords",
     "\x00tenant", "tenant " * 120, '"tenant', "*", "ruido OR quejas"],
)  # fmt: skip
def test_odd_input_stays_fine_and_operators_are_not_translated(search, q):
    found, page = search(q)
    assert isinstance(found, list)
    if any(op in q for op in ("*", " OU ", " OR ", "-")):
        assert page.concept_terms == ()


def test_expressions_of_several_words_are_matched_before_their_words():
    lexicon = parse_lexicon(
        "# comment\nen\tsocial\tsocial\nen\thousing\tlogement\nen\tsocial housing\tlogement social\n"
        "bad line\nes\tvivienda\tlogement\nfr\tmot\tmot\n"
    )
    assert lexicon.translate(["social", "housing"], "en").french == ("logement social",)
    # an English phrase ends with its head, a French one begins with it; Spanish keeps its order
    assert lexicon.translate(["housing", "social"], "en").french == ("social", "logement")
    assert lexicon.translate(["social", "housing", "x"], "en").french == ("x", "logement social")
    assert lexicon.translate(["vivienda", "social"], "es").french == ("logement", "social")
    assert lexicon.translate(["viviendas"], "es").french == ("logement",)
    assert "fr" not in lexicon.entries  # only English and Spanish are translated


def test_the_vocabulary_translations_come_before_the_lexicon_words():
    assert default_lexicon().translate(["social", "housing"], "en").french == ("logement social",)
    concept = Concept("logement", (("en", ("social", "hous")),), ("x",), "habitat social")
    lexicon = default_lexicon().with_concepts([concept])
    assert lexicon.translate(["social", "housing"], "en").french == ("habitat social",)
    thematic = Concept("logement", (("en", ("social", "hous")),), ("logement",))
    assert default_lexicon().with_concepts([thematic]).translate(
        ["social", "housing"], "en"
    ).french == ("logement social",)  # a thematic's label names no French words


def test_the_language_whose_lexicon_knows_most_words_is_the_query_s():
    words = parse("salud de los inquilinos").words()
    [[concept]] = default_lexicon().concepts_for(words)
    assert concept.labels[0][0] == "es" and concept.expression == "santé locataire"
    assert default_lexicon().concepts_for(parse("zzzz qqqq").words()) == []
    # English words spelt as in French: the translation would search the query itself
    assert default_lexicon().concepts_for(parse("violence sociale").words()) == []
    # no word is foreign ("population" is French too): a French typo, not a translation
    assert default_lexicon().concepts_for(parse("vieilisement de la population").words()) == []
    assert not translatable(parse("tenant OU landlord")) and translatable(parse("single-parent"))


def test_the_lexicon_covers_the_centre_s_domain_in_both_languages():
    entries = default_lexicon().entries
    assert len(entries["en"]) >= 800 and len(entries["es"]) >= 800


def test_a_word_that_says_the_contrary_is_kept_in_a_translation():
    lexicon = default_lexicon()
    # "sin" is a Spanish stop word of the index, but "jóvenes sin empleo" are jobless youths
    assert lexicon.translate(parse("jóvenes sin empleo").words(), "es").french == (
        "jeune",
        "chômage",
    )
    assert lexicon.translate(parse("jóvenes con empleo").words(), "es").french == (
        "jeune",
        "emploi",
    )
    # an entry with "sin" is its own, not the word after it
    assert lexicon.translate(["sin", "techo"], "es").french == ("sans-domicile",)
    assert lexicon.translate(["techo"], "es").french == ("toitures",)
    assert lexicon.translate(parse("young people out of work").words(), "en").french == (
        "chômage",
        "jeunes",
    )
