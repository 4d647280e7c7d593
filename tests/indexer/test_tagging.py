"""The tagger on short French texts written like the fund's documents (not lists of terms)."""

from __future__ import annotations

import pickle

import pytest

from indexer.analysis import analyze
from indexer.tagging import DEFAULT_SETTINGS, Tagger, TagInput
from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary
from library import ThemeSource
from webapp.messages import explain


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_vocabulary(PACKAGED_VOCABULARY))


def slugs(tagger: Tagger, doc: TagInput) -> list[str]:
    return [a.slug for a in tagger.tag(doc)]


DOCUMENTS = {
    "evaluation": TagInput(
        title="Bilan à mi-parcours du contrat urbain de cohésion sociale du Lamentin",
        text="Trois ans après sa signature, les partenaires ont voulu mesurer ce que le contrat a"
        " réellement produit. Le cabinet retenu a analysé les actions financées, interrogé les"
        " porteurs de projets et construit des indicateurs de résultats pour chaque axe. Il"
        " recommande de mieux mobiliser le droit commun.",
    ),
    "observation": TagInput(
        title="Portrait social des quartiers de Fort-de-France",
        text="À partir du recensement et des fichiers d'allocataires, l'étude décrit la population"
        " de chaque quartier : part des moins de vingt-cinq ans, familles monoparentales,"
        " revenus des ménages. Des cartes comparent les quartiers prioritaires au reste de la"
        " commune et un tableau de bord sera mis à jour chaque année.",
    ),
    "jeunesse": TagInput(
        title="Ce que veulent les 16-25 ans du Lamentin",
        text="Une consultation menée auprès de deux cents adolescents et jeunes adultes montre le"
        " manque de lieux où se retrouver le soir. La ville propose d'ouvrir un espace qui leur"
        " soit réservé et de soutenir les séjours et les projets qu'ils portent eux-mêmes.",
    ),
    "reussite-educative": TagInput(
        title="Accompagner les familles dans la scolarité de leurs enfants",
        text="Dans les écoles du quartier, une équipe pluridisciplinaire suit chaque enfant repéré"
        " par les enseignants : orthophoniste, éducatrice, psychologue. Des ateliers réunissent"
        " les parents pour les aider à suivre les devoirs et à dialoguer avec l'école ; le"
        " programme a limité les exclusions et l'absentéisme.",
    ),
    "prevention-delinquance": TagInput(
        title="Une année de travail du conseil local de sécurité",
        text="Les dégradations de voitures et les rixes entre groupes de garçons ont reculé depuis"
        " que la cellule de veille se réunit chaque mois. Policiers municipaux et éducateurs"
        " de rue partagent leurs constats ; les victimes sont orientées vers l'association"
        " d'aide aux victimes.",
    ),
    "mediation-sociale": TagInput(
        title="Les adultes relais, passeurs entre habitants et institutions",
        text="Recrutés parmi les habitants, ils vont au-devant des familles, apaisent les conflits"
        " de voisinage et accompagnent les personnes vers les services publics. Leur présence"
        " le soir au pied des immeubles a fait baisser les tensions.",
    ),
    "emploi-insertion": TagInput(
        title="Quarante mille heures de travail pour les chômeurs du quartier",
        text="Sur les chantiers de la ville, les entreprises ont réservé une part des heures"
        " travaillées à des personnes sans emploi habitant les quartiers prioritaires. Le PLIE"
        " a repéré les candidats et les a accompagnés ; un tiers a signé un contrat durable.",
    ),
    "renovation-urbaine": TagInput(
        title="Démolir, reconstruire, reloger : le projet de Volga-Plage",
        text="La convention signée avec l'ANRU prévoit d'abattre les bâtiments les plus vétustes,"
        " de reconstruire sur place et d'ouvrir de nouvelles rues pour désenclaver le quartier."
        " Chaque famille concernée par le relogement a été reçue individuellement.",
    ),
    "developpement-durable": TagInput(
        title="Vers un écoquartier sur les hauteurs de Trénelle",
        text="Le projet privilégie la marche et le bus, récupère l'eau de pluie et équipe les"
        " toits de panneaux solaires. La préservation de la ravine et des jardins partagés"
        " complète un plan d'aménagement attentif aux risques de glissement de terrain.",
    ),
    "discriminations": TagInput(
        title="À diplôme égal, une adresse qui pénalise",
        text="Un testing auprès de 150 recruteurs montre qu'un candidat domicilié dans un quartier"
        " prioritaire reçoit deux fois moins de réponses. Le plan d'action prévoit de former les"
        " recruteurs et de travailler sur les stéréotypes et les préjugés liés à l'origine.",
    ),
    "sante": TagInput(
        title="Les besoins de santé des habitants de Sainte-Thérèse",
        text="Beaucoup renoncent à se soigner faute de médecin proche ou de complémentaire. Le"
        " diabète, le surpoids des enfants et l'alcool chez les jeunes sont les priorités"
        " retenues par l'Atelier Santé Ville.",
    ),
    "logement": TagInput(
        title="Attendre un toit : la demande de logement social en Martinique",
        text="Plus de dix mille ménages attendent une attribution alors que les bailleurs"
        " livrent peu de logements neufs. Les impayés de loyer augmentent et la suroccupation"
        " se répand dans le parc ancien.",
    ),
    "vie-associative": TagInput(
        title="Soutenir les petites associations de quartier",
        text="Les bénévoles qui les font vivre manquent de temps pour monter des dossiers de"
        " subvention. Le fonds de participation des habitants finance de petits projets et le"
        " DLA aide les dirigeants à consolider leur structure.",
    ),
    "culture": TagInput(
        title="Le bèlè au cœur du quartier",
        text="Chaque semaine, des ateliers de danse et de tambour réunissent enfants et anciens."
        " Un spectacle de fin d'année et une exposition de photographies sur l'histoire du"
        " quartier clôturent le projet, soutenu par la DAC.",
    ),
}


@pytest.mark.parametrize("slug", list(DOCUMENTS))
def test_a_short_text_about_one_thematic_gets_it_first(tagger, slug):
    assert slugs(tagger, DOCUMENTS[slug])[:1] == [slug]


def test_every_assignment_is_automatic_scored_and_explained(tagger):
    for doc in DOCUMENTS.values():
        for assignment in tagger.tag(doc):
            assert assignment.source is ThemeSource.AUTO
            assert 0 < assignment.score < 1
            assert assignment.evidence["terms"]
            assert explain(assignment.evidence)


def test_an_off_topic_text_gets_no_thematic(tagger):
    recipe = TagInput(
        title="Blaff de poisson",
        text="Faire mariner le poisson avec du citron vert, de l'ail et du piment. Porter l'eau à"
        " ébullition avec les aromates, puis pocher le poisson dix minutes. Servir chaud.",
    )
    assert tagger.tag(recipe) == []


def test_everyday_words_alone_in_the_text_are_not_enough(tagger):
    party = TagInput(
        title="Compte rendu de la journée du 12 juin",
        text="Les enfants, les parents et les animateurs ont partagé un repas à l'école. Il"
        " faisait beau et les familles sont restées tard.",
    )
    assert tagger.tag(party) == []


def test_evidence_lists_terms_with_counts_and_a_passage_with_its_page(tagger):
    pages = [
        "Introduction générale. Ce document présente le territoire et ses habitants.",
        "Le contrat urbain de cohésion sociale a été signé en 2007. Le contrat urbain de"
        " cohésion sociale couvre cinq quartiers et le CUCS finance quarante actions par an.",
        "Annexes : liste des sigles et des partenaires.",
    ]
    doc = TagInput(title="Rapport d'activité 2009", text="\f".join(pages))
    [first, *_] = tagger.tag(doc)
    assert first.slug == "evaluation"
    terms = first.evidence["terms"]
    # The expansion (twice) and the acronym (once) are one concept: counted together.
    assert {
        "term": "contrat urbain de cohésion sociale / CUCS",
        "count": 3,
        "field": "text",
    } in terms
    passage = first.evidence["passages"][0]
    assert passage["page"] == 2
    assert passage["field"] == "text"
    assert len(passage["text"]) <= 200
    assert "cohésion sociale" in passage["text"] or "CUCS" in passage["text"]


def test_evidence_of_a_single_page_text_has_no_page_number(tagger):
    [first, *_] = tagger.tag(DOCUMENTS["renovation-urbaine"])
    assert first.evidence["passages"][0]["page"] is None
    assert "ANRU" in first.evidence["passages"][0]["text"]


def test_a_passage_inside_a_long_text_is_short_and_centred_on_the_match(tagger):
    filler = "Le comité s'est réuni et a examiné les points inscrits à l'ordre du jour. " * 300
    text = (
        filler + "La gestion urbaine de proximité mobilise les gardiens et les services." + filler
    )
    doc = TagInput(title="Comité de suivi de la gestion urbaine de proximité", text=text)
    [first] = [a for a in tagger.tag(doc) if a.slug == "renovation-urbaine"]
    passage = first.evidence["passages"][0]["text"]
    assert "gestion urbaine de proximité" in passage
    assert passage.startswith("…") and passage.endswith("…") and len(passage) <= 200


def test_the_title_weighs_more_than_the_text(tagger):
    in_title = TagInput(title="La santé des habitants", text="Le rapport présente les résultats.")
    in_text = TagInput(title="Rapport", text="Le rapport présente les résultats sur la santé.")
    assert tagger.scores(in_title)[0].score > tagger.scores(in_text)[0].score


def test_a_long_report_mentioning_youth_often_is_less_about_youth_than_a_short_note(tagger):
    """GIVEN the same word in a 2-page note (5 times) and a 100-page report (30 times)
    WHEN both are scored THEN the note is more about youth than the report."""
    sentence = "Le comité a examiné les budgets, les marchés et les délibérations de l'année. "
    note = " ".join(["Les jeunes du quartier ont été consultés."] * 5) + sentence * 40
    report = " ".join(["Les jeunes du quartier ont été consultés."] * 30) + sentence * 3000

    def youth(text: str) -> float:
        found = {s.slug: s.score for s in tagger.scores(TagInput(title="Compte rendu", text=text))}
        return found.get("jeunesse", 0.0)

    assert youth(note) > youth(report) > 0


def test_the_score_says_where_its_evidence_was_found(tagger):
    """The learned model reads where a thematic was found: the raw score is split over the
    fields, and the part owed to everyday words is kept apart."""
    doc = TagInput(
        title="Les locataires de Dillon",
        keywords=("logement social",),
        abstract="Les bailleurs et les propriétaires parlent du parc.",
        text="Le bailleur social a reçu les locataires.",
    )
    housing = next(s for s in tagger.scores(doc) if s.slug == "logement")
    title, keywords, abstract, text = housing.by_field
    assert min(title, keywords, abstract, text) > 0
    assert title + keywords + abstract + text == pytest.approx(housing.raw)
    # The abstract holds only everyday words (bailleurs, propriétaires, parc).
    assert housing.cue_raw == pytest.approx(abstract)
    assert housing.concepts == 6  # and locataires, logement social, bailleur social


def test_acronyms_count_only_when_written_in_capitals(tagger):
    acronym = TagInput(
        title="Note", text="Le PRE suit désormais quatre-vingts enfants du quartier."
    )
    meadow = TagInput(
        title="Note", text="Le pré derrière l'école sert de terrain de jeu aux enfants."
    )
    assert "reussite-educative" in {s.slug for s in tagger.scores(acronym)}
    assert "reussite-educative" not in slugs(tagger, meadow)


def test_an_institution_named_everywhere_signals_no_thematic(tagger):
    doc = TagInput(
        title="Note",
        text="La CAF et le CCAS ont cofinancé l'action ; la CAF a versé le solde et la caisse"
        " d'allocations familiales suivra les familles avec le CCAS.",
    )
    assert slugs(tagger, doc) == []


def test_keywords_from_the_catalogue_are_used(tagger):
    doc = TagInput(
        title="Actes de la journée du 3 mars 2010", keywords=("ZFU", "création d'entreprise")
    )
    assert slugs(tagger, doc)[:1] == ["emploi-insertion"]


def test_at_most_three_thematics_best_first(tagger):
    text = " ".join(d.text for d in DOCUMENTS.values())
    found = tagger.tag(TagInput(title="Recueil d'expériences", text=text))
    assert 1 <= len(found) <= DEFAULT_SETTINGS.max_themes
    assert [a.score for a in found] == sorted((a.score for a in found), reverse=True)


def test_precomputed_text_terms_give_the_same_result(tagger):
    doc = DOCUMENTS["logement"]
    given = TagInput(doc.title, doc.abstract, doc.keywords, doc.text, "fr", analyze(doc.text, "fr"))
    assert tagger.tag(given) == tagger.tag(doc)


def test_the_tagger_survives_pickling_for_worker_processes(tagger):
    clone = pickle.loads(pickle.dumps(tagger))
    assert clone.tag(DOCUMENTS["sante"]) == tagger.tag(DOCUMENTS["sante"])


@pytest.mark.parametrize(
    "doc",
    [
        TagInput(),
        TagInput(title="   ", text="\f\f\n"),
        TagInput(text="." * 5000),
        TagInput(title="x" * 10_000, language="zz"),
    ],
    ids=["empty", "blank", "punctuation", "odd-language"],
)
def test_odd_documents_get_no_thematic_and_do_not_crash(tagger, doc):
    assert tagger.tag(doc) == []


def test_a_title_alone_that_is_a_vocabulary_term_is_enough(tagger):
    """A paper record known only by its title « Contrat de ville » belongs to the thematic
    whose term it is (evaluation: « … dispositifs (CUCS, contrats de ville) »), and to no other."""
    found = tagger.tag(TagInput(title="Contrat de ville"))
    assert [t.slug for t in found] == ["evaluation"]


def test_an_english_document_is_tagged_with_english_terms_and_french_acronyms(tagger):
    doc = TagInput(
        title="Youth policy in the French Caribbean",
        text="This study looks at what young people aged 16 to 25 expect from the city: places"
        " to meet, leisure and support for their own projects. Youth workers report...",
        language="en",
    )
    assert slugs(tagger, doc)[:1] == ["jeunesse"]


def test_a_spanish_document_is_tagged_with_spanish_terms(tagger):
    doc = TagInput(
        title="Salud y acceso a la salud en los barrios",
        text="El estudio describe las dificultades de acceso a la salud y la salud mental de los"
        " habitantes; la obesidad infantil es una prioridad.",
        language="es",
    )
    assert slugs(tagger, doc)[:1] == ["sante"]


def test_evidence_passages_skip_table_rows_and_run_together_headings(tagger):
    # The acronym first occurs in a heading list and in a row of figures; the passage shown
    # must be the sentence that uses it, and it must contain the term it illustrates.
    text = (
        "SOMMAIRE 1. CONTEXTE 2. ANRU ET RHI 3. BILAN 4. ANNEXES\n"
        "Opération ANRU 2008 2009 2010 1 200 3 450 12 800 4 560 7 800 14 300 2 100 9 870\n"
        "Le programme de rénovation urbaine signé avec l'ANRU prévoit la démolition de"
        " cent logements insalubres et le relogement des familles dans le quartier même,"
        " avec un suivi social de chaque ménage par la maîtrise d'œuvre urbaine et sociale."
    )
    first = next(
        a
        for a in tagger.tag(TagInput(title="Point d'étape", text=text))
        if a.slug == "renovation-urbaine"
    )
    passages = first.evidence["passages"]
    assert passages
    for passage in passages:
        assert passage["term"].split(" / ")[0].casefold() in passage["text"].casefold() or any(
            word in passage["text"] for word in ("ANRU", "rénovation urbaine", "relogement")
        )
        assert "SOMMAIRE" not in passage["text"]
        assert "12 800" not in passage["text"]


def test_the_evidence_of_a_proposal_lists_the_matches_its_score_has(tagger):
    # tag() builds the matches of the thematics it keeps only; scores() of every thematic.
    for doc in DOCUMENTS.values():
        scores = {s.slug: s for s in tagger.scores(doc)}
        assert all(s.matches for s in scores.values())
        for assignment in tagger.tag(doc):
            matches = scores[assignment.slug].matches
            assert assignment.evidence["terms"] == [
                {"term": m.term, "count": m.count, "field": m.field} for m in matches[:8]
            ]
