"""Text analysis shared by the index, the query parser and the tagger.

Words are folded (lower case, no accents) *before* stemming, so that `évaluation`,
`Evaluations` and `EVALUATION` give the same stem whatever accents the writer typed.
French elisions (l', d', qu'…) are dropped, dotted acronyms (C.U.C.S.) joined, stop words
removed, and each language keeps its own Snowball stemmer (PyStemmer: the C build of the
same algorithms Whoosh ships in pure Python).
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import islice

import Stemmer

# Languages with their own analysis; everything else is analysed as French, the fund's language.
LANGUAGES = ("fr", "en", "es")
DEFAULT_LANGUAGE = "fr"
_STEMMER_NAMES = {"fr": "french", "en": "english", "es": "spanish"}
MAX_TOKEN_LENGTH = 40

_WORD = re.compile(r"\w+", re.UNICODE)
_DOTTED_ACRONYM = re.compile(r"\b(?:[A-Za-z]\.){2,}(?=\W|$)")
_ELISIONS = frozenset(
    "l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu".split()
)  # left of an apostrophe in French

STOP_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        """a ai aie au aux avec c ce ces cet cette d dans de des du elle elles en est et etc eu
        il ils je l la le les leur leurs lui m ma mais me meme mes moi mon n ne nos notre nous on
        ou par pas pour qu que qui s sa se ses si son sont sur ta te tes toi ton tu un une vos
        votre vous y a été etait etaient etre ete sera ont avait avaient cela ceci celle celui
        ainsi aussi donc or ni car tres plus moins""".split()
    ),
    "en": frozenset(
        """a an and are as at be but by for from has have in into is it its of on or that the
        their there these this to was were which with will not""".split()
    ),
    "es": frozenset(
        """a al con de del el en es la las lo los no o para por que se su sus un una y e u ni
        le les como mas pero sin sobre entre""".split()
    ),
}


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x80, 0x2500):
        char = chr(code)
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != char:
            table[code] = base
    table.update(
        {
            ord("œ"): "oe",
            ord("Œ"): "OE",
            ord("æ"): "ae",
            ord("Æ"): "AE",
            ord("ß"): "ss",
            ord("ø"): "o",
            ord("Ø"): "O",
            ord("ł"): "l",
            ord("Ł"): "L",
            ord("đ"): "d",
            ord("Đ"): "D",
            ord("’"): "'",
            ord("‘"): "'",
            ord("ʼ"): "'",
            0x0300: "",
            0x0301: "",
            0x0302: "",
            0x0308: "",
            0x0327: "",
        }
    )
    return table


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Lower case, accents removed, ligatures expanded: 'Œuvres ÉVALUÉES' -> 'oeuvres evaluees'."""
    return text.translate(_FOLD_TABLE).lower()


def normalise_language(lang: str | None) -> str:
    """The analysis language for a document language code (fr for anything unknown)."""
    code = (lang or "").lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@cache
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_STEMMER_NAMES[lang], 50_000)


# PDF extraction often glues the end of a line to the next ("Saint-SauveurMunicipalité"): a
# lower-case letter followed by a capital starts a new word.
_LOWER, _UPPER = "a-zß-öø-ÿ", "A-ZÀ-ÖØ-Þ"
_GLUED = re.compile(f"([{_LOWER}])([{_UPPER}])")


def _prepare(text: str) -> str:
    # Join dotted acronyms (C.U.C.S. -> "CUCS    ") before word splitting; padding keeps offsets.
    if "." in text:
        text = _DOTTED_ACRONYM.sub(_join_acronym, text)
    return _GLUED.sub(r"\1 \2", text)


def _join_acronym(match: re.Match[str]) -> str:
    letters = match.group(0).replace(".", "")
    return letters + " " * (len(match.group(0)) - len(letters))


def _keep(word: str, stops: frozenset[str]) -> bool:
    return (
        word not in stops
        and (len(word) > 1 or word.isdigit() or _CJK.match(word) is not None)
        and len(word) <= MAX_TOKEN_LENGTH
    )


# Scripts written without spaces (Chinese, Japanese, Korean, Thai) are indexed as overlapping
# pairs of characters, so any run of two or more characters can be found.
_CJK_CHARS = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK = re.compile(f"[{_CJK_CHARS}]")
_CJK_PARTS = re.compile(f"[{_CJK_CHARS}]+|[^{_CJK_CHARS}]+")


def _split_cjk(word: str, start: int = 0) -> Iterator[tuple[str, int, int]]:
    """(part, start, end): CJK runs as character pairs, other letters as they are."""
    for m in _CJK_PARTS.finditer(word):
        part = m.group(0)
        if _CJK.match(part):
            for i in range(max(1, len(part) - 1)):
                yield (
                    part[i : i + 2],
                    start + m.start() + i,
                    start + m.start() + min(i + 2, len(part)),
                )
        else:
            yield part, start + m.start(), start + m.end()


def words(text: str, lang: str = DEFAULT_LANGUAGE, *, stops: bool = True) -> list[str]:
    """Folded words of a text, elisions (and stop words unless stops=False) removed, not stemmed."""
    lang = normalise_language(lang)
    if stops:
        return analysed(text, lang)[0]
    return _words(text, frozenset())


def _words(text: str, stop_words: frozenset[str]) -> list[str]:
    folded = fold(_prepare(text)).replace("'", " ")
    found = _WORD.findall(folded)
    if _CJK.search(folded):
        found = [p for w in found for p, _, _ in (_split_cjk(w) if _CJK.search(w) else [(w, 0, 0)])]
    return [w for w in found if _keep(w, stop_words) and w not in _ELISIONS]


def analyze(text: str, lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """The terms the index stores for a text: folded, filtered and stemmed, in order."""
    return analysed(text, lang)[1]


# The same short texts are analysed more than once: an import tags a record's title and
# abstract, then indexes them in a later phase. Their analysis is remembered, words and terms
# each joined by spaces (neither contains one), up to a bound on the characters kept.
_MEMO_TEXT_LIMIT = 4_000  # longer texts (a document's full text) are not remembered
_MEMO_CHARS_LIMIT = 16_000_000
_memo: dict[tuple[str, str], tuple[str, str]] = {}
_memo_chars = 0
_memo_lock = threading.Lock()


def analysed(text: str, lang: str = DEFAULT_LANGUAGE) -> tuple[list[str], list[str]]:
    """(words, terms) of a text: `words(text, lang)` and `analyze(text, lang)` in one pass."""
    global _memo_chars
    lang = normalise_language(lang)
    if len(text) > _MEMO_TEXT_LIMIT:
        found = _words(text, STOP_WORDS[lang])
        return found, stem_words(found, lang)
    key = (text, lang)
    kept = _memo.get(key)
    if kept is not None:
        return _split(kept[0]), _split(kept[1])
    found = _words(text, STOP_WORDS[lang])
    terms = stem_words(found, lang)
    entry = (" ".join(found), " ".join(terms))
    size = len(text) + len(entry[0]) + len(entry[1])
    with _memo_lock:  # the web app analyses queries in several threads
        while _memo and _memo_chars + size > _MEMO_CHARS_LIMIT:  # the oldest go first
            oldest = next(iter(_memo))
            old_words, old_terms = _memo.pop(oldest)
            _memo_chars -= len(oldest[0]) + len(old_words) + len(old_terms)
        if key not in _memo:
            _memo[key] = entry
            _memo_chars += size
    return found, terms


def _split(joined: str) -> list[str]:
    return joined.split(" ") if joined else []


def stem_words(found: list[str], lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """The terms of words already found by `words` (analyze = stem_words of words)."""
    lang = normalise_language(lang)
    stems = _stemmer(lang).stemWords(found)
    return [_french_tail(s) for s in stems] if lang == "fr" else stems


def stem(word: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The term of one already folded word."""
    lang = normalise_language(lang)
    found = _stemmer(lang).stemWord(word)
    return _french_tail(found) if lang == "fr" else found


def _french_tail(stem: str) -> str:
    """Snowball's French rules expect accents; on folded words they leave some endings:
    'evaluee' -> 'evalue' while 'evalue' -> 'evalu'. Trailing e's (and the s of -ois) go."""
    if stem[-1:] == "e":
        while len(stem) > 3 and stem[-1] == "e":
            stem = stem[:-1]
    elif len(stem) > 4 and stem.endswith("ois"):
        stem = stem[:-1]
    return stem


@dataclass(frozen=True, slots=True)
class Token:
    term: str  # the stem
    word: str  # the folded surface word
    start: int  # character offsets in the original text
    end: int


def tokens(text: str, lang: str = DEFAULT_LANGUAGE) -> Iterator[Token]:
    """Terms with their place in the original text, for evidence passages and highlighting.

    Gives the same terms as `analyze`, in the same order (slower: use it on bounded text)."""
    lang = normalise_language(lang)
    stops = STOP_WORDS[lang]
    prepared = _prepare(text)
    # Offsets in `prepared` shift by one after each space _GLUED inserted: map them back.
    inserted = (
        [m.start() + 1 + i for i, m in enumerate(_GLUED.finditer(text))]
        if len(prepared) != len(text)
        else []
    )

    def original(offset: int) -> int:
        return offset - bisect.bisect_left(inserted, offset) if inserted else offset

    for match in _WORD.finditer(prepared):
        raw = match.group(0)
        folded = fold(raw)
        begin, finish = original(match.start()), original(match.end())
        # Folding may split a word (e.g. a ligature); keep offsets of the original match.
        for word in _WORD.findall(folded.replace("'", " ")):
            if _CJK.search(word):
                for part, start, end in _split_cjk(word, begin):
                    if _keep(part, stops):
                        yield Token(stem(part, lang), part, start, min(end, finish))
            elif _keep(word, stops) and word not in _ELISIONS:
                yield Token(stem(word, lang), word, begin, finish)


def first_tokens(text: str, lang: str, n: int) -> list[Token]:
    """The first n of `tokens(text, lang)`, in a fraction of its time when the text is plain
    (words of letters, no dot, no words run together, no script written without spaces):
    tagging's evidence asks for thousands of short windows."""
    if "." in text or _GLUED.search(text) or _CJK.search(text):
        return list(islice(tokens(text, lang), n))
    lang = normalise_language(lang)
    stops = STOP_WORDS[lang]
    found: list[Token] = []
    for match in _WORD.finditer(text):
        if len(found) == n:
            break
        folded = fold(match.group(0))
        if not folded.isalpha():  # digits, underscores, letters folded apart: the general way
            return list(islice(tokens(text, lang), n))
        if _keep(folded, stops) and folded not in _ELISIONS:
            found.append(Token(stem(folded, lang), folded, match.start(), match.end()))
    return found


def analysis_stamp() -> str:
    """Changes whenever indexed terms would change: the index is rebuilt when it does."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256()
    for lang in LANGUAGES:
        digest.update(" ".join(sorted(STOP_WORDS[lang])).encode())
    digest.update(repr(sorted(_FOLD_TABLE.items())).encode())
    digest.update(
        f"{MAX_TOKEN_LENGTH}|{sorted(_ELISIONS)}|{_WORD.pattern}|{_CJK_CHARS}|{_GLUED.pattern}".encode()
    )
    return f"fold-stem-3:{version('PyStemmer')}:{digest.hexdigest()[:12]}"
