"""`clean_line` cleans every single-line field an import reads: it skips its per-character
pass on text that has no control character, and must give the same line either way."""

from __future__ import annotations

import sys
import unicodedata

from library.text import clean_line


def _character_by_character(text: str) -> str:
    """What clean_line gives by definition: each character of category C becomes a space,
    then spaces collapse."""
    return " ".join("".join(" " if unicodedata.category(c)[0] == "C" else c for c in text).split())


def test_a_printable_text_has_no_control_character():
    # The premise of the fast path, over every code point.
    printable = filter(str.isprintable, map(chr, range(sys.maxunicode + 1)))
    assert [hex(ord(c)) for c in printable if unicodedata.category(c)[0] == "C"] == []


def test_every_character_is_cleaned_as_by_its_category():
    characters = [chr(code) for code in range(sys.maxunicode + 1)]
    for start in range(0, len(characters), 512):
        text = "a".join(characters[start : start + 512])
        assert clean_line(text) == _character_by_character(text), hex(start)
        printable = "".join(filter(str.isprintable, characters[start : start + 512]))
        assert clean_line(printable) == _character_by_character(printable), hex(start)


def test_lines_with_and_without_control_characters():
    for text in (
        "La médiation sociale dans les quartiers",
        "  Ville\u00a0et   banlieue  ",
        "tab\there\x0bvertical\x00nul",
        "soft\u00adhyphen and\u200bzero width",
        "ligne\u2028séparée\u2029paragraphe",
        "",
    ):
        assert clean_line(text) == _character_by_character(text), text
