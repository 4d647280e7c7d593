"""Write a synthetic document as the file a centre receives: PDF, DOCX, TXT, Markdown or HTML.

Every writer is deterministic: same document, same bytes. The file's own metadata follows
`document.metadata`: "full" (title, author, date), "none" (left empty, as in files saved by
tools that write nothing) or "junk" (what Word leaves behind: "Microsoft Word - doc3.docx",
author "Administrateur"), to exercise the indexer's heuristics.
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import docx
from docx.document import Document as DocxDocument

from .body import Block, Table
from .pdf import Heading, PageBreak, write_pdf
from .records import SyntheticDocument

# When a file has no metadata of its own, tools still stamp a date: the day the centre's
# documents were converted in bulk.
CONVERSION_DATE = datetime(2014, 3, 3, 9, 0, 0)
JUNK_TITLES = (
    "Microsoft Word - doc{n}.docx",
    "Document{n}",
    "Titre du document",
    "Modèle rapport CUCS",
    "Microsoft Word - rapport_final_v{n}.doc",
    "Nouveau document Microsoft Word",
)
JUNK_AUTHORS = ("Administrateur", "utilisateur", "PC-ACCUEIL", "HP", "Poste 3", "Windows User")
TABLE_CELL_GAP = "    "


def junk_title(document: SyntheticDocument) -> str:
    return JUNK_TITLES[document.number % len(JUNK_TITLES)].format(n=document.number % 9 + 1)


def junk_author(document: SyntheticDocument) -> str:
    return JUNK_AUTHORS[document.number % len(JUNK_AUTHORS)]


def metadata_author(document: SyntheticDocument) -> str:
    """Author as office tools write it: people in reading order, else the organisation."""
    return "; ".join(document.people) or document.publisher


def _described(document: SyntheticDocument) -> tuple[str | None, str | None, datetime | None]:
    """(title, author, created) for the file's own metadata, by `document.metadata`."""
    if document.metadata == "none":
        return None, None, None
    if document.metadata == "junk":
        return junk_title(document), junk_author(document), document.created
    return document.title, metadata_author(document), document.created


# --- PDF -----------------------------------------------------------------------------------


def _pdf_blocks(document: SyntheticDocument) -> list[str | Heading | PageBreak]:
    publisher, title, *rest = document.front
    blocks: list[str | Heading | PageBreak] = [publisher, Heading(title, 0)]
    if document.subtitle:
        blocks.append(Heading(rest.pop(0), 2))
    blocks += rest
    blocks.append(PageBreak())
    chapters_on_new_pages = document.size_class == "large"
    for block in document.body:
        if isinstance(block, Heading) and block.level == 1 and chapters_on_new_pages:
            blocks.append(PageBreak())
        if isinstance(block, Table):
            blocks += block.lines(TABLE_CELL_GAP)
        else:
            blocks.append(block)
    return blocks


def write_pdf_document(document: SyntheticDocument, path: Path) -> None:
    title, author, created = _described(document)
    write_pdf(
        path,
        _pdf_blocks(document),
        title=title,
        author=author,
        created=created,
        keywords=document.keywords if document.metadata == "full" else (),
        header=document.title,
    )


# --- DOCX ----------------------------------------------------------------------------------


def _styled(doc: DocxDocument, text: str, style_id: str) -> None:
    """A paragraph in one of the template's styles, by id.

    python-docx resolves a style name by scanning every style for the default one on each
    assignment (~1 ms, a third of the DOCX time here); the built-in template's ids are fixed."""
    doc.add_paragraph(text)._p.style = style_id


def _docx_table(doc: DocxDocument, table: Table) -> None:
    _styled(doc, table.caption, "Caption")
    grid = doc.add_table(rows=len(table.rows) + 1, cols=len(table.header))
    grid.style = "Table Grid"
    for r, row in enumerate((table.header, *table.rows)):
        cells = grid.rows[r].cells
        for c, value in enumerate(row):
            cells[c].text = value
    if table.source:
        doc.add_paragraph(table.source)


def _stable_zip(data: bytes, when: datetime) -> bytes:
    """python-docx stamps zip entries with the current time: rewrite them with a fixed one."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # as Word writes; the default depends on the platform
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def write_docx_document(document: SyntheticDocument, path: Path) -> None:
    doc = docx.Document()
    props = doc.core_properties
    title, author, created = _described(document)
    props.title = title or ""
    props.author = author or ""
    props.last_modified_by = author or ""
    props.comments = ""  # python-docx's template says "generated by python-docx"
    props.keywords = ", ".join(document.keywords) if document.metadata == "full" else ""
    props.subject = ""
    props.language = {"fr": "fr-FR", "en": "en-GB", "es": "es-ES"}[document.language]
    props.revision = 1
    props.created = props.modified = created or CONVERSION_DATE

    doc.sections[0].header.paragraphs[0].text = document.publisher  # running header, as in reports
    publisher, doc_title, *rest = document.front
    doc.add_paragraph(publisher)
    _styled(doc, doc_title, "Title")
    if document.subtitle:
        _styled(doc, rest.pop(0), "Subtitle")
    for line in rest:
        doc.add_paragraph(line)
    doc.add_page_break()
    for block in document.body:
        if isinstance(block, Heading):
            _styled(doc, block.text, f"Heading{block.level}")
        elif isinstance(block, Table):
            _docx_table(doc, block)
        else:
            doc.add_paragraph(block)
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(_stable_zip(buffer.getvalue(), created or CONVERSION_DATE))


# --- plain text and Markdown ---------------------------------------------------------------


def _text_lines(
    body: tuple[Block, ...],
    heading: Callable[[Heading], list[str]],
    table: Callable[[Table], list[str]],
) -> list[str]:
    lines: list[str] = []
    for block in body:
        if isinstance(block, Heading):
            lines += heading(block)
        elif isinstance(block, Table):
            lines += table(block)
        else:
            lines.append(block)
        lines.append("")
    return lines


def write_txt_document(document: SyntheticDocument, path: Path) -> None:
    title = document.title.upper()
    lines = [document.publisher, "", title, "=" * len(title), ""]
    lines += [line for line in document.front[2:] for line in (line, "")]
    lines += _text_lines(
        document.body,
        lambda h: [h.text, ("=" if h.level == 1 else "-") * len(h.text)],
        lambda t: t.lines("\t"),
    )
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")


def _md_table(table: Table) -> list[str]:
    rows = [table.header, tuple("---" for _ in table.header), *table.rows]
    return [
        f"*{table.caption}*",
        "",
        *("| " + " | ".join(r) + " |" for r in rows),
        "",
        table.source,
    ]


def write_md_document(document: SyntheticDocument, path: Path) -> None:
    # YAML front matter, as static-site and note-taking tools write it.
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "---",
        f"title: {quoted(document.title)}",
        f"author: {quoted(metadata_author(document))}",
        f"date: {document.created.date().isoformat()}",
        f"lang: {document.language}",
        "---",
        "",
        f"# {document.title}",
        "",
    ]
    lines += [f"*{line}*" for line in document.front[2:]] + [""]
    lines += _text_lines(document.body, lambda h: ["#" * (h.level + 1) + " " + h.text], _md_table)
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")


# --- HTML ----------------------------------------------------------------------------------

_NAV = (
    "Accueil",
    "Le centre de ressources",
    "Actualités",
    "Publications",
    "Agenda",
    "Plan du site",
    "Mentions légales",
    "Contact",
)
_SCRIPT = """var _paq = window._paq || [];
_paq.push(['trackPageView']); _paq.push(['enableLinkTracking']);
document.addEventListener('DOMContentLoaded', function () {
  menuToggle('navigation-principale');
});"""


def _html_block(block: Block) -> str:
    e = html.escape
    if isinstance(block, Heading):
        level = block.level + 1
        return f"<h{level}>{e(block.text)}</h{level}>"
    if isinstance(block, Table):
        head = "".join(f"<th>{e(c)}</th>" for c in block.header)
        rows = "\n".join(
            "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in block.rows
        )
        return (
            f"<table>\n<caption>{e(block.caption)}</caption>\n<thead><tr>{head}</tr></thead>\n"
            f"<tbody>\n{rows}\n</tbody>\n</table>\n"
            f'<p class="source">{e(block.source)}</p>'
        )
    return f"<p>{e(block)}</p>"


def write_html_document(document: SyntheticDocument, path: Path) -> None:
    e = html.escape
    nav = "\n".join(f'      <li><a href="/{i}">{e(item)}</a></li>' for i, item in enumerate(_NAV))
    front = "\n".join(f'    <p class="meta">{e(line)}</p>' for line in document.front[2:])
    body = "\n".join(_html_block(b) for b in document.body)
    page = f"""<!DOCTYPE html>
<html lang="{document.language}">
<head>
  <meta charset="utf-8">
  <title>{e(document.title)} | {e(document.publisher)}</title>
  <meta name="description" content="{e(document.abstract)}">
  <meta name="author" content="{e(metadata_author(document))}">
  <meta name="keywords" content="{e(", ".join(document.keywords))}">
  <meta name="date" content="{document.created.date().isoformat()}">
  <link rel="stylesheet" href="/static/site.css">
  <script>{_SCRIPT}</script>
</head>
<body>
  <header class="site">
    <div class="logo">{e(document.publisher)}</div>
    <nav id="navigation-principale"><ul>
{nav}
    </ul></nav>
    <form class="search" action="/recherche">
      <input name="q" placeholder="Rechercher sur le site">
    </form>
  </header>
  <main><article>
    <h1>{e(document.title)}</h1>
{front}
{body}
  </article></main>
  <footer>© {document.year} {e(document.publisher)} · Tous droits réservés ·
    <a href="/mentions">Mentions légales</a></footer>
  <script src="/static/menu.js"></script>
</body>
</html>
"""
    path.write_text(page, encoding="utf-8", newline="\n")


WRITERS: dict[str, Callable[[SyntheticDocument, Path], None]] = {
    "pdf": write_pdf_document,
    "docx": write_docx_document,
    "txt": write_txt_document,
    "md": write_md_document,
    "html": write_html_document,
}


def write_document(document: SyntheticDocument, folder: Path) -> Path:
    """Write an electronic document into `folder` under its file name; return the path."""
    if document.file_format is None or document.file_name is None:
        raise ValueError(f"document {document.number} is a paper holding: no file to write")
    path = folder / document.file_name
    WRITERS[document.file_format](document, path)
    return path
