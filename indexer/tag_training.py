"""Training the learned layer (`indexer.tag_model`): the solver and the cross-validation.

`train(examples, slugs)` chooses the two L2 penalties and the probability threshold by
cross-validation inside the labelled examples (`select`, a seeded split), then fits on all of
them (`fit_model`): penalised maximum likelihood by damped Newton steps on a dense system of
about thirty unknowns, solved by Cholesky decomposition — plain Python, a second or so for a
few hundred documents.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .tag_model import (
    FEATURES,
    ModelError,
    ModelProblem,
    TagModel,
    sigmoid,
    theme_features,
    vocabulary_digest,
)
from .tagging import ThemeScore
from .vocabulary import Vocabulary

MIN_DOCUMENTS = 30  # fewer confirmed documents: the rules alone are safer
MIN_POSITIVES = 3  # a thematic confirmed fewer times gets no bias of its own
PENALTIES = tuple((shared, own) for shared in (0.3, 1.0, 3.0) for own in (1.0, 3.0, 10.0))
THRESHOLDS = tuple(round(0.15 + 0.025 * i, 3) for i in range(17))  # 0.15 … 0.55
INNER_FOLDS = 4


@dataclass(frozen=True, slots=True)
class Example:
    """One document the documentalist labelled: its rule scores and its thematics."""

    scores: tuple[ThemeScore, ...]
    themes: frozenset[str]


# -- fitting -------------------------------------------------------------------------------------

_F = len(FEATURES)


def _rows(
    examples: Sequence[Example], slugs: Sequence[str], own_bias: set[str]
) -> list[tuple[tuple[tuple[int, float], ...], float, float]]:
    """Sparse rows (parameter index, value) with their positive and negative counts, one per
    thematic the rules found with specific evidence (identical rows merged).

    Parameters: 0 the intercept, 1..F the shared weights, F+1.. one bias per thematic."""
    offsets = {slug: _F + 1 + i for i, slug in enumerate(slugs)}
    counts: dict[tuple[tuple[int, float], ...], list[float]] = {}
    known = set(slugs)
    for example in examples:
        features = theme_features(example.scores)
        for theme in example.scores:
            # Only where a decision is taken: thematics with specific vocabulary evidence.
            if theme.slug not in known or not theme.specific or theme.raw <= 0:
                continue
            slug, x = theme.slug, features[theme.slug]
            row = [(0, 1.0)] + [(j + 1, v) for j, v in enumerate(x) if v]
            if slug in own_bias:
                row.append((offsets[slug], 1.0))
            cell = counts.setdefault(tuple(row), [0.0, 0.0])
            cell[0 if slug in example.themes else 1] += 1.0
    return [(row, pos, neg) for row, (pos, neg) in counts.items()]


def _fit(
    rows: Sequence[tuple[tuple[tuple[int, float], ...], float, float]],
    size: int,
    penalty: Sequence[float],
    start: Sequence[float] | None = None,
    iterations: int = 50,
) -> list[float]:
    """Penalised maximum likelihood by damped Newton steps (small dense system).

    `start`: weights to begin from (a neighbouring fit converges in a few steps)."""
    w = list(start) if start is not None and len(start) == size else [0.0] * size

    def loss(w: Sequence[float]) -> float:
        total = 0.5 * sum(p * v * v for p, v in zip(penalty, w, strict=True))
        for row, pos, neg in rows:
            z = sum(w[j] * v for j, v in row)
            # log(1 + e^z) computed without overflow
            softplus = z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))
            total += pos * (softplus - z) + neg * softplus
        return total

    current = loss(w)
    for _ in range(iterations):
        grad = [p * v for p, v in zip(penalty, w, strict=True)]
        hess = [[0.0] * size for _ in range(size)]
        for j in range(size):
            hess[j][j] = penalty[j] + 1e-9
        for row, pos, neg in rows:
            p = sigmoid(sum(w[j] * v for j, v in row))
            n = pos + neg
            residual = n * p - pos
            curvature = n * p * (1.0 - p)
            for n_j, (j, v) in enumerate(row):
                grad[j] += residual * v
                line = hess[j]
                cv = curvature * v
                for k, u in row[n_j:]:  # upper triangle; mirrored below
                    line[k] += cv * u
        for j in range(size):
            for k in range(j + 1, size):
                hess[k][j] = hess[j][k]
        step = _solve(hess, grad)
        scale = 1.0
        while True:
            candidate = [a - scale * b for a, b in zip(w, step, strict=True)]
            value = loss(candidate)
            if value <= current + 1e-12 or scale < 1e-4:
                break
            scale /= 2
        moved = max((abs(scale * s) for s in step), default=0.0)
        w, current = candidate, value
        if moved < 1e-5:  # weights to 5 decimals: decisions no longer change
            break
    return w


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve a symmetric positive definite system by Cholesky decomposition."""
    n = len(vector)
    low = [[0.0] * n for _ in range(n)]
    for i in range(n):
        row_i = low[i]
        for j in range(i + 1):
            row_j = low[j]
            s = matrix[i][j] - sum(row_i[k] * row_j[k] for k in range(j))
            if i == j:
                row_i[i] = math.sqrt(s if s > 1e-12 else 1e-12)
            else:
                row_i[j] = s / row_j[j]
    y = [0.0] * n
    for i in range(n):
        y[i] = (vector[i] - sum(low[i][k] * y[k] for k in range(i))) / low[i][i]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (y[i] - sum(low[k][i] * x[k] for k in range(i + 1, n))) / low[i][i]
    return x


def fit_model(
    examples: Sequence[Example],
    slugs: Sequence[str],
    *,
    penalty: float,
    theme_penalty: float,
    threshold: float,
    max_themes: int = 3,
    start: TagModel | None = None,
) -> TagModel:
    """Fit the weights on labelled examples with given penalties and threshold."""
    slugs = tuple(slugs)
    support = {slug: sum(1 for e in examples if slug in e.themes) for slug in slugs}
    own_bias = {slug for slug in slugs if support[slug] >= MIN_POSITIVES}
    rows = _rows(examples, slugs, own_bias)
    size = 1 + _F + len(slugs)
    penalties = [0.0] + [penalty] * _F + [theme_penalty] * len(slugs)
    initial = None
    if start is not None and start.slugs == slugs:
        initial = [start.intercept, *start.weights, *(start.bias(s) for s in slugs)]
    w = _fit(rows, size, penalties, initial)
    return TagModel(
        slugs=slugs,
        intercept=w[0],
        weights=tuple(w[1 : 1 + _F]),
        biases=tuple(
            (slug, w[1 + _F + i] if slug in own_bias else 0.0) for i, slug in enumerate(slugs)
        ),
        threshold=threshold,
        max_themes=max_themes,
        penalty=penalty,
        theme_penalty=theme_penalty,
    )


# -- choosing the penalties and the threshold -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Selection:
    penalty: float
    theme_penalty: float
    threshold: float
    inner_f1: float  # micro-F1 of the choice, cross-validated inside the training examples


def fold_assignment(count: int, folds: int, seed: int) -> list[int]:
    """The fold of each of `count` items: a seeded shuffle dealt round-robin."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    assignment = [0] * count
    for n, index in enumerate(order):
        assignment[index] = n % folds
    return assignment


def select(
    examples: Sequence[Example], slugs: Sequence[str], *, seed: int = 0, folds: int = INNER_FOLDS
) -> Selection:
    """The penalties and threshold with the best cross-validated micro-F1 on these examples."""
    folds = max(2, min(folds, len(examples)))
    assignment = fold_assignment(len(examples), folds, seed)
    best: tuple[tuple[float, ...], Selection] | None = None
    previous: list[TagModel | None] = [None] * folds
    for penalty, theme_penalty in PENALTIES:
        probabilities: list[dict[str, float]] = [{} for _ in examples]
        for fold in range(folds):
            train = [e for e, f in zip(examples, assignment, strict=True) if f != fold]
            model = previous[fold] = fit_model(
                train,
                slugs,
                penalty=penalty,
                theme_penalty=theme_penalty,
                threshold=0.5,
                start=previous[fold],
            )
            for i, f in enumerate(assignment):
                if f == fold:
                    probabilities[i] = model.probabilities(examples[i].scores)
        for threshold in THRESHOLDS:
            f1 = _micro_f1(examples, probabilities, threshold)
            # Ties go to stronger penalties (simpler model) and a threshold nearer 0.4.
            key = (round(f1, 9), penalty, theme_penalty, -abs(threshold - 0.4))
            if best is None or key > best[0]:
                best = (key, Selection(penalty, theme_penalty, threshold, f1))
    assert best is not None
    return best[1]


def _micro_f1(
    examples: Sequence[Example],
    probabilities: Sequence[dict[str, float]],
    threshold: float,
    max_themes: int = 3,
) -> float:
    tp = fp = fn = 0
    for example, probs in zip(examples, probabilities, strict=True):
        chosen = decide_probabilities(example.scores, probs, threshold, max_themes)
        tp += len(chosen & example.themes)
        fp += len(chosen - example.themes)
        fn += len(example.themes - chosen)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def decide_probabilities(
    scores: Sequence[ThemeScore],
    probabilities: dict[str, float],
    threshold: float,
    max_themes: int = 3,
) -> frozenset[str]:
    """The same rule as `TagModel.decide`, from probabilities already computed."""
    eligible = [
        t.slug
        for t in scores
        if t.specific and t.raw > 0 and probabilities.get(t.slug, 0.0) >= threshold
    ]
    eligible.sort(key=lambda s: (-probabilities[s], s))
    return frozenset(eligible[:max_themes])


def train(
    examples: Sequence[Example],
    slugs: Sequence[str],
    *,
    seed: int = 0,
    vocabulary: Vocabulary | None = None,
    info: dict[str, Any] | None = None,
) -> TagModel:
    """Choose the penalties and threshold by cross-validation, then fit on every example."""
    examples = [Example(e.scores, e.themes & frozenset(slugs)) for e in examples]
    if len(examples) < MIN_DOCUMENTS:
        raise ModelError(
            ModelProblem.TOO_FEW_DOCUMENTS, documents=len(examples), needed=MIN_DOCUMENTS
        )
    choice = select(examples, slugs, seed=seed)
    model = fit_model(
        examples,
        slugs,
        penalty=choice.penalty,
        theme_penalty=choice.theme_penalty,
        threshold=choice.threshold,
    )
    meta = {
        "selection": {
            "inner_folds": INNER_FOLDS,
            "seed": seed,
            "inner_micro_f1": round(choice.inner_f1, 4),
        },
        "support": {slug: sum(1 for e in examples if slug in e.themes) for slug in slugs},
        **(info or {}),
    }
    digest = vocabulary_digest(vocabulary) if vocabulary else ""
    return replace(model, vocabulary_digest=digest, info=meta)
