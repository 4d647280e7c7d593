"""A small fund of records with every character and case that breaks exchange formats:
accents, œ, « », quotes, braces, ampersands, TeX specials, Spanish ñ, organisations, missing
fields, long abstracts; one record deleted (no export may carry it)."""

from __future__ import annotations

from collections.abc import Iterable

from library import (
    Author,
    AuthorKind,
    Catalogue,
    Copy,
    DocType,
    Record,
    Series,
    Support,
    ThemeAssignment,
    ThemeSource,
)

ORG = AuthorKind.ORGANISATION
THEME_LABELS = {
    "evaluation": "Évaluation des politiques et dispositifs (CUCS, contrats de ville)",
    "jeunesse": "Politiques de jeunesse",
    "mediation-sociale": "Médiation sociale",
    "logement": "Logement et habitat",
    "culture": "Culture dans les quartiers",
}


def auto(slug: str, score: float = 0.5) -> ThemeAssignment:
    return ThemeAssignment(slug, ThemeSource.AUTO, score, {"title": ["mot"]})


def awkward_records() -> list[Record]:
    return [
        Record(
            title="Les « grands frères » & la médiation : 100 % réussite ?",
            subtitle="Étude à Fort-de-France, l'œuvre d'Españita",
            authors=(
                Author("Joseph-Angélique, Marie"),
                Author("Ville de Fort-de-France", ORG),
                Author("Núñez, Iñigo"),
            ),
            publisher="L'Harmattan",
            place="Paris",
            date="2009-05-12",
            year=2009,
            doc_type=DocType.ETUDE,
            support=Support.PAPIER,
            language="fr",
            pages=120,
            isbn="9782296529137",
            call_number="303.69 BEL",
            abstract=(
                'Résumé "entre guillemets" et {accolades} ;\nsur deux lignes, avec $ # _ \\ ~ ^.'
            ),
            keywords=("médiation", "cœur de ville", "grands frères"),
            territories=("Fort-de-France", "Martinique"),
            themes=(
                ThemeAssignment("mediation-sociale", ThemeSource.MANUAL),
                auto("jeunesse", 0.4),
            ),
            notes="Exemplaire abîmé {réparé}",
            series=(Series("Cahiers « Ville caraïbe »", "12"), Series("Études & terrains", "3-4")),
            edition="2e édition revue et augmentée",
            physical_description="120 p. : ill. ; 24 cm",
            public_note="Dédicacé par l'auteure {sic}",
            acquired_on="2010-02-03",
            copies=(Copy("CRPV100001", "303.69 BEL", "Réserve"),),
        ),
        Record(
            title="Cultura y cohesión social en las ciudades del Caribe",
            subtitle="Memorias del seminario regional",
            authors=(Author("Oficina Regional de Cultura para América Latina y el Caribe", ORG),),
            publisher="UNESCO",
            place="La Habana",
            year=2009,
            date="2009",
            doc_type=DocType.ACTES,
            support=Support.PAPIER,
            language="es",
            pages=176,
            call_number="ACT 2009 UNE",
            abstract="Este volumen reúne las ponencias de un seminario sobre la niñez y el año.",
            keywords=("cultura", "cohesión social"),
            territories=("Caraïbe",),
            themes=(auto("culture", 0.9),),
            series=(Series("Memorias del Caribe", "IV"),),
            edition="Primera edición",
            copies=(Copy("CRPV100002", "ACT 2009 UNE", "Salle"),),
        ),
        Record(
            title="Évaluation du CUCS de Schœlcher",
            authors=(
                Author("Ô'Neill, Anne-Sophie"),
                Author("Dupont-Œillet, Jean"),
                Author("Cabinet {Kaléido} & associés", ORG),
                Author("Martin, Léa"),
            ),
            publisher="CRPV Martinique",
            place="Fort-de-France",
            year=2012,
            date="2012-03",
            doc_type=DocType.RAPPORT,
            support=Support.ELECTRONIQUE,
            language="fr",
            pages=48,
            url="https://exemple.org/rapport?id=1&format=pdf",
            abstract="Le rapport évalue le contrat urbain de cohésion sociale (CUCS).",
            keywords=("CUCS", "évaluation"),
            themes=(auto("evaluation", 0.95),),
        ),
        Record(
            title="Médiateurs : les nouveaux métiers du lien",
            subtitle="Lien social, n° 982",
            authors=(Author("Lien social", ORG),),
            publisher="Lien social",
            place="Toulouse",
            year=2010,
            date="2010",
            doc_type=DocType.REVUE,
            support=Support.PAPIER,
            language="fr",
            pages=32,
            issn="1166-1941",
            keywords=("médiateurs",),
            themes=(auto("mediation-sociale"),),
        ),
        Record(
            title="Habiter les mornes : l'habitat spontané",
            authors=(Author("Bellerose, Kévin"),),
            publisher="Université des Antilles et de la Guyane",
            place="Schœlcher",
            year=2008,
            doc_type=DocType.MEMOIRE,
            support=Support.PAPIER,
            language="fr",
            pages=136,
            keywords=("habitat spontané",),
            themes=(auto("logement"),),
        ),
        Record(
            title="Urban indicators for Caribbean cities",
            authors=(Author("O'Brien, Patrick"),),
            publisher="",
            place="",
            year=None,
            doc_type=DocType.ARTICLE,
            support=Support.ELECTRONIQUE,
            language="en",
            abstract="A working paper on indicators.",
        ),
        Record(
            title="Arrêté préfectoral n° 2010-1234 portant déclaration d'insalubrité",
            authors=(Author("Préfecture de la Martinique", ORG),),
            publisher="Préfecture de la Martinique",
            place="Fort-de-France",
            year=2010,
            doc_type=DocType.TEXTE_OFFICIEL,
            support=Support.ELECTRONIQUE,
            language="fr",
            pages=4,
            themes=(auto("logement", 0.7),),
        ),
        Record(
            title="Notice retirée du fonds (supprimée)",
            year=2005,
            doc_type=DocType.AUTRE,
            support=Support.ELECTRONIQUE,
            language="fr",
        ),
    ]


DELETED_TITLE = "Notice retirée du fonds (supprimée)"


def fill(catalogue: Catalogue, records: Iterable[Record] | None = None) -> list[Record]:
    """Store the records (the last awkward one deleted); the stored versions, live ones first."""
    stored = []
    for number, record in enumerate(records if records is not None else awkward_records(), start=1):
        created = f"2013-0{1 + number % 9}-1{number % 10}T10:00:0{number % 10}Z"
        stored.append(catalogue.add(record, now=created))
    for record in stored:
        if record.title == DELETED_TITLE:
            catalogue.delete(record.id, now="2013-12-01T00:00:00Z")
    return [catalogue.get(r.id) for r in stored]


def live(records: Iterable[Record]) -> list[Record]:
    return [r for r in records if not r.deleted]
