"""Metadata heuristics: junk titles, titles from file names, authors, dates, first pages."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.metadata import (
    choose_date,
    clean_title,
    first_page_guess,
    parse_date,
    split_authors,
    split_keywords,
    title_from_filename,
)


@pytest.mark.parametrize(
    "junk",
    [
        "Microsoft Word - doc1.docx",
        "untitled",
        "Sans titre",
        "Sans titre - 1",
        "Document1",
        "Word Document",
        "Présentation PowerPoint",
        "Nouvelle page 1",
        "rapport_final_v2.pdf",
        "Binder1.pdf",
        "00463065.tif",
        "imagemagick-CCITTFaxDecode\x00",
        "Microsoft Word - CR reseau ASV 17-03-11.doc",
        "2009",
        "--- ... ---",
        "",
        "   ",
        None,
    ],
)
def test_junk_titles_are_rejected(junk):
    assert clean_title(junk) is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Microsoft Word - Rapport d’activité 2009.doc", "Rapport d’activité 2009"),
        ("Évaluation du CUCS\x00", "Évaluation du CUCS"),
        ("  Diagnostic\tterritorial\n de Volga-Plage ", "Diagnostic territorial de Volga-Plage"),
        ("« Manjé byen, viv byen » : des ateliers", "« Manjé byen, viv byen » : des ateliers"),
        ("« Le quartier »", "Le quartier"),
        ("Saint-Denis", "Saint-Denis"),
        ("Microsoft Word - トランスバース社買収Final.docx", "トランスバース社買収Final"),
        (b"Charte de gestion urbaine de proximit\xe9", "Charte de gestion urbaine de proximité"),
    ],
)
def test_meaningful_titles_are_kept_and_tidied(raw, clean):
    assert clean_title(raw) == clean


@given(st.text(max_size=200))
def test_clean_title_never_fails_and_is_stable(raw):
    """(Also a guard against patterns that backtrack for seconds on odd input.)"""
    title = clean_title(raw)
    assert title is None or (title.strip() and clean_title(title) == title)


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("2009_evaluation-CUCS_fort-de-france_v2.pdf", "2009 evaluation CUCS fort de france"),
        ("Rapport%20annuel%202010.pdf", "Rapport annuel 2010"),
        ("/fonds/2011/Étude jeunesse (1).docx", "Étude jeunesse"),
        ("caf\udce9-citoyen.txt", "café citoyen"),  # a Windows-1252 name on a UTF-8 disk
        (b"r\xe9union.odt", "réunion"),
        ("sans-extension", "sans extension"),
    ],
)
def test_titles_from_file_names(name, title):
    assert title_from_filename(name) == title


@given(st.text(min_size=1, max_size=80))
def test_title_from_filename_always_gives_something(name):
    assert title_from_filename(name)


@pytest.mark.parametrize(
    ("raw", "authors"),
    [
        ("Dupont Marie; Martin J.", ("Dupont, Marie", "Martin, J.")),
        ("M. Dupont et J. Martin", ("Dupont, M.", "Martin, J.")),
        ("Marie Dupont, Jean Martin", ("Dupont, Marie", "Martin, Jean")),
        ("Dupont, Marie", ("Dupont, Marie",)),
        ("Mohamed Ali ZORGATI", ("ZORGATI, Mohamed Ali",)),
        ("Marlène Nicolas-Ursulet", ("Nicolas-Ursulet, Marlène",)),
        ("Marcia Joseph", ("Joseph, Marcia",)),
        ("Mme Sophie Durand", ("Durand, Sophie",)),
        (
            "Ville de Fort-de-France; DEAL Martinique",
            ("Ville de Fort-de-France", "DEAL Martinique"),
        ),
        ("Équinoxe Études et Conseil", ("Équinoxe Études et Conseil",)),
        ("Administrateur", ()),
        ("1671251", ()),
        ("", ()),
        (None, ()),
    ],
)
def test_split_authors(raw, authors):
    assert split_authors(raw) == authors


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("D:20090612143000+02'00'", "2009-06-12"),
        ("D:20230410074654Z07'46'", "2023-04-10"),
        ("D:19900428000000+02'00'", "1990-04-28"),
        ("D:2009", "2009"),
        ("2009-05-12T10:00:00Z", "2009-05-12"),
        ("2011-09", "2011-09"),
        ("24/9/2004 17:36:38", "2004-09-24"),
        (datetime(2014, 12, 13, 22, 2), "2014-12-13"),
        (date(2008, 2, 29), "2008-02-29"),
        ("1601-01-01T00:00:00Z", None),  # Windows' 'no date'
        ("D:20991231", None),
        ("D:20090231", "2009-02"),  # no 31 February: keep what is sure
        ("garbage", None),
        (None, None),
    ],
)
def test_parse_date(raw, iso):
    assert parse_date(raw) == iso


def test_a_printed_month_beats_the_files_creation_date():
    assert choose_date("2009-06", "2014-12-05") == "2009-06"  # scanned or converted later
    assert choose_date("2030", "2012-03-01") == "2012-03-01"  # 'Objectif 2030' is no date
    assert choose_date("2008", "2009-02-10") == "2009-02-10"  # 'Bilan 2008', made in 2009
    assert choose_date("1998", "2010-05-01") == "1998"  # a 1998 book digitised in 2010
    assert choose_date(None, "2010-05-01") == "2010-05-01"
    assert choose_date("2009", None) == "2009"


def test_first_page_guess_reads_a_report_cover():
    page = (
        "Ville de Fort-de-France\n1\nSommaire\n"
        "Évaluation à mi-parcours du contrat urbain de\ncohésion sociale de Fort-de-France\n"
        "Rapport final\nRédigé par Marie Joseph-Angélique et Thomas Lefèvre, Cabinet Caraïbes\n"
        "Juin 2009\n\fPage 2 : la loi du 1er août 2003 et le décret de 2007."
    )
    title, authors, year = first_page_guess(page)
    assert title == "Ville de Fort-de-France"  # the first substantial line, as printed
    assert authors == ("Joseph-Angélique, Marie", "Lefèvre, Thomas", "Cabinet Caraïbes")
    assert year == 2009


def test_first_page_guess_joins_a_title_broken_over_lines_and_skips_dates_in_it():
    page = (
        "Résorber l'habitat indigne en Martinique : de la RHI à\nla loi du 23 juin 2011\n"
        "Actes de la journée régionale du 15 mars 2012, Schœlcher.\n"
        "Textes rassemblés par Sylvie Bellemare, Centre de ressources, avec la DEAL.\n"
    )
    title, authors, year = first_page_guess(page)
    assert title == "Résorber l'habitat indigne en Martinique : de la RHI à la loi du 23 juin 2011"
    assert authors == ("Bellemare, Sylvie", "Centre de ressources")
    assert year == 2012


@pytest.mark.parametrize(
    "page",
    [
        "",
        "12\n\n3 / 40\n",
        "Lorem ipsum dolor sit amet, consetetur sadipscing elitr, sed diam nonumy eirmod\n"
        "tempor invidunt ut labore et dolore magna aliquyam erat, sed diam voluptua.",
        "Sommaire\nIntroduction\n",
    ],
)
def test_first_page_guess_says_nothing_rather_than_something_wrong(page):
    assert first_page_guess(page)[0] is None


def test_split_keywords():
    assert split_keywords("CUCS, évaluation; Fort-de-France\nCUCS") == (
        "CUCS",
        "évaluation",
        "Fort-de-France",
    )
    assert split_keywords(["a b", " ", "42"]) == ("a b",)
