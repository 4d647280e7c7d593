"""What an upload proposes from reading the document: authors from the first page (never a
login name), the type, subtitle, abstract and territories the text names."""

from __future__ import annotations

import pytest

from corpus.files import Heading, make_docx, make_pdf
from indexer.extractors import default_registry
from indexer.metadata_text import (
    catalogue_title,
    guess_type,
    is_login_name,
    read_abstract,
    territories,
)
from indexer.records import record_from_extraction, to_author
from library import DocType, SourceFile

REGISTRY = default_registry()

BODY = (
    "La médiathèque municipale du Lamentin, installée dans le bourg, compte environ 4 800 "
    "inscrits actifs. Une analyse des fichiers réalisée en 2008 montrait que les habitants des "
    "quartiers prioritaires y étaient nettement sous-représentés : ils constituent plus d'un "
    "quart de la population communale, mais moins d'un inscrit sur dix. Les enfants de ces "
    "quartiers fréquentaient la médiathèque presque uniquement lors des visites de classe."
)


def propose(path):
    extraction = REGISTRY.extract(path)
    source = SourceFile("0" * 64, path.name, extraction.media_type, 1, "x")
    return record_from_extraction(
        extraction, language="fr", source_file=source, original_name=path.name
    )


def test_a_login_name_property_is_never_proposed_the_first_page_names_the_authors(tmp_path):
    """GIVEN a PDF whose author property is the login 'jdupont' and whose page 1 names two
    people and their town, THEN the proposal names the people and the town, not the login."""
    pdf = make_pdf(
        tmp_path / "bilan.pdf",
        [
            Heading("La médiathèque hors les murs dans les quartiers du Lamentin"),
            "Ville du Lamentin — Josiane Marie-Sainte et Patrick Célestine — septembre 2011",
            Heading("Pourquoi sortir de la médiathèque ?"),
            BODY,
        ],
        title="La médiathèque hors les murs dans les quartiers du Lamentin",
        author="jdupont",
    )
    record = propose(pdf)
    names = [a.name for a in record.authors]
    assert "jdupont" not in " ".join(names)
    assert "Marie-Sainte, Josiane" in names and "Célestine, Patrick" in names
    assert "Ville du Lamentin" in names
    assert {a.kind.value for a in record.authors if a.name == "Ville du Lamentin"} == {
        "organisation"
    }


def test_login_like_names_are_recognised_and_real_names_are_not():
    for login in (
        "jdupont",
        "j.dupont",
        "marie.dupont@ville-lamentin.fr",
        "admin",
        "User",
        "PC-Accueil",
        "poste3",
        "utilisateur",
    ):
        assert is_login_name(login), login
    for name in ("Marie Dupont", "Dupont, Marie", "CACEM", "Ville du Lamentin", "Marie-Luce"):
        assert not is_login_name(name), name


def test_a_confirmed_property_is_kept_and_an_unconfirmed_one_gives_way(tmp_path):
    """The property lists the authors the page shows: kept (it may be fuller); a property
    name the document never shows (whoever saved the file) gives way to the page's by-line."""
    kept = make_docx(
        tmp_path / "kept.docx",
        ["Diagnostic local de sécurité", "Par Philippe Moreau — novembre 2009", BODY],
        title="Diagnostic local de sécurité",
        author="Philippe Moreau; Cabinet Territoires et Sécurité",
    )
    assert [a.name for a in propose(kept).authors] == [
        "Moreau, Philippe",
        "Cabinet Territoires et Sécurité",
    ]
    stray = make_docx(
        tmp_path / "stray.docx",
        ["Diagnostic local de sécurité", "Par Philippe Moreau — novembre 2009", BODY],
        title="Diagnostic local de sécurité",
        author="Sandrine Secrétariat",
    )
    assert [a.name for a in propose(stray).authors] == ["Moreau, Philippe"]


def test_the_type_comes_from_what_the_document_says_it_is():
    cases = {
        ("Vivre « lot bò dlo »", "Mémoire de master 2 de sociologie", ""): "memoire",
        ("Programme de rénovation urbaine : revue de projet 2012", "", ""): "rapport",
        ("Réseau santé", "", "Réseau santé\nCompte rendu — Fort-de-France, 17 mars 2011\n"): (
            "compte-rendu"
        ),
        (
            "Le bèlè à Sainte-Thérèse",
            "",
            "Le bèlè à Sainte-Thérèse\nPar Nicole Dorival — juin 2012\n",
        ): ("article"),
        ("Repères n° 12", "", ""): "lettre-information",
        ("Arrêté n° 07-2841 déclarant l'insalubrité", "", ""): "texte-officiel",
        ("Chantiers éducatifs", "", "Chantiers éducatifs\nFiche d'expérience — octobre 2007\n"): (
            "fiche-experience"
        ),
        ("Réussite éducative et parentalité", "Actes du colloque des 18 et 19 novembre", ""): (
            "actes"
        ),
    }
    for (title, subtitle, text), expected in cases.items():
        assert guess_type(title, subtitle, text) == expected, title


def test_an_upload_proposes_type_subtitle_abstract_and_territories(tmp_path):
    pdf = make_pdf(
        tmp_path / "memoire.pdf",
        [
            Heading("La médiation sociale à l'épreuve des quartiers"),
            "Mémoire de master 2 professionnel, Université des Antilles — septembre 2011",
            Heading("Sommaire"),
            "1. Introduction ........ 3",
            "2. Les correspondants de nuit ........ 9",
            Heading("Résumé"),
            "Ce mémoire étudie le travail des correspondants de nuit de Fort-de-France dans les "
            "quartiers de Trénelle-Citron et de Volga-Plage, à partir d'observations et "
            "d'entretiens menés pendant six mois avec les médiateurs, les habitants et les "
            "bailleurs ; il montre comment la médiation se construit au quotidien.",
            Heading("Introduction"),
            BODY,
        ],
        title="La médiation sociale à l'épreuve des quartiers",
    )
    record = propose(pdf)
    assert record.doc_type is DocType.MEMOIRE
    assert record.subtitle == "Mémoire de master 2 professionnel"
    assert record.abstract.startswith("Ce mémoire étudie le travail des correspondants de nuit")
    assert "........" not in record.abstract
    assert {"Fort-de-France", "Trénelle-Citron", "Volga-Plage", "Le Lamentin"} <= set(
        record.territories
    )


def test_without_a_resume_the_abstract_is_the_first_paragraph_of_prose_not_the_contents():
    text = (
        "Bilan de trois années\n\nSommaire\n\n1. Le contexte ..... 2\n2. Les actions ..... 5\n"
        "3. Les résultats ..... 9\n\n| Année | Prêts |\n| 2009 | 1 200 |\n\n" + BODY + "\n"
    )
    assert read_abstract(text, "Bilan de trois années") == BODY


def test_territories_are_communes_and_quartiers_named_in_the_text_most_cited_first():
    text = (
        "Les quartiers de Dillon et de Sainte-Thérèse, à Fort-de-France, et la commune du "
        "Lamentin. À Fort-de-France encore, Texaco. Une famille venue de Pointe-à-Pitre."
    )
    found = territories(text)
    assert found[0] == "Fort-de-France"
    assert {"Dillon", "Sainte-Thérèse", "Le Lamentin", "Texaco", "Pointe-à-Pitre"} <= set(found)
    assert territories("Un rapport sans lieu.") == ()


@pytest.mark.parametrize(
    "found, stored, kind",
    [
        ("Ana ISABEL CASTILLO MÉNDEZ", "ISABEL CASTILLO MÉNDEZ, Ana", "person"),
        ("JOSEPH-ANGÉLIQUE Marie", "JOSEPH-ANGÉLIQUE, Marie", "person"),
        ("Gabriel GARCÍA MÁRQUEZ", "GARCÍA MÁRQUEZ, Gabriel", "person"),
        ("Dupont, Marie", "Dupont, Marie", "person"),
        ("Marie Joseph", "Joseph, Marie", "person"),
        ("Jean La Fontaine", "La Fontaine, Jean", "person"),
        # Without capitals nothing tells where a compound family name starts: kept as written.
        ("Ana Isabel Castillo Méndez", "Ana Isabel Castillo Méndez", "person"),
        ("ADESS Martinique", "ADESS Martinique", "organisation"),
        ("CACEM", "CACEM", "organisation"),
        ("Ville du Lamentin", "Ville du Lamentin", "organisation"),
        ("Habitat Conseil Caraïbes", "Habitat Conseil Caraïbes", "organisation"),
    ],
)
def test_names_found_in_files_are_people_or_bodies_and_compound_names_stay_whole(
    found, stored, kind
):
    author = to_author(found)
    assert (author.name, author.kind.value) == (stored, kind)


def test_a_capitalised_title_keeps_places_but_not_a_meeting_called_la_reunion():
    minutes = (
        "COMPTE RENDU DE LA RÉUNION DES PARTENAIRES DU CONTRAT DE VILLE\n"
        "La réunion s'est tenue à la mairie de La Trinité. Les partenaires ont ouvert la "
        "réunion par le bilan de l'année ; la réunion suivante aura lieu en juin.\n"
    )
    title = catalogue_title(minutes.split("\n")[0], minutes)
    assert title == "Compte rendu de la réunion des partenaires du contrat de ville"
    island = (
        "LES JEUNES DE LA RÉUNION ET DE LA MARTINIQUE FACE À L'EMPLOI\n"
        "En Martinique comme à La Réunion, le chômage des jeunes dépasse 40 %.\n"
    )
    title = catalogue_title(island.split("\n")[0], island)
    assert title == "Les jeunes de La Réunion et de la Martinique face à l'emploi"
