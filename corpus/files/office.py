"""Word-processor files: DOCX (python-docx, repackaged so that the bytes never depend on the
clock), OpenDocument text and EPUB (written by hand: a few XML members in a zip)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from .archive import FIXED_DATE, write_zip
from .blocks import FRENCH_TEXT, Grid, Heading, PageBreak, Styled, TextBox

DocxBlock = str | Heading | PageBreak | Styled | Grid | TextBox

_EMPTY_CORE = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)

_TEXT_BOX = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>
<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r>
<w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>
</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""


def write_docx(
    path: Path,
    blocks: Iterable[DocxBlock],
    *,
    properties: Mapping[str, Any] | None = None,
    header: str | None = None,
    footer: str | None = None,
    date_time: tuple[int, int, int, int, int, int] = FIXED_DATE,
    unix_mode: int | None = None,
    thumbnail: bool = True,
    empty_core: bool = False,
) -> Path:
    """Write blocks as a DOCX made with python-docx; return `path`.

    `properties` are python-docx core properties (title, author, created…), set in their
    order (the order of the elements in docProps/core.xml). The zip is rewritten with
    `write_zip` (fixed `date_time`, `unix_mode`); `thumbnail=False` drops the template's preview
    image and `empty_core` writes core properties with nothing in them, as some tools do."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    for block in blocks:
        if isinstance(block, Heading):
            _styled(document, block.text, "Title" if block.level == 0 else f"Heading{block.level}")
        elif isinstance(block, Styled):
            _styled(document, block.text, block.style)
        elif isinstance(block, PageBreak):
            document.add_page_break()
        elif isinstance(block, Grid):
            width = max(len(row) for row in block.rows)
            table = document.add_table(rows=len(block.rows), cols=width)
            if block.style:
                table.style = block.style
            for r, row in enumerate(block.rows):
                cells = table.rows[r].cells
                for c, value in enumerate(row):
                    cells[c].text = value
        elif isinstance(block, TextBox):
            from docx.oxml import parse_xml

            run = parse_xml(_TEXT_BOX.format(text=escape(block.text)))
            document.add_paragraph()._p.append(run)
        else:
            document.add_paragraph(block)
    props = document.core_properties
    for name, value in (properties or {}).items():
        setattr(props, name, value)
    buffer = io.BytesIO()
    document.save(buffer)
    members = []
    with zipfile.ZipFile(buffer) as package:
        for info in package.infolist():
            content = package.read(info.filename)
            if not thumbnail:
                if info.filename == "docProps/thumbnail.jpeg":
                    continue
                if info.filename == "_rels/.rels":
                    content = re.sub(rb"<Relationship [^>]*thumbnail[^>]*/>", b"", content)
                if info.filename == "[Content_Types].xml":
                    content = content.replace(
                        b'<Default ContentType="image/jpeg" Extension="jpeg"/>', b""
                    )
            if empty_core and info.filename == "docProps/core.xml":
                content = _EMPTY_CORE
            members.append((info.filename, content))
    write_zip(path, members, date_time=date_time, unix_mode=unix_mode)
    return path


def make_docx(
    path: Path,
    paragraphs: str | Sequence[str] = (FRENCH_TEXT,),
    *,
    title: str | None = None,
    author: str | None = None,
    subject: str | None = None,
    keywords: str | None = None,
    language: str | None = None,
    created: datetime | None = None,
    tables: Sequence[Sequence[Sequence[str]]] = (),
    header: str | None = None,
    footer: str | None = None,
    text_box: str | None = None,
    heading: str | None = None,
) -> Path:
    """A DOCX: an optional Title-styled heading, paragraphs, tables (rows of cell texts), a
    header/footer and a text box (present twice in the XML, as Word writes it)."""
    blocks: list[DocxBlock] = [Heading(heading, 0)] if heading else []
    blocks += [paragraphs] if isinstance(paragraphs, str) else paragraphs
    blocks += [Grid(tuple(tuple(row) for row in rows)) for rows in tables]
    if text_box:
        blocks.append(TextBox(text_box))
    properties: dict[str, object] = {
        "title": title or "",
        "author": author or "",
        "subject": subject or "",
        "keywords": keywords or "",
        "comments": "",  # python-docx's template says "generated by python-docx"
    }
    if language:
        properties["language"] = language
    properties["created"] = properties["modified"] = created or datetime(2013, 12, 31)
    return write_docx(path, blocks, properties=properties, header=header, footer=footer)


def _styled(document: Any, text: str, style_id: str) -> None:
    """A paragraph in one of the template's styles, by id.

    python-docx resolves a style name by scanning every style for the default one on each
    assignment (~1 ms, a third of the DOCX time of a synthetic fund); the template's ids are
    fixed."""
    document.add_paragraph(text)._p.style = style_id


def zip_date(when: datetime) -> tuple[int, int, int, int, int, int]:
    """A datetime as a zip entry's date (zip dates start in 1980; seconds are dropped)."""
    return (max(when.year, 1980), when.month, when.day, when.hour, when.minute, 0)


def make_odt(
    path: Path,
    paragraphs: Sequence[str] = (FRENCH_TEXT,),
    *,
    title: str | None = None,
    author: str | None = None,
    language: str | None = None,
    note: str | None = None,
    deleted: str | None = None,
) -> Path:
    """A minimal OpenDocument text: paragraphs, an optional footnote in the first one, and an
    optional tracked deletion (text that must not come out)."""
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    ns = (
        f'xmlns:office="{office}" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
    )
    body = []
    if deleted:
        body.append(
            '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
            f"<text:p>{escape(deleted)}</text:p></text:deletion></text:changed-region>"
            "</text:tracked-changes>"
        )
    for number, text in enumerate(paragraphs):
        extra = ""
        if note and number == 0:
            extra = (
                '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
                f"<text:note-body><text:p>{escape(note)}</text:p></text:note-body></text:note>"
            )
        body.append(f"<text:p>{escape(text)}{extra}</text:p>")
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        f"<office:body><office:text>{''.join(body)}</office:text></office:body>"
        "</office:document-content>"
    )
    fields = []
    if title:
        fields.append(f"<dc:title>{escape(title)}</dc:title>")
    if author:
        fields.append(f"<meta:initial-creator>{escape(author)}</meta:initial-creator>")
    if language:
        fields.append(f"<dc:language>{language}</dc:language>")
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ns} office:version="1.2">'
        f"<office:meta>{''.join(fields)}</office:meta></office:document-meta>"
    )
    members = [
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", content),
        ("meta.xml", meta),
    ]
    write_zip(path, members, stored={"mimetype"}, unix_mode=0o644)
    return path


def make_epub(
    path: Path,
    chapters: Sequence[str] = (FRENCH_TEXT,),
    *,
    title: str | None = "Livre d’essai",
    author: str | None = None,
    language: str | None = "fr",
) -> Path:
    """An EPUB 2 container: one XHTML file a chapter, in spine order, Dublin Core metadata."""
    items, refs = [], []
    members: list[tuple[str, str]] = [("mimetype", "application/epub+zip")]
    for number, text in enumerate(chapters, start=1):
        name = f"chap{number}.xhtml"
        members.append(
            (
                f"OEBPS/{name}",
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<html xmlns="http://www.w3.org/1999/xhtml">'
                f"<head><title>Chapitre {number}</title><style>p {{ color: red }}</style></head>"
                f"<body><p>{escape(text)}</p></body></html>",
            )
        )
        items.append(f'<item id="c{number}" href="{name}" media-type="application/xhtml+xml"/>')
        refs.append(f'<itemref idref="c{number}"/>')
    dc = "".join(
        f"<dc:{tag}>{escape(value)}</dc:{tag}>"
        for tag, value in (("title", title), ("creator", author), ("language", language))
        if value
    )
    members.append(
        (
            "OEBPS/content.opf",
            '<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" '
            'version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"{dc}</metadata><manifest>{''.join(items)}</manifest><spine>{''.join(refs)}</spine>"
            "</package>",
        )
    )
    members.append(
        (
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
    )
    write_zip(path, members, stored={"mimetype"}, unix_mode=0o644)
    return path
