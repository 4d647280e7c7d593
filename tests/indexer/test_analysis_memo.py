"""The analysis of a text is remembered within a run (an import tags a record's title and
abstract, then indexes them): what is remembered must give exactly what analysing again would."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import analysis
from indexer.analysis import STOP_WORDS, analysed, analyze, stem_words, words
from indexer.search.documents import (
    ABSTRACT_FIELDS_LIMIT,
    accented_forms,
    build_document,
    meta_parts,
)
from library import Author, Record, Series

TEXTS = [
    "L'évaluation du C.U.C.S. de Saint-SauveurMunicipalité",
    "Œuvres ÉVALUÉES d’aujourd’hui, qu'il s'agisse des quartiers",
    "ΟΔΟΣ ΑΘΗΝΑΣ Σ' ΑΥΤΟΝ",
    "都市计划 政策 cité",
    "A.B. 2024 x",
    "",
    "  ",
    "de la",
]


def _fresh(text: str, lang: str) -> tuple[list[str], list[str]]:
    found = analysis._words(text, STOP_WORDS[lang])
    return found, stem_words(found, lang)


@pytest.mark.parametrize("lang", ["fr", "en", "es"])
def test_a_remembered_analysis_is_the_analysis_and_a_copy(lang):
    for text in TEXTS:
        expected = _fresh(text, lang)
        first = analysed(text, lang)
        first[0].append("changed")
        first[1].clear()
        assert analysed(text, lang) == expected  # from the memo, untouched by the caller
        assert (words(text, lang), analyze(text, lang)) == expected


def test_the_memo_keeps_under_its_bound_dropping_the_oldest(monkeypatch):
    monkeypatch.setattr(analysis, "_memo", {})
    monkeypatch.setattr(analysis, "_memo_chars", 0)
    monkeypatch.setattr(analysis, "_MEMO_CHARS_LIMIT", 2_000)
    texts = [f"rapport numéro {i} sur la politique de la ville" for i in range(200)]
    for text in texts:
        assert analysed(text, "fr") == _fresh(text, "fr")
    kept = analysis._memo
    assert 0 < len(kept) < 200 and (texts[-1], "fr") in kept and (texts[0], "fr") not in kept
    size = sum(len(t) + len(w) + len(s) for (t, _), (w, s) in kept.items())
    assert analysis._memo_chars == size <= 2_000
    long_text = "évaluation " * 500  # over the length remembered
    assert analysed(long_text, "fr") == _fresh(long_text, "fr")
    assert (long_text, "fr") not in kept


def _reference(record: Record) -> tuple[str, str, str, str]:
    """Title, meta and subject terms and the spelling words, analysed from the joined texts
    (the memo not used)."""
    lang = analysis.normalise_language(record.language)
    meta = " ".join(meta_parts(record))[:ABSTRACT_FIELDS_LIMIT]
    subjects = " ".join(record.keywords)[:ABSTRACT_FIELDS_LIMIT]
    analyses = [_fresh(t, lang) for t in (record.title, meta, subjects)]
    spell = dict.fromkeys(w for found, _ in analyses for w in found if not w.isdigit())
    accented = sorted(accented_forms(" ".join((record.title, meta, subjects))))
    title, meta_terms, subject_terms = (" ".join(terms) for _, terms in analyses)
    return title, meta_terms, subject_terms, " ".join([*spell, *accented])


@pytest.mark.parametrize(
    "record",
    [
        Record(
            id=1,
            title="L'évaluation du C.U.C.S.",
            subtitle="Rapport A.",
            authors=(Author("Dupont, Marie"), Author("Ville de Saint-Denis")),
            abstract="B.C. Saint-SauveurMunicipalité œuvre d’ici qu'",
            territories=("Île-de-France",),
            publisher="l'Harmattan",
            call_number="361 MED",
            isbn="978-2-07-036002-4",
            keywords=("cœur de ville", "C.U.C.S.", "qu'", "ΟΔΟΣ ΑΘΗΝΑΣ"),
            series=(Series("Études", "3"),),
        ),
        Record(
            id=2,
            title="Urban policy",
            language="en",
            abstract="The city's plans",
            keywords=("housing",),
        ),
        Record(id=3, title="都市计划", language="zh", abstract="政策 cité", keywords=("都市",)),
        Record(
            id=4,
            title="Long",
            abstract="quartier prioritaire " * (ABSTRACT_FIELDS_LIMIT // 10),
            keywords=tuple(f"mot{i} clé" for i in range(ABSTRACT_FIELDS_LIMIT // 5)),
        ),
    ],
)
def test_an_index_document_is_the_analysis_of_its_joined_texts(record):
    expected = _reference(record)
    for _ in range(2):  # the second time from what the first remembered
        doc = build_document(record, "")
        got = (doc.title_terms, doc.meta_terms, doc.subject_terms, doc.spell_words)
        assert got == expected


# -- the first tokens of a short window (tagging's evidence asks for thousands) -------------

_WINDOW_CHARS = st.sampled_from(
    list("aeéèEÉiïoôuùcçCQqlLsSdDœŒßﬁΣσ都市'’._-1 Aa") + ["\u0301", "ǅ", " de ", " la ", "\n"]
)


@settings(max_examples=300)
@given(
    text=st.lists(_WINDOW_CHARS, min_size=0, max_size=14).map("".join),
    lang=st.sampled_from(["fr", "en", "es"]),
    n=st.integers(min_value=1, max_value=4),
)
def test_the_first_tokens_are_the_tokenizers_first_tokens(text, lang, n):
    from itertools import islice

    from indexer.analysis import first_tokens, tokens

    assert first_tokens(text, lang, n) == list(islice(tokens(text, lang), n))


def test_the_first_tokens_of_plain_french():
    from indexer.analysis import first_tokens

    found = first_tokens("Prévention de la délinquance juvénile", "fr", 2)
    assert [(t.term, t.start, t.end) for t in found] == [("prevent", 0, 10), ("delinqu", 17, 28)]
