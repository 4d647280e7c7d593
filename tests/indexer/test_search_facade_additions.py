"""What the web front end needed from the search facade: expansions highlighted, year ranges
counted like clicking them gives."""

from __future__ import annotations

import pytest

from indexer.search import Finder, SearchIndex, SearchRequest, sync_index
from indexer.search.snippets import make_snippet, match_pattern
from library import Catalogue, Record


def marked(snippet: str, spans) -> list[str]:  # type: ignore[no-untyped-def]
    return [snippet[s:e] for s, e in spans]


@pytest.fixture
def finder(instance):  # type: ignore[no-untyped-def]
    catalogue = Catalogue.in_instance(instance)
    texts = {
        2003: "Les entreprises implantées en zone franche urbaine recrutent peu dans le quartier.",
        2007: "Le bilan de la ZFU du Lamentin et des contrats urbains de cohésion sociale.",
        2008: "Rapport sur le logement social.",
        2012: "Rapport sur le logement social et la vie des quartiers.",
    }
    for year, text in texts.items():
        catalogue.add(Record(title=f"Étude {year}", year=year), text=text)
    index = SearchIndex.open(instance / "index")
    index.set_equivalences([("ZFU", "zones franches urbaines")])
    sync_index(catalogue, index)
    yield Finder(catalogue, index)
    index.close()
    catalogue.close()


def test_an_acronym_query_highlights_its_expansion_in_the_snippet(finder) -> None:  # type: ignore[no-untyped-def]
    page = finder.search(SearchRequest(q="ZFU"))
    by_year = {h.year: h for h in page.hits}
    assert marked(by_year[2003].snippet, by_year[2003].highlights) == ["zone franche urbaine"]
    assert marked(by_year[2007].snippet, by_year[2007].highlights) == ["ZFU"]


def test_an_expansion_query_highlights_the_acronym(finder) -> None:  # type: ignore[no-untyped-def]
    page = finder.search(SearchRequest(q="zones franches urbaines"))
    by_year = {h.year: h for h in page.hits}
    assert "ZFU" in marked(by_year[2007].snippet, by_year[2007].highlights)


def test_expansion_words_alone_are_not_highlighted() -> None:
    pattern = match_pattern(["zfu", "zones franches urbaines"])
    text = "Un contrat urbain, une zone. Puis la zone franche urbaine."
    snippet, spans = make_snippet(text, pattern)
    assert marked(snippet, spans) == ["zone franche urbaine"]


def test_expressions_match_across_short_words() -> None:
    snippet, spans = make_snippet("Le contrat de ville signé.", match_pattern(["contrat ville"]))
    assert marked(snippet, spans) == ["contrat de ville"]


def test_a_selected_year_range_counts_the_years_it_spans(finder) -> None:  # type: ignore[no-untyped-def]
    page = finder.search(SearchRequest(years=("2000-2009",)))
    assert page.total == 3
    year_facet = {f.value: f for f in page.facets["year"]}
    assert year_facet["2000-2009"].count == 3 and year_facet["2000-2009"].selected
    # the other years keep the count choosing them alone would give
    assert year_facet["2012"].count == 1


def test_a_relaxed_query_still_expands_acronyms(finder) -> None:  # type: ignore[no-untyped-def]
    page = finder.search(SearchRequest(q="ZFU logement"))
    assert page.relaxed
    assert {h.year for h in page.hits} == {2003, 2007, 2008, 2012}


def test_an_acronym_among_alternatives_is_expanded(finder) -> None:  # type: ignore[no-untyped-def]
    page = finder.search(SearchRequest(q="ZFU OU logement"))
    assert {h.year for h in page.hits} == {2003, 2007, 2008, 2012}


def test_a_snippet_finds_a_match_deep_in_a_long_text() -> None:
    text = "Rapport introductif sans rapport. " * 4000 + "La médiation sociale au quartier."
    snippet, spans = make_snippet(text, match_pattern(["médiation"]))
    assert marked(snippet, spans) == ["médiation"] and len(text) > 130_000


def test_a_snippet_marks_words_as_written_whatever_their_accents_case_and_spacing() -> None:
    text = "Bilan   de  l'ÉDUCATION\n\n prioritaire :  une Éducation populaire, des éducateurs."
    snippet, spans = make_snippet(text, match_pattern(["education"]))
    assert marked(snippet, spans) == ["ÉDUCATION", "Éducation", "éducateurs"]
    assert "  " not in snippet and "\n" not in snippet


def test_a_snippet_prefers_the_window_with_the_most_distinct_words() -> None:
    text = ("jeunes " * 30) + ("x " * 300) + "les jeunes et l'emploi des jeunes " + ("y " * 300)
    snippet, spans = make_snippet(text, match_pattern(["jeunes", "emploi"]))
    assert "emploi" in [w.lower() for w in marked(snippet, spans)]


def test_facet_bitmaps_count_like_reading_every_document() -> None:
    """Both ways of counting (bitmap per value, or reading the base's documents when a facet
    has more values than the base has documents) give the plain count."""
    import random
    from collections import Counter
    from types import SimpleNamespace

    from indexer.search.facets import FacetBitmaps, bitmap, count, members

    rng = random.Random(3)
    authors = [f"Auteur {i}" for i in range(300)]
    rows = [
        None
        if rng.random() < 0.05
        else SimpleNamespace(
            id=d + 1,
            year=rng.choice([None, 2005, 2009, 2012]),
            doc_type="rapport",
            support="papier",
            language="fr",
            themes=tuple(rng.sample(["a", "b", "c"], 2)),
            authors=tuple(rng.sample(authors, rng.randint(0, 3))),
            has_file=rng.random() < 0.5,
        )
        for d in range(1000)
    ]
    bitmaps = FacetBitmaps(rows)
    available = bitmaps.availability({}, {})
    live = [d for d, row in enumerate(rows) if row is not None]
    for size in (3, 40, 900):
        base_docs = sorted(rng.sample(live, size))
        base = bitmap(base_docs, len(rows))
        assert members(base) == base_docs
        for facet, values_of in (("author", lambda r: r.authors), ("theme", lambda r: r.themes)):
            expected = Counter(v for d in base_docs for v in values_of(rows[d]))
            got = count(
                bitmaps, facet, base, available, rows, lambda row, name: getattr(row, name + "s")
            )
            assert got == expected, (facet, size)


def test_a_three_letter_prefix_searches_its_most_frequent_words(instance) -> None:  # type: ignore[no-untyped-def]
    """'par*' expands to its 16 most frequent words: the common ones are found, a word seen
    once among many is left to a longer prefix."""
    catalogue = Catalogue.in_instance(instance)
    common = [f"par{chr(97 + i)}{chr(97 + j)}" for i in range(5) for j in range(4)]  # 20 words
    for n, word in enumerate(common):
        for copy in range(30 - n):  # the first words are the most frequent
            catalogue.add(Record(title=f"Document {n}-{copy}"), text=f"{word} quartier")
    catalogue.add(Record(title="Le rare"), text="parzz quartier")
    index = SearchIndex.open(instance / "index")
    sync_index(catalogue, index)
    finder = Finder(catalogue, index)
    found = {h.title for h in finder.search(SearchRequest(q="par*", per_page=1000)).hits}
    assert "Document 0-0" in found and "Le rare" not in found
    assert finder.search(SearchRequest(q="parz*")).total == 1
    index.close()
    catalogue.close()


def test_phrases_find_exactly_the_documents_where_the_words_follow_each_other(instance) -> None:  # type: ignore[no-untyped-def]
    import random

    from indexer.analysis import analyze

    rng = random.Random(11)
    vocabulary = ["maison", "jardin", "quartier", "école", "route", "marché"]
    catalogue = Catalogue.in_instance(instance)
    texts = {}
    for n in range(120):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 40)))
        texts[catalogue.add(Record(title=f"Document {n}"), text=text).id] = analyze(text)
    index = SearchIndex.open(instance / "index")
    sync_index(catalogue, index)
    finder = Finder(catalogue, index)
    for _ in range(25):
        words = rng.sample(vocabulary, rng.choice((2, 3)))
        stems = analyze(" ".join(words))
        expected = {
            record_id
            for record_id, terms in texts.items()
            if any(terms[i : i + len(stems)] == stems for i in range(len(terms)))
        }
        page = finder.search(SearchRequest(q='"' + " ".join(words) + '"', per_page=200))
        assert {h.id for h in page.hits} == expected, words
        assert page.total == len(expected)
    index.close()
    catalogue.close()
