"""Render the sample fund: every `corpus/src/*.md` source becomes a file in `corpus/documents/`.

Usage: `.venv/bin/python corpus/build.py` (from the checkout). The build is deterministic: the
same sources give the same bytes (fixed dates in file metadata, fixed zip timestamps for DOCX,
annex tables drawn from a `Random` seeded by the output file name). It also writes
`corpus/labels.csv`, the documentalist's thematics for every source plus the rows of
`corpus/catalogue-labels.csv` (paper holdings) when that file exists.

A source is TOML front matter between two `+++` lines, then a light Markdown body: `#`/`##`/`###`
headings, paragraphs separated by blank lines, `- ` list items, `> ` quotations, `|` table rows,
`**bold**` and `*italic*`, and `---page---` for a page break.
"""

from __future__ import annotations

import csv
import html
import io
import random
import re
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
sys.path.insert(0, str(CORPUS.parent))

from indexer.synth.pdf import Heading, PageBreak, write_pdf  # noqa: E402
from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary  # noqa: E402
from library.formats.spreadsheet import csv_text  # noqa: E402

DOC_TYPES = frozenset(
    {
        "ouvrage",
        "rapport",
        "etude",
        "guide",
        "actes",
        "article",
        "revue",
        "compte-rendu",
        "fiche-experience",
        "lettre-information",
        "memoire",
        "texte-officiel",
        "autre",
    }
)
THEMES = frozenset(load_vocabulary(PACKAGED_VOCABULARY).labels())  # the 14 slugs, nothing more
LANGUAGES = frozenset({"fr", "en", "es"})
METADATA_MODES = frozenset({"full", "none", "junk"})
FORMATS = frozenset({".pdf", ".docx", ".txt", ".md", ".html"})
ENCODINGS = frozenset({"utf-8", "cp1252"})
YEARS = range(2005, 2014)
REQUIRED = ("file", "title", "authors", "year", "type", "language", "themes")
OPTIONAL = (
    "subtitle",
    "date",
    "metadata",
    "keywords",
    "abstract",
    "annex_tables",
    "encoding",
    "organisation",
    "junk_title",
)

# A fixed zip timestamp for DOCX entries: python-docx would stamp the build time.
ZIP_DATE = (2013, 12, 31, 0, 0, 0)
ANNEX_ROWS = 30  # one annex table fills about one PDF page


class SourceError(ValueError):
    """A source file whose front matter or body cannot be rendered."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


# --- the model -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # title, heading, para, item, quote, table, page
    text: str = ""
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    path: Path
    meta: dict
    blocks: tuple[Block, ...] = field(default=())

    @property
    def file(self) -> str:
        return self.meta["file"]

    @property
    def suffix(self) -> str:
        return Path(self.file).suffix.lower()

    @property
    def mode(self) -> str:
        return self.meta.get("metadata", "full")

    @property
    def people(self) -> list[str]:
        """Authors as printed: "Prénom Nom" for persons, organisations as they are."""
        out = []
        for name in self.meta["authors"]:
            if "," in name:
                last, first = (part.strip() for part in name.split(",", 1))
                out.append(f"{first} {last}")
            else:
                out.append(name)
        return out

    @property
    def organisation(self) -> str:
        if "organisation" in self.meta:
            return self.meta["organisation"]
        orgs = [a for a in self.meta["authors"] if "," not in a]
        return orgs[0] if orgs else "Centre de ressources politique de la ville de Martinique"

    @property
    def created(self) -> datetime:
        """A fixed creation date from `date` (ISO partial) or `year`: never the build time."""
        parts = [int(p) for p in str(self.meta.get("date", self.meta["year"])).split("-")]
        year, month, day = (parts + [0, 0])[:3]
        # A stable, file-specific hour so that not every file claims the same minute.
        seed = sum(self.file.encode())
        return datetime(
            year,
            month or 1 + seed % 12,
            day or 1 + seed % 28,
            8 + seed % 9,
            seed % 60,
            (seed * 7) % 60,
        )

    @property
    def junk_title(self) -> str:
        if "junk_title" in self.meta:
            return self.meta["junk_title"]
        number = sum(self.file.encode()) % 47 + 1
        return {
            ".pdf": f"Microsoft Word - doc{number}.doc",
            ".docx": f"Document{number % 9 + 1}",
            ".html": "Nouvelle page 1",
        }.get(self.suffix, "")


# --- parsing ---------------------------------------------------------------------------------


def parse_source(path: Path) -> Source:
    """Read one source file and check its front matter; raise SourceError with the reason."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "+++":
        raise SourceError(path, "the file must open with a `+++` line (TOML front matter)")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        raise SourceError(path, "the front matter has no closing `+++` line") from None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(path, f"invalid TOML front matter: {exc}") from None
    check_meta(path, meta)
    blocks = tuple(parse_body("\n".join(lines[end + 1 :])))
    if not blocks or blocks[0].kind != "title":
        raise SourceError(path, "the body must start with a `# Title` line")
    return Source(path, meta, blocks)


def check_meta(path: Path, meta: dict) -> None:
    """Raise SourceError if the front matter misses a field or holds an unknown value."""
    missing = [k for k in REQUIRED if k not in meta]
    if missing:
        raise SourceError(path, f"missing front-matter fields: {', '.join(missing)}")
    unknown = sorted(set(meta) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise SourceError(path, f"unknown front-matter fields: {', '.join(unknown)}")
    if Path(meta["file"]).suffix.lower() not in FORMATS or "/" in meta["file"]:
        raise SourceError(path, f"`file` must be a bare name ending in {sorted(FORMATS)}")
    if meta["type"] not in DOC_TYPES:
        raise SourceError(path, f"unknown type {meta['type']!r}")
    themes = meta["themes"]
    if not (isinstance(themes, list) and 1 <= len(themes) <= 3 and len(set(themes)) == len(themes)):
        raise SourceError(path, "`themes` must list 1 to 3 distinct slugs")
    bad = [t for t in themes if t not in THEMES]
    if bad:
        raise SourceError(path, f"unknown themes: {', '.join(bad)}")
    if not isinstance(meta["year"], int) or meta["year"] not in YEARS:
        raise SourceError(path, f"`year` must be an integer from {YEARS[0]} to {YEARS[-1]}")
    if "date" in meta and not re.fullmatch(rf"{meta['year']}(-\d\d(-\d\d)?)?", str(meta["date"])):
        raise SourceError(path, "`date` must be YYYY, YYYY-MM or YYYY-MM-DD within `year`")
    if meta["language"] not in LANGUAGES:
        raise SourceError(path, f"`language` must be one of {sorted(LANGUAGES)}")
    if meta.get("metadata", "full") not in METADATA_MODES:
        raise SourceError(path, f"`metadata` must be one of {sorted(METADATA_MODES)}")
    if meta.get("encoding", "utf-8") not in ENCODINGS:
        raise SourceError(path, f"`encoding` must be one of {sorted(ENCODINGS)}")
    if meta.get("encoding", "utf-8") != "utf-8" and Path(meta["file"]).suffix != ".txt":
        raise SourceError(path, "only .txt files may use another encoding than UTF-8")
    authors = meta["authors"]
    if not (isinstance(authors, list) and authors and all(isinstance(a, str) for a in authors)):
        raise SourceError(path, "`authors` must be a non-empty list of strings")
    annex = meta.get("annex_tables", 0)
    if not isinstance(annex, int) or not 0 <= annex <= 60:
        raise SourceError(path, "`annex_tables` must be an integer from 0 to 60")


def parse_body(text: str) -> Iterator[Block]:
    """Split the light Markdown body into blocks; consecutive lines join into one paragraph."""
    para: list[str] = []
    table: list[tuple[str, ...]] = []
    quote: list[str] = []

    def flush() -> Iterator[Block]:
        if para:
            yield Block("para", " ".join(para))
            para.clear()
        if quote:
            yield Block("quote", " ".join(quote))
            quote.clear()
        if table:
            yield Block("table", rows=tuple(table))
            table.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            yield from flush()
        elif line == "---page---":
            yield from flush()
            yield Block("page")
        elif m := re.match(r"(#{1,4})\s+(.*)", line):
            yield from flush()
            level = len(m.group(1))
            yield Block("title" if level == 1 else "heading", m.group(2).strip(), level - 1)
        elif line.startswith("|"):
            if para or quote:
                yield from flush()
            cells = tuple(c.strip() for c in line.strip("|").split("|"))
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):  # skip Markdown rulers
                table.append(cells)
        elif line.startswith(("- ", "* ")):
            yield from flush()
            yield Block("item", line[2:].strip())
        elif line.startswith(">"):
            if para or table:
                yield from flush()
            quote.append(line.lstrip("> ").strip())
        else:
            if table or quote:
                yield from flush()
            para.append(line)
    yield from flush()


def plain(text: str) -> str:
    """Inline Markdown emphasis removed."""
    return re.sub(r"\*\*(.+?)\*\*|\*(\S(?:.*?\S)?)\*", lambda m: m.group(1) or m.group(2), text)


def inline_html(text: str) -> str:
    out = html.escape(text, quote=False)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"\*(\S(?:.*?\S)?)\*", r"<em>\1</em>", out)


# --- annex tables ----------------------------------------------------------------------------

PLACES = (
    "Volga-Plage",
    "Trénelle-Citron",
    "Texaco",
    "Sainte-Thérèse",
    "Bon-Air",
    "Dillon",
    "Terres-Sainville",
    "Haut-du-Bourg",
    "Rive-Droite",
    "Renéville",
    "Floréal",
    "Morne-Pichevin",
    "Ermitage",
    "Châteauboeuf",
    "Coridon",
    "Bas-Mission",
    "Pelletier",
    "Petit-Manoir",
    "Place-d'Armes",
    "Calebassier",
    "Terreville",
    "Fond-Lahaye",
    "Batelière",
    "Cité Lacroix",
    "Pointe-Lynch",
    "Bezaudin",
    "La Mauny",
    "Fougainville",
    "Cité Bellevue",
    "Godissard",
)


def annex_blocks(source: Source) -> list[Block]:
    """`annex_tables` pages of statistical tables, drawn from a Random seeded by the file name."""
    count = source.meta.get("annex_tables", 0)
    if not count:
        return []
    rng = random.Random(source.file)
    first_year = rng.randint(max(2000, source.meta["year"] - 9), source.meta["year"] - 4)
    years = list(range(first_year, source.meta["year"]))
    blocks = [Block("page"), Block("heading", "Annexes statistiques", 1)]
    for number in range(1, count + 1):
        if number > 1:
            blocks.append(Block("page"))
        places = rng.sample(PLACES, k=min(len(PLACES), ANNEX_ROWS // len(years) + 1))
        base = {p: (rng.uniform(4, 38), rng.randint(80, 2400)) for p in places}
        rows = [("Quartier", "Année", "Taux", "Effectif")]
        for place in places:
            rate, size = base[place]
            for year in years:
                rate = max(0.5, rate + rng.uniform(-2.2, 2.2))
                size = max(10, int(size * rng.uniform(0.9, 1.12)))
                rows.append(
                    (f"Quartier {place}", str(year), f"{rate:.1f} %".replace(".", ","), str(size))
                )
                if len(rows) > ANNEX_ROWS:
                    break
            if len(rows) > ANNEX_ROWS:
                break
        blocks.append(Block("heading", f"Tableau A.{number}", 2))
        blocks.append(Block("table", rows=tuple(rows)))
    return blocks


def all_blocks(source: Source) -> list[Block]:
    return list(source.blocks) + annex_blocks(source)


# --- renderers -------------------------------------------------------------------------------


def _split_title(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """The printed title block (title and byline lines) and the rest of the document."""
    cut = next((i for i, b in enumerate(blocks) if b.kind in ("heading", "page")), len(blocks))
    return blocks[:cut], blocks[cut:]


def render_pdf(source: Source, out: Path) -> None:
    blocks = all_blocks(source)
    head, rest = _split_title(blocks)
    items: list = []
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
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = source.organisation
    section.footer.paragraphs[0].text = f"{source.organisation} — {source.meta['title']}"
    for b in all_blocks(source):
        if b.kind == "title":
            document.add_heading(plain(b.text), 0)
        elif b.kind == "heading":
            document.add_heading(plain(b.text), min(b.level, 9))
        elif b.kind == "page":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif b.kind == "item":
            document.add_paragraph(plain(b.text), style="List Bullet")
        elif b.kind == "quote":
            document.add_paragraph(plain(b.text), style="Quote")
        elif b.kind == "table":
            width = max(len(r) for r in b.rows)
            table = document.add_table(rows=len(b.rows), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(b.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = plain(cell)
        else:
            document.add_paragraph(plain(b.text))
    props = document.core_properties
    meta = source.meta
    props.author = props.last_modified_by = props.title = props.subject = props.keywords = ""
    props.comments = ""
    props.revision = 1
    props.created = props.modified = source.created
    if source.mode == "full":
        props.title = meta["title"]
        props.author = props.last_modified_by = "; ".join(source.people)
        # python-docx refuses core properties longer than 255 characters.
        props.subject = props.comments = _clip(meta.get("abstract", ""), 255)
        props.keywords = ", ".join(meta.get("keywords", ()))
        props.language = meta["language"]
        props.revision = 3
    elif source.mode == "junk":
        props.title = source.junk_title
    buffer = io.BytesIO()
    document.save(buffer)
    out.write_bytes(_stable_zip(buffer.getvalue(), empty_core=source.mode == "none"))


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


_EMPTY_CORE = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)


def _stable_zip(data: bytes, *, empty_core: bool) -> bytes:
    """Rewrite a DOCX zip with fixed entry timestamps (and, if asked, empty core properties)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/thumbnail.jpeg":
                continue  # python-docx's template preview; a real document has its own or none
            if info.filename == "docProps/core.xml" and empty_core:
                content = _EMPTY_CORE
            if info.filename == "_rels/.rels":
                content = re.sub(rb"<Relationship [^>]*thumbnail[^>]*/>", b"", content)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b'<Default ContentType="image/jpeg" Extension="jpeg"/>', b""
                )
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()


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
    out.write_bytes(page.encode("utf-8"))


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
    out.write_bytes(text.replace("\n", newline).encode(encoding))


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
    out.write_bytes(text.encode("utf-8"))


RENDERERS = {
    ".pdf": render_pdf,
    ".docx": render_docx,
    ".html": render_html,
    ".txt": render_txt,
    ".md": render_md,
}


# --- the build -------------------------------------------------------------------------------


def load_sources(src_dir: Path) -> list[Source]:
    """Every source of the folder, parsed and checked, in file-name order."""
    sources = [parse_source(p) for p in sorted(Path(src_dir).glob("*.md"))]
    seen: dict[str, Path] = {}
    for s in sources:
        if s.file in seen:
            raise SourceError(s.path, f"output {s.file} is also produced by {seen[s.file].name}")
        seen[s.file] = s.path
    return sources


def build(src_dir: Path, out_dir: Path, labels_path: Path) -> list[Path]:
    """Render every source of `src_dir` into `out_dir` (its other files are removed) and write
    the labels file; return the rendered paths."""
    sources = load_sources(src_dir)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = {s.file for s in sources}
    for stale in out_dir.iterdir():
        if stale.is_file() and stale.name not in wanted:
            stale.unlink()
    written = []
    for source in sources:
        target = out_dir / source.file
        RENDERERS[source.suffix](source, target)
        written.append(target)
    write_labels(sources, Path(labels_path), out_dir)
    return written


def write_labels(sources: list[Source], labels_path: Path, out_dir: Path) -> None:
    """`ref;themes` rows for the sources, then the paper catalogue's rows, sorted."""
    try:
        prefix = out_dir.resolve().relative_to(labels_path.parent.resolve()).as_posix()
    except ValueError:
        prefix = out_dir.resolve().as_posix()
    rows = {(f"{prefix}/{s.file}", "|".join(s.meta["themes"])) for s in sources}
    extra = labels_path.parent / "catalogue-labels.csv"
    if extra.is_file():
        with extra.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.reader(handle, delimiter=";"), start=1):
                if not row or not row[0].strip() or row[0].strip() == "ref":
                    continue
                ref, themes = row[0].strip(), (row[1].strip() if len(row) > 1 else "")
                slugs = themes.split("|")
                if not (1 <= len(slugs) <= 3 and set(slugs) <= THEMES):
                    raise SourceError(extra, f"line {number}: {ref} needs 1 to 3 known themes")
                rows.add((ref, themes))
    table = csv_text(["ref", "themes"], sorted(rows), lineterminator="\n")
    labels_path.write_text(table, encoding="utf-8")


def main() -> int:
    try:
        written = build(CORPUS / "src", CORPUS / "documents", CORPUS / "labels.csv")
    except SourceError as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in written)
    print(f"{len(written)} documents écrits dans {CORPUS / 'documents'} ({size / 1024:.0f} Ko)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
