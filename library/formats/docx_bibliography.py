"""The bibliography as a Word document (python-docx): what a centre sends its partners.

A4 paper, French (fr-FR) as the proofing language of every style and run, the page number in
the footer; the title and the introduction the documentalist wrote, then a heading per section
(none when the bibliography is one list) and one paragraph per reference, the title in italics
(ISO 690), with a hanging indent.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from ..text import french_date
from .citation import Section, reference

LANGUAGE = "fr-FR"
A4_TWIPS = (11906, 16838)  # 210 x 297 mm


def bibliography_docx(
    sections: Sequence[Section],
    *,
    title: str,
    centre: str,
    description: str,
    today: date,
    introduction: str = "",
    base_url: str = "",
) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, Twips

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = centre
    document.core_properties.language = LANGUAGE
    for page in document.sections:
        page.page_width, page.page_height = (Twips(v) for v in A4_TWIPS)
        page.left_margin = page.right_margin = Cm(2.5)
        page.top_margin = page.bottom_margin = Cm(2.5)
        footer = page.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_number(footer)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    _french_proofing(document)
    document.add_heading(title, level=0)
    for text in _paragraphs(introduction):
        document.add_paragraph(text)
    count = sum(len(s.records) for s in sections)
    made = document.add_paragraph()
    made.add_run(
        f"{centre} — {description}, {count} référence{'s' if count > 1 else ''}, "
        f"établie le {french_date(today)}."
    ).italic = True
    for section in sections:
        if section.label:
            document.add_heading(section.label, level=1)
        for record in section.records:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(1)
            paragraph.paragraph_format.first_line_indent = Cm(-1)
            paragraph.paragraph_format.space_after = Pt(6)
            for text, italic in reference(record, consulted=today, base_url=base_url):
                run = paragraph.add_run(text)
                if italic:  # upright is the default: no <w:i w:val="0"/> on every run
                    run.italic = True
    if not sections:
        document.add_paragraph("Aucune référence ne correspond à cette sélection.")
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            _set_language(run._r.get_or_add_rPr())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _paragraphs(text: str) -> list[str]:
    """The introduction's paragraphs (blank lines separate them; a single line break is kept
    as a space)."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return [" ".join(b.split()) for b in blocks if b.strip()]


def _set_language(rpr) -> None:
    """<w:lang w:val="fr-FR"/> in a run's or a style's properties (the proofing language)."""
    from docx.oxml.ns import qn

    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _french_proofing(document) -> None:
    """French for the document's defaults and for every style the template has (Word checks
    the spelling of a run in the language its style says)."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            if rpr is None:
                rpr = rpr_default.makeelement(qn("w:rPr"), {})
                rpr_default.append(rpr)
            _set_language(rpr)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character"):
            _set_language(style.get_or_add_rPr())


def _page_number(paragraph) -> None:
    """A PAGE field (Word and LibreOffice fill it in on every page)."""
    from docx.oxml.ns import qn

    def field_char(kind: str):
        element = paragraph._p.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        return element

    run = paragraph.add_run()
    run._r.append(field_char("begin"))
    run = paragraph.add_run()
    instruction = run._r.makeelement(qn("w:instrText"), {})
    instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instruction.text = " PAGE "
    run._r.append(instruction)
    run = paragraph.add_run()
    run._r.append(field_char("separate"))
    paragraph.add_run("1")
    run = paragraph.add_run()
    run._r.append(field_char("end"))
    for run in paragraph.runs:
        _set_language(run._r.get_or_add_rPr())
