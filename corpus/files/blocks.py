"""What a sample file is made of, whatever its format: paragraphs (plain strings), headings,
page breaks, styled paragraphs, tables and text boxes. PDF takes the first three; DOCX all."""

from __future__ import annotations

from dataclasses import dataclass

# The default content of a sample file: French with accents, œ, « », ’, so that encoding
# mistakes show.
FRENCH_TEXT = (
    "Le contrat urbain de cohésion sociale œuvre pour l’égalité des chances dans les quartiers "
    "prioritaires. « Les habitants ont été associés à l’évaluation », souligne le rapport, qui "
    "décrit les actions menées à Fort-de-France depuis 2007."
)


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1  # 0 is the document's title


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


@dataclass(frozen=True, slots=True)
class Styled:
    """A paragraph in one of the word processor's styles, by style id ("ListBullet", "Quote",
    "Caption", "Subtitle"…)."""

    text: str
    style: str


@dataclass(frozen=True, slots=True)
class Grid:
    """A table: rows of cell texts (the first row is the header when there is one)."""

    rows: tuple[tuple[str, ...], ...]
    style: str | None = None  # a table style name ("Table Grid"), None for the default


@dataclass(frozen=True, slots=True)
class TextBox:
    """A floating text box, written twice as Word writes it: DrawingML with a VML fallback."""

    text: str
