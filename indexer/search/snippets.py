"""Snippets: the best short window of a document's text for a query, with the matches marked.

Bounded by design: only the first `SEARCH_LIMIT` characters are looked at, with regular
expressions over a length-preserving folded copy (no re-analysis of the whole text), so a
page of results costs a few milliseconds however long the documents are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..analysis import LANGUAGES, fold, stem

SEARCH_LIMIT = 200_000
WIDTH = 260
_MAX_MATCHES = 400


def _one_to_one_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x80, 0x2500):
        base = "".join(
            c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c)
        )
        if len(base) == 1 and base != chr(code):
            table[code] = base
    table.update({ord("œ"): "o", ord("Œ"): "O", ord("æ"): "a", ord("Æ"): "A", ord("ß"): "s",
                  ord("’"): "'", ord("\f"): " "})  # fmt: skip
    return table


_FOLD1 = _one_to_one_fold_table()


def match_pattern(query_words: Iterable[str], prefixes: Iterable[str] = ()) -> re.Pattern[str] | None:
    """A regex finding, in folded text, the words whose stem a query word shares.

    A "word" with spaces is an expression (an acronym's expansion): it is marked only where its
    words follow each other, with at most two short words between them (« contrat de ville »)."""
    stems: set[str] = set()
    phrases: set[str] = set()
    for word in query_words:
        parts = fold(word).split()
        if len(parts) > 1:
            phrases.add(_GAP.join(_word_stems(part) for part in parts))
            continue
        stems.update(_stems_of(fold(word)))
    stems.update(fold(p) for p in prefixes if p)
    if not stems and not phrases:
        return None
    alternatives = [rf"(?:{p})\w*" for p in sorted(phrases, key=len, reverse=True)]
    if stems:
        singles = "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True))
        alternatives.append(rf"(?:{singles})\w*")
    return re.compile(rf"\b(?:{'|'.join(alternatives)})")


_GAP = r"\w*\W+(?:\w{1,3}\W+){0,2}"  # end of one word, then up to two short words


def _stems_of(word: str) -> set[str]:
    out = set()
    for lang in LANGUAGES:
        s = stem(word, lang)
        if len(s) >= 2 or s.isdigit():
            out.add(s)
    return out


def _word_stems(word: str) -> str:
    found = _stems_of(word) or {word}
    return "(?:" + "|".join(re.escape(s) for s in sorted(found, key=len, reverse=True)) + ")"


def make_snippet(
    text: str, pattern: re.Pattern[str] | None, width: int = WIDTH
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """(snippet, highlight spans): the window of `text` with the most distinct matches."""
    text = text[:SEARCH_LIMIT]
    if not text.strip():
        return "", ()
    folded = text.translate(_FOLD1).lower()
    if len(folded) != len(text):  # a character folded to several: lose highlights, keep safety
        folded = text.lower()
    matches = []
    if pattern is not None:
        for m in pattern.finditer(folded):
            matches.append((m.start(), m.end(), m.group(0)))
            if len(matches) >= _MAX_MATCHES:
                break
    start = 0
    if matches:
        best, best_score = matches[0][0], -1
        for i, (anchor, _, _) in enumerate(matches):
            distinct = {w for s, _, w in matches[i:] if s < anchor + width - 40}
            if len(distinct) > best_score:
                best, best_score = anchor, len(distinct)
        start = max(0, best - 60)
        while start > 0 and not text[start - 1].isspace() and best - start < 90:
            start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace() and end - start < width + 30:
        end += 1
    window = text[start:end]
    spans = tuple(
        (s - start, e - start) for s, e, _ in matches if s >= start and e <= end
    )
    # Tidy whitespace while keeping the spans aligned: collapse runs inside the window.
    snippet, spans = _collapse_spaces(window, spans)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    shift = len(prefix)
    return prefix + snippet + suffix, tuple((s + shift, e + shift) for s, e in spans)


def _collapse_spaces(
    window: str, spans: tuple[tuple[int, int], ...]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    out: list[str] = []
    mapping: list[int] = []  # old offset -> new offset
    previous_space = True
    for char in window:
        mapping.append(len(out))
        if char.isspace():
            if not previous_space:
                out.append(" ")
            previous_space = True
        else:
            out.append(char)
            previous_space = False
    mapping.append(len(out))
    new = "".join(out)
    stripped = new.rstrip()
    spans = tuple(
        (mapping[s], min(mapping[e], len(stripped))) for s, e in spans if mapping[s] < len(stripped)
    )
    return stripped, spans
