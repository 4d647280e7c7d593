"""The one writer of sample files, shared by the sample fund's build (`corpus/build.py`), the
synthetic funds (`corpus/synth`), the benchmarks and the tests.

One `make_*` function a format, path in, path out, deterministic (same arguments, same bytes),
with French defaults with accents so that encoding mistakes show. Metadata arguments left at
None are left out of the file, as in many real files.

    make_pdf(tmp_path / "r.pdf", "Premier paragraphe.\\n\\nSecond.", title="Rapport")
    make_docx(tmp_path / "r.docx", ["Premier paragraphe", "Second"], title="Rapport")
    make_html(tmp_path / "p.html", "<p>Texte</p>", title="Page", charset="windows-1252")
    make_txt(tmp_path / "n.txt", "Note œuvre", encoding="cp1252")

A document laid out in blocks (headings, page breaks, styled paragraphs, tables) goes through
`write_pdf` or `write_docx`; `write_zip` is the one zip writer (DOCX, OpenDocument, EPUB).
"""

from __future__ import annotations

from .archive import FIXED_DATE, write_zip
from .blocks import FRENCH_TEXT, Grid, Heading, PageBreak, Styled, TextBox
from .image import make_png_scan
from .office import DocxBlock, make_docx, make_epub, make_odt, write_docx, zip_date
from .pdf import Block, make_pdf, write_pdf
from .text import make_html, make_rtf, make_txt

__all__ = [
    "FIXED_DATE",
    "FRENCH_TEXT",
    "Block",
    "DocxBlock",
    "Grid",
    "Heading",
    "PageBreak",
    "Styled",
    "TextBox",
    "make_docx",
    "make_epub",
    "make_html",
    "make_odt",
    "make_pdf",
    "make_png_scan",
    "make_rtf",
    "make_txt",
    "write_docx",
    "write_pdf",
    "write_zip",
    "zip_date",
]
