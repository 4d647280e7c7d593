"""Who writes and where: territories with their quartiers, organisations, people's names."""

# ruff: noqa: E501, SIM905  (data: names read better as prose lists)

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Territory:
    """A territory of the fund; `noun` and `locative` are per language (fr, en, es)."""

    name: str  # as catalogued (territoires column)
    kind: str  # commune, region, national
    noun: dict[str, str]  # "Le Lamentin" (the composer turns "de Le" into "du")
    locative: dict[str, str]  # "au Lamentin", "in Le Lamentin"
    quartiers: tuple[str, ...]
    organisations: tuple[str, ...]  # publishers that speak for this territory
    region: str = ""  # the region a commune belongs to, catalogued beside it
    place: str = "Fort-de-France"  # where its documents are published (lieu)


def _commune(name: str, de_fr: str, a_fr: str, quartiers: str, orgs: tuple[str, ...]) -> Territory:
    return Territory(
        name=name,
        kind="commune",
        noun={"fr": de_fr, "en": name, "es": name},
        locative={"fr": a_fr, "en": f"in {name}", "es": f"en {name}"},
        quartiers=tuple(q.strip() for q in quartiers.split(",")),
        organisations=orgs,
        region="Martinique",
        place=name,
    )


_MARTINIQUE_ORGS = (
    "Préfecture de la Martinique",
    "DDCS de la Martinique",
    "CAF de la Martinique",
    "ARS de Martinique",
    "Conseil général de la Martinique",
    "Conseil régional de la Martinique",
    "Communauté d’agglomération du Centre de la Martinique",
    "Observatoire de la santé de la Martinique",
    "Agence d’urbanisme et d’aménagement de la Martinique",
    "Mission locale du Centre de la Martinique",
    "Pôle emploi Martinique",
    "INSEE Antilles-Guyane",
    "Centre de ressources politique de la ville de la Martinique",
)

FORT_DE_FRANCE = _commune(
    "Fort-de-France",
    "Fort-de-France",
    "à Fort-de-France",
    "Trénelle, Citron, Volga-Plage, Texaco, Terres-Sainville, Dillon, Sainte-Thérèse, Bon Air, "
    "Morne Pichevin, Rive Droite, Bellevue, Floréal, Godissard, Ermitage, Canal Alaric",
    ("Ville de Fort-de-France", "Centre communal d’action sociale de Fort-de-France"),
)
TERRITORIES: tuple[Territory, ...] = (
    FORT_DE_FRANCE,
    _commune(
        "Le Lamentin",
        "Le Lamentin",
        "au Lamentin",
        "Bas-Mission, Petit-Manoir, Calebassier, Acajou, Four à Chaux, Place d’Armes, "
        "Roches Carrées, Long Pré",
        ("Ville du Lamentin",),
    ),
    _commune(
        "Schœlcher",
        "Schœlcher",
        "à Schœlcher",
        "Terreville, Fond Lahaye, Anse Madame, Plateau Fofo, Ravine Touza",
        ("Ville de Schœlcher",),
    ),
    _commune(
        "Le Robert",
        "Le Robert",
        "au Robert",
        "Cité Lacroix, Pointe Lynch, Vert-Pré, Mansarde, Reynoird",
        ("Ville du Robert",),
    ),
    _commune(
        "Sainte-Marie",
        "Sainte-Marie",
        "à Sainte-Marie",
        "Fourniols, Morne des Esses, Bezaudin, Pain de Sucre",
        ("Ville de Sainte-Marie",),
    ),
    _commune(
        "La Trinité",
        "La Trinité",
        "à La Trinité",
        "Cité Bellevue, Tartane, Morne Figue, Beauséjour",
        ("Ville de La Trinité",),
    ),
    Territory(
        "Martinique",
        "region",
        {"fr": "la Martinique", "en": "Martinique", "es": "Martinica"},
        {"fr": "en Martinique", "en": "in Martinique", "es": "en Martinica"},
        (
            "Trénelle",
            "Volga-Plage",
            "Texaco",
            "Terres-Sainville",
            "Bas-Mission",
            "Acajou",
            "Terreville",
            "Cité Lacroix",
            "Fourniols",
            "Cité Bellevue",
            "Calebassier",
            "Dillon",
        ),
        _MARTINIQUE_ORGS,
    ),
    Territory(
        "Guadeloupe",
        "region",
        {"fr": "la Guadeloupe", "en": "Guadeloupe", "es": "Guadalupe"},
        {"fr": "en Guadeloupe", "en": "in Guadeloupe", "es": "en Guadalupe"},
        (
            "Boissard",
            "Lauricisque",
            "Chemin-Neuf",
            "Bergevin",
            "Raizet",
            "Grand-Camp",
            "Henri IV",
            "Carénage",
            "Vieux-Bourg",
        ),
        (
            "Préfecture de la Guadeloupe",
            "Ville de Pointe-à-Pitre",
            "Ville des Abymes",
            "CAF de la Guadeloupe",
            "ARS de Guadeloupe",
            "Conseil régional de la Guadeloupe",
        ),
        place="Pointe-à-Pitre",
    ),
    Territory(
        "Guyane",
        "region",
        {"fr": "la Guyane", "en": "French Guiana", "es": "Guayana Francesa"},
        {"fr": "en Guyane", "en": "in French Guiana", "es": "en la Guayana Francesa"},
        ("Village Chinois", "Mont-Baduel", "Cité Mirza", "Eau Lisette", "Zéphir", "Anatole"),
        ("Préfecture de la Guyane", "Ville de Cayenne", "CAF de la Guyane", "ARS de Guyane"),
        place="Cayenne",
    ),
    Territory(
        "National",
        "national",
        {"fr": "le territoire national", "en": "France", "es": "Francia"},
        {"fr": "sur le territoire national", "en": "in France", "es": "en Francia"},
        (
            "La Duchère",
            "Les Minguettes",
            "Le Mirail",
            "Clichy-Montfermeil",
            "Le Val-Fourré",
            "La Grande-Borne",
            "Les Tarterêts",
        ),
        (
            "ACSé",
            "Secrétariat général du Comité interministériel des villes",
            "ANRU",
            "ONZUS",
            "Délégation interministérielle à la ville",
            "Conseil national des villes",
        ),
        place="Paris",
    ),
)
TERRITORY_WEIGHTS = (25, 10, 7, 5, 4, 4, 20, 8, 5, 12)
# Documents in English or Spanish come from Caribbean cooperation: mostly regional.
FOREIGN_TERRITORY_WEIGHTS = (10, 0, 0, 0, 0, 0, 45, 25, 20, 0)

# Organisations that publish on a thematic whatever the territory (added to the territory's own).
THEME_ORGANISATIONS = {
    "sante": ("ARS de Martinique", "Observatoire de la santé de la Martinique"),
    "emploi-insertion": ("Pôle emploi Martinique", "Mission locale du Centre de la Martinique"),
    "observation": ("INSEE Antilles-Guyane", "Observatoire de la santé de la Martinique"),
    "reussite-educative": ("CAF de la Martinique", "Rectorat de la Martinique"),
    "prevention-delinquance": ("Préfecture de la Martinique",),
    "culture": ("Direction des affaires culturelles de la Martinique",),
    "developpement-durable": ("Agence d’urbanisme et d’aménagement de la Martinique",),
    "logement": ("DEAL de la Martinique",),
}
FOREIGN_ORGANISATIONS = {
    "en": (
        ("University of the West Indies", "Kingston"),
        ("Caribbean Development Bank", "Bridgetown"),
        ("UN-Habitat", "Nairobi"),
        ("Association of Caribbean States", "Port of Spain"),
        ("Government of Saint Lucia", "Castries"),
        ("Caribbean Policy Research Institute", "Kingston"),
    ),
    "es": (
        ("CEPAL", "Santiago de Chile"),
        ("Universidad de Puerto Rico", "San Juan"),
        ("Ayuntamiento de Santo Domingo", "Santo Domingo"),
        ("Universidad de La Habana", "La Habana"),
        ("Organización Panamericana de la Salud", "Washington"),
        ("Programa INTERREG Caribe", "Basse-Terre"),
    ),
}

# Family names: Martinican, Guadeloupean and metropolitan, as found in the centre's catalogue.
SURNAMES_FR = tuple(
    """
Joseph-Angélique Louis-Joseph Jean-Baptiste Belrose Lordinot Marie-Sainte Rosemain Sainte-Rose
Bernabé Létang Pinville Zobda Larcher Alexandre Monrose Laventure Mondésir Rosette Bellemare
Étienne Désiré Jos Célestine Eustache Ursulet Ovide Fanfant Grand-Bois Trébeau Nelson Lise
Ramassamy Virapin Nagau Chérubin Jalton Marie-Luce Calixte Lubin Bagoé Séraphin Agénor Romain
Martin Bernard Dubois Lefèvre Moreau Laurent Girard Rousseau Fournier Mercier Boyer Garnier
Chevalier Lemaire Faure Gauthier Perrin Morel Leclerc Dupuis Hervé Guérin Müller Benoît
""".split()
)
GIVEN_NAMES_FR = tuple(
    """
Marie-Josée Jean-Claude Fabienne Ghislaine Rodrigue Josette Lucien Max Sylvie Nathalie Frantz
Édouard Hélène Mireille Stéphane Christelle Rosan Murielle Thierry Joëlle Félix Gérard Léa
Françoise Émilie Jérôme Cécile Noémie Patrick Olivier Marie-France Jean-Marc Sandrine Lydie
Gaëlle Rémy Danièle Serge Yolande Line Georges Maïté Ludovic Karine Aimé Josiane Paul-Henri
""".split()
)
SURNAMES_EN = (
    "Joseph",
    "Charles",
    "St. Rose",
    "Baptiste",
    "Alleyne",
    "Williams",
    "Thomas",
    "Henry",
    "Edwards",
    "Richards",
    "Greenidge",
    "Phillips",
    "Francis",
    "Daniel",
)
GIVEN_NAMES_EN = tuple(
    "Marlene Anthony Claudia Kelvin Desmond Jennifer Marcia Andrew Sharon "
    "Michael Beverly Trevor".split()
)
SURNAMES_ES = (
    "Pérez Rodríguez",
    "García",
    "Martínez",
    "Núñez",
    "Fernández",
    "Gómez Peña",
    "Díaz",
    "Hernández",
    "Castillo",
    "Sánchez",
    "Ramírez",
    "Ortiz",
)
GIVEN_NAMES_ES = (
    "Ana",
    "Luis",
    "Yolanda",
    "Rafael",
    "María José",
    "Carlos",
    "Lucía",
    "Andrés",
    "Mercedes",
    "Ramón",
    "Begoña",
    "Íñigo",
)
