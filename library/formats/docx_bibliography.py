"""The thematic bibliography as a Word document (python-docx): what a centre sends its partners.

Headings per thematic, one paragraph per reference with the title in italics (ISO 690), a
hanging indent, and a line saying what was selected and when.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from ..text import french_date
from .citation import Section, reference


def bibliography_docx(
    sections: Sequence[Section], *, title: str, centre: str, description: str, today: date
) -> bytes:
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = centre
    document.core_properties.language = "fr-FR"
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    document.add_heading(title, level=0)
    count = sum(len(s.records) for s in sections)
    intro = document.add_paragraph()
    intro.add_run(
        f"{centre} — {description}, {count} référence{'s' if count > 1 else ''}, "
        f"établie le {french_date(today)}."
    ).italic = True
    for section in sections:
        document.add_heading(section.label, level=1)
        for record in section.records:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(1)
            paragraph.paragraph_format.first_line_indent = Cm(-1)
            paragraph.paragraph_format.space_after = Pt(6)
            for text, italic in reference(record):
                run = paragraph.add_run(text)
                run.italic = italic
    if not sections:
        document.add_paragraph("Aucune référence ne correspond à cette sélection.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
