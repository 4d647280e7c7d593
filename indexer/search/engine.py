"""Searching the index (store.py holds the folder, the writers and the stored rows): a parsed
query compiled for Whoosh, one scored pass, facet filters and counts on bitmaps, a page of
plain hits, 'Vouliez-vous dire…?' and records alike."""

from __future__ import annotations

import heapq
import math
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from whoosh import query as wq

from ..analysis import LANGUAGES, analyze
from .admission import Admission, costly
from .compiler import (
    DESCRIPTIVE,
    FIELD_BOOSTS,
    FIELDS,
    AnyOf,
    Bonus,
    QueryCompiler,
    family_stems,
    labels_query,
)
from .concepts import Concept, concepts_in, french_cover, french_labelled, query_languages
from .documents import FORM_MARK
from .facets import bitmap as facets_bitmap
from .facets import count as count_facet
from .facets import members
from .lexicon import Lexicon, default_lexicon, translatable
from .membership import any_match, matching_ids
from .models import (
    AVAILABILITY,
    FACETS,
    EmptyHelp,
    FacetCount,
    Hit,
    SearchPage,
    SearchRequest,
    Work,
)
from .postings import KeptLists, one_request
from .query import MAX_CLAUSES, Alternatives, ParsedQuery, Prefix, Words, parse
from .ranking import Banded, Followed, Ranking, Then, Tier, ranked, table_ranking
from .store import SCHEMA_VERSION, IndexStore, Pacer, Row, SyncReport, View

__all__ = ["SCHEMA_VERSION", "SearchIndex", "SyncReport"]

Scored = Ranking | list[tuple[int, float]]  # matches best first, with their scores

FACET_LIMITS = {"author": 30}
# Where a document in the query's language must say the query to come before the French
# documents on its concept: its title or keywords (what it is about), not an abstract that
# mentions it ("Neighbours at the margins…" mentions "social housing" once in its abstract).
NAMED_IN = ("title", "subjects")
# letters French writes and English and Spanish do not: a word that has one is French
_FRENCH_ONLY = frozenset("àâçèêëîïôûùÿœæ")
SCATTERED = 3  # words of an expression from which a text may hold them all without saying it
CONCEPT_WORDS = 12  # French words that order a concept's documents (one pass, bounded)
MAX_UNKNOWN = 8  # words named as found nowhere when a search finds nothing
MAX_CORRECTIONS = 6  # words looked up for 'Vouliez-vous dire'
FILL_BELOW = 20  # fewer documents than a page hold every word: those holding some follow


def _query_words(parsed: ParsedQuery) -> list[tuple[str, str]]:
    """(folded, as typed) for each word of the query (a phrase's or prefix's words: folded)."""
    out = []
    for group in parsed.required:
        for option in group.options:
            if isinstance(option, Words) and not option.is_phrase and option.typed:
                out.append((option.words[0], option.typed.lower()))
            elif isinstance(option, Words):
                out.extend((w, w) for w in option.words)
            else:
                out.append((option.prefix, option.prefix))
    return out


def _plain(parsed: ParsedQuery) -> bool:
    """Only words, no operator: a corrected form of it can be searched in its place."""
    return not parsed.excluded and all(
        len(g.options) == 1 and isinstance(g.options[0], Words) and not g.options[0].is_phrase
        for g in parsed.required
    )


def _written(reader, folded: str) -> str:
    """The most frequent accented form of a folded word in the fund (or the word itself)."""
    best, best_df = folded, 0
    for i, term in enumerate(reader.expand_prefix("spell", folded + FORM_MARK)):
        if i >= 8:
            break
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        df = reader.doc_frequency("spell", text)
        if df > best_df:
            best, best_df = text.split(FORM_MARK, 1)[1], df
    return best


def _typed(group: Alternatives) -> str:
    """A query group as the user typed it ("ZFU OU zone franche")."""
    return " OU ".join(
        o.typed or (" ".join(o.words) if isinstance(o, Words) else o.prefix + "*")
        for o in group.options
    )


class SearchIndex(IndexStore):
    """An index one can search: ranked, filtered, faceted pages of plain values."""

    def __init__(
        self, root: Path, *, write_timeout: float = 60.0, batch_limit: int = Pacer.LARGEST
    ) -> None:
        super().__init__(root, write_timeout=write_timeout, batch_limit=batch_limit)
        self._compiler = QueryCompiler(LANGUAGES)
        self._french = QueryCompiler(("fr",))  # whether a query's words are French words too
        self._concepts: list[Concept] = []
        self._french_concepts: list[tuple[Concept, Concept]] = []
        self._lexicon: Lexicon | None = None
        self._expressions: set[frozenset[str]] = set()  # the precise concepts' French stems
        self._kept_bytes = 0  # decoded posting lists kept between requests (keep_postings)
        self._admission = Admission()  # which waiting search runs next

    def set_equivalences(
        self, groups: Iterable[Sequence[str]], related: Iterable[Sequence[str]] = ()
    ) -> None:
        """Expressions that mean the same (acronym and expansion): a query for one finds all.
        `related`: groups of related expressions (CUCS, contrat de ville): a query for one finds
        the others' documents too, ranked after its own words'."""
        self._compiler.set_equivalences(groups, related)

    def set_concepts(self, concepts: Iterable[Concept]) -> None:
        """The vocabulary's concepts with their English and Spanish labels (concepts.py)."""
        self._concepts = list(concepts)
        self._expressions = {
            frozenset(analyze(c.expression, "fr")) for c in self._concepts if c.expression
        }
        self._french_concepts = french_labelled(self._concepts)
        # English and Spanish queries no concept covers: translated word by word (lexicon.py)
        self._lexicon = default_lexicon().with_concepts(self._concepts)

    def keep_postings(self, megabytes: float) -> None:
        """Keep up to this much (estimated) of decoded posting lists from one search to the
        next (postings.KeptLists): a server answering many queries that share words. 0, the
        default, keeps nothing past a request."""
        self._kept_bytes = max(0, int(megabytes * 1024 * 1024))

    def search(
        self, request: SearchRequest, *, availability: Mapping[int, tuple[str, ...]] | None = None
    ) -> SearchPage:
        """Ranked, filtered, faceted hits for one page (hits carry ids and facet values)."""
        return self._run(request, availability or {}, paged=True)

    def all_ids(
        self, request: SearchRequest, *, availability: Mapping[int, tuple[str, ...]] | None = None
    ) -> list[int]:
        """Every matching record id in the request's order (for exports, feeds, alerts and the
        basket): the documents that hold the query, never the partial part a page adds."""
        page = self._run(request, availability or {}, paged=False)
        return [h.id for h in page.hits]

    def _run(
        self, request: SearchRequest, availability: Mapping[int, tuple[str, ...]], *, paged: bool
    ) -> SearchPage:
        started = time.perf_counter()
        parsed = parse(request.q)
        parsed_terms = parsed  # the words to highlight (the corrected ones after a typo)
        work = Work()
        with self._admission.turn(costly=costly(parsed)), self._lock:
            view = self._fresh_view()
            if self._kept_bytes and view.kept is None:  # a new searcher starts with none kept
                view.kept = KeptLists(self._kept_bytes)
            with one_request(view.searcher, view.kept):
                searcher = view.searcher
                reader = searcher.reader()
                query, excluded, equivalents, related = self._compiler.compile(parsed, reader, work)
                sort = (
                    request.effective_sort
                    if query is not None
                    else (
                        request.sort if request.sort in ("oldest", "title", "newest") else "newest"
                    )
                )
                relaxed = corrected = suggested = from_french = False
                partial: set[int] = set()  # documents holding only some of the words
                suggestion: str | None = None
                scored: Scored = []
                concepts = concepts_in(parsed.words(), self._concepts) if _plain(parsed) else None
                if query is not None:
                    matched, scored = self._match(searcher, query, sort, work)
                    if concepts:  # English or Spanish labels: the French documents on the concept
                        matched, scored, across = self._across(
                            view, parsed, concepts, matched, scored, sort, work
                        )
                        concepts = concepts if across else None
                    if not concepts and matched and _plain(parsed):
                        # French words of a concept: its documents in English and Spanish after
                        abroad = french_cover(parsed.words(), self._french_concepts)
                        if abroad:
                            matched, scored, added = self._abroad(
                                view, abroad, matched, scored, sort, work
                            )
                            concepts, from_french = (abroad, True) if added else (None, False)
                    if not matched:
                        # a typo first: the corrected words, before any word of the query alone
                        suggestion, suggested = self._suggest(parsed, searcher, work), True
                        fixed = parse(suggestion) if suggestion and _plain(parsed) else None
                        if fixed is not None:
                            fixed_query, _, fixed_equivalents, fixed_related = (
                                self._compiler.compile(fixed, reader, work)
                            )
                            if fixed_query is not None:
                                matched, scored = self._match(searcher, fixed_query, sort, work)
                                if matched:
                                    corrected, parsed_terms = True, fixed
                                    equivalents, related = fixed_equivalents, fixed_related
                    if not matched and len(parsed.required) > 1:
                        query, _, equivalents, related = self._compiler.compile(
                            parsed.relaxed(), reader, work
                        )
                        if query is not None:
                            matched, scored = self._match(searcher, query, sort, work)
                        relaxed = bool(matched)
                    if not concepts and not corrected and self._lexicon and translatable(parsed):
                        # no concept covers it (or theirs found nothing): its word-by-word French
                        # translation, ranked as a concept's documents are; any-word matches (none
                        # had every word) after them
                        anyword = (matched, scored) if relaxed else (set(), [])
                        if relaxed:
                            matched, scored = set(), []
                        also = self._lexicon.names_whole(parsed.words())
                        for candidate in self._lexicon.concepts_for(parsed.words()):
                            # a whole translation into an expression of the vocabulary is
                            # taken even when the words are French words as well
                            sure = self._spells_vocabulary(candidate, parsed.words(), request.q)
                            matched, scored, across = self._across(
                                view,
                                parsed,
                                candidate,
                                matched,
                                scored,
                                sort,
                                work,
                                also=also,
                                french_first=not sure,
                            )
                            if across:
                                concepts = candidate
                                break
                        if relaxed:
                            if not scored or not isinstance(anyword[1], Ranking):
                                scored = anyword[1]  # nothing translated, or not ranked
                            else:  # the translation's documents, then the any-word ones,
                                # ranked a page at a time (they may be most of the fund)
                                scored = Followed(scored, anyword[1])
                            matched = matched | anyword[0]
                    if (
                        paged  # a page to read; exports, feeds and alerts take what holds it
                        and sort == "relevance"
                        and matched
                        and not relaxed
                        and len(matched) < FILL_BELOW
                        and (loosened := parsed.loosened()) is not None
                    ):
                        matched, scored, partial = self._fill(view, loosened, matched, scored, work)
                else:
                    matched = set(view.live)
                before_exclusion = matched
                if excluded is not None and matched:
                    work.searches += 1
                    matched = matched - matching_ids(searcher, excluded, matched)

                final, facets, selections = _facet(view, matched, request, availability)
                start = (request.page - 1) * request.per_page if paged else 0
                stop = start + request.per_page if paged else len(final)
                ranked = self._rank(view, scored, final, sort, stop)
                hits = tuple(
                    _hit(view.rows[docnum], score, availability, partial=docnum in partial)
                    for docnum, score in ranked[start:stop]
                )
                shown_partial = partial & final
                if not suggested and (not final or relaxed):
                    suggestion = self._suggest(parsed, searcher, work)
                help_ = None
                if not final and paged:
                    help_ = self._empty_help(
                        view, parsed, matched, before_exclusion, selections, relaxed, work
                    )
        took = (time.perf_counter() - started) * 1000
        return SearchPage(
            request=request,
            total=len(final),
            hits=hits,
            facets=facets,
            took_ms=took,
            suggestion=suggestion,
            relaxed=relaxed,
            complete=len(final) - len(shown_partial) if shown_partial else None,
            notes=parsed.notes,
            terms=tuple(dict.fromkeys([*parsed_terms.marks(), *equivalents])),
            related=tuple(related),
            corrected=corrected,
            concepts=tuple(c.slug for c in concepts or ()),
            concept_terms=tuple(c.expression for c in concepts or ()),
            concepts_from_french=from_french,
            work=work,
            empty_help=help_,
        )

    def _fill(
        self, view: View, parsed: ParsedQuery, matched: set[int], scored: Scored, work: Work
    ) -> tuple[set[int], Scored, set[int]]:
        """Fewer documents than a page hold every word: those holding some of them follow,
        best first (one more pass, the relaxed query's), so that a precise query that finds
        one or two documents still leads to their neighbours. Returns the added documents."""
        query, _, _, _ = self._compiler.compile(parsed, view.searcher.reader(), work)
        if query is None:
            return matched, scored, set()
        anyword, tail = self._match(view.searcher, query, "relevance", work)
        added = anyword - matched
        if not added or not isinstance(tail, Ranking):
            return matched, scored, set()
        return matched | added, Followed(list(scored), tail), added

    def _across(
        self,
        view: View,
        parsed: ParsedQuery,
        concepts: list[Concept],
        matched: set[int],
        scored: Scored,
        sort: str,
        work: Work,
        *,
        also: bool = False,
        french_first: bool = True,
    ) -> tuple[set[int], Scored, bool]:
        """Add the documents on every concept of the query (those holding a precise concept's
        French expression, or on a thematic) after the matches in other languages than French,
        ordered by the concepts' French words (one more pass). French documents the words
        matched only through another language's stem ("employment" and "employé" share
        "employ") come after them."""
        french_query, _, _, _ = self._french.compile(parsed, view.searcher.reader(), work)
        if french_query is not None and french_first:
            work.searches += 1
            rows = view.rows
            if not also and any_match(
                view.searcher, french_query, lambda d: _language(rows[d]) == "fr"
            ):
                return matched, scored, False  # French words as well: their documents
        bitmaps = view.facet_bitmaps()
        bits = named_bits = near_bits = -1
        for concept in concepts:
            if concept.expression:
                said = self._expression_bits(view, concept.expression, bitmaps.size, work)
                naming, nearby = self._concept_neighbours(view, concept, bitmaps, work)
                bits &= said
                named_bits &= said | naming
                near_bits &= said | naming | nearby
            else:
                bits &= bitmaps.selection("theme", (concept.slug,), {}, _year_in)
                named_bits = near_bits = 0  # a thematic's documents are all taken already
        rows = view.rows
        foreign = {d for d in matched if (row := rows[d]) is not None and row.language != "fr"}
        extra = set(members(bits)) - foreign if bits > 0 else set()
        # then the documents that name the concepts in another language ("riesgo sísmico" for
        # "earthquake risk"), then those on a precise concept's thematic that say part of its
        # French expression (« risques naturels : le séisme… »)
        named = set(members(named_bits)) - extra if named_bits > 0 else set()
        near = {
            d
            for d in (members(near_bits) if near_bits > 0 else ())
            if d not in extra and d not in named and _language(rows[d]) == "fr"
        }
        found = extra | named | near
        if not found:
            return matched, scored, False
        if sort != "relevance":
            return matched | found, scored, True
        # scored on these documents only: precise concepts by their French expressions as a
        # query (every document holds their words; those where they stand together, or in the
        # title, come first), thematics by any of their French words; the documents that say
        # part of an expression by any of its words
        if all(c.expression for c in concepts):
            french = " ".join(c.expression for c in concepts)
        else:
            french = " OU ".join(
                dict.fromkeys(w for c in concepts for t in c.french for w in t.split())
            )
        # each part ranked a page at a time (ranking.Banded): the thousands of documents on a
        # concept at 20,000 documents were all scored, their phrases checked, for one page
        by_french = self._ranking(view, french, extra, work)
        by_name: Ranking | None = None
        if named:
            # those that name the concept in another language, by how they name it
            names = labels_query(
                [[terms for _, terms in c.labels] for c in concepts if c.expression], DESCRIPTIVE
            )
            if names is not None:
                work.searches += 1
                results = view.searcher.search(names, limit=None, filter=named, terms=False)
                by_name = table_ranking(
                    {docnum: float(score or 0.0) for score, docnum in results.top_n}
                )
        by_near: Ranking | None = None
        if near:
            words = dict.fromkeys(w for c in concepts for t in c.french for w in parse(t).words())
            by_near = self._ranking(view, " OU ".join(words), near, work)
        # Exact matches: in the query's language, with its words together when there are
        # several ("youth employment" in a title, not "youth" on one page and "employment" on
        # another). They come first, then the French documents on the concept, then the other
        # matches (scattered words, a third language sharing a stem), then French documents
        # that only shared a stem with the query.
        own = scored if isinstance(scored, Ranking) else Ranking(list(scored))
        matches = own.ids
        languages = query_languages(parsed.words(), concepts)
        together = self._compiler.together(parsed) if len(parsed.required) > 1 else None
        close = set(foreign)
        if together is not None:
            work.searches += 1
            close = matching_ids(view.searcher, together, foreign)
        exact = {d for d in matches & close if _language(rows[d]) in languages}
        # of those, the ones whose title or keywords say the query lead; those that say it in
        # their abstract or text only come after the documents that name the concept
        spelt = " ".join(parsed.words())
        spoken = labels_query(
            [[terms for lang in sorted(languages) if (terms := tuple(analyze(spelt, lang)))]],
            NAMED_IN,
        )
        in_text: set[int] = set()
        if spoken is not None and exact:
            work.searches += 1
            about = set(view.searcher.docs_for_query(spoken))
            in_text = exact - about
            exact = exact & about
        exact_ids = exact | in_text
        named -= exact_ids
        loose = {d for d in matches if d in foreign and d not in exact_ids and d not in named}
        stray = {d for d in matches if d not in foreign and d not in found}
        # likewise the French documents on a precise concept: those whose title, abstract or
        # keywords say its expression first; those that mention it in their text come after
        # the documents that name it in another language (when some say it so)
        mentioned: set[int] = set()
        if extra and all(c.expression for c in concepts):
            described = self._compiler.described(parse(french), view.searcher.reader())
            if described is not None:
                work.searches += 1
                mentioned = extra - set(view.searcher.docs_for_query(described))
                if mentioned == extra:
                    mentioned = set()
        apart = self._apart(view, concepts, french, mentioned, work)
        mentioned -= apart
        headed, named_headed = (
            (set(), set())
            if also  # French words as well: their documents join the French tier below
            else self._headed(view, concepts, french, extra - mentioned, named, work)
        )
        extra_, named_, mentioned_, near_, headed_, named_headed_, apart_ = (
            Tier(members, source)
            for members, source in (
                (extra - mentioned - headed - apart, by_french),
                (named - named_headed, by_name),
                (mentioned, by_french),
                (near, by_near),
                (headed, by_french),
                (named_headed, by_name),
                (apart, by_french),
            )
        )
        # what a document is about before what it mentions, whatever its language: a document
        # that names the concept in another language in its title or keywords comes before the
        # French documents that only say it in their abstract ("vivienda social": « Social
        # housing in the Eastern Caribbean… » before a report whose summary cites the
        # « logement social » of a quarter)
        # a text where the expression's words only occur apart ("évaluation" on one page,
        # "politiques" and "publiques" on others) does not mention it: it comes after the
        # documents on its thematic that say part of it
        exact_, in_text_ = Tier(exact, own), Tier(in_text, own)
        tiers = [
            exact_,
            headed_,
            named_headed_,
            extra_,
            named_,
            in_text_,
            mentioned_,
            near_,
            apart_,
        ]
        if not (
            headed_.members
            or named_headed_.members
            or extra_.members
            or named_.members
            or mentioned_.members
        ):
            # no document says the concept: those on its thematic that say part of it come
            # before a passing mention of the query's words in a text ("youth council" in a
            # report on an exchange: « conseil local de la jeunesse » first)
            tiers = [exact_, near_, in_text_, apart_]
        if also:
            # French words as well ("public transport"): their French documents and the
            # translation's, each scored against its own best, make one tier
            as_french = Tier({d for d in stray if _language(rows[d]) == "fr"}, own)
            merged = _merged(as_french.all(), tiers[3].all())
            tiers[3] = Tier({d for d, _ in merged}, Ranking(merged))
            stray = {d for d in stray if _language(rows[d]) != "fr"}
        tiers += [Tier(loose, own), Tier(stray, own)]
        best = own.top(None, 1)
        top = max(best[0][1], 0.0) if best else 1.0
        return matched | found, Banded(tiers, top), True

    def _apart(
        self, view: View, concepts: list[Concept], french: str, mentioned: set[int], work: Work
    ) -> set[int]:
        """Of the documents that hold a precise concept's French expression in their text only,
        those where its words never stand together."""
        if len(concepts) != 1 or not mentioned:
            return set()
        parsed = parse(french)
        if len(parsed.required) < SCATTERED:
            return set()  # two words in one text mostly say the expression, or a synonym of it
        together = self._compiler.together(parsed)
        if together is None:
            return set()
        work.searches += 1
        return mentioned - matching_ids(view.searcher, together, mentioned)

    def _headed(
        self,
        view: View,
        concepts: list[Concept],
        french: str,
        described: set[int],
        named: set[int],
        work: Work,
    ) -> tuple[set[int], set[int]]:
        """Of the French documents that describe the concepts and of those that name them in
        another language, the ones whose title or keywords do (what they are about); nothing
        apart when no named document does (the French order stays as scored)."""
        if not named or not all(c.expression for c in concepts):
            return set(), set()
        names = labels_query([[terms for _, terms in c.labels] for c in concepts], NAMED_IN)
        if names is None:
            return set(), set()
        work.searches += 1
        named_headed = matching_ids(view.searcher, names, named)
        if not named_headed:
            return set(), set()
        headed: set[int] = set()
        said = self._compiler.described(parse(french), view.searcher.reader(), NAMED_IN)
        if said is not None and described:
            work.searches += 1
            headed = matching_ids(view.searcher, said, described)
        return headed, named_headed

    def _ranking(self, view: View, french: str, among: set[int], work: Work) -> Ranking | None:
        """A French query's ranking, to be asked for these documents only (None when there
        are none)."""
        query, _, _, _ = self._compiler.compile(parse(french), view.searcher.reader(), work)
        if query is None or not among:
            return None
        work.searches += 1
        # the ranking's scores are the collector's, to the bit; its phrases are checked on
        # the documents a page asks for only
        return ranked(view.searcher, query)

    def _concept_neighbours(
        self, view: View, concept: Concept, bitmaps, work: Work
    ) -> tuple[int, int]:
        """Bitmaps of the documents near a precise concept: those that hold one of its English
        or Spanish names (phrases, any field), and those on its thematic that hold a word of
        its French expression."""
        reader = view.searcher.reader()
        named = near = 0
        # named in the title, subtitle, abstract or keywords: what the document is about
        query = labels_query(
            [[terms for _, terms in concept.labels]], ("title", "subjects", "meta")
        )
        if query is not None:
            work.searches += 1
            named = facets_bitmap(matching_ids(view.searcher, query), bitmaps.size)
        words = dict.fromkeys(w for t in concept.french for w in parse(t).words())
        anyword, _, _, _ = self._compiler.compile(parse(" OU ".join(words)), reader, work)
        if anyword is not None and concept.slug:
            work.searches += 1
            near = facets_bitmap(matching_ids(view.searcher, anyword), bitmaps.size)
            near &= bitmaps.selection("theme", (concept.slug,), {}, _year_in)
        return named, near

    def _abroad(
        self,
        view: View,
        concepts: list[Concept],
        matched: set[int],
        scored: Scored,
        sort: str,
        work: Work,
    ) -> tuple[set[int], Scored, bool]:
        """A French query that spells precise concepts' French expressions: add the English and
        Spanish documents that hold their English or Spanish names, after every French match
        ("rénovation urbaine" -> "urban renewal", "renovación urbana"; one more pass)."""
        query = labels_query([[terms for _, terms in c.labels] for c in concepts])
        if query is None:
            return matched, scored, False
        work.searches += 1
        rows = view.rows
        results = view.searcher.search(query, limit=None, terms=False)
        extra = [
            (docnum, float(score or 0.0))
            for score, docnum in results.top_n
            if docnum not in matched and _language(rows[docnum]) in ("en", "es")
        ]
        if not extra:
            return matched, scored, False
        added = {d for d, _ in extra}
        if sort != "relevance":
            return matched | added, scored, True
        if isinstance(scored, Ranking):  # ranked a page at a time: every match only when a
            # page reaches the tail (3,900 French matches of « médiation sociale » at 20,000
            # documents were all ranked, to find the lowest score, for the first page)
            return matched | added, Then(scored, extra), True
        floor = min((s for _, s in scored), default=1.0)
        top = max(s for _, s in extra) or 1.0
        tail = [(d, floor * 0.5 * (0.5 + 0.5 * s / top)) for d, s in extra]
        return matched | added, scored + tail, True

    def _spells_vocabulary(
        self, candidate: list[Concept], words: Sequence[str], typed: str = ""
    ) -> bool:
        """Whether a word-by-word translation knew every word of the query and spells a French
        expression of the vocabulary that the query's own French words do not ("resident
        participation" -> « participation habitant », the vocabulary's « participation des
        habitants »; not "social mediation", which is « médiation sociale » already)."""
        if len(candidate) != 1 or not candidate[0].labels or self._lexicon is None:
            return False
        if _FRENCH_ONLY.intersection(typed.casefold()):
            # spelt as only French writes ("âgées", whose English stem is that of "ageing",
            # « vieillissement »): the query is French
            return False
        translated = candidate[0]
        if any(self._lexicon.translate(words, translated.labels[0][0]).kept):
            return False  # a word the lexicon does not know: no sure reading
        expression = set(analyze(translated.expression, "fr"))
        if frozenset(expression) not in self._expressions:
            return False
        own = set(analyze(" ".join(words), "fr")) | {s for w in words for s in family_stems(w)}
        return not expression <= own

    def _expression_bits(self, view: View, expression: str, size: int, work: Work) -> int:
        """The documents holding every word of a French expression (its inflections too)."""
        query, _, _, _ = self._compiler.compile(parse(expression), view.searcher.reader(), work)
        if query is None:
            return 0
        work.searches += 1
        return facets_bitmap(matching_ids(view.searcher, query), size)

    def _empty_help(
        self,
        view: View,
        parsed: ParsedQuery,
        matched: set[int],
        before_exclusion: set[int],
        selections: dict[str, int],
        relaxed: bool,
        work: Work,
    ) -> EmptyHelp:
        """Why nothing was found, from what this search already computed (no other search):
        filters and exclusions by bitmap arithmetic, unknown words from the relaxed pass."""
        bitmaps = view.facet_bitmaps()
        matched_bits = facets_bitmap(matched, bitmaps.size)
        without_filter = []
        for name in selections:
            base = matched_bits
            for other, bits in selections.items():
                if other != name:
                    base &= bits
            count = base.bit_count()
            if count:
                without_filter.append((name, count))
        every_filter = -1  # all bits set
        for bits in selections.values():
            every_filter &= bits
        filtered = bool(selections)
        # Nothing matched even once relaxed to any word (the relaxed pass ran when there were
        # several words): then no word of the query is in any document. When the relaxed pass
        # found some, each word is looked up in the lexicon (no pass over the postings).
        groups = parsed.required[:MAX_UNKNOWN]
        if not before_exclusion:
            unknown = [_typed(g) for g in groups]
        elif relaxed:
            reader = view.searcher.reader()
            unknown = [_typed(g) for g in groups if not self._known(g, reader, work)]
        else:
            unknown = []
        return EmptyHelp(
            without_filters=len(matched) if filtered else 0,
            without_filter=tuple(without_filter),
            without_exclusions=(
                (facets_bitmap(before_exclusion, bitmaps.size) & every_filter).bit_count()
                if parsed.excluded and before_exclusion
                else 0
            ),
            unknown=tuple(u for u in unknown if u),
        )

    def _known(self, group: Alternatives, reader, work: Work) -> bool:
        """Whether any document holds a term of the group: lexicon lookups only (a prefix is
        known when it expands to anything; words when a stem of theirs is indexed)."""
        for option in group.options:
            if isinstance(option, Prefix):
                work.scanned += 1
                if any(
                    next(iter(reader.expand_prefix(f, option.prefix)), None) is not None
                    for f in FIELDS
                ):
                    return True
                continue
            single = ParsedQuery((Alternatives((option,)),))
            query, _, _, _ = self._compiler.compile(single, reader, work)
            if query is not None and any(
                reader.doc_frequency(f, t) > 0 for f, t in query.iter_all_terms()
            ):
                return True
        return False

    @staticmethod
    def _match(searcher, query: wq.Query, sort: str, work: Work) -> tuple[set[int], Scored]:
        """The matching documents, and when ranked by relevance their scores, best first.

        Ranked: one scored pass over every match, not an unscored pass for the facets and a
        second, scored one for the page (whoosh reads and decodes the postings each time)."""
        work.searches += 1
        if sort != "relevance":
            if isinstance(query, Bonus):  # the bonus changes the order, not the matches
                query = query.a
            return matching_ids(searcher, query), []
        scored = ranked(searcher, query)
        return scored.ids, scored

    def _rank(
        self, view, scored: Scored, final: set[int], sort: str, stop: int
    ) -> list[tuple[int, float]]:
        if not final or stop <= 0:
            return []
        if sort == "relevance" and scored:
            if isinstance(scored, Ranking):
                return scored.top(final, stop)
            ranked = []
            for docnum, score in scored:  # best first already
                if docnum in final:
                    ranked.append((docnum, score))
                    if len(ranked) >= stop:
                        break
            return ranked
        rows = view.rows
        if sort == "title":
            key = lambda d: (rows[d].title_key, rows[d].id)  # noqa: E731
        elif sort == "oldest":
            key = lambda d: (rows[d].year or 9999, rows[d].id)  # noqa: E731
        else:  # newest
            key = lambda d: (-(rows[d].year or 0), -rows[d].id)  # noqa: E731
        return [(d, 0.0) for d in heapq.nsmallest(stop, final, key=key)]

    def more_like(
        self, record_id: int, text: str, language: str, limit: int = 5
    ) -> list[tuple[int, float]]:
        """Records close to one: its most distinctive terms (tf-idf) as a ranked OR query."""
        with self._admission.turn(), self._lock:
            view = self._fresh_view()
            searcher = view.searcher
            reader = searcher.reader()
            total = max(1, searcher.doc_count())
            counts = Counter(analyze(text[:30_000], language))
            scored = []
            for term, tf in counts.items():
                df = reader.doc_frequency("body", term) + reader.doc_frequency("title", term)
                if df <= 1 or df > total * 0.5 or len(term) < 3 or term.isdigit():
                    continue
                scored.append((tf * _idf(total, df), term))
            top = [t for _, t in heapq.nlargest(25, scored)]
            if not top:
                return []
            query = AnyOf(
                [wq.Term(f, t, boost=FIELD_BOOSTS[f]) for t in top for f in ("title", "body")]
            )
            own = view.by_id.get(record_id)
            mask = {own} if own is not None else None
            results = searcher.search(query, limit=limit, mask=mask, terms=False)
            return [(view.rows[h.docnum].id, float(h.score or 0.0)) for h in results]

    def _suggest(self, parsed: ParsedQuery, searcher, work: Work) -> str | None:
        """'Vouliez-vous dire…?': each query word the fund does not hold replaced by the closest
        one it holds, written as the fund writes it ("médiation", not "mediation"); the other
        words as typed. The first MAX_CORRECTIONS unknown words are looked up, no more."""
        reader = searcher.reader()
        corrector = searcher.corrector("spell")
        changed = False
        out = []
        for folded, typed in _query_words(parsed)[: MAX_CLAUSES * 2]:
            if (
                reader.doc_frequency("spell", folded) > 0
                or len(folded) < 4
                or folded.isdigit()
                or work.corrections >= MAX_CORRECTIONS
            ):
                out.append(typed)
                continue
            work.corrections += 1
            found = [
                w
                for w in corrector.suggest(folded, limit=3, maxdist=2, prefix=1)
                if FORM_MARK not in w
            ]
            if found and found[0] != folded:
                out.append(_written(reader, found[0]))
                changed = True
            else:
                out.append(typed)
        return " ".join(out) if changed else None


def _language(row: Row | None) -> str:
    return row.language if row is not None else ""


def _merged(*lists: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Lists of (docnum, score) as one, best first, each score taken against its list's best
    (a document in several lists keeps its best); on a tie, the earlier list first."""
    best: dict[int, tuple[float, int]] = {}
    for rank, scored in enumerate(lists):
        top = max((s for _, s in scored), default=0.0) or 1.0
        for docnum, score in scored:
            mine = (max(score, 0.0) / top, -rank)
            best[docnum] = max(best.get(docnum, mine), mine)
    ordered = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    return [(docnum, value) for docnum, (value, _) in ordered]


def _idf(total: int, df: int) -> float:
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


def _hit(
    row: Row | None,
    score: float,
    availability: Mapping[int, tuple[str, ...]],
    *,
    partial: bool = False,
) -> Hit:
    assert row is not None
    return Hit(
        id=row.id,
        score=score,
        partial=partial,
        year=row.year,
        doc_type=row.doc_type,
        support=row.support,
        language=row.language,
        themes=row.themes,
        authors=row.authors,
        has_file=row.has_file,
        availability=_availability(row, availability),
    )


def _availability(row: Row, availability: Mapping[int, tuple[str, ...]]) -> tuple[str, ...]:
    values = tuple(availability.get(row.id, ()))
    return values + ("en-ligne",) if row.has_file else values


def _row_values(
    row: Row, facet: str, availability: Mapping[int, tuple[str, ...]]
) -> tuple[str, ...]:
    if facet == "theme":
        return row.themes
    if facet == "type":
        return (row.doc_type,)
    if facet == "support":
        return (row.support,)
    if facet == "year":
        return (str(row.year),) if row.year else ()
    if facet == "language":
        return (row.language,)
    if facet == "author":
        return row.authors
    return _availability(row, availability)


def _year_in(year: int, value: str) -> bool:
    value = value.strip()
    if "-" in value:
        low, _, high = value.partition("-")
        try:
            return int(low) <= year <= int(high)
        except ValueError:
            return False
    return value.isdigit() and int(value) == year


def _facet(
    view: View,
    matched: set[int],
    request: SearchRequest,
    availability: Mapping[int, tuple[str, ...]],
) -> tuple[set[int], dict[str, tuple[FacetCount, ...]], dict[str, int]]:
    """Apply the facet filters (OR within a facet, AND across facets) and count every facet.

    A facet with a selection is counted over the hits of all *other* filters, so each of its
    values shows how many documents choosing it alone would give. Runs on bitmaps (facets.py)."""
    bitmaps = view.facet_bitmaps()
    available = bitmaps.availability(availability, view.by_id)
    filters = {name: values for name, values in request.filters().items() if values}
    matched_bits = facets_bitmap(matched, bitmaps.size)
    selections = {
        name: bitmaps.selection(name, values, available, _year_in)
        for name, values in filters.items()
    }
    passing = {name: matched_bits & bits for name, bits in selections.items()}
    final_bits = matched_bits
    for bits in passing.values():
        final_bits &= bits
    facets: dict[str, tuple[FacetCount, ...]] = {}
    for facet in FACETS:
        base = final_bits
        if facet in filters:
            base = matched_bits
            for other, bits in passing.items():
                if other != facet:
                    base &= bits
        counts = count_facet(
            bitmaps,
            facet,
            base,
            available,
            view.rows,
            lambda row, name: _row_values(row, name, availability),
        )
        facets[facet] = _facet_values(facet, counts, set(filters.get(facet, ())))
    final = matched if final_bits == matched_bits else set(members(final_bits))
    return final, facets, selections


def _facet_values(facet: str, counts: Counter[str], selected: set[str]) -> tuple[FacetCount, ...]:
    if facet == "year":
        ordered = sorted(counts.items(), key=lambda kv: kv[0], reverse=True)
    elif facet == "available":
        ordered = [(v, counts[v]) for v in AVAILABILITY if counts[v]]
    else:
        limit = FACET_LIMITS.get(facet)
        if limit:  # heapq.nsmallest: sorted(...)[:limit] without sorting every value
            ordered = heapq.nsmallest(limit, counts.items(), key=lambda kv: (-kv[1], kv[0]))
        else:
            ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = {v for v, _ in ordered}
    values = [FacetCount(v, n, selected=v in selected) for v, n in ordered]
    # A selected value stays visible (with its count, maybe 0) so it can be removed.
    values += [
        FacetCount(v, _selected_count(facet, v, counts), selected=True)
        for v in sorted(selected - shown)
    ]
    return tuple(values)


def _selected_count(facet: str, value: str, counts: Counter[str]) -> int:
    """A selected year range ("2000-2009") counts the years it spans, like clicking it gives."""
    if facet == "year" and "-" in value:
        return sum(n for year, n in counts.items() if year.isdigit() and _year_in(int(year), value))
    return counts.get(value, 0)
