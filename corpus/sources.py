"""The hand-written sample fund's sources: `corpus/src/*.md`, read and checked.

A source is TOML front matter between two `+++` lines, then a light Markdown body: `#`/`##`/`###`
headings, paragraphs separated by blank lines, `- ` list items, `> ` quotations, `|` table rows,
`**bold**` and `*italic*`, and `---page---` for a page break. Annex tables of statistics are
drawn from a `Random` seeded by the output file name.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary

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


def load_sources(src_dir: Path) -> list[Source]:
    """Every source of the folder, parsed and checked, in file-name order."""
    sources = [parse_source(p) for p in sorted(Path(src_dir).glob("*.md"))]
    seen: dict[str, Path] = {}
    for s in sources:
        if s.file in seen:
            raise SourceError(s.path, f"output {s.file} is also produced by {seen[s.file].name}")
        seen[s.file] = s.path
    return sources
