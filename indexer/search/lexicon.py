"""Word-by-word translation of English and Spanish queries into French (issue 11): the fallback
when no concept of the vocabulary covers a query. The lexicon (indexer/data/lexique.tsv) maps a
foreign word or expression to the French words a document of the fund uses; expressions of
several words are matched first, words the lexicon does not know are kept as they are. The
translation becomes a precise concept (concepts.py) whose French expression is the translated
query, so the search ranks its French documents as it ranks any concept's: after the documents
in the query's own language that hold its words together. No engine here: plain values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ..analysis import STOP_WORDS, analyze, fold, stem
from ..analysis import words as folded_words
from ..metadata_text import place_at, place_words
from .compiler import family_stems
from .concepts import Concept
from .query import ParsedQuery, Words

FOREIGN = ("en", "es")
MAX_ENTRY_WORDS = 6  # longer foreign expressions are not looked for
HEAD_LAST = ("en",)  # languages whose noun phrases end with their head word
# Stop words that say the contrary of the words they go with ("jóvenes sin empleo" are no
# "jóvenes empleo", « sin techo » no roof): kept as words of an entry or a query. French keeps
# « sans » already; the index is not changed.
MEANINGFUL = {"es": frozenset({"sin"}), "en": frozenset()}


@dataclass(frozen=True, slots=True)
class Translation:
    language: str
    french: tuple[str, ...]  # the French words, in the query's order
    known: int  # query words the lexicon (or a concept label) translated
    kept: tuple[bool, ...] = ()  # for each of `french`: a query word the lexicon did not know
    # query words whose French is another word ("income" -> « revenu », not "population" ->
    # « population »): the only sign that the query is not French
    foreign: int = 0


@dataclass(slots=True)
class Lexicon:
    """Analysed foreign entries (stems in their language) -> French words, per language."""

    entries: dict[str, dict[tuple[str, ...], str]] = field(default_factory=dict)
    longest: int = 1

    def add(self, language: str, foreign: str, french: str, *, first: bool = True) -> None:
        """One entry; the first one written for a form wins unless `first` is False."""
        if language not in FOREIGN or not french.strip():
            return
        key = _terms(foreign, language)
        if not key or len(key) > MAX_ENTRY_WORDS:
            return
        table = self.entries.setdefault(language, {})
        # a word's plural too: Snowball does not always stem both alike ("taller" -> "tall",
        # "talleres" -> "taller")
        keys = [key] + ([_terms(_plural(foreign, language), language)] if len(key) == 1 else [])
        for form in keys:
            if form and not (first and form in table):
                table[form] = " ".join(french.split())
        self.longest = max(self.longest, len(key))

    def with_concepts(self, concepts: Iterable[Concept]) -> Lexicon:
        """A copy where the vocabulary's precise concepts (their English and Spanish names and
        French expression: "youth employment" -> « emploi des jeunes ») come before the words."""
        out = Lexicon({lang: dict(table) for lang, table in self.entries.items()}, self.longest)
        for concept in concepts:
            if not concept.expression:
                continue
            for language, terms in concept.labels:
                if language in FOREIGN and terms and len(terms) <= MAX_ENTRY_WORDS:
                    out.entries.setdefault(language, {})[terms] = concept.expression
                    out.longest = max(out.longest, len(terms))
        return out

    def translate(self, words: Sequence[str], language: str) -> Translation:
        """The query's folded words in French, the longest entries first; the language's stop
        words are dropped, words the lexicon does not know kept as they are, and so are the
        names of the gazetteer's places, whole (« Fort-de-France » in a Spanish query is no
        « fort français »)."""
        table = self.entries.get(language, {})
        stops = _stops(language)
        french: list[str] = []
        untranslated: list[bool] = []
        known = foreign = 0
        for is_place, run in _runs(words):
            if is_place:
                french.extend(run)
                untranslated.extend([True] * len(run))
                continue
            kept = [w for w in run if w not in stops]
            stems = [stem(w, language) for w in kept]
            i = 0
            while i < len(stems):
                for n in range(min(self.longest, len(stems) - i), 0, -1):
                    found = table.get(tuple(stems[i : i + n]))
                    if found is not None:
                        french.append(found)
                        untranslated.append(False)
                        known += n
                        typed = " ".join(kept[i : i + n])
                        if tuple(analyze(found, "fr")) != tuple(analyze(typed)):
                            foreign += n
                        i += n
                        break
                else:
                    french.append(kept[i])
                    untranslated.append(True)
                    i += 1
        if language in HEAD_LAST:
            # an English phrase ends with its head, a French one begins with it: "tenant
            # satisfaction" is « satisfaction (des) locataires », "older people" « personnes
            # âgées » (a lexicon expression keeps its own order: it is French already, and so
            # do words left as typed next to each other: a name, « Fort-de-France »)
            runs: list[list[int]] = []
            for i, kept_as_typed in enumerate(untranslated):
                if kept_as_typed and runs and untranslated[runs[-1][-1]]:
                    runs[-1].append(i)
                else:
                    runs.append([i])
            order = [i for run in reversed(runs) for i in run]
            french = [french[i] for i in order]
            untranslated = [untranslated[i] for i in order]
        return Translation(language, tuple(french), known, tuple(untranslated), foreign)

    def names_whole(self, words: Sequence[str]) -> bool:
        """Whether a query of several words is, read in English or Spanish, one expression of
        the lexicon that French writes otherwise ("public transport": « transports en commun
        »): French words as well, but a foreign expression too, so it is also translated.
        Words translated one by one (« médiation sociale »: "mediation", "social") or one word
        alone ("violence") keep the query French."""
        if len(words) < 2:
            return False
        # the query's French words and their families: "social mediation" is « médiation
        # sociale » the other way round, and its entry's « médiateur social » says no more
        own = set(analyze(" ".join(words), "fr"))
        own |= {s for w in words for s in family_stems(w)}
        for language in FOREIGN:
            translation = self.translate(words, language)
            if (
                translation.foreign > 1
                and len(translation.french) == 1
                and not set(analyze(translation.french[0], "fr")) <= own
            ):
                return True
        return False

    def concepts_for(self, words: Sequence[str]) -> list[list[Concept]]:
        """The translations to try, each as a one-concept list: for the language(s) whose
        lexicon knows most of the query's words, the whole translation (unknown words kept),
        then the translated words alone when some were unknown. Empty when no word is known."""
        if not words:
            return []
        found = [self.translate(words, lang) for lang in FOREIGN]
        best = max(t.known for t in found)
        # words spelt as in French only ("vieilisement de la population": a typo in French,
        # which the spelling suggestion takes care of): no translation
        if best == 0 or not any(t.foreign for t in found if t.known == best):
            return []
        # a translation knowing fewer than half the query's words says little of it: a French
        # title pasted whole (« quartier politique ville… santé école… », 9 of 24 words
        # "known" in English) is not an English query whose other words were left as typed.
        # Place names count for neither side ("youth in Fort-de-France").
        places = place_words()
        if all(t.known < _unknown(t, places) for t in found if t.known == best):
            return []
        out: list[list[Concept]] = []
        # a translation that says what the query says in French finds nothing more (French
        # queries whose words are English or Spanish as well: « médiation sociale »)
        same = tuple(analyze(" ".join(words), "fr"))
        seen: set[str] = set()
        for translation in found:
            if translation.known != best or not translation.foreign:
                continue
            label = _label(words, translation.language)
            versions = [translation.french]
            if any(translation.kept):
                versions.append(
                    tuple(
                        w
                        for w, kept in zip(translation.french, translation.kept, strict=True)
                        if not kept
                    )
                )
            for french in versions:
                expression = " ".join(french)
                terms = tuple(analyze(expression, "fr"))
                if not terms or terms == same or expression in seen:
                    continue
                seen.add(expression)
                labels = ((translation.language, label),) if label else ()
                out.append([Concept("", labels, (expression,), expression)])
        return out


def _runs(words: Sequence[str]) -> list[tuple[bool, Sequence[str]]]:
    """The query's words cut into runs: (True, a place's name as the gazetteer spells it,
    longest first) or (False, the words between)."""
    runs: list[tuple[bool, Sequence[str]]] = []
    start = i = 0
    while i < len(words):
        size = place_at(words, i)
        if size:
            if start < i:
                runs.append((False, words[start:i]))
            runs.append((True, words[i : i + size]))
            i = start = i + size
        else:
            i += 1
    if start < len(words):
        runs.append((False, words[start:]))
    return runs


def _unknown(translation: Translation, neutral: frozenset[str]) -> int:
    """The query words the lexicon did not translate, but for `neutral` ones."""
    return sum(
        1
        for word, kept in zip(translation.french, translation.kept, strict=True)
        if kept and word not in neutral
    )


def _stops(language: str) -> frozenset[str]:
    """The stop words a translation leaves out: the language's, but for MEANINGFUL ones."""
    return STOP_WORDS[language] - MEANINGFUL.get(language, frozenset())


def _terms(text: str, language: str) -> tuple[str, ...]:
    """A foreign entry's stems, as `translate` stems a query's words."""
    stops = _stops(language)
    return tuple(
        stem(w, language) for w in folded_words(text, language, stops=False) if w not in stops
    )


def _label(words: Sequence[str], language: str) -> tuple[str, ...]:
    """The query's words as a label in `language` (stop words as "", as concepts.py spells a
    query), so that the query's language is known when the concept is ranked."""
    flat = [(analyze(w, language) or [""])[0] for w in words]
    while flat and not flat[0]:
        flat.pop(0)
    while flat and not flat[-1]:
        flat.pop()
    return tuple(flat)


def _plural(word: str, language: str) -> str:
    """The regular plural of an English or Spanish word (enough to reach its stem)."""
    word = word.strip()
    if language == "es":
        if word.endswith("z"):
            return word[:-1] + "ces"
        return word + ("s" if word[-1:] in "aeiouáéó" else "es")
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    return word + "s"


def translatable(parsed: ParsedQuery) -> bool:
    """A query of words only (a hyphenated or quoted run counts as its words): no OU, prefix
    or exclusion, whose meaning a word-by-word translation would not keep."""
    return (
        bool(parsed.required)
        and not parsed.excluded
        and all(len(g.options) == 1 and isinstance(g.options[0], Words) for g in parsed.required)
    )


def parse_lexicon(text: str) -> Lexicon:
    """A lexicon from its TSV text: language, foreign word(s), French word(s); `#` comments."""
    lexicon = Lexicon()
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        language, foreign, french = (p.strip() for p in parts)
        lexicon.add(fold(language), foreign, french)
    return lexicon


@cache
def default_lexicon() -> Lexicon:
    """The fund's lexicon (indexer/data/lexique.tsv), read once."""
    text = resources.files("indexer").joinpath("data/lexique.tsv").read_text("utf-8")
    return parse_lexicon(text)
