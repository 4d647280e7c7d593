"""The French lines the `fonds` commands print that are built in Python: the CLI's edge.

Codes raised deep inside (loan refusals, accounts, backups, the indexer's reasons) share their
wording with the web pages (`webapp.messages`); what only the terminal says is here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from webapp.messages import (
    account_problem,
    backup_problem,
    check_problem,
    explain,
    explain_model,
    facet_label,
    french_date,
    import_reason,
    loan_refusal,
    model_problem,
    model_set_aside,
    query_note,
    reason_text,
    repair_text,
    support_label,
    vocabulary_problem,
)

if TYPE_CHECKING:  # indexer.ingest loads the search engine: only `fonds index` pays for it
    from indexer.ingest import FileReport, IngestReport
    from indexer.tag_assessment import AssessmentRefused
    from indexer.tag_evaluation import LabelsError
    from indexer.tag_learning import TooFewLabels

__all__ = [
    "INGEST_STATUSES",
    "account_problem",
    "assessment_refusal",
    "backup_problem",
    "check_problem",
    "explain",
    "explain_model",
    "facet_label",
    "french_date",
    "import_reason",
    "ingest_json",
    "labels_problem",
    "loan_refusal",
    "model_problem",
    "model_set_aside",
    "query_note",
    "reason_text",
    "repair_text",
    "support_label",
    "too_few_labels",
    "vocabulary_problem",
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


def too_few_labels(exc: TooFewLabels) -> str:
    """Why `fonds tags train` did not learn."""
    total = exc.from_file + exc.from_catalogue
    return (
        f"{total} documents étiquetés ({exc.from_file} du fichier, {exc.from_catalogue} notices"
        f" corrigées) : il en faut au moins {exc.needed} pour apprendre ; les règles seules"
        " restent en vigueur"
    )


def labels_problem(exc: LabelsError) -> str:
    """Why a labels file (`--labels`) cannot be used."""
    match exc.code:
        case "not-found":
            return f"fichier d'étiquettes introuvable : {exc.path}"
        case "unreadable":
            return f"{exc.path} : fichier illisible ({exc.error})"
        case "header":
            return f"{exc.path}, ligne 1 : en-tête « ref;themes » attendu"
        case _:
            return f"{exc.path}, ligne {exc.line} : « ref;themes » attendu"


def assessment_refusal(exc: AssessmentRefused) -> str:
    """Why `fonds tags evaluate` measured nothing."""
    if exc.code == "too-many-folds":
        return f"--folds ne peut dépasser le nombre de documents ({exc.params['documents']})"
    return f"aucune référence de {exc.params['labels_file']} n'a été trouvée dans le catalogue"
