"""The sample fund's sources rendered as the files a centre receives, through the one writer of
sample files (`corpus.files`): PDF, DOCX, HTML, TXT and Markdown. Deterministic: fixed dates
in file metadata, fixed zip timestamps."""

from __future__ import annotations

import html
import re
from pathlib import Path

from corpus.files import (
    DocxBlock,
    Grid,
    Heading,
    PageBreak,
    Styled,
    make_txt,
    write_docx,
    write_pdf,
)
from corpus.files.pdf import Block as PdfBlock

from .sources import Block, Source, all_blocks, annex_blocks, plain

# A fixed zip timestamp for DOCX entries: python-docx would stamp the build time.
ZIP_DATE = (2013, 12, 31, 0, 0, 0)


def inline_html(text: str) -> str:
    out = html.escape(text, quote=False)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"\*(\S(?:.*?\S)?)\*", r"<em>\1</em>", out)


def _split_title(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """The printed title block (title and byline lines) and the rest of the document."""
    cut = next((i for i, b in enumerate(blocks) if b.kind in ("heading", "page")), len(blocks))
    return blocks[:cut], blocks[cut:]


def render_pdf(source: Source, out: Path) -> None:
    blocks = all_blocks(source)
    head, rest = _split_title(blocks)
    items: list[PdfBlock] = []
    for b in head:
        items.append(Heading(plain(b.text), 0) if b.kind == "title" else plain(b.text))
    prose = sum(len(b.text) for b in source.blocks)
    if prose > 9000 and rest and rest[0].kind != "page":
        items.append(PageBreak())  # long reports have a cover page
    for b in rest:
        if b.kind == "page":
            items.append(PageBreak())
        elif b.kind == "heading":
            items.append(Heading(plain(b.text), b.level))
        elif b.kind == "item":
            items.append("– " + plain(b.text))
        elif b.kind == "quote":
            items.append(plain(b.text))
        elif b.kind == "table":
            items.extend("   ".join(plain(c) for c in row) for row in b.rows)
        else:
            items.append(plain(b.text))
    meta = source.meta
    if source.mode == "full":
        write_pdf(
            out,
            items,
            title=meta["title"],
            author="; ".join(source.people),
            subject=meta.get("abstract"),
            keywords=meta.get("keywords", ()),
            created=source.created,
            header=meta["title"],
        )
    elif source.mode == "junk":
        write_pdf(out, items, title=source.junk_title, created=source.created, header=meta["title"])
    else:
        write_pdf(out, items, producer="", header=meta["title"])


def render_docx(source: Source, out: Path) -> None:
    blocks: list[DocxBlock] = []
    for b in all_blocks(source):
        if b.kind in ("title", "heading"):
            blocks.append(Heading(plain(b.text), 0 if b.kind == "title" else min(b.level, 9)))
        elif b.kind == "page":
            blocks.append(PageBreak())
        elif b.kind == "item":
            blocks.append(Styled(plain(b.text), "ListBullet"))
        elif b.kind == "quote":
            blocks.append(Styled(plain(b.text), "Quote"))
        elif b.kind == "table":
            blocks.append(Grid(tuple(tuple(plain(c) for c in row) for row in b.rows), "Table Grid"))
        else:
            blocks.append(plain(b.text))
    meta = source.meta
    # Core properties in the order of their elements in core.xml; "none" leaves them empty.
    properties: dict[str, object] = dict.fromkeys(
        ("author", "last_modified_by", "title", "subject", "keywords", "comments"), ""
    )
    properties |= {"revision": 1, "created": source.created, "modified": source.created}
    if source.mode == "full":
        people = "; ".join(source.people)
        # python-docx refuses core properties longer than 255 characters.
        abstract = _clip(meta.get("abstract", ""), 255)
        properties |= {
            "author": people,
            "last_modified_by": people,
            "title": meta["title"],
            "subject": abstract,
            "keywords": ", ".join(meta.get("keywords", ())),
            "comments": abstract,
            "revision": 3,
            "language": meta["language"],
        }
    elif source.mode == "junk":
        properties["title"] = source.junk_title
    write_docx(
        out,
        blocks,
        properties=properties,
        header=source.organisation,
        footer=f"{source.organisation} — {meta['title']}",
        date_time=ZIP_DATE,
        unix_mode=0o644,
        thumbnail=False,  # python-docx's template preview; a real document has its own or none
        empty_core=source.mode == "none",
    )


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


_SITE = "Centre de ressources politique de la ville — Martinique"
_HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{meta}<link rel="stylesheet" href="/static/css/site.css">
<script>
  var _paq = window._paq || [];
  _paq.push(['trackPageView']); _paq.push(['enableLinkTracking']);
  function toggleMenu() {{ document.getElementById('menu').classList.toggle('open'); }}
</script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">{site}</a>
  <nav id="menu">
    <ul>
      <li><a href="/">Accueil</a></li>
      <li><a href="/actualites/">Actualités</a></li>
      <li><a href="/publications/">Publications</a></li>
      <li><a href="/agenda/">Agenda</a></li>
      <li><a href="/contact/">Contact</a></li>
    </ul>
  </nav>
  <form class="search" action="/recherche/"><input name="q" placeholder="Rechercher"></form>
</header>
<main>
<article>
{body}
</article>
</main>
<footer class="site-footer">
  <p>{org} · Tous droits réservés · <a href="/mentions-legales/">Mentions légales</a> ·
  <a href="/plan-du-site/">Plan du site</a></p>
  <p>Dernière mise à jour : {updated}</p>
</footer>
<script src="/static/js/jquery.min.js"></script>
<script>$(function () {{ $('.search input').attr('autocomplete', 'off'); }});</script>
</body>
</html>
"""


def render_html(source: Source, out: Path) -> None:
    meta = source.meta
    parts: list[str] = []
    items: list[str] = []
    for b in all_blocks(source):
        if b.kind != "item" and items:
            parts.append("<ul>\n" + "\n".join(items) + "\n</ul>")
            items = []
        if b.kind == "title":
            parts.append(f"<h1>{inline_html(b.text)}</h1>")
        elif b.kind == "heading":
            level = min(b.level + 1, 6)
            parts.append(f"<h{level}>{inline_html(b.text)}</h{level}>")
        elif b.kind == "item":
            items.append(f"  <li>{inline_html(b.text)}</li>")
        elif b.kind == "quote":
            parts.append(f"<blockquote><p>{inline_html(b.text)}</p></blockquote>")
        elif b.kind == "table":
            head, *body = b.rows
            rows = ["<tr>" + "".join(f"<th>{inline_html(c)}</th>" for c in head) + "</tr>"]
            rows += [
                "<tr>" + "".join(f"<td>{inline_html(c)}</td>" for c in r) + "</tr>" for r in body
            ]
            parts.append("<table>\n" + "\n".join(rows) + "\n</table>")
        elif b.kind == "para":
            parts.append(f"<p>{inline_html(b.text)}</p>")
    if items:
        parts.append("<ul>\n" + "\n".join(items) + "\n</ul>")
    head_meta = ""
    if source.mode == "full":
        title = f"{meta['title']} | {_SITE}"
        head_meta += f'<meta name="author" content="{html.escape(", ".join(source.people))}">\n'
        if "abstract" in meta:
            head_meta += f'<meta name="description" content="{html.escape(meta["abstract"])}">\n'
        if "keywords" in meta:
            head_meta += (
                f'<meta name="keywords" content="{html.escape(", ".join(meta["keywords"]))}">\n'
            )
        head_meta += f'<meta name="date" content="{source.created.date().isoformat()}">\n'
    elif source.mode == "junk":
        title = source.junk_title
    else:
        title = _SITE
    page = _HTML_TEMPLATE.format(
        lang=meta["language"],
        title=html.escape(title),
        meta=head_meta,
        site=_SITE,
        body="\n".join(parts),
        org=html.escape(source.organisation),
        updated=source.created.strftime("%d/%m/%Y"),
    )
    make_txt(out, page)


def render_txt(source: Source, out: Path) -> None:
    lines: list[str] = []
    for b in all_blocks(source):
        if b.kind == "title":
            text = plain(b.text)
            lines += [text.upper(), "=" * min(len(text), 78), ""]
        elif b.kind == "heading":
            text = plain(b.text)
            lines += ["", text, ("-" if b.level == 1 else "~") * min(len(text), 78), ""]
        elif b.kind == "page":
            lines.append("\f")
        elif b.kind == "item":
            lines.append("  - " + plain(b.text))
        elif b.kind == "quote":
            lines += ["    « " + plain(b.text).strip("«» ") + " »", ""]
        elif b.kind == "table":
            widths = [
                max(len(r[i]) if i < len(r) else 0 for r in b.rows)
                for i in range(max(len(r) for r in b.rows))
            ]
            for row in b.rows:
                cells = (plain(c).ljust(w) for c, w in zip(row, widths, strict=False))
                lines.append("  ".join(cells).rstrip())
            lines.append("")
        else:
            lines += _fill(plain(b.text)) + [""]
    text = "\n".join(lines).rstrip() + "\n"
    encoding = source.meta.get("encoding", "utf-8")
    newline = "\r\n" if encoding == "cp1252" else "\n"  # a file saved by Windows Notepad
    make_txt(out, text, encoding=encoding, newline=newline)


def _fill(text: str, width: int = 78) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return lines + ([current] if current else [])


def render_md(source: Source, out: Path) -> None:
    body = source.path.read_text(encoding="utf-8").split("\n")
    end = next(i for i in range(1, len(body)) if body[i].strip() == "+++")
    text = "\n".join(body[end + 1 :]).strip("\n").replace("---page---", "---") + "\n"
    for b in annex_blocks(source):
        if b.kind == "heading":
            text += "\n" + "#" * (b.level + 1) + " " + b.text + "\n"
        elif b.kind == "table":
            head, *rows = b.rows
            text += "\n| " + " | ".join(head) + " |\n|" + "---|" * len(head) + "\n"
            text += "".join("| " + " | ".join(r) + " |\n" for r in rows)
    make_txt(out, text)


RENDERERS = {
    ".pdf": render_pdf,
    ".docx": render_docx,
    ".html": render_html,
    ".txt": render_txt,
    ".md": render_md,
}
