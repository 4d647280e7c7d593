"""Test files generated in code, one small function per format.

Every factory writes to `path`, returns `path`, and has French defaults with accents so that
encoding mistakes show. Metadata arguments left at None are left out of the file, as in many
real files.

    make_pdf(tmp_path / "r.pdf", "Premier paragraphe.\\n\\nSecond.", title="Rapport")
    make_docx(tmp_path / "r.docx", ["Premier paragraphe", "Second"], title="Rapport")
    make_html(tmp_path / "p.html", "<p>Texte</p>", title="Page", charset="windows-1252")
    make_txt(tmp_path / "n.txt", "Note œuvre", encoding="cp1252")
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from html import escape
from pathlib import Path

from indexer.synth.pdf import Block, Heading, PageBreak, write_pdf

__all__ = [
    "FRENCH_TEXT",
    "Heading",
    "PageBreak",
    "make_docx",
    "make_epub",
    "make_html",
    "make_odt",
    "make_pdf",
    "make_rtf",
    "make_txt",
]

FRENCH_TEXT = (
    "Le contrat urbain de cohésion sociale œuvre pour l’égalité des chances dans les quartiers "
    "prioritaires. « Les habitants ont été associés à l’évaluation », souligne le rapport, qui "
    "décrit les actions menées à Fort-de-France depuis 2007."
)


def _blocks(content: str | Iterable[Block]) -> list[Block]:
    """Text to blocks: blank lines separate paragraphs, a form feed starts a new page."""
    if not isinstance(content, str):
        return list(content)
    blocks: list[Block] = []
    for number, page in enumerate(content.split("\f")):
        if number:
            blocks.append(PageBreak())
        blocks.extend(p.strip() for p in page.split("\n\n") if p.strip())
    return blocks


def make_pdf(
    path: Path,
    content: str | Iterable[Block] = FRENCH_TEXT,
    *,
    title: str | None = None,
    author: str | None = None,
    subject: str | None = None,
    keywords: Sequence[str] = (),
    created: datetime | None = None,
) -> Path:
    """A text PDF (indexer.synth.pdf): `content` is text or blocks (str, Heading, PageBreak)."""
    write_pdf(
        path,
        _blocks(content),
        title=title,
        author=author,
        subject=subject,
        keywords=keywords,
        created=created,
        header="",
    )
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
    """A DOCX made with python-docx: an optional Title-styled heading, paragraphs, tables
    (rows of cell texts), a header/footer and a text box (present twice in the XML, as Word
    writes it: DrawingML with a VML fallback)."""
    import docx

    document = docx.Document()
    if heading:
        document.add_heading(heading, 0)
    for text in [paragraphs] if isinstance(paragraphs, str) else paragraphs:
        document.add_paragraph(text)
    for rows in tables:
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
    if text_box:
        document.add_paragraph()._p.append(_text_box_run(text_box))
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    props = document.core_properties
    props.title = title or ""
    props.author = author or ""
    props.subject = subject or ""
    props.keywords = keywords or ""
    props.comments = ""
    if language:
        props.language = language
    props.created = props.modified = created or datetime(2013, 12, 31)
    document.save(str(path))
    return path


_TEXT_BOX = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>
<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r>
<w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>
</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""


def _text_box_run(text: str):  # type: ignore[no-untyped-def]
    from docx.oxml import parse_xml

    return parse_xml(_TEXT_BOX.format(text=escape(text)))


def make_html(
    path: Path,
    body: str = f"<p>{FRENCH_TEXT}</p>",
    *,
    title: str | None = None,
    lang: str | None = "fr",
    charset: str = "utf-8",
    declare_charset: bool = True,
    meta: Mapping[str, str] | None = None,
    head_extra: str = "",
) -> Path:
    """An HTML page encoded in `charset`, declared in <meta charset> unless told otherwise;
    `meta` gives <meta name=… content=…> tags, `body` is inner HTML."""
    head = [f'<meta charset="{charset}">'] if declare_charset else []
    if title is not None:
        head.append(f"<title>{escape(title)}</title>")
    head += [f'<meta name="{escape(k)}" content="{escape(v)}">' for k, v in (meta or {}).items()]
    lang_attr = f' lang="{lang}"' if lang else ""
    page = (
        f"<!DOCTYPE html>\n<html{lang_attr}>\n<head>\n{''.join(head)}{head_extra}\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
    path.write_bytes(page.encode(charset))
    return path


def make_txt(path: Path, text: str = FRENCH_TEXT, *, encoding: str = "utf-8") -> Path:
    """A text file in `encoding` ('utf-8-sig' and 'utf-16' write a byte-order mark)."""
    path.write_bytes(text.encode(encoding))
    return path


def _zip(path: Path, members: Mapping[str, str | bytes], first: tuple[str, bytes] | None) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:  # OpenDocument and EPUB: 'mimetype' first and stored, as the specs require
            archive.writestr(zipfile.ZipInfo(first[0]), first[1], zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data)


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
    _zip(
        path,
        {"content.xml": content, "meta.xml": meta},
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
    )
    return path


def _rtf_escape(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if char in "\\{}":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\par\n")
        elif code < 128:
            out.append(char)
        else:
            try:
                out.append(f"\\'{char.encode('cp1252')[0]:02x}")
            except UnicodeEncodeError:
                out.append(f"\\u{code if code < 32768 else code - 65536}?")
    return "".join(out)


def make_rtf(
    path: Path, text: str = FRENCH_TEXT, *, title: str | None = None, author: str | None = None
) -> Path:
    """An RTF file (ANSI code page 1252): accents as \\'xx, other characters as \\uN escapes."""
    info = ""
    if title or author:
        info = "{\\info" + (f"{{\\title {_rtf_escape(title)}}}" if title else "")
        info += (f"{{\\author {_rtf_escape(author)}}}" if author else "") + "}"
    document = (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\froman Times New Roman;}}"
        "{\\colortbl;\\red0\\green0\\blue0;}" + info + "\n\\pard " + _rtf_escape(text) + "\\par\n}"
    )
    path.write_bytes(document.encode("ascii"))
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
    items, refs, members = [], [], {}
    for number, text in enumerate(chapters, start=1):
        name = f"chap{number}.xhtml"
        members[f"OEBPS/{name}"] = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
            f"<head><title>Chapitre {number}</title><style>p {{ color: red }}</style></head>"
            f"<body><p>{escape(text)}</p></body></html>"
        )
        items.append(f'<item id="c{number}" href="{name}" media-type="application/xhtml+xml"/>')
        refs.append(f'<itemref idref="c{number}"/>')
    dc = "".join(
        f"<dc:{tag}>{escape(value)}</dc:{tag}>"
        for tag, value in (("title", title), ("creator", author), ("language", language))
        if value
    )
    members["OEBPS/content.opf"] = (
        '<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" '
        'version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"{dc}</metadata><manifest>{''.join(items)}</manifest><spine>{''.join(refs)}</spine>"
        "</package>"
    )
    members["META-INF/container.xml"] = (
        '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    _zip(path, members, ("mimetype", b"application/epub+zip"))
    return path


def make_png_scan(path: Path, text: str = "Politique de la ville") -> Path:
    """A small greyscale PNG with a line of text drawn in Pillow's own font (no OCR quality
    intended: for format tests; OCR tests render real scans with indexer.synth.scans)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 80), 255)
    ImageDraw.Draw(image).text((10, 30), text, fill=0)
    image.save(path, dpi=(200, 200))
    return path
