"""A small fund for the public site's tests: French records with files, copies, a withdrawn
record and hostile text, written in code. conftest.py serves it as the `fund` fixture."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from library import (
    Author,
    AuthorKind,
    Catalogue,
    Copy,
    DocType,
    Record,
    Support,
    ThemeAssignment,
    ThemeSource,
)
from library.store import FileStore
from webapp import create_app

EVIDENCE = {
    "terms": [
        {"term": "CUCS", "count": 4, "field": "text"},
        {"term": "évaluation", "count": 1, "field": "title"},
    ],
    "passages": [
        {"text": "…l'évaluation du CUCS de Fort-de-France montre…", "page": 3, "field": "text"}
    ],
}
HOSTILE = "<script>alert(1)</script>"
PDF_BYTES = b"%PDF-1.4\n% fonds test\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
HTML_BYTES = (
    b"<!doctype html><html><head><title>Maison des projets</title></head><body>"
    b"<h1>Maison des projets</h1><script>document.cookie</script></body></html>"
)
TXT_BYTES = "Compte rendu du conseil de quartier : l'équipe a présenté le bilan.\n".encode("cp1252")


@dataclass
class Fund:
    root: Path
    ids: dict[str, int]


def _store(root: Path, data: bytes, name: str, media_type: str):  # type: ignore[no-untyped-def]
    return FileStore(root / "files").put_bytes(data, original_name=name, media_type=media_type)


def build_fund(root: Path) -> Fund:
    """Write the fund into an instance folder and return its record ids by short name."""
    ids: dict[str, int] = {}
    with Catalogue.in_instance(root) as catalogue:

        def add(key: str, record: Record, text: str = "", themes=(), file=None):  # type: ignore[no-untyped-def]
            if file is not None:
                catalogue.add_file(file)
                record = Record(**{**_fields(record), "file": file})
            stored = catalogue.add(record, text=text)
            ids[key] = stored.id  # type: ignore[assignment]
            if themes:
                catalogue.set_auto_themes(
                    stored.id,
                    [
                        ThemeAssignment(
                            slug, ThemeSource.AUTO, 0.9 - 0.1 * i, EVIDENCE if i == 0 else None
                        )
                        for i, slug in enumerate(themes)
                    ],
                )

        add(
            "cucs",
            Record(
                title="Évaluation du contrat urbain de cohésion sociale de Fort-de-France",
                year=2009,
                date="2009-06",
                doc_type=DocType.RAPPORT,
                language="fr",
                authors=(
                    Author("Joseph-Angélique, Marie"),
                    Author("Ville de Fort-de-France", AuthorKind.ORGANISATION),
                ),
                publisher="Ville de Fort-de-France",
                place="Fort-de-France",
                isbn="978-2-1234-5680-3",
                abstract="Bilan à mi-parcours du CUCS : les quartiers prioritaires et la politique"
                " de la ville.",
                keywords=("évaluation", "CUCS"),
                territories=("Fort-de-France",),
                pages=42,
            ),
            text="Les quartiers prioritaires ont bénéficié de l'évaluation du contrat de ville.",
            themes=("evaluation", "observation"),
            file=_store(root, PDF_BYTES, "Évaluation CUCS été 2009.pdf", "application/pdf"),
        )
        add(
            "zfu-long",
            Record(
                title="Les zones franches urbaines et l'emploi",
                year=2011,
                doc_type=DocType.ETUDE,
                authors=(Author("Ville du Lamentin", AuthorKind.ORGANISATION),),
                language="fr",
            ),
            text="Les entreprises implantées en zone franche urbaine recrutent dans le quartier.",
            themes=("emploi-insertion",),
        )
        add(
            "zfu-short",
            Record(
                title="Bilan de la ZFU du Lamentin",
                year=2012,
                doc_type=DocType.RAPPORT,
                language="fr",
                authors=(Author("Ville du Lamentin", AuthorKind.ORGANISATION),),
            ),
            text="La ZFU a attiré des établissements ; l'embauche locale reste faible.",
            themes=("emploi-insertion",),
        )
        add(
            "mediation",
            Record(
                title="Guide de la médiation sociale",
                year=2007,
                doc_type=DocType.GUIDE,
                support=Support.PAPIER,
                language="fr",
                call_number="303.6 MED",
                copies=(
                    Copy("CRPV000001", "303.6 MED", "Salle de lecture"),
                    Copy("CRPV000002", "303.6 MED", "Réserve"),
                ),
                abstract="Les médiateurs sociaux et les adultes relais dans les quartiers.",
            ),
            themes=("mediation-sociale",),
        )
        add(
            "sante",
            Record(
                title="EVALUATIONS des politiques locales de santé",
                year=2013,
                doc_type=DocType.RAPPORT,
                language="fr",
            ),
            text="Atelier santé ville, prévention et conseils de quartier.",
            themes=("sante", "evaluation"),
        )
        add(
            "youth",
            Record(
                title="Youth employment in Caribbean neighbourhoods",
                year=2012,
                doc_type=DocType.ETUDE,
                language="en",
                authors=(Author("Smith, John"),),
            ),
            text="Housing conditions and youth policies in Martinique.",
            themes=("jeunesse",),
        )
        add(
            "hostile",
            Record(
                title=HOSTILE,
                year=2010,
                doc_type=DocType.AUTRE,
                language="fr",
                authors=(Author('<img src=x onerror="alert(2)">', AuthorKind.ORGANISATION),),
                abstract=f'Un résumé {HOSTILE} avec <b>balises</b> & "guillemets" sur le logement.',
                keywords=(HOSTILE,),
            ),
            text=f"Texte {HOSTILE} logement",
            themes=("logement",),
        )
        add(
            "withdrawn",
            Record(
                title="Ancien rapport retiré du fonds",
                year=2004,
                doc_type=DocType.RAPPORT,
                language="fr",
            ),
            text="Un rapport sur les quartiers, retiré.",
        )
        catalogue.delete(ids["withdrawn"])
        add(
            "html",
            Record(
                title="Maison des projets : page web",
                year=2008,
                doc_type=DocType.AUTRE,
                language="fr",
            ),
            text="Maison des projets du quartier.",
            themes=("renovation-urbaine",),
            file=_store(root, HTML_BYTES, "maison.html", "text/html"),
        )
        add(
            "txt",
            Record(
                title="Compte rendu du conseil de quartier",
                year=2006,
                doc_type=DocType.COMPTE_RENDU,
                language="fr",
            ),
            text=TXT_BYTES.decode("cp1252"),
            themes=("vie-associative",),
            file=_store(root, TXT_BYTES, "compte rendu réunion.txt", "text/plain"),
        )
        add(
            "logement",
            Record(
                title="Le logement social à Fort-de-France",
                year=2005,
                doc_type=DocType.ETUDE,
                language="fr",
                support=Support.PAPIER,
                copies=(Copy("CRPV000003", "363.5 LOG"),),
            ),
            text="",
            themes=("logement",),
        )
        add(
            "logement-prive",
            Record(
                title="Le logement privé dégradé",
                year=2005,
                doc_type=DocType.ETUDE,
                language="fr",
            ),
            text="Habitat indigne et copropriétés.",
            themes=("logement",),
        )
        add(
            "jeunes",
            Record(
                title="Les jeunes des quartiers et la jeunesse",
                year=2010,
                doc_type=DocType.ACTES,
                language="fr",
            ),
            text="Politiques de jeunesse, loisirs des jeunes.",
            themes=("jeunesse",),
        )
        catalogue.set_manual_theme(ids["jeunes"], "culture", "add", by="doc")
    return Fund(root, ids)


def _fields(record: Record) -> dict[str, object]:
    return {name: getattr(record, name) for name in record.__slots__}  # type: ignore[attr-defined]


def make_app(root: Path, **config: object):  # type: ignore[no-untyped-def]
    return create_app({"TESTING": True, **config}, instance_path=root)
