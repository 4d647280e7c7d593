"""What the index holds for one record, built from the catalogue without the engine.

The heavy part, the analysis of the full text, can be done ahead (in the extraction
workers) and passed in as `text_terms`, so the index writer never analyses text twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from library import Record
from library.text import sort_key

from ..analysis import analyze, fold, normalise_language, stem_words, words

ABSTRACT_FIELDS_LIMIT = 20_000  # characters of abstract/keywords analysed per record
FORM_MARK = "="  # "folded=accented" in the spell field
_LETTERS = re.compile(r"[^\W\d_]{4,}")


def accented_forms(text: str) -> set[str]:
    """'folded=accented' for each word of `text` written with accents ('mediation=médiation')."""
    out = set()
    for word in _LETTERS.findall(text.lower()):
        if word.isascii():
            continue  # nothing to fold
        folded = fold(word)
        if folded != word and len(folded) == len(word):
            out.add(f"{folded}{FORM_MARK}{word}")
    return out


@dataclass(frozen=True, slots=True)
class IndexDocument:
    id: int
    rev: int
    language: str  # analysis language (fr, en, es)
    title_terms: str  # space-separated analysed terms
    meta_terms: str  # subtitle, authors, abstract, territories, publisher, call number
    subject_terms: str  # the keywords: what the record is about, weighed apart (few words)
    body_terms: str
    spell_words: str  # distinct folded words, for spelling suggestions, and their accented
    # forms as "folded=accented" (a suggestion is shown as the fund writes it: "médiation")
    # Facets and sorting
    year: int | None
    doc_type: str
    support: str
    doc_language: str  # the record's language code as catalogued
    themes: tuple[str, ...]
    authors: tuple[str, ...]
    has_file: bool
    title_key: str


def build_document(
    record: Record, text: str, text_terms: Sequence[str] | str | None = None
) -> IndexDocument:
    """The index entry of a record; `text_terms` = analyze(text, language) when already known
    (a list, or the terms joined by spaces)."""
    if record.id is None:
        raise ValueError("a record must be stored before it is indexed")
    lang = normalise_language(record.language)
    meta = " ".join(
        [
            record.subtitle,
            " ".join(a.display for a in record.authors),
            " ".join(record.name_variants),  # other forms of its authorities' names
            record.abstract,
            " ".join(record.territories),
            record.publisher,
            record.call_number,
            record.isbn.replace("-", ""),
            record.issn,
            record.host.title if record.host else "",  # an article: its periodical's title
        ]
    )[:ABSTRACT_FIELDS_LIMIT]
    if isinstance(text_terms, str):
        body_terms = text_terms
    else:
        body_terms = " ".join(text_terms if text_terms is not None else analyze(text, lang))
    subjects = " ".join(record.keywords)[:ABSTRACT_FIELDS_LIMIT]
    title_words, meta_words = words(record.title, lang), words(meta, lang)
    subject_words = words(subjects, lang)
    spell = dict.fromkeys(title_words)
    spell.update(dict.fromkeys(meta_words))
    spell.update(dict.fromkeys(subject_words))
    return IndexDocument(
        id=record.id,
        rev=record.rev,
        language=lang,
        title_terms=" ".join(stem_words(title_words, lang)),
        meta_terms=" ".join(stem_words(meta_words, lang)),
        subject_terms=" ".join(stem_words(subject_words, lang)),
        body_terms=body_terms,
        spell_words=" ".join(
            [w for w in spell if not w.isdigit()]
            + sorted(accented_forms(" ".join((record.title, meta, subjects))))
        ),
        year=record.year,
        doc_type=str(record.doc_type),
        support=str(record.support),
        doc_language=record.language or "und",
        themes=record.theme_slugs,
        authors=tuple(a.name for a in record.authors),
        has_file=record.file is not None,
        title_key=sort_key(record.title),
    )
