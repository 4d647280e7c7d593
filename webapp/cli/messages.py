"""The French lines the `fonds` commands print that are built in Python: the CLI's edge.

Codes raised deep inside (loan refusals, accounts, backups, the indexer's reasons) share their
wording with the web pages (`webapp.messages`); what only the terminal says is here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from webapp.messages import (
    account_problem,
    backup_problem,
    facet_label,
    french_date,
    loan_refusal,
    reason_text,
    support_label,
)

if TYPE_CHECKING:  # indexer.ingest loads the search engine: only `fonds index` pays for it
    from indexer.ingest import FileReport, IngestReport

__all__ = [
    "INGEST_STATUSES",
    "account_problem",
    "backup_problem",
    "facet_label",
    "french_date",
    "ingest_json",
    "loan_refusal",
    "reason_text",
    "support_label",
]

# How `fonds index` names the fate of each file.
INGEST_STATUSES = {
    "indexed": "indexés",
    "unchanged": "inchangés",
    "empty": "vides (à océriser)",
    "failed": "en échec",
}


def file_json(report: FileReport) -> dict[str, Any]:
    """One file of `fonds index --json`: the reason as the French line users read."""
    return {**report.to_json(), "reason": reason_text(report.reason)}


def ingest_json(report: IngestReport) -> dict[str, Any]:
    """`fonds index --json`: every file with its French reason, and the counts."""
    return {"files": [file_json(f) for f in report.files], "counts": report.counts}
