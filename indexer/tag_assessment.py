"""How good the instance's tagger is on a labelled set: what `fonds tags evaluate` reports.

`assess(catalogue, tagger, labels_file)` finds the labels file's documents in the catalogue and
measures the tagger in force on them (`evaluate`), or, with `folds`, compares the rules alone
with the rules and a learned model by cross-validation (`cross_validate`), the records the
documentalist decided on serving for training only. Nothing is written. The command parses its
options, calls this, and prints the `Assessment`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from library import Catalogue

from .tag_evaluation import (
    CrossValidation,
    Report,
    cross_validate,
    evaluate,
    from_catalogue,
    labelled_from_file,
    report_json,
)
from .tag_model import TagModel
from .tagging import Tagger


class AssessmentProblem(StrEnum):
    """Why nothing could be measured; the params are named beside each."""

    NOTHING_FOUND = "nothing-found"  # labels_file: no ref of the file is in the catalogue
    TOO_MANY_FOLDS = "too-many-folds"  # documents: more folds than measured documents


class AssessmentRefused(Exception):
    """Nothing to measure: a code and its facts, worded at the edge."""

    def __init__(self, code: AssessmentProblem, **params: Any) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Assessment:
    """What `assess` measured: one report (without folds) or a cross-validation."""

    documents: int  # labelled documents found in the catalogue, the ones measured
    missing: tuple[str, ...]  # refs of the labels file not found in the catalogue
    unknown_themes: frozenset[str]  # labelled thematics the vocabulary does not know
    model: bool  # the tagger in force decides with a learned model (else the rules)
    report: Report | None = None  # the tagger in force, measured as it is (no folds)
    trained_on: int = 0  # measured documents the learned model was trained on
    cross_validation: CrossValidation | None = None
    training_only: int = 0  # records decided in the catalogue, used for training only

    def as_dict(self) -> dict[str, Any]:
        """The `--json` shape of `fonds tags evaluate` (`model_error` as a code: the CLI puts
        it into words)."""
        cv = self.cross_validation
        if cv is None:
            assert self.report is not None
            return {
                "documents": self.report.documents,
                "missing": len(self.missing),
                **report_json(self.report),
                "tagger": "model" if self.model else "rules",
                "trained_on": self.trained_on,
            }
        fitted = []
        for n, settings in enumerate(cv.rule_settings):
            item: dict[str, Any] = {
                "rules": {
                    "threshold": settings.threshold,
                    "relative": settings.relative,
                    "threshold_without_text": settings.threshold_without_text,
                    "relative_without_text": settings.relative_without_text,
                }
            }
            if cv.model is not None:
                choice = cv.selections[n]
                item["model"] = {
                    "penalty": choice.penalty,
                    "theme_penalty": choice.theme_penalty,
                    "threshold": choice.threshold,
                }
            fitted.append(item)
        return {
            "documents": self.documents,
            "missing": len(self.missing),
            "training_only": self.training_only,
            "folds": cv.folds,
            "seed": cv.seed,
            "system": "model" if cv.model is not None else "rules",
            **report_json(cv.system),
            "rules": report_json(cv.rules),
            "model": report_json(cv.model) if cv.model is not None else None,
            "model_error": str(cv.model_error.code)
            if cv.model_error
            else None,  # worded by the CLI
            "fitted": fitted,
        }


def assess(
    catalogue: Catalogue,
    tagger: Tagger,
    labels_file: Path,
    *,
    folds: int | None = None,
    seed: int = 0,
) -> Assessment:
    """Measure `tagger` on the labels file's documents (see the module); raise LabelsError on
    an unusable file, AssessmentRefused when there is nothing to measure."""
    labelled = labelled_from_file(catalogue, labels_file, tagger.slugs)
    docs = labelled.docs
    if not docs:
        raise AssessmentRefused(AssessmentProblem.NOTHING_FOUND, labels_file=labels_file)
    facts: dict[str, Any] = {
        "documents": len(docs),
        "missing": tuple(labelled.missing),
        "unknown_themes": frozenset(labelled.unknown_themes),
        "model": tagger.model is not None,
    }
    if folds:
        if folds > len(docs):
            raise AssessmentRefused(AssessmentProblem.TOO_MANY_FOLDS, documents=len(docs))
        extra = from_catalogue(catalogue, exclude={d.record_id for d in docs})
        cv = cross_validate(tagger, docs, folds, seed, extra=extra)
        return Assessment(**facts, cross_validation=cv, training_only=len(extra))
    trained = (
        set(tagger.model.info.get("training", {}).get("record_ids", ()))
        if isinstance(tagger.model, TagModel)
        else set()
    )
    return Assessment(
        **facts,
        report=evaluate(tagger, docs),
        trained_on=len(trained & {d.record_id for d in docs}),
    )
