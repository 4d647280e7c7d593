"""The body of a synthetic document: sections of paragraphs drawn from the banks and tables of
indicators by quartier, grown until the text reaches a target length.

A document covers 1–3 thematics, mostly its main one: theme chapters are the main thematic's
(secondary thematics get chapters of their own only in long documents) and every paragraph
borrows a sentence now and then from the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from corpus.files import Heading

from .banks import LanguageBank
from .compose import Filler, capitalise, format_decimal, format_int, format_percent


@dataclass(frozen=True, slots=True)
class Table:
    """Indicators by quartier, as reports print them."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    source: str = ""

    def lines(self, sep: str = "\t") -> list[str]:
        """The table as text lines: caption, header, rows, source."""
        out = [self.caption, *(sep.join(row) for row in (self.header, *self.rows))]
        return out + [self.source] if self.source else out


Block = str | Heading | Table

SMALL_LIMIT = 5000  # below this target a document is a note: two short sections, no numbering
GENERIC_KINDS = ("intro", "context", "method", "indicators", "reco", "conclusion")


def block_text(block: Block) -> str:
    """What a reader (and an extractor) finds in one block."""
    if isinstance(block, Heading):
        return block.text
    if isinstance(block, Table):
        return "\n".join(block.lines())
    return block


class BodyComposer:
    """Writes one document's body; `fillers` has one filler per thematic of the document."""

    def __init__(
        self,
        bank: LanguageBank,
        themes: Sequence[str],
        fillers: Mapping[str, Filler],
        quartiers: Sequence[str],
        source: str,
    ) -> None:
        self.bank = bank
        self.themes = tuple(themes)
        self.main = themes[0]
        self.fillers = fillers
        self.base = fillers[self.main]
        self.rng = self.base.rng
        self.quartiers = tuple(quartiers)
        self.source = source
        self.used: set[str] = set()
        self.in_paragraph: set[str] = set()
        self.tables = 0
        self.headings_left: dict[str, list[str]] = {}
        self._headed: set[str] = set()

    # --- sentences and paragraphs ------------------------------------------------------------

    def _fresh(self, pool: Sequence[str]) -> str:
        """A template not yet in this paragraph, preferably not yet in the document; long
        documents exhaust the banks and reuse (slots, openers and closers still vary)."""
        fallback = None
        for _ in range(6):
            template = self.base.pick(pool)
            if template not in self.in_paragraph:
                fallback = template
                if template not in self.used:
                    break
        template = fallback or self.base.pick(pool)
        self.used.add(template)
        self.in_paragraph.add(template)
        return template

    def _other_theme(self) -> str:
        return self.base.pick(self.themes[1:]) if len(self.themes) > 1 else self.main

    def _theme_for_generic(self) -> str:
        return self.main if self.rng.random() < 0.7 else self._other_theme()

    def sentence(self, kind: str, theme: str, first: bool) -> str:
        r = self.rng.random()
        generic = self.bank.generic
        if kind == "theme":
            if r < 0.12 and len(self.themes) > 1:
                theme = self._other_theme() if theme == self.main else self.main
            if r > 0.93:
                return self._say(generic["transition"], self.base, first, vary=False)
            return self._say(self.bank.themes[theme].sentences, self.fillers[theme], first)
        # Generic chapters say their few generic things once, then talk about the thematics.
        if r < 0.6 and not self.used.issuperset(generic[kind]):
            return self._say(generic[kind], self.base, first, vary=False)
        theme = self._theme_for_generic()
        return self._say(self.bank.themes[theme].sentences, self.fillers[theme], first)

    def _say(self, pool: Sequence[str], filler: Filler, first: bool, vary: bool = True) -> str:
        """One sentence; thematic facts (`vary`) may get an opener or a closing clause."""
        text = filler.fill(self._fresh(pool))
        if vary and self.rng.random() < 0.12 and text.endswith("."):
            text = text[:-1] + filler.fill(self.base.pick(self.bank.closers)) + "."
        r = self.rng.random()
        if not first and r < 0.12:
            return f"{self.base.pick(self.bank.connectors)} {text}"
        if vary and r > 0.84:
            return f"{capitalise(filler.fill(self.base.pick(self.bank.openers)))} {text}"
        return capitalise(text)

    def paragraph(self, kind: str, theme: str, lo: int = 3, hi: int = 7) -> str:
        count = self.rng.randint(lo, hi)
        self.in_paragraph = set()
        return " ".join(self.sentence(kind, theme, i == 0) for i in range(count))

    # --- headings and tables -----------------------------------------------------------------

    def _theme_heading(self, theme: str) -> str:
        left = self.headings_left.get(theme)
        if not left:
            left = list(self.bank.themes[theme].headings)
            self.rng.shuffle(left)
            self.headings_left[theme] = left
            if theme in self._headed:
                # Every heading used once: further chapters name a quartier to stay distinct.
                return f"{left.pop()} ({self.base.pick(self.quartiers)})"
        self._headed.add(theme)
        return left.pop()

    def table(self, theme: str) -> Table:
        words = self.bank.words
        lang = self.base.lang
        indicators = self.bank.themes[theme].indicators
        chosen = self.rng.sample(indicators, min(3, len(indicators)))
        quartiers = self.rng.sample(
            self.quartiers, min(len(self.quartiers), self.rng.randint(4, 7))
        )
        columns: list[list[float]] = [
            [self.rng.uniform(lo, hi) for _ in quartiers] for _, lo, hi, _ in chosen
        ]

        def show(value: float, kind: str) -> str:
            if kind == "%":
                return format_percent(value, lang)
            if kind == "f":
                return format_decimal(value, lang)
            return format_int(int(value), lang)

        rows = [
            (q, *(show(col[i], ind[3]) for col, ind in zip(columns, chosen, strict=True)))
            for i, q in enumerate(quartiers)
        ]
        totals = (
            show(sum(int(v) for v in col) if ind[3] == "n" else sum(col) / len(col), ind[3])
            for col, ind in zip(columns, chosen, strict=True)
        )
        rows.append((words["ensemble"], *totals))
        self.tables += 1
        colon = " :" if lang == "fr" else ":"
        caption = (
            f"{words['table']} {self.tables}{colon} {words['indicators_caption']} "
            f"{words['by_quartier']} ({self.base.year})"
        )
        return Table(
            caption,
            (words["quartier"], *(ind[0] for ind in chosen)),
            tuple(rows),
            f"{words['source']}{colon} {self.source}",
        )

    # --- the whole body ----------------------------------------------------------------------

    def outline(self, target: int) -> list[tuple[str, str]]:
        """Chapters as (kind, thematic): generic chapters around the thematic ones."""
        if target < SMALL_LIMIT:
            second = self.base.pick(("theme", "reco", "context"))
            return [
                ("theme", self.main),
                (second, self.main if second != "theme" else self._other_theme()),
            ]
        count = max(2, min(8, round(target / 11000)))
        themes = [self.main] * count
        if count >= 4:  # long documents give each secondary thematic a chapter of its own
            for i, theme in enumerate(self.themes[1:]):
                themes[1 + 2 * i] = theme
        chapters = [("intro", self.main), ("context", self.main)]
        if target > 40000 or self.rng.random() < 0.5:
            chapters.append(("method", self.main))
        chapters += [("theme", t) for t in themes]
        chapters += [("indicators", self.main), ("reco", self.main), ("conclusion", self.main)]
        return chapters

    def compose(self, target: int, already: int = 0) -> list[Block]:
        """Blocks until the document's text (`already` counts its title page) reaches `target`."""
        chapters = self.outline(target)
        small = target < SMALL_LIMIT
        blocks: list[Block] = []
        total = already
        generic_budget = min(0.05 * target, 1500)
        theme_chapters = sum(1 for kind, _ in chapters if kind == "theme")
        generic_chapters = len(chapters) - theme_chapters
        theme_budget = max(0.0, target - already - generic_budget * generic_chapters) / max(
            1, theme_chapters
        )
        for number, (kind, theme) in enumerate(chapters, start=1):
            title = (
                self._theme_heading(theme)
                if kind == "theme"
                else self.base.pick(self.bank.section_headings[kind])
            )
            blocks.append(Heading(title if small else f"{number}. {title}", 1))
            total += len(title) + 6
            budget = (
                (target - already) / len(chapters)
                if small
                else (theme_budget if kind == "theme" else generic_budget)
            )
            written = 0.0
            sub = 0
            paragraphs = 0
            if kind == "indicators" or (kind == "theme" and not small and self.rng.random() < 0.3):
                table = self.table(theme)
                blocks.append(table)
                written += len(block_text(table))
                if kind == "indicators":
                    para = self._table_comment(theme)
                    blocks.append(para)
                    written += len(para)
                    paragraphs = 1
            while paragraphs == 0 or (written < budget and total + written < target):
                if budget > 6000 and paragraphs % 3 == 0:
                    sub += 1
                    heading = (
                        capitalise(self.fillers[theme].fill(self.bank.words["case"]))
                        if self.rng.random() < 0.5
                        else self._theme_heading(theme)
                    )
                    blocks.append(Heading(f"{number}.{sub}. {heading}", 2))
                    written += len(heading) + 8
                para_kind = "theme" if kind == "indicators" else kind
                para = self.paragraph(para_kind, theme, *((2, 4) if small else (3, 7)))
                blocks.append(para)
                written += len(para) + 2
                paragraphs += 1
            total += int(written)
        return blocks

    def _table_comment(self, theme: str) -> str:
        self.in_paragraph = set()
        first = self._say(self.bank.generic["table"], self.base, True, vary=False)
        rest = [self.sentence("theme", theme, False) for _ in range(self.rng.randint(1, 3))]
        return " ".join([first, *rest])
