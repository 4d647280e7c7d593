"""PDF extraction: pages, French text, metadata priority, passwords, damage and bounds."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from corpus.files import FRENCH_TEXT, Heading, PageBreak, make_pdf
from indexer.extractors import PAGE_BREAK, ExtractionError, ExtractionLimits, default_registry
from webapp.messages import reason_text

REGISTRY = default_registry()


def test_each_pdf_page_is_one_text_page_and_french_survives(tmp_path):
    path = make_pdf(
        tmp_path / "rapport.pdf",
        [FRENCH_TEXT, PageBreak(), "Deuxième page : l’œuvre « collective »."],
        title="Rapport",
    )
    extraction = REGISTRY.extract(path)
    pages = extraction.text.split(PAGE_BREAK)
    assert extraction.page_count == len(pages) == 2
    assert "œuvre pour l’égalité" in pages[0]
    assert "« Les habitants ont été associés à l’évaluation »" in " ".join(pages[0].split())
    assert "l’œuvre « collective »" in pages[1]


def test_info_metadata_comes_first(tmp_path):
    path = make_pdf(
        tmp_path / "x.pdf",
        [Heading("Un autre titre imprimé en grand", 0), FRENCH_TEXT],
        title="Diagnostic territorial du quartier Volga-Plage",
        author="Marie Dupont; Jean Martin",
        subject="Diagnostic partagé avec les habitants",
        keywords=["diagnostic", "quartier prioritaire"],
        created=datetime(2007, 2, 14, 9, 30),
    )
    extraction = REGISTRY.extract(path)
    assert extraction.title == "Diagnostic territorial du quartier Volga-Plage"
    assert extraction.authors == ("Dupont, Marie", "Martin, Jean")
    assert extraction.abstract == "Diagnostic partagé avec les habitants"
    assert extraction.keywords == ("diagnostic", "quartier prioritaire")
    assert (extraction.date, extraction.year) == ("2007-02-14", 2007)


def test_a_junk_info_title_gives_way_to_the_largest_type_on_the_first_page(tmp_path):
    path = make_pdf(
        tmp_path / "doc1.pdf",
        [
            Heading("Évaluation à mi-parcours du contrat urbain de cohésion sociale", 0),
            "Rapport final",
            "Par Marie Dupont et Jean Martin",
            "Juin 2009",
            FRENCH_TEXT,
        ],
        title="Microsoft Word - doc1.docx",
        created=datetime(2011, 5, 2),
    )
    extraction = REGISTRY.extract(path)
    assert extraction.title == "Évaluation à mi-parcours du contrat urbain de cohésion sociale"
    assert extraction.authors == ("Dupont, Marie", "Martin, Jean")
    # The month printed on the cover beats the date the PDF file was made.
    assert (extraction.date, extraction.year) == ("2009-06", 2009)


def test_without_metadata_or_headline_the_file_name_is_the_title(tmp_path):
    path = make_pdf(tmp_path / "2009_evaluation-CUCS_fort-de-france_v2.pdf", FRENCH_TEXT)
    assert REGISTRY.extract(path).title == "2009 evaluation CUCS fort de france"


def test_an_image_only_pdf_gives_empty_text_not_an_error(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    path = tmp_path / "scan.pdf"
    writer.write(path)
    extraction = REGISTRY.extract(path)
    assert extraction.text.strip() == ""
    assert extraction.page_count == 2
    assert extraction.title == "scan"


def _encrypted(source: Path, target: Path, user: str, algorithm: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user, owner_password="propriétaire", algorithm=algorithm)
    writer.write(target)
    return target


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_pdf_needing_a_user_password_is_refused_with_a_clear_reason(tmp_path, algorithm):
    plain = make_pdf(tmp_path / "plain.pdf", FRENCH_TEXT)
    path = _encrypted(plain, tmp_path / "secret.pdf", "motdepasse", algorithm)
    with pytest.raises(ExtractionError) as caught:
        REGISTRY.extract(path)
    assert reason_text(caught.value.reason) == "PDF protégé par un mot de passe"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_pdf_protected_by_an_owner_password_only_is_read(tmp_path, algorithm):
    plain = make_pdf(tmp_path / "plain.pdf", FRENCH_TEXT)
    path = _encrypted(plain, tmp_path / "restricted.pdf", "", algorithm)
    assert "œuvre pour l’égalité" in REGISTRY.extract(path).text


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_a_truncated_pdf_is_an_extraction_error(tmp_path, keep):
    data = make_pdf(tmp_path / "full.pdf", [FRENCH_TEXT] * 40).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ExtractionError) as caught:
        REGISTRY.extract(path)
    assert reason_text(caught.value.reason).startswith("PDF endommagé")


def test_ligature_glyphs_are_split_into_letters(tmp_path):
    # A font whose codes 1 and 2 draw the 'fi' and 'fl' ligatures, as TeX and InDesign
    # fonts do: pypdf gives U+FB01/U+FB02, which would hide 'profil' and 'flux' from search.
    writer = PdfWriter(clone_from=PdfReader(make_pdf(tmp_path / "a.pdf", "Texte")))
    page = writer.pages[0]
    font = page["/Resources"]["/Font"]["/F1"].get_object()
    font[NameObject("/Encoding")] = DictionaryObject(
        {
            NameObject("/BaseEncoding"): NameObject("/WinAnsiEncoding"),
            NameObject("/Differences"): ArrayObject(
                [NumberObject(1), NameObject("/fi"), NameObject("/fl")]
            ),
        }
    )
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 72 700 Td (Le pro\x01l du \x02ux) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    path = tmp_path / "ligatures.pdf"
    writer.write(path)
    assert "\ufb01" in PdfReader(path).pages[0].extract_text()  # the library's view
    assert "Le profil du flux" in REGISTRY.extract(path).text


def test_bytes_and_nul_characters_in_info_do_not_reach_the_title(tmp_path):
    writer = PdfWriter(clone_from=PdfReader(make_pdf(tmp_path / "a.pdf", FRENCH_TEXT)))
    writer.add_metadata({"/Title": TextStringObject("Rapport d’activité 2012\x00")})
    path = tmp_path / "nul.pdf"
    writer.write(path)
    assert REGISTRY.extract(path).title == "Rapport d’activité 2012"


def test_only_max_pages_are_read_and_the_text_is_bounded(tmp_path):
    blocks: list = []
    for number in range(1, 6):
        blocks += [f"Page numéro {number}. " + FRENCH_TEXT, PageBreak()]
    path = make_pdf(tmp_path / "long.pdf", blocks[:-1])
    extraction = REGISTRY.extract(path, ExtractionLimits(max_pages=3))
    assert extraction.page_count == 5
    assert extraction.text.count(PAGE_BREAK) == 2
    assert "Page numéro 4" not in extraction.text
    assert any("3 premières pages" in w for w in [reason_text(w) for w in extraction.warnings])
    bounded = REGISTRY.extract(path, ExtractionLimits(max_chars=300))
    assert len(bounded.text) <= 300
    assert any("tronqué" in w for w in [reason_text(w) for w in bounded.warnings])


def _failing_pages(monkeypatch, failing: set[int]) -> None:
    """Make pypdf fail on some pages, as it does on a damaged content stream."""
    original = PageObject.extract_text

    def extract_text(page, *args, **kwargs):  # type: ignore[no-untyped-def]
        if page.page_number + 1 in failing:
            raise PdfReadError("damaged content stream")
        return original(page, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", extract_text)


def test_a_page_that_cannot_be_read_is_skipped_with_a_warning(tmp_path, monkeypatch):
    path = make_pdf(tmp_path / "p.pdf", ["Page un", PageBreak(), "Page deux", PageBreak(), "Trois"])
    _failing_pages(monkeypatch, {2})
    extraction = REGISTRY.extract(path)
    pages = extraction.text.split(PAGE_BREAK)
    assert len(pages) == 3 and "Page un" in pages[0] and pages[1] == "" and "Trois" in pages[2]
    assert "page 2 illisible, ignorée" in [reason_text(w) for w in extraction.warnings]


def test_a_pdf_whose_every_page_fails_is_an_error(tmp_path, monkeypatch):
    path = make_pdf(tmp_path / "p.pdf", ["Page un", PageBreak(), "Page deux"])
    _failing_pages(monkeypatch, {1, 2})
    with pytest.raises(ExtractionError) as caught:
        REGISTRY.extract(path)
    assert reason_text(caught.value.reason) == "PDF endommagé : aucune page n'a pu être lue"


def test_the_catalog_language_is_the_language_hint(tmp_path):
    writer = PdfWriter(clone_from=PdfReader(make_pdf(tmp_path / "a.pdf", FRENCH_TEXT)))
    writer._root_object[NameObject("/Lang")] = TextStringObject("fr-FR")
    path = tmp_path / "lang.pdf"
    writer.write(path)
    assert REGISTRY.extract(path).language_hint == "fr"


def test_library_warnings_are_kept_inside(tmp_path, capsys):
    writer = PdfWriter(
        clone_from=PdfReader(make_pdf(tmp_path / "a.pdf", ["Un", PageBreak(), "Deux"]))
    )
    writer.pages[1][NameObject("/Resources")] = NumberObject(5)  # pypdf logs a warning
    path = tmp_path / "odd.pdf"
    writer.write(path)
    extraction = REGISTRY.extract(path)
    assert "Un" in extraction.text
    assert capsys.readouterr().err == ""
    assert "structure du PDF endommagée : lue en mode tolérant" in [
        reason_text(w) for w in extraction.warnings
    ]
