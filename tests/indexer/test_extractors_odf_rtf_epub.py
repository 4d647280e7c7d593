"""OpenDocument text, RTF and EPUB: the formats that come less often but must not fail."""

from __future__ import annotations

import pytest

from corpus.files import make_epub, make_odt, make_rtf, write_zip
from indexer.extractors import ExtractionError, default_registry
from indexer.extractors.rtf import read_rtf
from webapp.messages import reason_text

REGISTRY = default_registry()


def test_odt_text_notes_and_metadata(tmp_path):
    path = make_odt(
        tmp_path / "note.odt",
        ["Un paragraphe d’apparence banale.", "« Œuvre » collective."],
        title="Le dormeur du val",
        author="Arthur Rimbaud",
        language="fr-FR",
        note="Les apparences sont trompeuses.",
    )
    extraction = REGISTRY.extract(path)
    assert extraction.media_type == "application/vnd.oasis.opendocument.text"
    lines = extraction.text.splitlines()
    assert lines[0] == "Un paragraphe d’apparence banale."  # the note is not inside it
    assert "« Œuvre » collective." in extraction.text
    assert "Les apparences sont trompeuses." in extraction.text  # but gathered after
    assert extraction.title == "Le dormeur du val"
    assert extraction.authors == ("Rimbaud, Arthur",)
    assert extraction.language_hint == "fr"


def test_odt_tracked_deletions_are_left_out(tmp_path):
    path = make_odt(tmp_path / "suivi.odt", ["Bonjour les amis"], deleted="mot supprimé")
    text = REGISTRY.extract(path).text
    assert "Bonjour les amis" in text
    assert "supprimé" not in text


def test_an_opendocument_spreadsheet_is_not_taken_for_a_text(tmp_path):
    path = tmp_path / "tableur.odt"
    members = [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", "<x/>"),
    ]
    write_zip(path, members, stored={"mimetype"})
    with pytest.raises(ExtractionError) as caught:
        REGISTRY.extract(path)
    assert "OpenDocument" in reason_text(caught.value.reason)


def test_rtf_hex_escapes_unicode_escapes_and_info(tmp_path):
    path = make_rtf(
        tmp_path / "accent.rtf",
        "Le café où l’on ne fume pas — « Œuvre » 5 €\nDeuxième ligne ✓",
        title="Café d’été",
        author="Marie Dupont",
    )
    extraction = REGISTRY.extract(path)
    assert "Le café où l’on ne fume pas — « Œuvre » 5 €" in extraction.text
    assert "Deuxième ligne ✓" in extraction.text  # \\u10003? with its fallback skipped
    assert "?" not in extraction.text
    assert extraction.title == "Café d’été"
    assert extraction.authors == ("Dupont, Marie",)


def test_rtf_tables_fonts_pictures_and_fields_do_not_leak_into_the_text():
    document = read_rtf(
        rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\fswiss Arial;}{\f1\fcharset204 Cyr;}}"
        rb"{\colortbl;\red255\green0\blue0;}{\stylesheet{\s1 Heading 1;}}"
        rb"{\*\generator Riched20;}{\pict\pngblip 89504e470d0a}"
        rb"\pard Texte {\field{\*\fldinst HYPERLINK \"http://x\"}{\fldrslt lien}} visible"
        rb"\par {\f1 \'cf\'f0\'e8\'e2\'e5\'f2}\par"
        rb"Note{\footnote \pard Une note de bas de page.}\par}"
    )
    assert document.text.splitlines()[0] == "Texte lien visible"
    assert "Привет" in document.text  # \fcharset204: Windows-1251 bytes
    assert "Une note de bas de page." in document.text
    for leaked in ("Arial", "Heading", "Riched", "89504e", "HYPERLINK", "red255"):
        assert leaked not in document.text


def test_rtf_characters_beyond_the_basic_plane_come_as_surrogate_pairs():
    assert read_rtf(rb"{\rtf1\ansi\uc1 Emoji \u-10179?\u-8704? fin}").text == "Emoji 😀 fin"


def test_epub_spine_order_and_dublin_core(tmp_path):
    path = make_epub(
        tmp_path / "livre.epub",
        ["Premier chapitre : l’arrivée.", "Second chapitre : « le départ »."],
        title="Vivre « lot bò dlo »",
        author="Rose-Andrée Destin",
    )
    extraction = REGISTRY.extract(path)
    assert extraction.media_type == "application/epub+zip"
    assert extraction.text.index("Premier") < extraction.text.index("Second")
    assert "color" not in extraction.text  # the stylesheet in <head>
    assert extraction.title == "Vivre « lot bò dlo »"
    assert extraction.authors == ("Destin, Rose-Andrée",)
    assert extraction.language_hint == "fr"
