"""The thematic vocabulary: the packaged file, a documentalist's mistakes, fallbacks, SKOS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.instance import load_for_instance, write_instance_vocabulary
from indexer.skos import export_skos, import_skos
from indexer.vocabulary import (
    LAST_GOOD_FILE,
    PACKAGED_VOCABULARY,
    Vocabulary,
    VocabularyError,
    VocabularyProblem,
    load_vocabulary,
    parse_vocabulary,
)
from webapp.messages import vocabulary_problem as said

THEMATICS = {
    "evaluation": "Évaluation des politiques et dispositifs (CUCS, contrats de ville)",
    "observation": "Observation territoriale et veille sociale",
    "jeunesse": "Politiques de jeunesse",
    "reussite-educative": "Réussite éducative et parentalité",
    "prevention-delinquance": "Prévention de la délinquance et tranquillité publique",
    "mediation-sociale": "Médiation sociale",
    "emploi-insertion": "Développement économique, emploi et insertion",
    "renovation-urbaine": "Rénovation urbaine et gestion urbaine de proximité",
    "developpement-durable": "Aménagement et développement durable",
    "discriminations": "Lutte contre les discriminations et intégration",
    "sante": "Santé",
    "logement": "Logement et habitat",
    "vie-associative": "Vie associative et économie sociale et solidaire",
    "culture": "Culture dans les quartiers",
}

SMALL = """\
[vocabulaire]
titre = "Petit vocabulaire"

[[thematique]]
slug = "jeunesse"
libelle = "Politiques de jeunesse"
note = "Les jeunes."
termes = ["jeunesse", "adolescents"]
indices = ["loisirs"]

[[thematique]]
slug = "sante"
libelle = "Santé"
termes = ["santé", "accès aux soins"]
synonymes = [["addictions", "toxicomanie"]]

[thematique.sigles]
ASV = "Atelier Santé Ville"
"""


@pytest.fixture(scope="module")
def packaged() -> Vocabulary:
    return load_vocabulary(PACKAGED_VOCABULARY)


def write(tmp_path: Path, text: str, name: str = "vocabulary.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> VocabularyError:
    with pytest.raises(VocabularyError) as caught:
        load_vocabulary(write(tmp_path, text))
    return caught.value


# -- the packaged vocabulary ------------------------------------------------------------------


def test_the_packaged_vocabulary_has_the_fourteen_thematics_of_the_centre(packaged):
    assert packaged.labels() == THEMATICS
    assert all(theme.scope_note for theme in packaged.themes)
    assert packaged.term_count() > 1000


def test_the_packaged_vocabulary_knows_the_acronyms_of_urban_policy(packaged):
    acronyms = {a.acronym: t.slug for t in packaged.themes for a in t.acronyms}
    expected = {
        "CUCS": "evaluation",
        "ANRU": "renovation-urbaine",
        "PRU": "renovation-urbaine",
        "GUP": "renovation-urbaine",
        "CLSPD": "prevention-delinquance",
        "FIPD": "prevention-delinquance",
        "PRE": "reussite-educative",
        "CLAS": "reussite-educative",
        "CESC": "reussite-educative",
        "REAAP": "reussite-educative",
        "PLIE": "emploi-insertion",
        "ZFU": "emploi-insertion",
        "ESS": "vie-associative",
        "HALDE": "discriminations",
        "ACSé": "evaluation",
        "ASV": "sante",
        "RHI": "renovation-urbaine",
        "DLA": "vie-associative",
        "QPV": "observation",
        "NPNRU": "renovation-urbaine",
        "CGET": "evaluation",
        "ANCT": "evaluation",
    }
    assert {k: acronyms.get(k) for k in expected} == expected


def test_institutions_the_fund_names_are_searchable_by_acronym_without_tagging(packaged):
    # CAF, CCAS and the like appear in reports on any thematic: a query for one finds the other
    # form, and neither signals a thematic (weight 0)
    groups = packaged.equivalences()
    assert ("CAF", "caisse d'allocations familiales") in groups
    assert ("CCAS", "centre communal d'action sociale") in groups
    weights = {
        term.text: term.weight
        for theme in packaged.themes
        for term in theme.weighted_terms(packaged.weights())
    }
    assert weights["CAF"] == weights["caisse d'allocations familiales"] == 0
    assert weights["CCAS"] == weights["CACEM"] == 0


def test_equivalences_pair_acronyms_with_their_expansion_and_group_synonyms(packaged):
    groups = packaged.equivalences()
    assert ("ZFU", "zone franche urbaine") in groups
    assert any("décrochage scolaire" in g and "abandon scolaire" in g for g in groups)
    assert all(len(g) >= 2 for g in groups)


def test_related_expressions_are_kept_apart_from_equivalences(packaged):
    related = packaged.related()
    assert ("contrat de ville", "contrat urbain de cohésion sociale") in related
    assert not any("contrat de ville" in g for g in packaged.equivalences())


def test_a_vocabulary_written_back_as_toml_reads_the_same(packaged):
    assert parse_vocabulary(packaged.to_toml("en-tête")) == packaged


# -- a documentalist's mistakes -----------------------------------------------------------------


def test_a_syntax_error_names_the_file_and_the_line(tmp_path):
    text = SMALL.replace(
        'termes = ["santé", "accès aux soins"]', 'termes = ["santé", "accès aux soins"'
    )
    error = error_of(tmp_path, text)
    assert error.line in (14, 15)  # the unclosed list runs into the next line
    assert f"vocabulary.toml, ligne {error.line}, colonne" in said(error)
    assert "erreur de syntaxe TOML" in said(error)


def test_a_missing_equal_sign_is_explained_in_french(tmp_path):
    error = error_of(tmp_path, SMALL.replace('slug = "sante"', 'slug "sante"'))
    assert "ligne 12, colonne 6" in said(error) and "« = » attendu" in said(error)


def test_a_duplicate_slug_points_at_the_second_thematic(tmp_path):
    error = error_of(tmp_path, SMALL.replace('slug = "sante"', 'slug = "jeunesse"'))
    assert said(error).startswith(f"{tmp_path / 'vocabulary.toml'}, ligne 12 :")
    assert "slug « jeunesse » en double" in said(error) and "ligne 4" in said(error)


def test_an_unknown_key_of_a_thematic_is_named_with_its_line(tmp_path):
    error = error_of(tmp_path, SMALL.replace('termes = ["santé"', 'termse = ["santé"'))
    assert "ligne 14" in said(error) and "clé inconnue « termse »" in said(error)


def test_an_unknown_top_level_table_is_refused(tmp_path):
    error = error_of(tmp_path, "[reglages]\nseuil = 2\n" + SMALL)
    assert "ligne 1" in said(error) and "« reglages »" in said(error)


def test_an_empty_term_is_refused_with_its_line(tmp_path):
    error = error_of(tmp_path, SMALL.replace('indices = ["loisirs"]', 'indices = ["loisirs", " "]'))
    assert "ligne 9" in said(error) and "terme vide" in said(error)


def test_a_term_made_only_of_stop_words_is_refused(tmp_path):
    error = error_of(tmp_path, SMALL.replace('"adolescents"', '"de la"'))
    assert "ligne 8" in said(error) and "« de la »" in said(error) and "mots vides" in said(error)


def test_a_thematic_without_terms_is_refused(tmp_path):
    text = SMALL.replace('termes = ["jeunesse", "adolescents"]\nindices = ["loisirs"]\n', "")
    error = error_of(tmp_path, text)
    assert "ligne 4" in said(error) and "« jeunesse » n'a aucun terme" in said(error)


def test_a_weight_for_a_term_the_thematic_does_not_have_is_refused(tmp_path):
    error = error_of(tmp_path, SMALL + '\n[thematique.poids]\n"cancer" = 2\n')
    assert "ligne 21" in said(error) and "« cancer » n'est pas un terme" in said(error)


def test_synonyms_must_be_groups(tmp_path):
    error = error_of(tmp_path, SMALL.replace('[["addictions", "toxicomanie"]]', '["addictions"]'))
    assert "ligne 15" in said(error) and "groupe de synonymes invalide" in said(error)


def test_related_expressions_must_be_groups(tmp_path):
    text = SMALL.replace(
        'synonymes = [["addictions", "toxicomanie"]]',
        'synonymes = [["addictions", "toxicomanie"]]\nassocies = ["addictions"]',
    )
    error = error_of(tmp_path, text)
    assert "ligne 16" in said(error) and "groupe de termes associés invalide" in said(error)


def test_a_slug_with_capitals_or_accents_is_refused(tmp_path):
    error = error_of(tmp_path, SMALL.replace('slug = "sante"', 'slug = "Santé"'))
    assert "ligne 12" in said(error) and "slug « Santé » invalide" in said(error)


def test_a_file_not_in_utf8_is_reported_with_its_line(tmp_path):
    path = tmp_path / "vocabulary.toml"
    path.write_bytes(SMALL.encode("cp1252"))
    with pytest.raises(VocabularyError) as caught:
        load_vocabulary(path)
    assert (caught.value.code, caught.value.line) == (VocabularyProblem.NOT_UTF8, 13)
    assert "ligne 13 : le fichier doit être enregistré en UTF-8" in said(caught.value)


def test_a_missing_file_is_a_vocabulary_error(tmp_path):
    with pytest.raises(VocabularyError) as caught:
        load_vocabulary(tmp_path / "absent.toml")
    assert "absent.toml : fichier illisible" in said(caught.value)


# -- the instance's own vocabulary and its fallbacks -------------------------------------------


def test_without_its_own_file_an_instance_uses_the_packaged_vocabulary(instance, packaged):
    loaded = load_for_instance(instance)
    assert loaded.path == PACKAGED_VOCABULARY
    assert loaded.error is None
    assert loaded.vocabulary == packaged


def test_a_valid_instance_file_is_used_and_kept_as_the_last_good_one(instance):
    write(instance, SMALL)
    loaded = load_for_instance(instance)
    assert loaded.path == instance / "vocabulary.toml"
    assert list(loaded.vocabulary.labels()) == ["jeunesse", "sante"]
    saved = json.loads((instance / LAST_GOOD_FILE).read_text(encoding="utf-8"))
    assert Vocabulary.from_dict(saved["vocabulary"]) == loaded.vocabulary


def test_a_broken_edit_leaves_the_previous_vocabulary_in_force_and_says_why(instance):
    write(instance, SMALL)
    good = load_for_instance(instance).vocabulary
    write(instance, SMALL.replace('slug = "sante"', 'slug = "jeunesse"'))
    loaded = load_for_instance(instance)
    assert loaded.vocabulary == good
    assert loaded.path == instance / LAST_GOOD_FILE
    assert loaded.error is not None and loaded.error.code is VocabularyProblem.DUPLICATE_SLUG
    assert "en double" in said(loaded.error) and "ligne 12" in said(loaded.error)


def test_a_broken_first_edit_falls_back_to_the_packaged_vocabulary(instance, packaged):
    write(instance, "[[thematique]\n")
    loaded = load_for_instance(instance)
    assert loaded.vocabulary == packaged
    assert loaded.path == PACKAGED_VOCABULARY
    assert loaded.error is not None and "erreur de syntaxe TOML" in said(loaded.error)


def test_installing_a_vocabulary_keeps_a_backup_and_refuses_an_invalid_text(instance):
    write(instance, SMALL)
    backup = write_instance_vocabulary(instance, SMALL.replace("Petit", "Autre"))
    assert backup is not None and backup.read_text(encoding="utf-8") == SMALL
    with pytest.raises(VocabularyError):
        write_instance_vocabulary(instance, "titre = 3\n")
    assert load_for_instance(instance).vocabulary.title == "Autre vocabulaire"


# -- SKOS --------------------------------------------------------------------------------------


def comparable(vocabulary: Vocabulary) -> list[tuple]:
    """Thematics and their terms, ignoring the order of labels (RDF graphs have none)."""
    return [
        (
            t.slug,
            t.label,
            t.scope_note,
            frozenset(t.terms),
            frozenset(t.narrower),
            frozenset(t.cues),
            frozenset((g[0], frozenset(g[1:])) for g in t.synonyms),
            frozenset(
                (a.acronym, a.expansions[0], frozenset(a.expansions[1:])) for a in t.acronyms
            ),
            frozenset((lang, frozenset(terms)) for lang, terms in t.foreign),
            frozenset(t.weights),
            frozenset(frozenset(g) for g in t.related),
            frozenset((fr, frozenset(others)) for fr, others in t.translations),
        )
        for t in vocabulary.themes
    ]


@pytest.mark.parametrize(("fmt", "suffix"), [("turtle", ".ttl"), ("rdfxml", ".rdf")])
def test_skos_export_then_import_gives_the_same_thematics_and_terms(
    tmp_path, packaged, fmt, suffix
):
    path = tmp_path / f"vocabulaire{suffix}"
    path.write_text(export_skos(packaged, fmt), encoding="utf-8")
    imported = import_skos(path)
    assert comparable(imported) == comparable(packaged)
    assert imported.default_weights == packaged.default_weights
    assert imported.title == packaged.title


def test_a_thesaurus_from_another_centre_becomes_thematics(tmp_path):
    path = write(
        tmp_path,
        """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/thesaurus/> .
ex:scheme a skos:ConceptScheme ; skos:prefLabel "Thésaurus ville"@fr .
ex:habitat a skos:Concept ; skos:prefLabel "Habitat et logement"@fr ;
    skos:scopeNote "Le logement sous toutes ses formes."@fr ;
    skos:altLabel "logement"@fr, "housing"@en ; skos:hiddenLabel "locataires"@fr ;
    skos:narrower ex:social .
ex:social a skos:Concept ; skos:prefLabel "logement social"@fr ; skos:narrower ex:hlm .
ex:hlm a skos:Concept ; skos:prefLabel "habitation à loyer modéré"@fr ; skos:altLabel "HLM"@fr .
ex:emploi a skos:Concept ; skos:prefLabel "Emploi"@fr ; skos:notation "emploi" ;
    skos:altLabel "chômage"@fr .
""",
        name="autre.ttl",
    )
    vocabulary = import_skos(path)
    assert vocabulary.labels() == {"emploi": "Emploi", "habitat-et-logement": "Habitat et logement"}
    habitat = vocabulary.theme("habitat-et-logement")
    assert habitat.terms == ("logement",)
    assert habitat.cues == ("locataires",)
    assert habitat.narrower == ("logement social",)
    assert [(a.acronym, a.expansions) for a in habitat.acronyms] == [
        ("HLM", ("habitation à loyer modéré",))
    ]
    assert habitat.foreign_terms("en") == ("housing",)
    assert habitat.scope_note == "Le logement sous toutes ses formes."


def test_related_concepts_of_another_centre_become_related_expressions_for_the_search(tmp_path):
    path = write(
        tmp_path,
        """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/thesaurus/> .
ex:ville a skos:Concept ; skos:prefLabel "Politique de la ville"@fr ;
    skos:narrower ex:cdv, ex:cucs, ex:pru .
ex:cdv a skos:Concept ; skos:prefLabel "contrat de ville"@fr ; skos:related ex:cucs .
ex:cucs a skos:Concept ; skos:prefLabel "contrat urbain de cohésion sociale"@fr .
ex:pru a skos:Concept ; skos:prefLabel "projet de rénovation urbaine"@fr .
""",
        name="associes.ttl",
    )
    ville = import_skos(path).theme("politique-de-la-ville")
    # skos:related is symmetric: one direction written is enough to make the group
    assert ville.related == (("contrat de ville", "contrat urbain de cohésion sociale"),)
    assert set(ville.narrower) == {
        "contrat de ville",
        "contrat urbain de cohésion sociale",
        "projet de rénovation urbaine",
    }


def test_the_packaged_related_expressions_travel_as_skos_related(packaged):
    turtle = export_skos(packaged, "turtle")
    assert "skos:related" in turtle
    assert "fonds:translation" in turtle
    # a concept made only to carry a related expression is marked, so that importing the file
    # back does not turn it into a narrower term that would weigh in tagging
    assert "fonds:searchOnly true" in turtle


def test_a_file_that_is_not_skos_is_refused_in_french(tmp_path):
    path = write(tmp_path, "ceci n'est pas du RDF <<<", name="faux.ttl")
    with pytest.raises(VocabularyError) as caught:
        import_skos(path)
    assert "fichier SKOS illisible" in said(caught.value)
    empty = write(tmp_path, "@prefix ex: <http://example.org/> .\n", name="vide.ttl")
    with pytest.raises(VocabularyError) as caught:
        import_skos(empty)
    assert caught.value.code is VocabularyProblem.NO_CONCEPT
    assert "aucun concept SKOS" in said(caught.value)


# -- translations: a French expression and its English and Spanish names -----------------------


def test_translations_are_read_written_and_checked(tmp_path):
    text = (
        SMALL
        + '\n[thematique.traductions]\n"accès aux soins" = ["access to health care",'
        + (' "acceso a la salud"]\n"santé" = "health"\n')
    )
    vocabulary = load_vocabulary(write(tmp_path, text))
    sante = vocabulary.themes[1]
    assert sante.translations == (
        ("accès aux soins", ("access to health care", "acceso a la salud")),
        ("santé", ("health",)),
    )
    assert parse_vocabulary(vocabulary.to_toml()) == vocabulary
    assert Vocabulary.from_dict(vocabulary.to_dict()) == vocabulary
    error = error_of(tmp_path, SMALL + '\n[thematique.traductions]\n"santé" = []\n')
    assert "traduction de « santé »" in said(error) and error.line


def test_the_packaged_vocabulary_translates_expressions_of_every_thematic(packaged):
    assert all(theme.translations for theme in packaged.themes)
    translated = {f: o for t in packaged.themes for f, o in t.translations}
    assert "youth employment" in translated["emploi des jeunes"]
    assert "violencia" in translated["violences"]


# -- where a key is defined (every load asks, valid files included) ----------------------------

_KEY_LINE_PARTS = st.sampled_from(
    [
        " ",
        "\t",
        '"',
        "=",
        "[",
        "]",
        ".",
        "thematique",
        "slug",
        "jeunes",
        "sigles",
        "x",
        "é",
        "\u00a0",
    ]
)


@given(
    line=st.lists(_KEY_LINE_PARTS, max_size=9).map("".join),
    key=st.sampled_from(["slug", "jeunes", "sigles", "thematique", "x.y", "é"]),
)
def test_a_key_is_found_on_the_lines_the_toml_grammar_defines_it(line, key):
    import re

    from indexer.vocabulary.checker import defines_key

    grammar = re.compile(
        rf"^\s*(?:\"?{re.escape(key)}\"?\s*=|\[\s*(?:thematique\s*\.\s*)?{re.escape(key)}\s*\])"
    )
    assert defines_key(line, key) == bool(grammar.search(line))
