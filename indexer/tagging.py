"""The thematic tagger: vocabulary terms found in a document become scored, explained thematics.

How a thematic is scored (all constants live in `TaggerSettings`):

1. The vocabulary is compiled once: every expression is analysed like the index does
   (`indexer.analysis`: folded, stemmed, stop words dropped) into a sequence of stems;
   acronyms are kept aside and matched only when written in capitals (PRE, not « pré »).
   Expressions of one *concept* (an acronym and its expansion, a group of synonyms) count
   together.
2. Each field is matched separately: title, keywords, abstract, full text. Multi-word terms
   match as consecutive stems; at each position the longest expression wins.
3. For each concept c of a thematic, a BM25F-like pseudo-frequency
   x_c = Σ_fields boost_f · n_{c,f} / B_f, with boosts title > keywords > abstract > text and
   B_text = 1 − b + b · L / L_avg (L: number of terms of the text), so that thirty mentions in
   a hundred-page report weigh less than five in a two-page note.
4. Saturation per concept, then weights: S = Σ_c w_c · x_c / (x_c + k1). Weights come from the
   vocabulary (acronyms 3, terms 2, everyday words 0.5 by default).
5. score = S / (S + σ), in [0, 1): 0.5 means evidence worth σ; the score is comparable between
   documents and is what the catalogue stores.
6. A thematic is assigned when score ≥ threshold, S ≥ relative · S_best (it is not a side
   topic of a document about something else), and its evidence is not only everyday words
   found in the full text; at most `max_themes`, best first. None rather than a weak guess.
   Records described only by title, abstract and keywords (paper holdings) have their own
   threshold and relative cut: their evidence is a few words, so a secondary thematic shows
   up with a much smaller share of the score than in a full text, where every side topic of
   a long report leaves some trace. Everyday words count as medium terms when they are in
   the title or the keywords (the author's or cataloguer's own choice of words).

Languages: the vocabulary is French. An English or Spanish document is matched twice: with the
vocabulary's `en`/`es` terms analysed by its own stemmer, and with the French terms against a
French analysis of its text (acronyms, proper names and the French words it quotes — a report
in English on French urban policy says « contrat de ville »; cognates such as *evaluation* or
*discrimination* fold to the same stems). Any other language is analysed as French.

Learned decisions: when the instance holds a model trained on the documentalist's confirmed
thematics (`indexer.tag_model`, `fonds tags train`), step 6 is the model's instead: a logistic
regression over how the rules found each thematic (where, how much, compared with the others)
gives the probability that the documentalist keeps it, and that probability is the score the
catalogue stores; the scoring, the matched terms and the passages stay the rules' own. Without
a model (a fresh instance), the rules decide.

Evidence is a JSON-able dict: {"terms": [{"term", "count", "field"}…], "passages": [{"text",
"page", "field"}…]}, plus, when the model decided, {"model": {"probability", "rule_score",
"reasons": [[label, contribution]…]}}; the edges put it into words (`webapp.messages.explain`:
"why this thematic", `explain_model`: the model's reasons).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Protocol

from library.models import Record, ThemeAssignment, ThemeSource

from .analysis import analyze, first_tokens, normalise_language
from .vocabulary import TermKind, Vocabulary, acronym_key, iter_terms

FIELDS = ("title", "keywords", "abstract", "text")
PASSAGE_LENGTH = 200
MAX_EVIDENCE_TERMS = 8

_CAPITALISED = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}|(?<![\w])[A-Z][\w]{1,11}(?![\w])")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class TagInput:
    """What the tagger reads of a document; `text_terms` = analyze(text, language) if known."""

    title: str = ""
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    text: str = ""
    language: str = "fr"
    text_terms: Sequence[str] | None = field(default=None, compare=False, hash=False)

    @classmethod
    def from_record(cls, record: Record, text: str = "") -> TagInput:
        title = f"{record.title} : {record.subtitle}" if record.subtitle else record.title
        return cls(title, record.abstract, tuple(record.keywords), text, record.language)


@dataclass(frozen=True, slots=True)
class TaggerSettings:
    """The scoring constants (see the module docstring); calibrated on the labelled set."""

    title_boost: float = 3.0
    keywords_boost: float = 3.0
    abstract_boost: float = 2.0
    text_boost: float = 1.0
    k1: float = 1.2
    b: float = 0.75
    avg_text_terms: float = 2000.0
    min_text_norm: float = 0.5  # a one-paragraph text does not outweigh its own title
    described_cue_weight: float = 1.0  # weight of an everyday word found in title or keywords
    sigma: float = 3.0
    threshold: float = 0.3  # documents with a full text
    relative: float = 0.6
    threshold_without_text: float = 0.3  # records known by their description only
    relative_without_text: float = 0.2
    max_themes: int = 3
    low_confidence: float = 0.45  # assigned, but the review list shows it

    def boost(self, field_name: str) -> float:
        return {
            "title": self.title_boost,
            "keywords": self.keywords_boost,
            "abstract": self.abstract_boost,
            "text": self.text_boost,
        }[field_name]


DEFAULT_SETTINGS = TaggerSettings()


@dataclass(frozen=True, slots=True)
class ConceptMatch:
    """One concept of a thematic found in one field."""

    term: str  # the expression found most often
    field: str
    count: int
    key: int  # compiled key of that expression (to locate a passage)
    contribution: float  # share of the thematic's raw score (all fields of the concept)


@dataclass(frozen=True, slots=True)
class ThemeScore:
    slug: str
    raw: float
    score: float
    specific: bool  # evidence beyond everyday words of the full text
    matches: tuple[ConceptMatch, ...]
    has_text: bool = True  # the document has a full text (else: description only)
    # The raw score split over title, keywords, abstract and text (each concept's saturated
    # contribution shared in proportion to its pseudo-frequency in each field): the learned
    # model reads where the evidence is, not only how much there is.
    by_field: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    cue_raw: float = 0.0  # the part of `raw` that comes from everyday words only
    concepts: int = 0  # distinct concepts found


@dataclass(frozen=True, slots=True)
class Decision:
    """A thematic a decider keeps: the rule score behind it, its probability and why."""

    theme: ThemeScore
    probability: float
    reasons: tuple[tuple[str, float], ...]  # (feature name or "bias", contribution to log-odds)


class Decider(Protocol):
    """What decides among the rule scores in place of the rules' own cut (step 6).

    The learned model (`indexer.tag_model.TagModel`) is one; the tagger knows only this."""

    @property
    def low_confidence(self) -> float:
        """Below this probability an assigned thematic is shown in the review list."""
        ...

    def decide(self, scores: Sequence[ThemeScore]) -> list[Decision]:
        """The thematics to assign, best first."""
        ...


class ThemeTagger(Protocol):
    """What the ingest, the OCR, the import and the workers need of a tagger: `Tagger` is one;
    a test may pass anything with this method."""

    def tag(self, doc: TagInput) -> list[ThemeAssignment]:
        """Automatic thematics for a document, best first."""
        ...


@dataclass(frozen=True, slots=True)
class _Concept:
    theme: int
    name: str
    weight: float
    cue: bool  # only everyday words (indices)


@dataclass(slots=True)
class _Fields:
    """Key counts per field, and where each key was first seen."""

    counts: dict[str, dict[int, int]] = field(default_factory=lambda: {f: {} for f in FIELDS})
    first_term: dict[tuple[str, int], int] = field(default_factory=dict)  # stem matches
    first_char: dict[tuple[str, int], int] = field(default_factory=dict)  # acronym matches
    text_terms: int = 0
    language: str = "fr"


class Tagger:
    """Compiled vocabulary; `tag(doc)` proposes 0–3 thematics. Picklable, built once."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        settings: TaggerSettings = DEFAULT_SETTINGS,
        model: Decider | None = None,
    ):
        self.vocabulary = vocabulary
        self.settings = settings
        self.model = model
        self.slugs = tuple(t.slug for t in vocabulary.themes)
        self._concepts: list[_Concept] = []
        self._key_text: list[str] = []  # display text of each key
        self._key_stems: list[tuple[str, ...]] = []
        self._key_language: list[str] = []
        self._key_concepts: list[tuple[int, ...]] = []
        # {language: {first stem: ((stem sequence, key), ...) longest first}}
        self._phrases: dict[str, dict[str, tuple[tuple[tuple[str, ...], int], ...]]] = {}
        self._acronyms: dict[str, int] = {}
        self._compile()

    def with_settings(self, settings: TaggerSettings) -> Tagger:
        """The same compiled vocabulary with other constants (for calibration)."""
        clone = object.__new__(Tagger)
        clone.__dict__.update(self.__dict__)
        clone.settings = settings
        return clone

    def with_model(self, model: Decider | None) -> Tagger:
        """The same compiled vocabulary deciding with a learned model (None: the rules)."""
        clone = object.__new__(Tagger)
        clone.__dict__.update(self.__dict__)
        clone.model = model
        return clone

    @property
    def low_confidence(self) -> float:
        """Below this score an automatic thematic is shown in the review list."""
        return self.model.low_confidence if self.model else self.settings.low_confidence

    # -- compilation ---------------------------------------------------------------------

    def _compile(self) -> None:
        keys: dict[tuple[str, tuple[str, ...]], int] = {}  # (language or "ACRONYM", stems)
        key_concepts: list[dict[int, None]] = []
        concepts: dict[tuple[int, str], int] = {}
        claimed: set[tuple[int, int]] = set()  # (theme, key): first declaration wins
        theme_index = {slug: i for i, slug in enumerate(self.slugs)}
        for theme, term in iter_terms(self.vocabulary):
            if term.weight <= 0:
                continue
            t = theme_index[theme.slug]
            if term.kind == TermKind.ACRONYM and term.text == term.concept:
                ident: tuple[str, tuple[str, ...]] = ("ACRONYM", (acronym_key(term.text),))
            else:
                ident = (term.language, tuple(analyze(term.text, term.language)))
            if ident not in keys:
                keys[ident] = len(self._key_text)
                self._key_text.append(term.text)
                self._key_stems.append(ident[1])
                self._key_language.append(term.language)
                key_concepts.append({})
            key = keys[ident]
            if (t, key) in claimed:
                continue
            claimed.add((t, key))
            cid = concepts.get((t, term.concept))
            if cid is None:
                cid = concepts[(t, term.concept)] = len(self._concepts)
                self._concepts.append(
                    _Concept(t, term.concept, term.weight, term.kind == TermKind.CUE)
                )
            else:
                old = self._concepts[cid]
                self._concepts[cid] = replace(
                    old,
                    weight=max(old.weight, term.weight),
                    cue=old.cue and term.kind == TermKind.CUE,
                )
            key_concepts[key][cid] = None
        self._key_concepts = [tuple(c) for c in key_concepts]
        phrases: dict[str, dict[str, list[tuple[tuple[str, ...], int]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for (language, stems), key in keys.items():
            if language == "ACRONYM":
                self._acronyms[stems[0]] = key
            else:
                phrases[language][stems[0]].append((stems, key))
        self._phrases = {
            lang: {
                first: tuple(sorted(entries, key=lambda e: (-len(e[0]), e[1])))
                for first, entries in table.items()
            }
            for lang, table in phrases.items()
        }

    # -- matching ------------------------------------------------------------------------

    def _match_terms(self, terms: Sequence[str], language: str, fields: _Fields, name: str) -> None:
        table = self._phrases.get(language)
        if not table:
            return
        counts = fields.counts[name]
        first = fields.first_term
        i, n = 0, len(terms)
        while i < n:
            entries = table.get(terms[i])
            step = 1
            if entries is not None:
                for stems, key in entries:
                    size = len(stems)
                    if size == 1 or tuple(terms[i : i + size]) == stems:
                        counts[key] = counts.get(key, 0) + 1
                        first.setdefault((name, key), i)
                        step = size
                        break
            i += step

    def _match_acronyms(self, text: str, fields: _Fields, name: str, *, loose: bool) -> None:
        counts = fields.counts[name]
        for match in _CAPITALISED.finditer(text):
            word = match.group(0)
            key = self._acronyms.get(acronym_key(word))
            if key is None:
                continue
            if "." not in word and sum(c.isupper() for c in word) < 2 and not loose:
                continue
            counts[key] = counts.get(key, 0) + 1
            fields.first_char.setdefault((name, key), match.start())

    def _collect(self, doc: TagInput) -> _Fields:
        language = normalise_language(doc.language)
        fields = _Fields(language=language)
        for name, value in (("title", doc.title), ("abstract", doc.abstract)):
            if value:
                self._match_field(value, language, fields, name)
        for keyword in doc.keywords:
            if keyword.strip():
                self._match_field(keyword, language, fields, "keywords")
                whole = self._acronyms.get(acronym_key(keyword.strip()))
                if whole is not None and not fields.counts["keywords"].get(whole):
                    fields.counts["keywords"][whole] = 1  # a keyword "cucs" is the acronym
        if doc.text:
            given = doc.text_terms
            if language == "fr":
                french = given if given is not None else analyze(doc.text, "fr")
            else:
                french = analyze(doc.text, "fr")
                own = given if given is not None else analyze(doc.text, language)
                self._match_terms(own, language, fields, "text")
            fields.text_terms = len(french)
            self._match_terms(french, "fr", fields, "text")
            self._match_acronyms(doc.text, fields, "text", loose=False)
        return fields

    def _match_field(self, value: str, language: str, fields: _Fields, name: str) -> None:
        # A fund repeats its keywords from record to record: their analysis is remembered.
        terms = _keyword_terms if name == "keywords" else analyze
        self._match_terms(terms(value, "fr"), "fr", fields, name)
        if language != "fr":
            self._match_terms(terms(value, language), language, fields, name)
        self._match_acronyms(value, fields, name, loose=name == "keywords")

    # -- scoring -------------------------------------------------------------------------

    def scores(self, doc: TagInput) -> list[ThemeScore]:
        """Every thematic with evidence, best first (assigned or not)."""
        scores, matched = self._score(self._collect(doc))
        return [matched(t) for t in scores]

    def _score(
        self, fields: _Fields
    ) -> tuple[list[ThemeScore], Callable[[ThemeScore], ThemeScore]]:
        """Every thematic with evidence, best first, without its matches (deciding does not
        read them), and what gives a thematic its matches: an import keeps one or two of
        a record's thematics, and the matches of the others were a third of its scoring."""
        s = self.settings
        text_norm = 1.0 - s.b + s.b * (fields.text_terms / s.avg_text_terms)
        norms = {
            "title": 1.0,
            "keywords": 1.0,
            "abstract": 1.0,
            "text": max(text_norm, s.min_text_norm),
        }
        pseudo: dict[int, float] = defaultdict(float)
        field_pseudo: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
        per_field: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)  # key counts
        for f, name in enumerate(FIELDS):
            boost = s.boost(name) / norms[name]
            for key, count in fields.counts[name].items():
                for cid in self._key_concepts[key]:
                    pseudo[cid] += boost * count
                    field_pseudo[cid][f] += boost * count
                    per_field[(cid, name)][key] = count
        raw: dict[int, float] = defaultdict(float)
        split: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
        cue_raw: dict[int, float] = defaultdict(float)
        concepts: dict[int, int] = defaultdict(int)
        specific: dict[int, bool] = defaultdict(bool)
        contributions: dict[int, float] = {}
        for cid, x in pseudo.items():
            concept = self._concepts[cid]
            weight = concept.weight
            if concept.cue and any((cid, f) in per_field for f in ("title", "keywords")):
                # An everyday word chosen for the title or the keywords describes the document.
                weight = max(weight, s.described_cue_weight)
            contribution = contributions[cid] = weight * x / (x + s.k1)
            raw[concept.theme] += contribution
            concepts[concept.theme] += 1
            if concept.cue:
                cue_raw[concept.theme] += contribution
            shares = split[concept.theme]
            for f, part in enumerate(field_pseudo[cid]):
                shares[f] += contribution * part / x
        # Each thematic's concepts found per field, in the order they were found.
        by_theme: dict[str, list[tuple[int, str, dict[int, int]]]] = defaultdict(list)
        for (cid, name), keys in per_field.items():
            concept = self._concepts[cid]
            if not concept.cue or name in ("title", "keywords"):
                specific[concept.theme] = True
            by_theme[self.slugs[concept.theme]].append((cid, name, keys))
        out = [
            ThemeScore(
                self.slugs[theme],
                total,
                total / (total + s.sigma),
                specific[theme],
                (),
                fields.text_terms > 0,
                (split[theme][0], split[theme][1], split[theme][2], split[theme][3]),
                cue_raw[theme],
                concepts[theme],
            )
            for theme, total in raw.items()
        ]
        out.sort(key=lambda t: (-t.raw, t.slug))

        def matched(theme: ThemeScore) -> ThemeScore:
            matches = [
                ConceptMatch(
                    term=" / ".join(
                        self._key_text[k] for k in sorted(keys, key=lambda k: (-keys[k], k))
                    ),
                    field=name,
                    count=sum(keys.values()),
                    key=max(keys, key=lambda k: (keys[k], -k)),
                    contribution=round(contributions[cid], 4),
                )
                for cid, name, keys in by_theme[theme.slug]
            ]
            matches.sort(key=lambda m: (-m.contribution, FIELDS.index(m.field), m.term))
            return replace(theme, matches=tuple(matches))

        return out, matched

    def decide(self, scores: Sequence[ThemeScore]) -> list[ThemeScore]:
        """The thematics to assign among scored ones (threshold, relative cut, at most N)."""
        s = self.settings
        if not scores:
            return []
        if scores[0].has_text:
            threshold, relative = s.threshold, s.relative
        else:
            threshold, relative = s.threshold_without_text, s.relative_without_text
        eligible = [t for t in scores if t.specific and t.score >= threshold]
        if not eligible:
            return []
        best = max(t.raw for t in eligible)
        kept = [t for t in eligible if t.raw >= relative * best]
        kept.sort(key=lambda t: (-t.raw, t.slug))
        return kept[: s.max_themes]

    def tag(self, doc: TagInput) -> list[ThemeAssignment]:
        """Automatic thematics for a document, best first, each with score and evidence.

        With a model the score is the probability that the documentalist keeps the thematic;
        with the rules alone it is S / (S + σ)."""
        fields = self._collect(doc)
        scores, matched = self._score(fields)
        if self.model is None:
            return [
                ThemeAssignment(
                    t.slug,
                    ThemeSource.AUTO,
                    round(t.score, 4),
                    self._evidence(matched(t), doc, fields),
                )
                for t in self.decide(scores)
            ]
        out = []
        for decision in self.model.decide(scores):
            evidence = self._evidence(matched(decision.theme), doc, fields)
            evidence["model"] = {
                "probability": round(decision.probability, 4),
                "rule_score": round(decision.theme.score, 4),
                "reasons": [[label, value] for label, value in decision.reasons],
            }
            out.append(
                ThemeAssignment(
                    decision.theme.slug, ThemeSource.AUTO, round(decision.probability, 4), evidence
                )
            )
        return out

    # -- evidence ------------------------------------------------------------------------

    def _evidence(self, theme: ThemeScore, doc: TagInput, fields: _Fields) -> dict[str, Any]:
        terms = [
            {"term": m.term, "count": m.count, "field": m.field}
            for m in theme.matches[:MAX_EVIDENCE_TERMS]
        ]
        passages: list[dict[str, Any]] = []
        for source in ("text", "abstract"):
            value = doc.text if source == "text" else doc.abstract
            spans: list[tuple[int, int]] = []
            for m in (m for m in theme.matches if m.field == source):
                found = self._readable_passage(m.key, source, value, fields)
                if found is None or any(abs(found[0][0] - s[0]) < PASSAGE_LENGTH for s in spans):
                    continue
                spans.append(found[0])
                passages.append(found[1])
                if len(passages) == 2:
                    break
            if passages:
                break
        return {"terms": terms, "passages": passages}

    def _readable_passage(
        self, key: int, name: str, value: str, fields: _Fields
    ) -> tuple[tuple[int, int], dict[str, Any]] | None:
        """The first passage around an occurrence of a key that reads as prose and shows the
        matched words: occurrences in table rows (figures) or in run-together headings are
        passed over for a later one; None when no occurrence makes a readable passage."""
        span = self._locate(key, name, value, fields)
        for _ in range(_MAX_PASSAGE_TRIES):
            if span is None:
                return None
            passage = _passage(value, span, name)
            if _is_prose(passage["text"], value[span[0] : span[1]]):
                passage["term"] = self._key_text[key]
                return span, passage
            span = self._locate_after(key, value, span)
        return None

    def _locate_after(self, key: int, value: str, span: tuple[int, int]) -> tuple[int, int] | None:
        """The next occurrence of the words found at `span` (same key), after it."""
        words = value[span[0] : span[1]]
        stems = self._key_stems[key] if key < len(self._key_stems) else ()
        if stems and not words.isupper():
            found = _find_stems(value[span[1] :], stems, self._key_language[key])
        else:
            found = next(
                (
                    (m.start(), m.end())
                    for m in re.finditer(
                        r"(?<!\w)" + re.escape(words) + r"(?!\w)", value[span[1] :]
                    )
                ),
                None,
            )
        return None if found is None else (span[1] + found[0], span[1] + found[1])

    def _locate(self, key: int, name: str, value: str, fields: _Fields) -> tuple[int, int] | None:
        """Character span of an occurrence of a key in a field (bounded work, no full scan)."""
        if (name, key) in fields.first_char:
            start = fields.first_char[(name, key)]
            word = _CAPITALISED.match(value, start)
            return (start, word.end() if word else start + len(self._key_text[key]))
        if (name, key) not in fields.first_term:
            return None
        return _find_stems(value, self._key_stems[key], self._key_language[key])


@lru_cache(maxsize=8192)
def _keyword_terms(keyword: str, language: str) -> tuple[str, ...]:
    return tuple(analyze(keyword, language))


_LETTER_CLASSES = {
    "a": "[aàâäáã]",
    "c": "[cç]",
    "e": "[eéèêë]",
    "i": "[iîïí]",
    "o": "[oôöó]",
    "u": "[uùûüú]",
    "y": "[yÿ]",
    "n": "[nñ]",
}
_MAX_CANDIDATES = 40


@lru_cache(maxsize=4096)
def _stem_pattern(stem: str) -> re.Pattern[str]:
    """Words of an original text that may analyse to a stem (accents and case ignored)."""
    parts = []
    i = 0
    while i < len(stem):
        pair = stem[i : i + 2]
        if pair in ("oe", "ae"):
            parts.append(f"(?:{pair}|{'œ' if pair == 'oe' else 'æ'})")
            i += 2
            continue
        parts.append(_LETTER_CLASSES.get(stem[i], re.escape(stem[i])))
        i += 1
    return re.compile(r"(?<!\w)" + "".join(parts) + r"\w*", re.IGNORECASE)


def _find_stems(text: str, stems: tuple[str, ...], language: str) -> tuple[int, int] | None:
    """First place where the stems occur consecutively: candidates by regex, checked by analysis."""
    size = len(stems)
    for n, match in enumerate(_stem_pattern(stems[0]).finditer(text)):
        if n >= _MAX_CANDIDATES:
            break
        start = match.start()
        window = text[start : match.end() + 60 * (size - 1) + 1]
        found = first_tokens(window, language, size)
        if len(found) == size and all(found[j].term == stems[j] for j in range(size)):
            return (start + found[0].start, start + found[-1].end)
    return None


_MAX_PASSAGE_TRIES = 8
_WORD = re.compile(r"[^\W\d_]{2,}")


def _is_prose(snippet: str, matched: str) -> bool:
    """A passage worth showing as evidence: it contains the matched words, is not a row of
    figures (a table) and has enough lower-case words to read as a sentence, not as headings
    run together ('SOMMAIRE 1. CADRE 2. QUARTIERS…')."""
    if _SPACES.sub(" ", matched).strip().casefold() not in snippet.casefold():
        return False
    if sum(map(str.isdigit, snippet)) > len(snippet) * 0.12:
        return False
    words = _WORD.findall(snippet)
    lower = sum(map(str.islower, words))
    return len(words) >= 6 and lower >= len(words) * 0.6


def _passage(text: str, span: tuple[int, int], source: str) -> dict[str, Any]:
    """A short passage (≤ 200 characters) around a match, with its page when paginated."""
    start, end = span
    room = max(PASSAGE_LENGTH - 2 - (end - start), 0)
    left = max(0, start - room * 2 // 5)
    right = min(len(text), end + (room - (start - left)))
    if left > 0:
        cut = text.find(" ", left, start)
        left = cut + 1 if cut != -1 else left
    if right < len(text):
        cut = text.rfind(" ", end, right)
        right = cut if cut != -1 else right
    snippet = _SPACES.sub(" ", text[left:right]).strip()
    snippet = ("…" if left > 0 else "") + snippet + ("…" if right < len(text) else "")
    page = text.count("\f", 0, start) + 1 if "\f" in text else None
    return {"text": snippet[:PASSAGE_LENGTH], "page": page, "field": source}
