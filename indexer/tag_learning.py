"""Teaching an instance's tagger: the documentalist's decisions become a learned model.

`learn(catalogue, tagger, labels_file=...)` gathers the examples (a labels file's documents, if
any, and the records the documentalist decided on), measures the rules against the model by
cross-validation, trains on every example and, unless told not to, saves the model in the
instance. `fonds tags train` parses its options, calls this, and prints the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from library import Catalogue

from .tag_evaluation import (
    CrossValidation,
    LabelledDoc,
    cross_validate,
    from_catalogue,
    labelled_from_file,
    report_json,
)
from .tag_model import TagModel, save_model
from .tag_training import MIN_DOCUMENTS, Example, train
from .tagging import Tagger


class TooFewLabels(Exception):
    """Fewer labelled documents than a model needs: the rules alone stay in force."""

    def __init__(self, from_file: int, from_catalogue: int) -> None:
        super().__init__(f"{from_file + from_catalogue} labelled documents, {MIN_DOCUMENTS} needed")
        self.from_file = from_file
        self.from_catalogue = from_catalogue
        self.needed = MIN_DOCUMENTS


@dataclass(frozen=True, slots=True)
class Learning:
    """What `learn` did: the model, where its examples came from, how it compares."""

    model: TagModel
    from_file: int
    from_catalogue: int
    cross_validation: CrossValidation | None
    saved_to: Path | None
    missing: tuple[str, ...] = ()  # refs of the labels file not found in the catalogue

    @property
    def documents(self) -> int:
        return self.from_file + self.from_catalogue


def learn(
    catalogue: Catalogue,
    tagger: Tagger,
    *,
    labels_file: Path | None = None,
    folds: int = 5,
    seed: int = 0,
    today: date,
    save_to: Path | None = None,
) -> Learning:
    """Train the instance's model on the decided records (and a labels file's documents);
    raise LabelsError on an unusable labels file, TooFewLabels below MIN_DOCUMENTS, ModelError
    when training is impossible."""
    from_file = labelled_from_file(catalogue, labels_file, tagger.slugs)
    docs: list[LabelledDoc] = from_file.docs
    extra = from_catalogue(catalogue, exclude={d.record_id for d in docs})
    labelled = docs + extra
    if len(labelled) < MIN_DOCUMENTS:
        raise TooFewLabels(len(docs), len(extra))
    rules = tagger.with_model(None)
    cv = cross_validate(rules, labelled, folds, seed) if len(labelled) >= folds else None
    examples = [Example(tuple(rules.scores(d.doc)), d.expected) for d in labelled]
    info: dict[str, Any] = {
        "trained_at": today.isoformat(),
        "training": {
            "documents": len(labelled),
            "from_labels_file": len(docs),
            "from_catalogue": len(extra),
            "labels_file": str(labels_file) if labels_file else None,
            "record_ids": sorted(d.record_id for d in labelled),
        },
    }
    if cv is not None:
        info["cross_validation"] = {
            "folds": folds,
            "seed": seed,
            "rules": report_json(cv.rules),
            "model": report_json(cv.model) if cv.model is not None else None,
        }
    model = train(examples, rules.slugs, seed=seed, vocabulary=rules.vocabulary, info=info)
    if save_to is not None:
        save_model(model, save_to)
    return Learning(model, len(docs), len(extra), cv, save_to, tuple(from_file.missing))
