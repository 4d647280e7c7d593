"""A small learned layer over the rule scores: which thematics a documentalist would keep.

The rules (`indexer.tagging`) find the vocabulary's terms and score every thematic; the
documentalist's confirmed thematics say which of those scores were right. This module learns,
from those examples, one logistic regression over a handful of features that describe *how*
the rules found a thematic — never over the words themselves, so every assigned thematic still
rests on matched vocabulary terms that the evidence lists:

- how much evidence there is, and where: log(1 + S) for the whole raw score and for its share
  in the title, the keywords, the abstract and the full text;
- how it compares with the rest of the document: S / S_best, first or second thematic;
- what kind of evidence: number of distinct concepts, share of everyday words (`indices`);
- whether the record is known by its description only (paper holdings), alone and crossed
  with the score and the ratio.

The weights of those features are shared by all thematics (there are ten to thirty positive
examples per thematic in a small centre: too few for fourteen separate models); each thematic
has its own bias on top, pulled towards zero by a stronger L2 penalty, so a thematic the
documentalist grants generously (or sparingly) shifts without overfitting. A thematic is
assigned when its probability reaches the threshold, it has specific evidence (as with the
rules), at most `max_themes`, best first; none rather than a wrong one.

The penalties and the threshold are chosen by cross-validation inside the training examples
(`select`), and the model is stored as readable JSON in the instance (`tagging-model.json`):
weights with their French labels, per-thematic biases, the threshold, and the cross-validated
figures of the rules and of the model measured when it was trained.

The model is trained where it decides: on the thematics the rules found with specific evidence
(a thematic without any vocabulary term is never assigned, so it teaches nothing about the
decision). Training is plain Python — damped Newton steps on a system of thirty unknowns, a
second or so for a few hundred documents — and applying it costs some microseconds per
document.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .tagging import Tagger, ThemeScore
from .vocabulary import Vocabulary

log = logging.getLogger(__name__)

MODEL_FILE = "tagging-model.json"
FORMAT = 1
MIN_DOCUMENTS = 30  # fewer confirmed documents: the rules alone are safer
MIN_POSITIVES = 3  # a thematic confirmed fewer times gets no bias of its own
PENALTIES = tuple((shared, own) for shared in (0.3, 1.0, 3.0) for own in (1.0, 3.0, 10.0))
THRESHOLDS = tuple(round(0.15 + 0.025 * i, 3) for i in range(17))  # 0.15 … 0.55
INNER_FOLDS = 4

# (name, French label): the order of the weights in the model file.
FEATURES: tuple[tuple[str, str], ...] = (
    ("log_score", "indices au total"),
    ("log_title", "indices dans le titre"),
    ("log_keywords", "indices dans les mots-clés"),
    ("log_abstract", "indices dans le résumé"),
    ("log_text", "indices dans le texte"),
    ("ratio", "score proche de celui de la thématique principale"),
    ("first", "thématique principale du document"),
    ("second", "deuxième thématique du document"),
    ("log_concepts", "nombre de notions trouvées"),
    ("cue_share", "part des mots courants"),
    ("description_only", "notice sans texte intégral"),
    ("description_log_score", "indices d'une notice sans texte"),
    ("description_ratio", "notice sans texte : score proche du principal"),
)
FEATURE_NAMES = tuple(name for name, _ in FEATURES)
FEATURE_LABELS = dict(FEATURES)
_BIAS_LABEL = "habitude propre à la thématique"


class ModelError(Exception):
    """A model file that cannot be used (French message)."""


@dataclass(frozen=True, slots=True)
class Example:
    """One document the documentalist labelled: its rule scores and its thematics."""

    scores: tuple[ThemeScore, ...]
    themes: frozenset[str]


# -- features ----------------------------------------------------------------------------------


def theme_features(scores: Sequence[ThemeScore]) -> dict[str, tuple[float, ...]]:
    """The feature vector of every scored thematic of a document (others are all zeros)."""
    if not scores:
        return {}
    ranked = sorted(scores, key=lambda t: (-t.raw, t.slug))
    best = ranked[0].raw
    description = 0.0 if ranked[0].has_text else 1.0
    out = {}
    for rank, theme in enumerate(ranked):
        s = theme.raw
        ratio = s / best if best > 0 else 0.0
        log_score = math.log1p(s)
        title, keywords, abstract, text = theme.by_field
        out[theme.slug] = (
            log_score,
            math.log1p(title),
            math.log1p(keywords),
            math.log1p(abstract),
            math.log1p(text),
            ratio,
            1.0 if rank == 0 else 0.0,
            1.0 if rank == 1 else 0.0,
            math.log1p(theme.concepts),
            theme.cue_raw / s if s > 0 else 0.0,
            description,
            description * log_score,
            description * ratio,
        )
    return out


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


# -- the model -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    """A thematic the model keeps: the rule score behind it, its probability and why."""

    theme: ThemeScore
    probability: float
    reasons: tuple[tuple[str, float], ...]  # (French label, contribution to the log-odds)


@dataclass(frozen=True, slots=True)
class TagModel:
    """Shared feature weights, one bias per thematic, a probability threshold."""

    slugs: tuple[str, ...]
    intercept: float
    weights: tuple[float, ...]  # in FEATURE_NAMES order
    biases: tuple[tuple[str, float], ...]
    threshold: float
    max_themes: int = 3
    # Below: assigned, but shown in the review list. In cross-validation on the sample fund,
    # thematics assigned with a probability under 0.6 were right about half the time, those
    # above it three times out of four or more.
    low_confidence: float = 0.6
    penalty: float = 1.0
    theme_penalty: float = 3.0
    vocabulary_digest: str = ""
    info: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def bias(self, slug: str) -> float:
        return dict(self.biases).get(slug, 0.0)

    def probabilities(self, scores: Sequence[ThemeScore]) -> dict[str, float]:
        """The probability that the documentalist keeps each scored thematic."""
        biases = dict(self.biases)
        out = {}
        for slug, x in theme_features(scores).items():
            z = self.intercept + biases.get(slug, 0.0)
            z += sum(w * v for w, v in zip(self.weights, x, strict=True))
            out[slug] = _sigmoid(z)
        return out

    def decide(self, scores: Sequence[ThemeScore]) -> list[Decision]:
        """The thematics to assign, best first: probability ≥ threshold, specific evidence."""
        features = theme_features(scores)
        biases = dict(self.biases)
        kept = []
        for theme in scores:
            if not theme.specific or theme.raw <= 0:
                continue  # never a thematic without a vocabulary term that shows it
            x = features[theme.slug]
            parts = [
                (label, w * v)
                for (_, label), w, v in zip(FEATURES, self.weights, x, strict=True)
                if v
            ]
            bias = biases.get(theme.slug, 0.0)
            p = _sigmoid(self.intercept + bias + sum(c for _, c in parts))
            if p >= self.threshold:
                if bias:
                    parts.append((_BIAS_LABEL, bias))
                reasons = sorted(parts, key=lambda r: -r[1])[:3]
                kept.append(Decision(theme, p, tuple((n, round(c, 2)) for n, c in reasons)))
        kept.sort(key=lambda d: (-d.probability, d.theme.slug))
        return kept[: self.max_themes]

    def compatible_with(self, vocabulary: Vocabulary) -> bool:
        """Usable with this vocabulary: the same thematics (terms may have been edited)."""
        return set(self.slugs) == {t.slug for t in vocabulary.themes}

    # -- the file --------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "kind": "régression logistique sur les scores des règles",
            "threshold": self.threshold,
            "low_confidence": self.low_confidence,
            "max_themes": self.max_themes,
            "intercept": self.intercept,
            "weights": {name: w for (name, _), w in zip(FEATURES, self.weights, strict=True)},
            "labels": dict(FEATURES),
            "themes": dict(self.biases),
            "slugs": list(self.slugs),
            "penalty": self.penalty,
            "theme_penalty": self.theme_penalty,
            "vocabulary_digest": self.vocabulary_digest,
            **self.info,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TagModel:
        if data.get("format") != FORMAT:
            raise ModelError(f"format de modèle inconnu ({data.get('format')!r})")
        try:
            by_name = {str(k): float(v) for k, v in data["weights"].items()}
            missing = [n for n in FEATURE_NAMES if n not in by_name]
            if missing:
                raise ModelError(f"poids manquants : {', '.join(missing)}")
            known = set(cls.__dataclass_fields__)
            info = {k: v for k, v in data.items() if k not in known and k not in _FILE_KEYS}
            return cls(
                slugs=tuple(data["slugs"]),
                intercept=float(data["intercept"]),
                weights=tuple(by_name[n] for n in FEATURE_NAMES),
                biases=tuple((str(k), float(v)) for k, v in data["themes"].items()),
                threshold=float(data["threshold"]),
                max_themes=int(data.get("max_themes", 3)),
                low_confidence=float(data.get("low_confidence", 0.6)),
                penalty=float(data.get("penalty", 1.0)),
                theme_penalty=float(data.get("theme_penalty", 3.0)),
                vocabulary_digest=str(data.get("vocabulary_digest", "")),
                info=info,
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ModelError(
                f"modèle incomplet ou mal formé ({type(exc).__name__} : {exc})"
            ) from None


_FILE_KEYS = frozenset({"format", "kind", "weights", "labels", "themes"})


def vocabulary_digest(vocabulary: Vocabulary) -> str:
    """A short fingerprint of a vocabulary (the model says which one it was trained with)."""
    payload = json.dumps(vocabulary.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def save_model(model: TagModel, path: Path) -> None:
    """Write the model as readable JSON, atomically (a reader never sees half a file)."""
    path = Path(path)
    text = _readable_json(model.to_dict()) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-tagging-model-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _readable_json(value: Any, indent: str = "") -> str:
    """JSON with one entry per line, but lists of plain values on one line (record ids)."""
    inner = indent + " "
    if isinstance(value, dict) and value:
        items = [
            f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {_readable_json(v, inner)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        items = [inner + _readable_json(v, inner) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


def load_model(path: Path) -> TagModel:
    """Read a model file; raise ModelError with a French message when it cannot be used."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path} : fichier introuvable") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"{path} : fichier illisible ({type(exc).__name__})") from None
    if not isinstance(data, dict):
        raise ModelError(f"{path} : modèle mal formé")
    try:
        return TagModel.from_dict(data)
    except ModelError as exc:
        raise ModelError(f"{path} : {exc}") from None


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
            p = _sigmoid(sum(w[j] * v for j, v in row))
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
            f"{len(examples)} documents étiquetés : il en faut au moins {MIN_DOCUMENTS}"
            " pour apprendre (les règles seules restent en vigueur)"
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


# -- the model of an instance ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelLoad:
    """The instance's model if usable; `error` says why a present file is not used."""

    model: TagModel | None
    path: Path
    error: str | None = None
    stale: bool = False  # trained with other terms (same thematics): worth retraining


def model_for_instance(instance_root: Path, vocabulary: Vocabulary) -> ModelLoad:
    """The instance's `tagging-model.json` when it exists and fits the vocabulary's thematics."""
    path = Path(instance_root) / MODEL_FILE
    if not path.exists():
        return ModelLoad(None, path)
    try:
        model = load_model(path)
    except ModelError as exc:
        return ModelLoad(None, path, f"modèle de marquage inutilisable, règles seules : {exc}")
    if not model.compatible_with(vocabulary):
        return ModelLoad(
            None,
            path,
            (
                f"modèle de marquage ignoré ({path.name}) : il a été entraîné pour d'autres"
                " thématiques que celles du vocabulaire ; relancez « fonds tags train »"
            ),
        )
    stale = bool(model.vocabulary_digest) and model.vocabulary_digest != vocabulary_digest(
        vocabulary
    )
    return ModelLoad(model, path, stale=stale)


def tagger_for_instance(instance_root: Path, vocabulary: Vocabulary) -> tuple[Tagger, str | None]:
    """The tagger an instance uses (the rules, and its model when there is a usable one),
    with the French line to show when a model file is present but not used."""
    load = model_for_instance(instance_root, vocabulary)
    return Tagger(vocabulary, model=load.model), load.error
