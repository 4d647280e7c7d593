"""The French lines the `fonds` commands print that are built in Python: the CLI's edge.

Codes raised deep inside (loan refusals, accounts, backups, the indexer's reasons) share their
wording with the web pages (`webapp.messages`); what only the terminal says is here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import click

from webapp.messages import (
    account_problem,
    backup_problem,
    check_problem,
    concept_reading,
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
    row_message,
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
    "concept_reading",
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
    "row_message",
    "support_label",
    "too_few_labels",
    "usage_problem",
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


# Click's own sentences, as click 8 writes them, and their French.
_CLICK_SENTENCES = (
    (
        re.compile(r"^'(?P<value>.*)' is not one of (?P<choices>.*)\.$", re.S),
        "« {value} » n'est pas une valeur permise ({choices})",
    ),
    (
        re.compile(r"^'?(?P<value>.*?)'? is not in the range (?P<range>.*)\.$", re.S),
        "{value} est hors de l'intervalle {range}",
    ),
    (
        re.compile(r"^'(?P<value>.*)' is not a valid (?P<kind>integer|float)( range)?\.$", re.S),
        "« {value} » n'est pas un nombre",
    ),
    (re.compile(r"^No such command '(?P<value>.*)'\.$"), "commande inconnue : {value}"),
    (
        re.compile(r"^Got unexpected extra arguments? \((?P<value>.*)\)$"),
        "argument en trop : {value}",
    ),
    (
        re.compile(r"^Option '(?P<value>.*)' requires an argument\.$"),
        "l'option {value} attend une valeur",
    ),
)


def _click_sentence(message: str) -> str:
    for pattern, french in _CLICK_SENTENCES:
        if (match := pattern.match(message)) is not None:
            return french.format(**{k: v for k, v in match.groupdict().items() if v})
    return message


def _param_name(exc: click.MissingParameter | click.BadParameter) -> str:
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        opts = getattr(exc.param, "opts", None)
        hint = opts[0] if isinstance(exc.param, click.Option) and opts else None
        hint = hint or exc.param.human_readable_name
    if isinstance(hint, list | tuple):
        hint = " / ".join(hint)
    return str(hint or "")


def usage_problem(exc: click.UsageError) -> str:
    """Click's refusal of a command line (a missing argument, an unknown option…) in French."""
    if isinstance(exc, click.MissingParameter):
        if isinstance(exc.param, click.Argument):
            return f"argument manquant : {_param_name(exc)}"
        return f"option manquante : {_param_name(exc)}"
    if isinstance(exc, click.NoSuchOption):
        close = (
            f" (vouliez-vous dire {', '.join(exc.possibilities)} ?)" if exc.possibilities else ""
        )
        return f"option inconnue : {exc.option_name}{close}"
    if isinstance(exc, click.BadParameter):
        name = _param_name(exc)
        said = _click_sentence(exc.message)
        return f"valeur invalide pour {name} : {said}" if name else said
    return _click_sentence(exc.message)
