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

from ..analysis import analysed, analyze, fold, normalise_language

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


def meta_parts(record: Record) -> list[str]:
    """The texts of a record the `meta` field holds, in order (joined by spaces)."""
    return [
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


def build_document(
    record: Record, text: str, text_terms: Sequence[str] | str | None = None
) -> IndexDocument:
    """The index entry of a record; `text_terms` = analyze(text, language) when already known
    (a list, or the terms joined by spaces)."""
    if record.id is None:
        raise ValueError("a record must be stored before it is indexed")
    lang = normalise_language(record.language)
    parts = meta_parts(record)
    meta = " ".join(parts)
    if isinstance(text_terms, str):
        body_terms = text_terms
    else:
        body_terms = " ".join(text_terms if text_terms is not None else analyze(text, lang))
    title_words, title_terms = analysed(record.title, lang)
    meta_words, meta_terms = _analysed_parts(parts, meta, lang)
    subjects = " ".join(record.keywords)
    subject_words, subject_terms = _analysed_parts(record.keywords, subjects, lang)
    meta, subjects = meta[:ABSTRACT_FIELDS_LIMIT], subjects[:ABSTRACT_FIELDS_LIMIT]
    spell = dict.fromkeys(title_words)
    spell.update(dict.fromkeys(meta_words))
    spell.update(dict.fromkeys(subject_words))
    return IndexDocument(
        id=record.id,
        rev=record.rev,
        language=lang,
        title_terms=" ".join(title_terms),
        meta_terms=" ".join(meta_terms),
        subject_terms=" ".join(subject_terms),
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


def _analysed_parts(parts: Sequence[str], joined: str, lang: str) -> tuple[list[str], list[str]]:
    """(words, terms) of `joined` = the parts joined by spaces, cut to ABSTRACT_FIELDS_LIMIT.
    No word spans the space between two parts, so uncut it is the parts analysed one by one:
    each is then remembered (`analysed`), as the abstract is from tagging the record and a
    keyword from the records before."""
    if len(joined) > ABSTRACT_FIELDS_LIMIT:
        return analysed(joined[:ABSTRACT_FIELDS_LIMIT], lang)
    found: list[str] = []
    terms: list[str] = []
    for part in parts:
        if part:
            part_words, part_terms = analysed(part, lang)
            found += part_words
            terms += part_terms
    return found, terms
