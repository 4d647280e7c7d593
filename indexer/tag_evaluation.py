"""Measuring the tagger on a labelled set: precision, recall, F1, cross-validated calibration.

The labelled set (`corpus/labels.csv`, format in the README): `ref;themes`, where `ref` is
`documents/<file>` (a file next to the labels file, found in the catalogue by its SHA-256) or
`barcode:<code>` (a paper holding). The catalogue holds labelled data too: a record on which
the documentalist decided at least one thematic (added or removed by hand) counts as labelled
with the thematics it now shows (`from_catalogue`). Nothing is written: the tagger runs in
memory on the records' title, abstract, keywords, text and language.

Calibration of the rules fits the absolute threshold and the relative cut by grid search for
the best micro-F1, separately for documents with a full text and for records known only by
their description (the tagger has one pair of constants for each).

`cross_validate` measures two systems on the same K folds, each fitted on K−1 folds and
measured on the remaining one, predictions pooled over the folds: the rules alone (thresholds
calibrated on the training folds) and the rules with the learned model (`indexer.tag_model`:
penalties and threshold chosen by an inner cross-validation of the training folds, weights
fitted on them). No document ever helps fit the figures it is measured in; documents that are
labelled in the catalogue but not in the labels file only ever train.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from library import Catalogue, NotFound
from library.store import sha256_of

from .tag_model import ModelError, ModelProblem
from .tag_training import (
    MIN_DOCUMENTS,
    Example,
    Selection,
    decide_probabilities,
    fit_model,
    fold_assignment,
    select,
)
from .tagging import Tagger, TaggerSettings, TagInput, ThemeScore

THRESHOLDS = tuple(round(0.10 + 0.025 * i, 3) for i in range(21))  # 0.10 … 0.60
RELATIVES = tuple(round(0.20 + 0.05 * i, 2) for i in range(13))  # 0.20 … 0.80


class LabelsProblem(StrEnum):
    """Why a labels file cannot be used."""

    NOT_FOUND = "not-found"
    UNREADABLE = "unreadable"  # error: the system's reason
    HEADER = "header"  # the first line is not `ref;themes`
    ROW = "row"  # line: a row without `ref;themes`


class LabelsError(Exception):
    """A labels file that cannot be used: a code and its facts, worded at the edge."""

    def __init__(
        self, code: LabelsProblem, path: Path, *, line: int | None = None, error: str = ""
    ) -> None:
        super().__init__(f"{path}: {code}" + (f" (line {line})" if line else ""))
        self.code = code
        self.path = path
        self.line = line
        self.error = error


@dataclass(frozen=True, slots=True)
class Label:
    ref: str
    themes: frozenset[str]
    line: int


@dataclass(frozen=True, slots=True)
class LabelledDoc:
    ref: str
    record_id: int
    expected: frozenset[str]
    doc: TagInput


@dataclass(slots=True)
class LabelledSet:
    docs: list[LabelledDoc] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unknown_themes: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class Report:
    documents: int
    micro: Scores
    macro: Scores
    per_theme: dict[str, tuple[Scores, int]]  # slug -> (scores, support)
    untagged_share: float
    predictions: tuple[frozenset[str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "micro": self.micro.as_dict(),
            "macro": self.macro.as_dict(),
            "per_theme": {
                slug: {**scores.as_dict(), "support": support}
                for slug, (scores, support) in self.per_theme.items()
            },
            "untagged_share": round(self.untagged_share, 4),
        }


def report_json(report: Report) -> dict[str, Any]:
    """A report's figures as JSON-able data (without the per-document predictions count)."""
    data = report.as_dict()
    data.pop("documents")
    return data


def read_labels(path: Path) -> list[Label]:
    """The rows of a labels file; raise LabelsError on a file that cannot be used."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LabelsError(LabelsProblem.NOT_FOUND, path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelsError(LabelsProblem.UNREADABLE, path, error=str(exc)) from None
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["ref", "themes"]:
        raise LabelsError(LabelsProblem.HEADER, path, line=1)
    labels = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 2 or not row[0].strip():
            raise LabelsError(LabelsProblem.ROW, path, line=number)
        themes = frozenset(t.strip() for t in row[1].split("|") if t.strip())
        labels.append(Label(row[0].strip(), themes, number))
    return labels


def resolve(
    catalogue: Catalogue, labels: Iterable[Label], base: Path, known_themes: Iterable[str] = ()
) -> LabelledSet:
    """Find each labelled ref in the catalogue; unknown refs are listed, not fatal."""
    out = LabelledSet()
    known = set(known_themes)
    for label in labels:
        record_id = _record_of(catalogue, label.ref, base)
        record = catalogue.get(record_id) if record_id is not None else None
        if record_id is None or record is None or record.deleted:
            out.missing.append(label.ref)
            continue
        if known:
            out.unknown_themes |= label.themes - known
        doc = TagInput.from_record(record, catalogue.text(record_id))
        out.docs.append(LabelledDoc(label.ref, record_id, label.themes, doc))
    return out


def labelled_from_file(
    catalogue: Catalogue, path: Path | None, known_themes: Iterable[str] = ()
) -> LabelledSet:
    """A labels file's documents found in the catalogue (none without a file); raise
    LabelsError on a file that cannot be used."""
    if path is None:
        return LabelledSet()
    return resolve(catalogue, read_labels(path), path.parent, known_themes)


def from_catalogue(catalogue: Catalogue, exclude: Iterable[int] = ()) -> list[LabelledDoc]:
    """Records the documentalist decided on, labelled with the thematics they now show.

    A decision on one thematic means the record was looked at: the proposals left standing
    were accepted, the others are not wanted."""
    skip = set(exclude)
    ids = sorted(rid for rid in catalogue.manual_labels() if rid not in skip)
    out = []
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        records = catalogue.get_many(chunk)
        texts = catalogue.texts(chunk)
        for rid in chunk:
            record = records.get(rid)
            if record is None or record.deleted:
                continue
            doc = TagInput.from_record(record, texts.get(rid, ""))
            out.append(LabelledDoc(f"notice:{rid}", rid, frozenset(record.theme_slugs), doc))
    return out


def _record_of(catalogue: Catalogue, ref: str, base: Path) -> int | None:
    if ref.startswith("barcode:"):
        try:
            record_id, _ = catalogue.copy_by_barcode(ref.removeprefix("barcode:").strip())
        except NotFound:
            return None
        return record_id
    path = base / ref
    if not path.is_file():
        return None
    found = catalogue.find_by_file(sha256_of(path))
    return found.id if found else None


def measure(
    expected: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]], slugs: Sequence[str]
) -> Report:
    """Precision, recall and F1 per thematic, micro- and macro-averaged."""
    tp_all = fp_all = fn_all = 0
    per_theme: dict[str, tuple[Scores, int]] = {}
    for slug in slugs:
        tp = sum(1 for e, p in zip(expected, predicted, strict=True) if slug in e and slug in p)
        fp = sum(1 for e, p in zip(expected, predicted, strict=True) if slug not in e and slug in p)
        fn = sum(1 for e, p in zip(expected, predicted, strict=True) if slug in e and slug not in p)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        if tp + fp + fn:
            per_theme[slug] = (_scores(tp, fp, fn), tp + fn)
    macro_items = [s for s, support in per_theme.values() if support]
    macro = Scores(
        *(
            sum(getattr(s, k) for s in macro_items) / max(len(macro_items), 1)
            for k in ("precision", "recall", "f1")
        )
    )
    untagged = sum(1 for p in predicted if not p) / max(len(predicted), 1)
    return Report(
        len(expected), _scores(tp_all, fp_all, fn_all), macro, per_theme, untagged, tuple(predicted)
    )


def _scores(tp: int, fp: int, fn: int) -> Scores:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def evaluate(tagger: Tagger, docs: Sequence[LabelledDoc]) -> Report:
    """The current tagger's figures on a labelled set."""
    predicted = [frozenset(a.slug for a in tagger.tag(d.doc)) for d in docs]
    return measure([d.expected for d in docs], predicted, _slugs(tagger, docs))


def calibrate(
    tagger: Tagger, scored: Sequence[Sequence[ThemeScore]], expected: Sequence[frozenset[str]]
) -> TaggerSettings:
    """The thresholds and relative cuts with the best micro-F1 on these documents."""
    settings = tagger.settings
    for with_text in (True, False):
        group = [i for i, s in enumerate(scored) if _has_text(s) == with_text]
        if not group:
            continue
        threshold, relative = _fit_pair(
            tagger, [scored[i] for i in group], [expected[i] for i in group], with_text
        )
        if with_text:
            settings = replace(settings, threshold=threshold, relative=relative)
        else:
            settings = replace(
                settings, threshold_without_text=threshold, relative_without_text=relative
            )
    return settings


def _has_text(scores: Sequence[ThemeScore]) -> bool:
    return bool(scores) and scores[0].has_text


def _fit_pair(
    tagger: Tagger,
    scored: Sequence[Sequence[ThemeScore]],
    expected: Sequence[frozenset[str]],
    with_text: bool,
) -> tuple[float, float]:
    best: tuple[float, ...] | None = None
    chosen = (0.3, 0.4)
    for threshold in THRESHOLDS:
        for relative in RELATIVES:
            if with_text:
                settings = replace(tagger.settings, threshold=threshold, relative=relative)
            else:
                settings = replace(
                    tagger.settings,
                    threshold_without_text=threshold,
                    relative_without_text=relative,
                )
            candidate = tagger.with_settings(settings)
            predicted = [frozenset(t.slug for t in candidate.decide(s)) for s in scored]
            report = measure(expected, predicted, tagger.slugs)
            # Ties go to the setting nearest the middle of the grid (less extreme).
            key = (report.micro.f1, report.macro.f1, -abs(threshold - 0.3), -abs(relative - 0.4))
            if best is None or key > best:
                best, chosen = key, (threshold, relative)
    return chosen


@dataclass(frozen=True, slots=True)
class CrossValidation:
    """Held-out figures of the rules alone and of the rules with the learned model."""

    folds: int
    seed: int
    rules: Report
    model: Report | None  # None when a training part is too small to learn from
    rule_settings: tuple[TaggerSettings, ...]
    selections: tuple[Selection, ...]
    test_sets: tuple[tuple[int, ...], ...]  # indices of the measured documents, per fold
    train_sets: tuple[tuple[int, ...], ...]  # indices of the labelled documents trained on
    model_error: ModelError | None = None  # why the model column is absent

    @property
    def system(self) -> Report:
        """The figures of what the instance would run: the model when it could be trained."""
        return self.model or self.rules


def cross_validate(
    tagger: Tagger,
    docs: Sequence[LabelledDoc],
    folds: int,
    seed: int = 0,
    *,
    extra: Sequence[LabelledDoc] = (),
    learn: bool = True,
) -> CrossValidation:
    """Rules and rules + model, both fitted on K−1 folds and measured on the remaining one.

    `extra` documents (labelled in the catalogue only) are added to every training part and
    never measured."""
    if folds < 2 or folds > len(docs):
        raise ValueError(f"folds must be between 2 and the number of documents ({len(docs)})")
    assignment = fold_assignment(len(docs), folds, seed)
    rules = tagger.with_model(None)
    scored = [rules.scores(d.doc) for d in docs]
    expected = [d.expected for d in docs]
    slugs = _slugs(tagger, docs)
    known = frozenset(tagger.slugs)
    examples = [Example(tuple(s), e & known) for s, e in zip(scored, expected, strict=True)]
    extra_examples = [Example(tuple(rules.scores(d.doc)), d.expected & known) for d in extra]
    by_rules: list[frozenset[str]] = [frozenset()] * len(docs)
    by_model: list[frozenset[str]] = [frozenset()] * len(docs)
    settings_per_fold, selections, tests, trains = [], [], [], []
    error = None if learn else ModelError(ModelProblem.NOT_REQUESTED)
    for fold in range(folds):
        train = [i for i, f in enumerate(assignment) if f != fold]
        test = [i for i, f in enumerate(assignment) if f == fold]
        tests.append(tuple(test))
        trains.append(tuple(train))
        settings = calibrate(rules, [scored[i] for i in train], [expected[i] for i in train])
        settings_per_fold.append(settings)
        fold_rules = rules.with_settings(settings)
        for i in test:
            by_rules[i] = frozenset(t.slug for t in fold_rules.decide(scored[i]))
        if error is not None:
            continue
        training = [examples[i] for i in train] + extra_examples
        if len(training) < MIN_DOCUMENTS:
            error = ModelError(
                ModelProblem.TOO_FEW_DOCUMENTS,
                documents=len(training),
                needed=MIN_DOCUMENTS,
                fold=True,
            )
            continue
        choice = select(training, tagger.slugs, seed=seed + 1 + fold)
        selections.append(choice)
        model = fit_model(
            training,
            tagger.slugs,
            penalty=choice.penalty,
            theme_penalty=choice.theme_penalty,
            threshold=choice.threshold,
        )
        for i in test:
            probabilities = model.probabilities(scored[i])
            by_model[i] = decide_probabilities(
                scored[i], probabilities, model.threshold, model.max_themes
            )
    return CrossValidation(
        folds=folds,
        seed=seed,
        rules=measure(expected, by_rules, slugs),
        model=None if error else measure(expected, by_model, slugs),
        rule_settings=tuple(settings_per_fold),
        selections=tuple(selections),
        test_sets=tuple(tests),
        train_sets=tuple(trains),
        model_error=error,
    )


def _slugs(tagger: Tagger, docs: Sequence[LabelledDoc]) -> list[str]:
    extra = sorted({s for d in docs for s in d.expected} - set(tagger.slugs))
    return [*tagger.slugs, *extra]
