"""Snippets: the best short window of a document's text for a query, with the matches marked.

Bounded by design: only the first `SEARCH_LIMIT` characters are looked at, with one regular
expression that matches a letter with or without its accents and in either case, run over the
text as it is (no folded copy of it, no re-analysis), so a page of results costs a few
milliseconds however long the documents are.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from ..analysis import LANGUAGES, fold, stem

SEARCH_LIMIT = 200_000
WIDTH = 260
_MAX_MATCHES = 400
_SCAN_STEPS = (12_000, 48_000, SEARCH_LIMIT)


def _one_to_one_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x80, 0x2500):
        base = "".join(
            c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c)
        )
        if len(base) == 1 and base != chr(code):
            table[code] = base
    table.update(
        {
            ord("œ"): "o",
            ord("Œ"): "O",
            ord("æ"): "a",
            ord("Æ"): "A",
            ord("ß"): "s",
            ord("’"): "'",
            ord("\f"): " ",
        }
    )
    return table


_FOLD1 = _one_to_one_fold_table()


def _letter_classes() -> dict[str, str]:
    """For each ASCII letter or digit, a regex class of itself and every character folding to
    it ("e" -> "[eéèêëÉ…]"): folded words then match the text as written."""
    variants: dict[str, set[str]] = {}
    for code, base in _FOLD1.items():
        if base.isascii() and base.isalnum():
            variants.setdefault(base.lower(), set()).add(chr(code))
    return {
        letter: "[" + re.escape(letter) + "".join(re.escape(c) for c in sorted(chars)) + "]"
        for letter, chars in variants.items()
    }


_CLASSES = _letter_classes()


def _unfolded(folded: str) -> str:
    """A regex for a folded word that matches it written with accents, ligatures, any case."""
    return "".join(_CLASSES.get(c, re.escape(c)) for c in folded)


def match_pattern(
    query_words: Iterable[str], prefixes: Iterable[str] = ()
) -> re.Pattern[str] | None:
    """A regex finding, in the text as written, the words whose stem a query word shares.

    A "word" with spaces is an expression (an acronym's expansion): it is marked only where its
    words follow each other, with at most two short words between them (« contrat de ville »).

    It matches what `reference_pattern` matches, written so that the regex engine can skip
    ahead to the next character that may start a match (see _skipping)."""
    alternatives = _alternatives(query_words, prefixes)
    if alternatives is None:
        return None
    return _skipping(*alternatives) or _reference(*alternatives)


def reference_pattern(
    query_words: Iterable[str], prefixes: Iterable[str] = ()
) -> re.Pattern[str] | None:
    """The plain form of match_pattern's regex: a word boundary, then the expressions (longest
    first), then the stems, each in either case and with or without accents."""
    alternatives = _alternatives(query_words, prefixes)
    return None if alternatives is None else _reference(*alternatives)


Stems = list[str]  # a word's stems, longest first


def _alternatives(
    query_words: Iterable[str], prefixes: Iterable[str]
) -> tuple[list[list[Stems]], Stems] | None:
    """(each expression as its words' stems, longest expression first; the single stems,
    longest first), or None when there is nothing to find."""
    stems: set[str] = set()
    phrases: set[str] = set()  # each expression's regex
    words_of: dict[str, list[Stems]] = {}
    for word in query_words:
        parts = fold(word).split()
        if len(parts) > 1:
            words = [_word_stem_list(part) for part in parts]
            key = _GAP.join(_either(w) for w in words)
            phrases.add(key)
            words_of[key] = words
            continue
        stems.update(_stems_of(fold(word)))
    stems.update(fold(p) for p in prefixes if p)
    if not stems and not phrases:
        return None
    ordered = [words_of[key] for key in sorted(phrases, key=len, reverse=True)]
    return ordered, sorted(stems, key=len, reverse=True)


def _reference(phrases: list[list[Stems]], stems: Stems) -> re.Pattern[str]:
    parts = [rf"(?:{_GAP.join(_either(w) for w in words)})\w*" for words in phrases]
    if stems:
        singles = "|".join(_unfolded(s) for s in stems)
        parts.append(rf"(?:{singles})\w*")
    return re.compile(rf"\b(?:{'|'.join(parts)})", re.IGNORECASE)


def _skipping(phrases: list[list[Stems]], stems: Stems) -> re.Pattern[str] | None:
    r"""The reference regex with each alternative split into its first character and the rest:
    `[every first character](?<=\b[\w\W])(?i:(?<=first)rest|…)` (the word boundary checked
    before the character just read, where the reference checks it). A regex that opens on one
    character class, case-sensitive, lets the regex engine jump in C from one such character
    to the next; one that opens on a word boundary then classes matched in either case is tried
    at every position of the text. The same alternatives are tried in the same order at the
    same positions, so the matches are the same (None when a stem is empty or starts beyond the
    Basic Multilingual Plane)."""
    branches: list[tuple[str, str]] = []  # (first character's class, rest of the alternative)
    for words in phrases:
        if not all(words[0]):
            return None
        rest = "".join(_GAP + _either(w) for w in words[1:])
        branches.extend((_first(s), _unfolded(s[1:]) + rest) for s in words[0])
    if not all(stems):
        return None
    branches.extend((_first(s), _unfolded(s[1:])) for s in stems)
    if any(ord(s[0]) > 0xFFFF for s in [*stems, *(s for words in phrases for s in words[0])]):
        return None  # the case variants of such a character are not found in _bmp()
    starts: set[str] = set()
    for first, _ in branches:
        starts |= _matching(first)
    if not starts:
        return None
    opening = "[" + "".join(re.escape(c) for c in sorted(starts)) + "]"
    body = "|".join(rf"(?<={first}){rest}\w*" for first, rest in branches)
    return re.compile(rf"{opening}(?<=\b[\w\W])(?i:{body})")


def _first(stem: str) -> str:
    return _CLASSES.get(stem[0], re.escape(stem[0]))


@functools.cache
def _matching(character_class: str) -> frozenset[str]:
    """Every character a class matches, case ignored, found by the regex engine itself over the
    Basic Multilingual Plane (characters beyond it never match a class of these, whose
    characters are all in it: no case mapping crosses the plane)."""
    return frozenset(re.findall(character_class, _bmp(), re.IGNORECASE))


@functools.cache
def _bmp() -> str:
    return "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)


_GAP = r"\w*\W+(?:\w{1,3}\W+){0,2}"  # end of one word, then up to two short words


def _stems_of(word: str) -> set[str]:
    out = set()
    for lang in LANGUAGES:
        s = stem(word, lang)
        if len(s) >= 2 or s.isdigit():
            out.add(s)
    return out


def _word_stem_list(word: str) -> Stems:
    """The stems of one word of an expression, longest first (the word itself if none)."""
    return sorted(_stems_of(word) or {word}, key=len, reverse=True)


def _either(stems: Stems) -> str:
    return "(?:" + "|".join(_unfolded(s) for s in stems) + ")"


def make_snippet(
    text: str, pattern: re.Pattern[str] | None, width: int = WIDTH
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """(snippet, highlight spans): the window of `text` with the most distinct matches."""
    text = text[:SEARCH_LIMIT]
    if not text.strip():
        return "", ()
    matches = _find(text, pattern) if pattern is not None else []
    start = 0
    if matches:
        best = _best_window(matches, width - 40)
        start = max(0, best - 60)
        while start > 0 and not text[start - 1].isspace() and best - start < 90:
            start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace() and end - start < width + 30:
        end += 1
    window = text[start:end]
    spans = tuple((s - start, e - start) for s, e, _ in matches if s >= start and e <= end)
    # Tidy whitespace while keeping the spans aligned: collapse runs inside the window.
    snippet, spans = _collapse_spaces(window, spans)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    shift = len(prefix)
    return prefix + snippet + suffix, tuple((s + shift, e + shift) for s, e in spans)


def _find(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int, str]]:
    """Matches in the text, read in growing parts: most documents match early. Each match is
    keyed by its folded form (one word counted once however it is written)."""
    matches: list[tuple[int, int, str]] = []
    start = 0
    for size in _SCAN_STEPS:
        stop = min(len(text), size)
        while stop < len(text) and not text[stop - 1].isspace() and stop < size + 200:
            stop += 1  # end the part between two words
        for m in pattern.finditer(text, start, stop):
            word = m.group(0)
            key = word if word.isascii() else word.translate(_FOLD1)
            matches.append((m.start(), m.end(), key.lower()))
            if len(matches) >= _MAX_MATCHES:
                return matches
        if matches or stop >= len(text):
            return matches
        start = stop
    return matches


def _best_window(matches: list[tuple[int, int, str]], span: int) -> int:
    """Start of the match that opens the window with the most distinct matched words."""
    best, best_score = matches[0][0], -1
    inside: dict[str, int] = {}
    j = 0
    for i, (anchor, _, _) in enumerate(matches):  # two pointers: linear in the matches
        while j < len(matches) and matches[j][0] < anchor + span:
            inside[matches[j][2]] = inside.get(matches[j][2], 0) + 1
            j += 1
        if len(inside) > best_score:
            best, best_score = anchor, len(inside)
        word = matches[i][2]  # the anchor leaves the window
        inside[word] -= 1
        if not inside[word]:
            del inside[word]
    return best


def _collapse_spaces(
    window: str, spans: tuple[tuple[int, int], ...]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The window with each run of spaces made one (none at the start or the end), and the
    spans moved with it."""
    if _SPACES.search(window) is None:  # no run to collapse (most abstracts): nothing moves
        stripped = window.rstrip()
        return stripped, tuple((s, min(e, len(stripped))) for s, e in spans if s < len(stripped))
    out: list[str] = []
    # each run of spaces: (its start, its end, characters cut before it, spaces it keeps)
    runs: list[tuple[int, int, int, int]] = []
    cut = 0
    position = 0
    for run in _SPACES.finditer(window):
        out.append(window[position : run.start()])
        kept = 0 if run.start() == 0 else 1
        if kept:
            out.append(" ")
        runs.append((run.start(), run.end(), cut, kept))
        cut += run.end() - run.start() - kept
        position = run.end()
    out.append(window[position:])
    new = "".join(out)
    stripped = new.rstrip()

    def moved(offset: int) -> int:
        shift = 0
        for start, end, before, kept in runs:
            if offset < start:
                break
            if offset < end:  # inside the run: on its space, or just after it
                return start - before + (kept if offset > start else 0)
            shift = before + end - start - kept
        return offset - shift

    spans = tuple(
        (moved(s), min(moved(e), len(stripped))) for s, e in spans if moved(s) < len(stripped)
    )
    return stripped, spans


# The runs that change: a leading one, two spaces or more, any other space character alone (a
# single " " is left as it is, which is what collapsing it would give).
_SPACES = re.compile(r"^\s+|\s{2,}|[^\S ]")
