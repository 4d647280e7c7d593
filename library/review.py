"""What the documentalist should look at: records without thematic, with doubtful automatic
thematics, without text (to OCR), or with fields left empty. Also the duplicate candidates
shown before a record is saved."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from .catalogue import Catalogue
from .models import Record, TextStatus, ThemeSource
from .text import normalise_title
from .themes import effective_sql

REVIEW_KINDS = ("no-theme", "low-confidence", "empty-text", "missing-fields")


@dataclass(frozen=True, slots=True)
class ReviewItem:
    record_id: int
    title: str
    kind: str
    detail: tuple[str, ...] = ()  # slugs (low-confidence) or field names (missing-fields)
    score: float | None = None  # lowest doubtful score


def review_list(
    catalogue: Catalogue, *, low_confidence: float = 0.45
) -> dict[str, list[ReviewItem]]:
    """{kind: items} for the live records, each kind in record order."""
    conn = catalogue.conn
    out: dict[str, list[ReviewItem]] = {kind: [] for kind in REVIEW_KINDS}
    for rid, title in conn.execute(
        "SELECT r.id, r.title FROM records r WHERE r.deleted = 0 AND NOT EXISTS ("
        f" SELECT 1 FROM record_themes t WHERE t.record_id = r.id AND {effective_sql('t')})"
        " ORDER BY r.id"
    ):
        out["no-theme"].append(ReviewItem(rid, title, "no-theme"))
    doubtful: dict[int, tuple[str, list[str], float]] = {}
    for rid, title, slug, score in conn.execute(
        "SELECT r.id, r.title, t.slug, t.auto_score FROM record_themes t"
        " JOIN records r ON r.id = t.record_id WHERE r.deleted = 0 AND t.manual IS NULL"
        " AND t.auto_score IS NOT NULL AND t.auto_score < ? ORDER BY r.id, t.auto_score",
        (low_confidence,),
    ):
        entry = doubtful.setdefault(rid, (title, [], score))
        entry[1].append(slug)
    for rid, (title, slugs, score) in doubtful.items():
        out["low-confidence"].append(ReviewItem(rid, title, "low-confidence", tuple(slugs), score))
    for rid, title in conn.execute(
        "SELECT id, title FROM records WHERE deleted = 0 AND text_status = 'empty' ORDER BY id"
    ):
        out["empty-text"].append(ReviewItem(rid, title, "empty-text"))
    for row in conn.execute(
        "SELECT r.id, r.title, r.year IS NULL AS no_year, r.language = 'und' AS no_language,"
        " r.doc_type = 'autre' AS no_type,"
        " NOT EXISTS (SELECT 1 FROM record_authors a WHERE a.record_id = r.id) AS no_author,"
        " (r.support = 'papier' AND r.call_number = '' AND NOT EXISTS (SELECT 1 FROM copies c"
        "  WHERE c.record_id = r.id AND c.call_number != '')) AS no_call_number"
        " FROM records r WHERE r.deleted = 0 ORDER BY r.id"
    ):
        missing = tuple(
            name
            for name, flag in (
                ("year", row["no_year"]),
                ("authors", row["no_author"]),
                ("language", row["no_language"]),
                ("doc_type", row["no_type"]),
                ("call_number", row["no_call_number"]),
            )
            if flag
        )
        if missing:
            out["missing-fields"].append(
                ReviewItem(row["id"], row["title"], "missing-fields", missing)
            )
    return out


@dataclass(frozen=True, slots=True)
class ThemeReview:
    """What `fonds tags review` lists: live records in record order."""

    untagged: tuple[Record, ...]  # without any thematic
    low_confidence: tuple[Record, ...]  # every thematic automatic, every score below the bar
    to_ocr: tuple[Record, ...]  # without text
    below: float  # the bar of `low_confidence`


def theme_review(catalogue: Catalogue, *, low_confidence: float) -> ThemeReview:
    """The records whose thematics need a look, as the tagger's confidence bar sees them: a
    record counts as doubtful only when all its thematics are automatic and under the bar."""
    untagged: list[Record] = []
    doubtful: list[Record] = []
    to_ocr: list[Record] = []
    ids = catalogue.ids()
    for start in range(0, len(ids), 500):
        for record in catalogue.get_many(ids[start : start + 500]).values():
            if record.deleted:
                continue
            if not record.themes:
                untagged.append(record)
            elif all(
                t.source is ThemeSource.AUTO and (t.score or 0.0) < low_confidence
                for t in record.themes
            ):
                doubtful.append(record)
            if record.text_status is TextStatus.EMPTY:
                to_ocr.append(record)
    return ThemeReview(tuple(untagged), tuple(doubtful), tuple(to_ocr), low_confidence)


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    record_id: int
    title: str
    year: int | None
    support: str
    reason: str  # "isbn", "file", "title" (same normalised title and year), "similar-title"
    similarity: float = 1.0
    work_id: int | None = None


def duplicate_candidates(
    catalogue: Catalogue, record: Record, *, threshold: float = 0.85, limit: int = 8
) -> list[DuplicateCandidate]:
    """Live records that may be `record` again: the catalogue's exact rules, then titles that
    differ by a few characters (a typo, a missing article) with the same year."""
    exact = dict(catalogue.find_duplicates(record))
    wanted = normalise_title(record.title)
    similar: dict[int, float] = {}
    if wanted and record.year is not None:
        matcher = SequenceMatcher(None, "", wanted, autojunk=False)  # b is cached
        for rid, title in catalogue.conn.execute(
            "SELECT id, title FROM records WHERE deleted = 0 AND id != ? AND year = ?",
            (record.id or -1, record.year),
        ):
            if rid in exact:
                continue
            matcher.set_seq1(normalise_title(title))
            if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
                ratio = matcher.ratio()
                if ratio >= threshold:
                    similar[rid] = ratio
    ids = list(exact) + sorted(similar, key=lambda i: -similar[i])
    found = catalogue.get_many(ids[:limit])
    return [
        DuplicateCandidate(
            i,
            found[i].title,
            found[i].year,
            found[i].support.value,
            exact.get(i, "similar-title"),
            similar.get(i, 1.0),
            found[i].work_id,
        )
        for i in ids[:limit]
        if i in found
    ]


def recently_changed(catalogue: Catalogue, *, limit: int, offset: int = 0) -> tuple[list[int], int]:
    """Ids of live records, the last changed first, and how many there are."""
    total = catalogue.count()
    ids = [
        r[0]
        for r in catalogue.conn.execute(
            "SELECT id FROM records WHERE deleted = 0 ORDER BY updated_at DESC, id DESC"
            " LIMIT ? OFFSET ?",
            (limit, offset),
        )
    ]
    return ids, total


def find_by_isbn(catalogue: Catalogue, isbn: str) -> int | None:
    """The first live record with this (normalised) ISBN."""
    row = catalogue.conn.execute(
        "SELECT id FROM records WHERE isbn = ? AND deleted = 0 ORDER BY id", (isbn,)
    ).fetchone()
    return row[0] if row else None
