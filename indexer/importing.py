"""Records from files of other systems (the paper holdings spreadsheet, partner exports):
a preview of what would be created, updated or skipped, then the import, tagged like any record.

Matching, in this order: the identifier of origin (our own OAI identifier, or one a previous
import recorded in `source`) -> update, or skip when nothing changed; a barcode already in the
catalogue -> skip; same ISBN, same file, or same normalised title and year -> skip.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from library import Catalogue, Record, ThemeAssignment, ThemeSource
from library.authorities import preferred_forms
from library.db import utc_now
from library.formats.common import full_title, identifier_of
from library.formats.holdings_csv import ParsedFile, RowError
from library.formats.ris import UNTITLED
from library.harvest import by_source_identifier
from library.models import DESCRIPTIVE_FIELDS
from library.rows import xml_safe_record
from library.text import sort_key
from library.validation import admit

if TYPE_CHECKING:
    from .tagging import ThemeTagger

# What an update may change: the description. Copies, files, thematics and the record's
# own provenance stay as the catalogue has them.
# (The support is not among them: most exchange formats do not say paper or electronic.)
_UPDATABLE = tuple(name for name in DESCRIPTIVE_FIELDS if name != "support")


@dataclass(frozen=True, slots=True)
class PlannedRow:
    line: int
    record: Record
    action: str  # "create", "update" or "skip"
    # Why, as a code and its facts, worded at the edge (webapp.messages.import_reason):
    # same-identifier-in-file, same-reference-in-file (line); barcode-known (barcode);
    # probable-duplicate (record_id, match: isbn, file or title); in-trash, up-to-date,
    # update (record_id).
    reason_code: str = ""
    reason_params: Mapping[str, Any] = field(default_factory=dict)
    existing_id: int | None = None
    changes: tuple[str, ...] = ()  # fields an update changes


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)
    unit: str = "ligne"

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def to_json(
        self, reason: Callable[[PlannedRow], str], message: Callable[[RowError], str]
    ) -> dict[str, Any]:
        """The plan for `--json`; `reason` words each row's reason and `message` each error
        and warning (the edge's French)."""
        return {
            "created": self.count("create"),
            "updated": self.count("update"),
            "skipped": self.count("skip"),
            "unit": self.unit,
            "errors": [{"line": e.line, "message": message(e)} for e in self.errors],
            "warnings": [{"line": w.line, "message": message(w)} for w in self.warnings],
            "rows": [
                {
                    "line": r.line,
                    "action": r.action,
                    "title": r.record.title,
                    "reason": reason(r),
                    "existing_id": r.existing_id,
                    "changes": list(r.changes),
                }
                for r in self.rows
            ],
            "ids": self.created_ids,
            "updated_ids": self.updated_ids,
        }


def plan_import(
    catalogue: Catalogue,
    parsed: ParsedFile,
    *,
    theme_labels: Mapping[str, str] | None = None,
    repository: str = "",
) -> ImportPlan:
    """Decide, record by record, create, update (same identifier of origin) or skip."""
    plan = ImportPlan(
        errors=list(parsed.errors),
        warnings=list(parsed.warnings),
        unit=getattr(parsed, "unit", "ligne"),
    )
    barcodes = catalogue.barcodes()
    themes = _theme_resolver(theme_labels or {})
    seen_in_file: dict[str, int] = {}
    references = _References()
    for line, raw in parsed.rows:
        record, problems = admit(raw)
        plan.warnings.extend(RowError(line, problems=(p,)) for p in problems if not p.fatal)
        fatal = tuple(p for p in problems if p.fatal)
        if fatal:
            plan.errors.append(RowError(line, problems=fatal))
            continue
        record = themes(record)
        identifier = identifier_of(record.source)
        if identifier and identifier in seen_in_file:
            plan.rows.append(
                PlannedRow(
                    line,
                    record,
                    "skip",
                    "same-identifier-in-file",
                    {"line": seen_in_file[identifier]},
                )
            )
            continue
        if identifier:
            seen_in_file[identifier] = line
            existing = _by_identifier(catalogue, identifier, repository)
            if existing is not None:
                # names in the stored record are preferred forms: compare like with like
                compared = preferred_forms(catalogue.conn, record)
                plan.rows.append(_update_or_skip(line, compared, existing))
                continue
        earlier = references.earlier(record, len(plan.rows), line)
        if earlier is not None:
            index, first_line = earlier
            first = plan.rows[index]
            if record.copies and first.action == "create":
                # A spreadsheet lists each copy on its own row: they join the first row's record.
                merged = replace(first.record, copies=first.record.copies + record.copies)
                plan.rows[index] = replace(first, record=merged)
            plan.rows.append(
                PlannedRow(line, record, "skip", "same-reference-in-file", {"line": first_line})
            )
            continue
        known = [c.barcode for c in record.copies if c.barcode in barcodes]
        if known:
            existing_id, _ = catalogue.copy_by_barcode(known[0])
            plan.rows.append(
                PlannedRow(
                    line, record, "skip", "barcode-known", {"barcode": known[0]}, existing_id
                )
            )
            continue
        duplicates = catalogue.find_duplicates(record)
        if duplicates:
            rid, why = duplicates[0]
            plan.rows.append(
                PlannedRow(
                    line,
                    record,
                    "skip",
                    "probable-duplicate",
                    {"record_id": rid, "match": why},
                    rid,
                )
            )
            continue
        plan.rows.append(PlannedRow(line, record, "create"))
    return plan


class _References:
    """The references met so far in one file, to find the same one given twice: same ISBN,
    or the same full title, year and first author (two ISBNs that differ say two editions)."""

    def __init__(self) -> None:
        self.by_isbn: dict[str, tuple[int, int]] = {}
        self.by_title: dict[tuple[str, int | None, str], tuple[int, int, str]] = {}

    def earlier(self, record: Record, index: int, line: int) -> tuple[int, int] | None:
        """(row index, line) of the same reference earlier in the file; else remember it."""
        if record.isbn and record.isbn in self.by_isbn:
            return self.by_isbn[record.isbn]
        first = sort_key(record.authors[0].family) if record.authors else ""
        untitled = record.title == UNTITLED
        key = (
            sort_key(full_title(record)) + ("\x00" + record.url if untitled else ""),
            record.year,
            first,
        )
        found = self.by_title.get(key)
        if found is not None and not (record.isbn and found[2] and found[2] != record.isbn):
            return found[0], found[1]
        if record.isbn:
            self.by_isbn[record.isbn] = (index, line)
        self.by_title.setdefault(key, (index, line, record.isbn))
        return None


def _by_identifier(catalogue: Catalogue, identifier: str, repository: str) -> Record | None:
    """The record an identifier of origin designates here: one of ours ('oai:<our domain>:12'),
    or one an earlier import brought in with that identifier."""
    own = re.fullmatch(rf"oai:{re.escape(repository)}:(\d+)", identifier) if repository else None
    if own:
        found = catalogue.get_many([int(own.group(1))])
        if found:
            return next(iter(found.values()))
    ids = by_source_identifier(catalogue, identifier)
    return catalogue.get(ids[0]) if ids else None


def _update_or_skip(line: int, record: Record, existing: Record) -> PlannedRow:
    assert existing.id is not None
    if existing.deleted:
        return PlannedRow(line, record, "skip", "in-trash", {"record_id": existing.id}, existing.id)
    changes = tuple(
        name
        for name in _UPDATABLE
        if _given(getattr(record, name))
        and not _same(getattr(record, name), getattr(existing, name))
    )
    # Formats without a subtitle element cut 'Titre : sous-titre' their own way.
    split_only = _same(full_title(record), full_title(existing))
    if split_only and ("title" in changes or "subtitle" in changes):
        changes = tuple(c for c in changes if c not in ("title", "subtitle"))
    if "date" in changes and (existing.date or str(existing.year or "")).startswith(record.date):
        changes = tuple(c for c in changes if c != "date")  # a less precise date says no more
    if "series" in changes and record.series == existing.series[: len(record.series)]:
        changes = tuple(c for c in changes if c != "series")  # a format with one collection
    if not changes:
        return PlannedRow(
            line, record, "skip", "up-to-date", {"record_id": existing.id}, existing.id
        )
    return PlannedRow(
        line, record, "update", "update", {"record_id": existing.id}, existing.id, changes
    )


def _same(new: object, old: object) -> bool:
    """Equal, or the same text but for spacing (RIS and BibTeX values are one line)."""
    if isinstance(new, str) and isinstance(old, str):
        return " ".join(new.split()) == " ".join(old.split())
    return new == old


def _given(value: object) -> bool:
    # A field the file leaves empty keeps the catalogue's value: formats that cannot carry a
    # field (territories in oai_dc, call numbers in MARC) must not erase it.
    # Likewise "und" (language unknown) and "autre" (the type a reader falls back on).
    return value not in ("", None, ()) and value not in ("und", "autre")


def _theme_resolver(labels: Mapping[str, str]):
    """Subjects that name one of our thematics (by its label) become that thematic, set
    by hand: a partner (or our own export) chose it. Other subjects stay keywords."""
    # Labels only (a slug like "evaluation" is also an everyday keyword), compared without
    # accents, case or punctuation: a BibTeX keyword cannot hold a comma.
    by_name = {sort_key(label): slug for slug, label in labels.items()}
    # A fund repeats its keywords from record to record: each is compared once.
    theme_of = lru_cache(maxsize=8192)(lambda keyword: by_name.get(sort_key(keyword)))

    def resolve(record: Record) -> Record:
        if not by_name:
            return record
        keywords, found = [], [t.slug for t in record.themes]
        for keyword in record.keywords:
            slug = theme_of(keyword)
            if slug is None:
                keywords.append(keyword)
            elif slug not in found:
                found.append(slug)
        if len(found) == len(record.themes):
            return record
        known = {t.slug for t in record.themes}
        themes = record.themes + tuple(
            ThemeAssignment(s, ThemeSource.MANUAL) for s in found if s not in known
        )
        return replace(record, keywords=tuple(keywords), themes=themes)

    return resolve


def apply_import(
    catalogue: Catalogue, plan: ImportPlan, tagger: ThemeTagger | None = None
) -> ImportPlan:
    """Create and update the planned records in one transaction (all or nothing); new records
    are tagged automatically."""
    from .tagging import TagInput

    now = utc_now()  # the records of one import are stored at one moment (to the second)
    with catalogue.transaction():
        for row in plan.rows:
            if row.action == "create":
                # Tagged as the catalogue will store it, and stored with its proposals in one
                # go (no second write of the record, no reading it back).
                record = xml_safe_record(row.record)
                # A lossless file brings the tagger's proposals of its origin: keep them.
                if tagger is not None and not any(
                    t.source is ThemeSource.AUTO for t in record.themes
                ):
                    proposals = tagger.tag(TagInput.from_record(record))
                    record = replace(record, themes=record.themes + tuple(proposals))
                # Its texts are clean (above): the tagger's themes add none.
                plan.created_ids.append(catalogue.insert(record, xml_safe=True, now=now))
            elif row.action == "update" and row.existing_id is not None:
                existing = catalogue.get(row.existing_id)
                values = {name: getattr(row.record, name) for name in row.changes}
                catalogue.save(replace(existing, **values))
                for theme in row.record.themes:
                    if (
                        theme.source is ThemeSource.MANUAL
                        and theme.slug not in existing.theme_slugs
                    ):
                        catalogue.set_manual_theme(row.existing_id, theme.slug, "add", by="import")
                plan.updated_ids.append(row.existing_id)
    return plan


@dataclass(slots=True)
class ImportRun:
    """What `import_file` did: the plan (rows, errors, ids) and whether the file was refused
    whole (nothing imported)."""

    plan: ImportPlan
    refused: bool


def import_file(
    catalogue: Catalogue,
    parsed: ParsedFile,
    *,
    strict: bool,
    dry_run: bool,
    theme_labels: Mapping[str, str],
    repository: str,
    tagger: Callable[[], ThemeTagger | None],
    index: Callable[[], Any],
) -> ImportRun:
    """Plan a read file's records against the catalogue and, unless it is a dry run or the
    file is refused, apply them in one transaction and bring the index up to date in one
    batch. `strict`: any error in the file (or any record the rule refuses) refuses it
    whole. `tagger` and `index` are opened only when the import is applied."""
    from .search import sync_index

    # The file read, its plan and the vocabulary live until the end: the collector's full
    # passes (a tenth of a second each at 10,000 rows) need not walk them again and again.
    gc.freeze()
    try:
        plan = plan_import(catalogue, parsed, theme_labels=theme_labels, repository=repository)
        refused = strict and bool(parsed.errors or plan.errors)
        if not dry_run and not refused:
            apply_import(catalogue, plan, tagger())
            sync_index(catalogue, index(), compact=True)
    finally:
        gc.unfreeze()
    return ImportRun(plan=plan, refused=refused)
