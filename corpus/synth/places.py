"""Who writes and where: territories with their quartiers, organisations, people's names.

The tables are data, in `data/places.json`: the territories (with their weight among French
documents and among English or Spanish ones, which come from Caribbean cooperation and so are
mostly regional), the organisations that publish on a thematic whatever the territory (added to
the territory's own), the foreign publishers by language (name, place), and the family and
given names by language (Martinican, Guadeloupean and metropolitan for French, as found in the
centre's catalogue).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


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


_DATA = json.loads((Path(__file__).resolve().parent / "data" / "places.json").read_text("utf-8"))

TERRITORIES: tuple[Territory, ...] = tuple(
    Territory(
        name=t["name"],
        kind=t["kind"],
        noun=dict(t["noun"]),
        locative=dict(t["locative"]),
        quartiers=tuple(t["quartiers"]),
        organisations=tuple(t["organisations"]),
        region=t["region"],
        place=t["place"],
    )
    for t in _DATA["territories"]
)
TERRITORY_WEIGHTS = tuple(t["weight"] for t in _DATA["territories"])
FOREIGN_TERRITORY_WEIGHTS = tuple(t["foreign_weight"] for t in _DATA["territories"])
THEME_ORGANISATIONS: dict[str, tuple[str, ...]] = {
    theme: tuple(names) for theme, names in _DATA["theme_organisations"].items()
}
FOREIGN_ORGANISATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    lang: tuple((name, place) for name, place in publishers)
    for lang, publishers in _DATA["foreign_organisations"].items()
}
SURNAMES_FR, SURNAMES_EN, SURNAMES_ES = (tuple(_DATA["surnames"][k]) for k in ("fr", "en", "es"))
GIVEN_NAMES_FR, GIVEN_NAMES_EN, GIVEN_NAMES_ES = (
    tuple(_DATA["given_names"][k]) for k in ("fr", "en", "es")
)
