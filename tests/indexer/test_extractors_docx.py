"""DOCX extraction: all the text in document order, properties, and hostile archives."""

from __future__ import annotations

import os
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml

from corpus.files import FRENCH_TEXT, make_docx, write_zip
from indexer.extractors import PAGE_BREAK, ExtractionError, ExtractionLimits, default_registry
from webapp.messages import reason_text

REGISTRY = default_registry()
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _with_body_xml(path: Path, *fragments: str) -> Path:
    """Add raw WordprocessingML paragraphs to the end of a document's body."""
    document = docx.Document(str(path))
    section_properties = document.element.body[-1]
    for fragment in fragments:
        section_properties.addprevious(parse_xml(fragment))
    document.save(str(path))
    return path


def test_paragraphs_and_tables_come_in_document_order_with_french_intact(tmp_path):
    path = make_docx(
        tmp_path / "r.docx",
        ["Avant le tableau : œuvre, l’égalité, « guillemets »."],
        tables=[[["Quartier", "Habitants"], ["Dillon", "6 500"]]],
    )
    document = docx.Document(str(path))
    document.add_paragraph("Après le tableau.")
    document.save(str(path))
    text = REGISTRY.extract(path).text
    assert "Avant le tableau : œuvre, l’égalité, « guillemets »." in text
    order = [text.index(s) for s in ("Avant le tableau", "Dillon", "6 500", "Après le tableau")]
    assert order == sorted(order)


def test_nested_tables_are_read(tmp_path):
    path = make_docx(tmp_path / "n.docx", ["Intro"], tables=[[["Extérieur", "Cellule"]]])
    document = docx.Document(str(path))
    inner = document.tables[0].cell(0, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Tableau imbriqué"
    document.save(str(path))
    assert "Tableau imbriqué" in REGISTRY.extract(path).text


def test_headers_and_footers_are_read_once_even_when_sections_share_them(tmp_path):
    path = make_docx(
        tmp_path / "h.docx", ["Section une"], header="En-tête de la Ville", footer="Pied"
    )
    document = docx.Document(str(path))
    document.add_section(WD_SECTION.NEW_PAGE)  # linked to the previous header
    document.add_paragraph("Section deux")
    document.save(str(path))
    text = REGISTRY.extract(path).text
    assert text.count("En-tête de la Ville") == 1
    assert text.count("Pied") == 1
    assert text.index("Section deux") < text.index("En-tête de la Ville")  # body first


def test_text_boxes_are_read_once_although_word_stores_them_twice(tmp_path):
    path = make_docx(tmp_path / "t.docx", ["Corps"], text_box="Encadré : chiffres clés")
    assert REGISTRY.extract(path).text.count("Encadré : chiffres clés") == 1


def test_content_controls_are_read_and_deleted_revisions_are_not(tmp_path):
    path = _with_body_xml(
        make_docx(tmp_path / "c.docx", ["Corps"]),
        f"<w:sdt {W}><w:sdtPr><w:alias w:val='Champ'/></w:sdtPr><w:sdtContent><w:p><w:r>"
        "<w:t>Texte du contrôle de contenu</w:t></w:r></w:p></w:sdtContent></w:sdt>",
        f"<w:p {W}><w:r><w:t xml:space='preserve'>Texte gardé </w:t></w:r><w:del w:id='1' "
        "w:author='A'><w:r><w:delText>texte supprimé</w:delText></w:r></w:del>"
        "<w:ins w:id='2' w:author='A'><w:r><w:t>texte ajouté</w:t></w:r></w:ins></w:p>",
    )
    text = REGISTRY.extract(path).text
    assert "Texte du contrôle de contenu" in text
    assert "Texte gardé texte ajouté" in text
    assert "supprimé" not in text


def test_explicit_page_breaks_become_page_separators(tmp_path):
    path = make_docx(tmp_path / "p.docx", ["Page un"])
    document = docx.Document(str(path))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Page deux")
    document.save(str(path))
    pages = REGISTRY.extract(path).text.split(PAGE_BREAK)
    assert len(pages) == 2 and "Page un" in pages[0] and "Page deux" in pages[1]


def test_a_stale_page_count_in_app_xml_is_not_believed(tmp_path):
    # python-docx's template says Pages=1 whatever the document's length
    path = make_docx(tmp_path / "long.docx", [FRENCH_TEXT * 40])
    assert REGISTRY.extract(path).page_count is None


def test_core_properties_fill_the_metadata(tmp_path):
    path = make_docx(
        tmp_path / "m.docx",
        [FRENCH_TEXT],
        title="Charte de gestion urbaine de proximité",
        author="Sandrine Rosine; Ville de Sainte-Marie",
        subject="Engagements des bailleurs",
        keywords="GUP, propreté; cadre de vie",
        language="fr-FR",
        created=datetime(2009, 6, 15),
    )
    extraction = REGISTRY.extract(path)
    assert extraction.title == "Charte de gestion urbaine de proximité"
    assert extraction.authors == ("Rosine, Sandrine", "Ville de Sainte-Marie")
    assert extraction.keywords == ("GUP", "propreté", "cadre de vie")
    assert extraction.abstract == "Engagements des bailleurs"
    assert extraction.language_hint == "fr"
    assert (extraction.date, extraction.year) == ("2009-06-15", 2009)
    assert extraction.page_count == 1  # docProps/app.xml


@pytest.mark.parametrize("junk", ["Microsoft Word - doc1.docx", "Document1", "Titre"])
def test_a_junk_title_gives_way_to_the_title_styled_heading(tmp_path, junk):
    path = make_docx(
        tmp_path / "doc1.docx",
        [FRENCH_TEXT],
        title=junk,
        heading="Fiche d’expérience : le point information jeunesse itinérant",
    )
    extraction = REGISTRY.extract(path)
    assert extraction.title == "Fiche d’expérience : le point information jeunesse itinérant"


def _bomb(path: Path, size_mb: int) -> Path:
    # Streamed member by member (write_zip holds contents in memory): hundreds of megabytes.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(size_mb):
                member.write(chunk)
    return path


@pytest.fixture(scope="module")
def big_bomb(tmp_path_factory) -> Path:
    """300 MB of zeros in about 300 KB (built once: about half a second)."""
    return _bomb(tmp_path_factory.mktemp("bomb") / "bombe.docx", 300)


def test_a_zip_bomb_is_refused_from_its_directory_without_inflating_it(big_bomb):
    assert os.path.getsize(big_bomb) < 1_000_000
    with pytest.raises(ExtractionError) as caught:  # how fast: bench/units.py
        REGISTRY.extract(big_bomb)
    assert reason_text(caught.value.reason) == "archive suspecte (bombe de décompression)"


def test_a_small_member_with_an_extreme_ratio_is_refused_too(tmp_path):
    path = _bomb(tmp_path / "petite-bombe.docx", 20)  # under the total limit, ratio ~1000
    with pytest.raises(ExtractionError) as caught:
        REGISTRY.extract(path)
    assert reason_text(caught.value.reason) == "archive suspecte (bombe de décompression)"


def test_the_total_size_limit_is_the_callers(tmp_path):
    path = make_docx(tmp_path / "gros.docx", [FRENCH_TEXT] * 50)
    assert REGISTRY.extract(path).text
    with pytest.raises(ExtractionError):
        REGISTRY.extract(path, ExtractionLimits(max_uncompressed=20_000))


def test_a_truncated_docx_is_reported_as_such(tmp_path):
    data = make_docx(tmp_path / "full.docx", [FRENCH_TEXT] * 20).read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExtractionError) as caught:
        REGISTRY.extract(path)
    assert (
        reason_text(caught.value.reason)
        == "fichier DOCX tronqué ou corrompu (archive ZIP illisible)"
    )


def test_strict_open_xml_is_named_in_the_reason(tmp_path):
    path = tmp_path / "strict.docx"
    relationships = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="r1" Target="word/document.xml" Type="http://purl.oclc.org/ooxml/'
        'officeDocument/relationships/officeDocument"/></Relationships>'
    )
    write_zip(
        path,
        [
            ("[Content_Types].xml", "<Types/>"),
            ("_rels/.rels", relationships),
            ("word/document.xml", "<w:document/>"),
        ],
    )
    with pytest.raises(ExtractionError) as caught:
        REGISTRY.extract(path)
    assert "Open XML strict" in reason_text(caught.value.reason)


def test_a_docx_named_pdf_is_read_as_docx(tmp_path):
    path = make_docx(tmp_path / "rapport.pdf", ["Un DOCX déguisé."], title="Déguisement")
    extraction = REGISTRY.extract(path)
    assert extraction.media_type.endswith("wordprocessingml.document")
    assert "Un DOCX déguisé." in extraction.text
