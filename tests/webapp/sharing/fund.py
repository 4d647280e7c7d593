"""An instance for the sharing tests: the awkward records (one deleted) plus a few plain ones
acquired month by month. conftest.py serves it as `shared_fund`, with the app over it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from library import Author, Catalogue, DocType, Record, Support, ThemeAssignment, ThemeSource
from tests.library.awkward import fill

DOMAIN = "fonds.example.org"
NO_NET = etree.XMLParser(no_network=True)


@dataclass
class SharedFund:
    instance: Path
    records: list[Record]  # as stored, the deleted one included

    @property
    def live(self) -> list[Record]:
        return [r for r in self.records if not r.deleted]

    def catalogue(self) -> Catalogue:
        return Catalogue.in_instance(self.instance)


def plain_records() -> list[tuple[Record, str]]:
    """Acquisitions of May 2013 and one of June 2013, with their creation time."""
    themes = ["sante", "logement", "sante", "jeunesse", "culture"]
    places = ["Dillon", "Volga-Plage", "Trénelle", "Sainte-Thérèse", "Texaco"]
    out = []
    for n, slug in enumerate(themes, start=1):
        record = Record(
            title=f"Diagnostic local n° {n} : quartier {places[n - 1]}",
            authors=(Author(f"Auteur{n}, Prénom"),),
            year=2010 + n,
            doc_type=DocType.RAPPORT,
            support=Support.ELECTRONIQUE,
            language="fr",
            abstract=f"Diagnostic du quartier, numéro {n}.",
            themes=(ThemeAssignment(slug, ThemeSource.MANUAL),),
        )
        out.append((record, f"2013-05-{10 + n:02d}T09:00:00Z"))
    june = Record(
        title="Nouveau guide de la médiation",
        year=2013,
        doc_type=DocType.GUIDE,
        support=Support.PAPIER,
        language="fr",
        themes=(ThemeAssignment("mediation-sociale", ThemeSource.MANUAL),),
    )
    out.append((june, "2013-06-02T08:00:00Z"))
    return out


def build_shared_fund(instance: Path) -> SharedFund:
    with Catalogue.in_instance(instance) as catalogue:
        records = fill(catalogue)
        for record, created in plain_records():
            records.append(catalogue.add(record, now=created))
    return SharedFund(instance, records)
