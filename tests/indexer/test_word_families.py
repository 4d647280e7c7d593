"""Word families: a reader takes décrocheur and décrochage as one; médiation and médiathèque not.

The defect this guards against: "jeunes décrocheurs" missed "Le décrochage scolaire en
Martinique", and "médiation" brought a document that only contains "médiathèque"."""

from __future__ import annotations

import pytest

from indexer.search.compiler import family_roots, family_stems

from .keyed_fund import keyed_search

TEXTS = {
    "decrochage": ("Le décrochage scolaire en Martinique", "Les jeunes quittent le collège."),
    "decrocheurs": ("Les décrocheurs du Lamentin", "Des jeunes suivis par la mission locale."),
    "mediateurs": ("Les médiateurs de nuit", "Ils interviennent dans les quartiers."),
    "mediation": ("La médiation sociale", "Un dispositif de proximité."),
    "mediatheque": ("La médiathèque hors les murs", "Des lectures au pied des immeubles."),
    "inserer": ("Insérer par l'activité", "Des chantiers pour les habitants."),
    "insertion": ("Les clauses d'insertion", "Des heures de travail réservées."),
    "traditions": ("Les traditions du carnaval", "Des groupes à pied depuis 1950."),
    "traditionnelle": ("La musique traditionnelle", "Le tambour et la danse."),
    "parentalite": ("Soutenir la parentalité", "Des groupes de parole."),
    "parents": ("Les parents et le collège", "Des rencontres chaque trimestre."),
    "soutien": ("Le soutien scolaire", "Des bénévoles le mercredi."),
    "demolition": ("La démolition des barres", "Trois immeubles en 2010."),
    "demolir": ("Démolir pour reconstruire", "Le débat sur les grands ensembles."),
    "inscriptions": ("Les inscriptions au collège", "Le calendrier de la rentrée."),
    "inscrire": ("S'inscrire à la mission locale", "Les pièces à fournir."),
}


@pytest.fixture(scope="module")
def search(tmp_path_factory):  # type: ignore[no-untyped-def]
    with keyed_search(tmp_path_factory.mktemp("families"), TEXTS) as run:
        yield run


@pytest.mark.parametrize(
    ("query", "first", "relative"),
    [
        ("jeunes décrocheurs", "decrocheurs", "decrochage"),
        ("décrochage", "decrochage", "decrocheurs"),
        ("médiation", "mediation", "mediateurs"),
        ("médiateur", "mediateurs", "mediation"),
        ("insertion", "insertion", "inserer"),
        ("insérer", "inserer", "insertion"),
        ("traditions", "traditions", "traditionnelle"),
        ("traditionnelle", "traditionnelle", "traditions"),
        ("parentalité", "parentalite", "parents"),
        # a verb whose ending changes: soutien/soutenir, démolition/démolir, inscription/inscrire
        ("soutien", "soutien", "parentalite"),
        ("soutenir", "parentalite", "soutien"),
        ("démolition", "demolition", "demolir"),
        ("démolir", "demolir", "demolition"),
        ("inscriptions", "inscriptions", "inscrire"),
    ],
)
def test_a_word_finds_its_family_after_itself(search, query, first, relative) -> None:
    found = search(query)
    assert found[0] == first
    assert relative in found[1:]


def test_a_shared_beginning_is_not_a_family(search) -> None:
    assert "mediatheque" not in search("médiation")
    assert "mediation" not in search("médiathèque")
    assert family_roots("mediatheque") == set()
    assert not family_stems("mediation") & family_stems("mediatheque")


def test_an_adjective_or_a_quality_is_no_family_of_a_shorter_beginning() -> None:
    # the root left once « alité » is cut must still be a word's (5 letters at least)
    assert family_roots("mentalite") == set()
    assert family_roots("fiscalite") == set()
    assert "parent" in family_stems("parentalite")
