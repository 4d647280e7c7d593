"""Re-applying the tagger to records already catalogued (after a vocabulary edit, a new model).

`retag(catalogue, tagger, scope=...)` chooses the records, tags each again, compares the new
proposals with the stored ones and replaces them where they differ; the documentalist's own
decisions always stay as they are (`library.themes`). With `index` (a function that opens the
search index, called only when something changed), the index is then brought up to date.
`dry_run` measures the same and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from library import Catalogue, Record, ThemeAssignment
from library.themes import effective_slugs

from .tagging import Tagger, TagInput

if TYPE_CHECKING:
    from .search import SearchIndex

CHUNK = 200  # records read from the catalogue at a time


class RetagScope(StrEnum):
    """Which records are tagged again."""

    UNTAGGED = "untagged"  # records without any thematic
    AUTO_ONLY = "auto-only"  # records without any decision of the documentalist
    ALL = "all"  # every live record


@dataclass(frozen=True, slots=True)
class RetagReport:
    scope: RetagScope
    dry_run: bool
    model: bool  # a learned model decided (else the rules)
    retagged: int = 0
    changed: int = 0  # records whose proposals differ from the stored ones
    untagged: int = 0  # records left without any effective thematic

    def as_dict(self) -> dict[str, object]:
        return {
            "retagged": self.retagged,
            "changed": self.changed,
            "untagged": self.untagged,
            "scope": str(self.scope),
            "dry_run": self.dry_run,
            "model": self.model,
        }


def retag(
    catalogue: Catalogue,
    tagger: Tagger,
    *,
    scope: RetagScope = RetagScope.UNTAGGED,
    dry_run: bool = False,
    index: Callable[[], SearchIndex] | None = None,
    chunk: int = CHUNK,
) -> RetagReport:
    """Tag the chosen records again and store the proposals that changed (see the module)."""
    manual = catalogue.manual_labels()
    retagged = changed = untagged = 0
    ids = catalogue.ids()
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        records = catalogue.get_many(part)
        texts = catalogue.texts(part)
        for record_id in part:
            record = records[record_id]
            if not selected(record, scope, manual):
                continue
            proposals = tagger.tag(TagInput.from_record(record, texts.get(record_id, "")))
            retagged += 1
            if differs(catalogue, record_id, proposals):
                changed += 1
                if not dry_run:
                    catalogue.set_auto_themes(record_id, proposals)
            if not effective_slugs(manual.get(record_id, {}), (p.slug for p in proposals)):
                untagged += 1
    if index is not None and changed and not dry_run:
        from .search import sync_index

        sync_index(catalogue, index(), compact=True)  # merge segments once the batch ends
    return RetagReport(scope, dry_run, tagger.model is not None, retagged, changed, untagged)


def selected(record: Record, scope: RetagScope, manual: Mapping[int, object]) -> bool:
    """Whether the scope takes this record (deleted records never)."""
    if record.deleted:
        return False
    if scope is RetagScope.ALL:
        return True
    if scope is RetagScope.AUTO_ONLY:
        return record.id not in manual
    return not record.themes


def differs(catalogue: Catalogue, record_id: int, proposals: list[ThemeAssignment]) -> bool:
    """Whether new proposals differ from the stored ones (score to 4 decimals, evidence)."""
    before = {
        row.slug: (round(row.auto_score, 4), row.auto_evidence)
        for row in catalogue.theme_rows(record_id)
        if row.auto_score is not None
    }
    after = {p.slug: (round(p.score or 0.0, 4), p.evidence) for p in proposals}
    return before != after
