"""Snippets: the best short window of a document's text for a query, with the matches marked.

Bounded by design: only the first `SEARCH_LIMIT` characters are looked at, with one regular
expression that matches a letter with or without its accents and in either case, run over the
text as it is (no folded copy of it, no re-analysis), so a page of results costs a few
milliseconds however long the documents are.

The regex is new for each new query, so it is written to compile fast: a letter is a class of
its spellings in Latin-1 (`e` -> `[eEèéêëÈÉÊË]`, matched case-sensitively), which the regex
compiler turns into a 256-bit map. A class holding any character beyond Latin-1 costs it a
64-kilobit map instead, ten times the work. So the rarer spellings (ĕ, ł, the long s…) are
not in the classes: the few texts that hold one are read through a one-to-one translation of
those letters (`matchable`), which keeps every offset. The ligatures a folded word spells out
(œ for "oe", æ for "ae") are alternatives of their own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from ..analysis import LANGUAGES, fold, stem

SEARCH_LIMIT = 200_000
WIDTH = 260
_MAX_MATCHES = 400
_SCAN_STEPS = (12_000, 48_000, SEARCH_LIMIT)
_LIGATURES = {"oe": "œŒ", "ae": "æÆ"}  # a folded pair and the characters that spell it


def _spellings() -> tuple[dict[str, frozenset[str]], dict[int, str]]:
    """(each ASCII letter or digit's spellings in Latin-1, both cases; the one-to-one
    translation of every rarer letter that folds to one of them, as the index folds it)."""
    classes = {c: {c, c.upper()} for c in "abcdefghijklmnopqrstuvwxyz0123456789"}
    rare: dict[int, str] = {}
    for code in range(0x80, 0x2500):
        char = chr(code)
        base = fold(char)
        if len(base) != 1 or base not in classes or not char.isalnum() or base == char:
            continue  # not a letter or digit (ⓒ, ™), or a ligature, or no ASCII base
        if code < 0x100:
            classes[base].add(char)
        else:
            rare[code] = base
    return {c: frozenset(v) for c, v in classes.items()}, rare


def _class(chars: Iterable[str], more: str = "") -> str:
    """A regex class of the characters, runs of consecutive ones written as ranges (fewer
    items for the regex compiler), and `more` (a class's inside) after them."""
    runs: list[list[int]] = []
    for code in sorted(ord(c) for c in chars):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    inside = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs
    )
    return f"[{inside}{more}]"


_CLASS_CHARS, _RARE_TABLE = _spellings()
_RARE_CHARS = frozenset(chr(c) for c in _RARE_TABLE)
_CLASSES = {c: _class(v) for c, v in _CLASS_CHARS.items()}
# Any rarer letter: each regex also matches one alone, which tells `_find` to read that part of
# the text again through `matchable`.
_RARE = _class(_RARE_CHARS)


def matchable(text: str) -> str:
    """The text as the snippet regexes read it: each letter beyond Latin-1 that folds to an
    ASCII letter written as that letter, one character for one (every offset stands)."""
    return text if text.isascii() else text.translate(_RARE_TABLE)


def _unit(folded: str, i: int) -> tuple[str, int]:
    """The regex for the character of a folded word at `i` (or the ligature pair starting
    there) and how many characters of the word it stands for."""
    pair = folded[i : i + 2]
    if pair in _LIGATURES:
        return f"(?:{_letter(pair[0])}{_letter(pair[1])}|[{_LIGATURES[pair]}])", 2
    return _letter(folded[i]), 1


def _letter(char: str) -> str:
    known = _CLASSES.get(char)
    if known is not None:
        return known
    if char.isalnum():  # beyond ASCII (Greek, Cyrillic…): its case variants only
        return f"(?i:{re.escape(char)})"
    return re.escape(char)


def _unfolded(folded: str) -> str:
    """A regex for a folded word that matches it written with accents, ligatures, any case."""
    parts = []
    i = 0
    while i < len(folded):
        part, width = _unit(folded, i)
        parts.append(part)
        i += width
    return "".join(parts)


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
    return re.compile(rf"\b(?:{'|'.join(parts)})|{_RARE}")


def _skipping(phrases: list[list[Stems]], stems: Stems) -> re.Pattern[str] | None:
    r"""The reference regex with each alternative split into its first character and the rest:
    `[every first character](?<=\b[\w\W])(?:(?<=first)rest|…)` (the word boundary checked
    before the character just read, where the reference checks it). A regex that opens on one
    character class lets the regex engine jump in C from one such character to the next; one
    that opens on a word boundary is tried at every position of the text. The same
    alternatives are tried in the same order at the same positions, so the matches are the
    same (None when a stem is empty or starts beyond the Basic Multilingual Plane)."""
    branches: list[tuple[frozenset[str], str]] = []  # (first characters, rest of the branch)
    for words in phrases:
        rest = "".join(_GAP + _either(w) for w in words[1:])
        for s in words[0]:
            heads = _heads(s)
            if heads is None:
                return None
            branches.extend((first, after + rest) for first, after in heads)
    for s in stems:
        heads = _heads(s)
        if heads is None:
            return None
        branches.extend(heads)
    starts: frozenset[str] = frozenset().union(*(first for first, _ in branches))
    if not starts:
        return None
    body = "|".join(rf"(?<={_class(first)}){rest}\w*" for first, rest in branches)
    opening = _class(starts - _RARE_CHARS, _RARE[1:-1])
    return re.compile(rf"{opening}(?:(?<=\b[\w\W])(?:{body})|(?<={_RARE}))")


def _heads(stem: str) -> list[tuple[frozenset[str], str]] | None:
    """The ways a folded stem may begin in a text: (the characters that may open it, the regex
    for what follows), the ligature after the letters it spells; None when the first
    character's variants are not known (an empty stem, a letter beyond the BMP)."""
    if not stem or ord(stem[0]) > 0xFFFF:
        return None
    first = _CLASS_CHARS.get(stem[0])
    if first is None:
        first = _matching(stem[0]) if stem[0].isalnum() else frozenset(stem[0])
    heads = [(first, _unfolded(stem[1:]))]
    if stem[:2] in _LIGATURES:
        heads.append((frozenset(_LIGATURES[stem[:2]]), _unfolded(stem[2:])))
    return heads


@functools.cache
def _matching(letter: str) -> frozenset[str]:
    """Every character a letter beyond ASCII matches, case ignored, found by the regex engine
    itself over the Basic Multilingual Plane (no case mapping crosses the plane)."""
    return frozenset(re.findall(_letter(letter), _bmp()))


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
    start = 0
    for size in _SCAN_STEPS:
        stop = min(len(text), size)
        while stop < len(text) and not text[stop - 1].isspace() and stop < size + 200:
            stop += 1  # end the part between two words
        matches = _part(text, pattern, start, stop)
        if matches is None:  # a letter beyond Latin-1 in this part: read it translated
            matches = _part(matchable(text[:stop]), pattern, start, stop) or []
        if matches or stop >= len(text):
            return matches
        start = stop
    return []


def _part(
    subject: str, pattern: re.Pattern[str], start: int, stop: int
) -> list[tuple[int, int, str]] | None:
    """The first matches between start and stop; None on meeting a rarer letter."""
    out: list[tuple[int, int, str]] = []
    for m in pattern.finditer(subject, start, stop):
        word = m.group(0)
        if len(word) == 1 and word in _RARE_CHARS:
            return None
        out.append((m.start(), m.end(), word.lower() if word.isascii() else fold(word)))
        if len(out) >= _MAX_MATCHES:
            break
    return out


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
