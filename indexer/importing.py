"""Records from files of other systems (the paper holdings spreadsheet, partner exports):
a preview of what would be created or skipped, then the import, tagged like any record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from library import Catalogue, Record
from library.formats.holdings_csv import ParsedFile, RowError

_DUPLICATE_REASONS = {"isbn": "même ISBN", "file": "même fichier", "title": "même titre et même année"}


@dataclass(frozen=True, slots=True)
class PlannedRow:
    line: int
    record: Record
    action: str  # "create" or "skip"
    reason: str = ""
    existing_id: int | None = None


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def to_json(self) -> dict[str, Any]:
        return {
            "created": self.count("create"),
            "skipped": self.count("skip"),
            "errors": [{"line": e.line, "message": e.message} for e in self.errors],
            "warnings": [{"line": w.line, "message": w.message} for w in self.warnings],
            "rows": [
                {"line": r.line, "action": r.action, "title": r.record.title, "reason": r.reason,
                 "existing_id": r.existing_id}
                for r in self.rows
            ],
            "ids": self.created_ids,
        }  # fmt: skip


def plan_import(catalogue: Catalogue, parsed: ParsedFile) -> ImportPlan:
    """Decide, row by row, create or skip (duplicate of a record already there)."""
    plan = ImportPlan(errors=list(parsed.errors), warnings=list(parsed.warnings))
    barcodes = catalogue.barcodes()
    for line, record in parsed.rows:
        known = [c.barcode for c in record.copies if c.barcode in barcodes]
        if known:
            existing, _ = catalogue.copy_by_barcode(known[0])
            plan.rows.append(PlannedRow(line, record, "skip",
                                        f"code-barres {known[0]} déjà au catalogue", existing))  # fmt: skip
            continue
        duplicates = catalogue.find_duplicates(record)
        if duplicates:
            rid, why = duplicates[0]
            plan.rows.append(PlannedRow(line, record, "skip",
                                        f"doublon probable de la notice n° {rid} ({_DUPLICATE_REASONS[why]})", rid))  # fmt: skip
            continue
        plan.rows.append(PlannedRow(line, record, "create"))
    return plan


def apply_import(catalogue: Catalogue, plan: ImportPlan, tagger: Any = None) -> ImportPlan:
    """Create the planned records in one transaction (all or nothing), tagged automatically."""
    from .tagging import TagInput

    with catalogue.transaction():
        for row in plan.rows:
            if row.action != "create":
                continue
            record = catalogue.add(row.record)
            assert record.id is not None
            if tagger is not None:
                doc = TagInput(title=record.title, abstract=record.abstract, keywords=record.keywords,
                               text="", language=record.language)  # fmt: skip
                catalogue.set_auto_themes(record.id, tagger.tag(doc))
            plan.created_ids.append(record.id)
    return plan
