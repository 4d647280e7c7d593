"""Plain text, Markdown and HTML: encodings French files come in, and only visible text."""

from __future__ import annotations

import pytest

from corpus.files import make_html, make_txt
from indexer.extractors import ExtractionLimits, UnsupportedFormat, default_registry
from webapp.messages import reason_text

REGISTRY = default_registry()
FRENCH = "Cœur de ville : l’œuvre « Éducation » à Fort-de-France, été 2009 — 5 €."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_text_files_in_the_encodings_of_french_offices_are_decoded(tmp_path, encoding):
    path = make_txt(tmp_path / "note.txt", FRENCH + "\n", encoding=encoding)
    assert REGISTRY.extract(path).text.strip() == FRENCH


def test_windows_1252_bytes_mean_what_word_meant(tmp_path):
    path = tmp_path / "ancien.txt"
    path.write_bytes(b"C\x9cur de l\x92\xe9t\xe9 \xab ville \xbb")
    assert REGISTRY.extract(path).text == "Cœur de l’été « ville »"


def test_latin_1_text_and_bytes_undefined_in_windows_1252_survive(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Séjour à l'île, café".encode("latin-1") + b" \x81\x8d")
    assert REGISTRY.extract(path).text == "Séjour à l'île, café \x81\x8d"


def test_utf_16_without_a_byte_order_mark_is_still_text(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(("Quartier prioritaire de Dillon, " * 4).encode("utf-16-le"))
    assert "Quartier prioritaire de Dillon" in REGISTRY.extract(path).text


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01\x02\x03binary\x00\x00" * 50, b"\x1b\x07\x08\x0e\x0f" * 100],
    ids=["nul-bytes", "control-characters"],
)
def test_binary_content_is_not_text(tmp_path, data):
    path = tmp_path / "data.txt"
    path.write_bytes(data)
    with pytest.raises(UnsupportedFormat):
        REGISTRY.extract(path)


def test_markdown_gives_its_first_heading_as_title_and_loses_its_marks(tmp_path):
    source = (
        "# Portrait statistique de Schœlcher\n\n"
        "Un **portrait** des [quartiers](https://exemple.fr) *prioritaires*.\n\n"
        "## Sources\n\n- INSEE\n- CAF\n"
    )
    extraction = REGISTRY.extract(make_txt(tmp_path / "portrait.md", source))
    assert extraction.title == "Portrait statistique de Schœlcher"
    assert extraction.media_type == "text/markdown"
    assert "Un portrait des quartiers prioritaires." in extraction.text
    assert (
        "**" not in extraction.text and "](" not in extraction.text and "#" not in extraction.text
    )


def test_a_plain_text_title_is_its_first_line(tmp_path):
    text = "Compte rendu de la cellule de veille de La Trinité\n\nRéunion du 14 mars 2011.\n"
    extraction = REGISTRY.extract(make_txt(tmp_path / "cr.txt", text))
    # Minutes carry their meeting's date in the title, as the fund's documentalist writes it.
    assert extraction.title == "Compte rendu de la cellule de veille de La Trinité du 14 mars 2011"
    assert extraction.date == "2011-03"


def test_html_keeps_visible_text_only(tmp_path):
    body = (
        "<script>var secret = 'script';</script><style>p { color: red }</style>"
        "<noscript>Activez JavaScript</noscript><template><p>Gabarit</p></template>"
        "<svg><text>Logo</text></svg>"
        "<h1>Le Robert installe son conseil de la jeunesse</h1><p>Trente-deux jeunes&nbsp;"
        "ont reçu leur écharpe &amp; leur carte.</p><p hidden>Caché</p>"
    )
    path = make_html(tmp_path / "article.html", body, title="Conseil de la jeunesse | Site")
    extraction = REGISTRY.extract(path)
    assert "Trente-deux jeunes\u00a0ont reçu leur écharpe & leur carte." in extraction.text
    for hidden in ("secret", "color", "JavaScript", "Gabarit", "Logo", "Caché", "| Site"):
        assert hidden not in extraction.text


def test_html_metadata_and_lang(tmp_path):
    path = make_html(
        tmp_path / "page.html",
        "<main><h1>Trénelle-Citron : les habitants et le projet urbain</h1><p>Texte.</p></main>",
        title="Trénelle-Citron : les habitants et le projet urbain | Centre de ressources",
        lang="fr-FR",
        meta={
            "description": "Les habitants associés au projet.",
            "keywords": "concertation, rénovation urbaine",
            "author": "Line Zamor",
            "DC.date": "2008-09-12",
            "DC.publisher": "Centre de ressources politique de la ville",
        },
    )
    extraction = REGISTRY.extract(path)
    assert extraction.title == "Trénelle-Citron : les habitants et le projet urbain"
    assert extraction.language_hint == "fr"
    assert extraction.abstract == "Les habitants associés au projet."
    assert extraction.keywords == ("concertation", "rénovation urbaine")
    assert extraction.authors == ("Zamor, Line",)
    assert (extraction.date, extraction.year) == ("2008-09-12", 2008)
    assert extraction.publisher == "Centre de ressources politique de la ville"


def test_a_site_wide_title_gives_way_to_the_articles_heading(tmp_path):
    body = "<header>Centre de ressources</header><article><h1>Santé mentale : un conseil local"
    body += "</h1><p>Texte.</p></article>"
    path = make_html(tmp_path / "a.html", body, title="Centre de ressources — Martinique")
    assert REGISTRY.extract(path).title == "Santé mentale : un conseil local"


@pytest.mark.parametrize(
    ("charset", "declare", "phrase"),
    [
        ("utf-8", True, "Séjour à l’île, œuvre « intégrale »"),
        ("windows-1252", True, "Séjour à l’île, œuvre « intégrale »"),
        ("iso-8859-1", True, "Séjour à l'île, « intégrale »"),
        ("utf-8", False, "Séjour à l’île, œuvre « intégrale »"),
        ("windows-1252", False, "Séjour à l’île, œuvre « intégrale »"),
    ],
)
def test_html_charset_from_declaration_or_guess(tmp_path, charset, declare, phrase):
    path = make_html(
        tmp_path / "p.html",
        f"<p>{phrase}</p>",
        title="Essai",
        charset=charset,
        declare_charset=declare,
    )
    assert phrase in REGISTRY.extract(path).text


def test_html_charset_from_http_equiv_and_a_byte_order_mark(tmp_path):
    equiv = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    path = tmp_path / "equiv.html"
    path.write_bytes(
        f"<html><head>{equiv}<title>Été</title></head><body><p>Cœur</p></body></html>".encode(
            "cp1252"
        )
    )
    assert "Cœur" in REGISTRY.extract(path).text
    bom = tmp_path / "bom.html"
    bom.write_bytes(
        "\ufeff<html><head><meta charset='windows-1252'></head><body>Cœur</body></html>".encode()
    )
    assert "Cœur" in REGISTRY.extract(bom).text  # the BOM outranks a wrong declaration


def test_a_huge_text_file_is_read_only_as_far_as_the_limits_allow(tmp_path):
    lines = "".join(f"Ligne {n} : café, œuvre, été.\n" for n in range(2000))
    path = make_txt(tmp_path / "journal.txt", lines)
    extraction = REGISTRY.extract(path, ExtractionLimits(max_chars=1000))
    assert len(extraction.text) <= 1000
    assert extraction.text.startswith("Ligne 0 : café, œuvre, été.")
    assert "\ufffd" not in extraction.text  # never cut inside a character
    assert "fichier très volumineux : seul son début a été lu" in [
        reason_text(w) for w in extraction.warnings
    ]
