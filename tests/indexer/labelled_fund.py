"""A small labelled fund written in code (seeded): what a documentalist confirmed, including
a habit the rules do not know — reports on mediators are about mediation, not employment,
although they speak of the mediators' jobs, training and employers."""

from __future__ import annotations

import random

from indexer.tagging import TagInput

MEDIATION = [
    "Les médiateurs sociaux apaisent les conflits de voisinage",
    "Les adultes relais vont au-devant des familles",
    "La médiation de nuit rassure les habitants des immeubles",
    "Les correspondants de nuit règlent les tensions entre voisins",
    "Une équipe de médiation sociale sillonne le quartier le soir",
]
# What a report on mediators says about their job: everyday words of the employment thematic.
MEDIATORS_AS_WORKERS = [
    "Le métier de médiateur demande une formation et des compétences reconnues par les employeurs",
    "Les recrutements de médiateurs se font sur des emplois aidés",
    "La formation des médiateurs et leurs conditions de travail restent fragiles",
]
EMPLOYMENT = [
    "Le PLIE accompagne les demandeurs d'emploi vers un contrat durable",
    "La mission locale aide les chômeurs à trouver un emploi",
    "Les chantiers d'insertion recrutent des personnes éloignées de l'emploi",
    "Les clauses d'insertion réservent des heures de travail aux habitants",
    "Le chômage de longue durée recule grâce à la formation qualifiante",
]
HOUSING = [
    "Les bailleurs sociaux attribuent les logements sociaux",
    "Les locataires attendent un logement depuis des années",
    "Les impayés de loyer augmentent dans le parc social",
    "La demande de logement social dépasse l'offre",
    "Les copropriétés dégradées inquiètent les propriétaires",
]


def _doc(rng: random.Random, main: list[str], extra: list[str], n: int) -> TagInput:
    sentences = rng.sample(main, 2) + extra + [f"Note n° {n}."]
    rng.shuffle(sentences)
    return TagInput(title=sentences[0], abstract=". ".join(sentences[1:]) + ".")


def labelled_fund(seed: int = 3) -> list[tuple[TagInput, frozenset[str]]]:
    """GIVEN what a documentalist confirmed: reports on mediators are about mediation only."""
    rng = random.Random(seed)
    docs = []
    for n in range(16):
        docs.append(
            (
                _doc(rng, MEDIATION, rng.sample(MEDIATORS_AS_WORKERS, 2), n),
                frozenset({"mediation-sociale"}),
            )
        )
    for n in range(12):
        docs.append((_doc(rng, EMPLOYMENT, [], 100 + n), frozenset({"emploi-insertion"})))
    for n in range(12):
        docs.append((_doc(rng, HOUSING, [], 200 + n), frozenset({"logement"})))
    return docs
