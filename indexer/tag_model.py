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
(`indexer.tag_training.select`), and the model is stored as readable JSON in the instance (`tagging-model.json`):
weights with their French labels, per-thematic biases, the threshold, and the cross-validated
figures of the rules and of the model measured when it was trained.

The model is trained where it decides: on the thematics the rules found with specific evidence
(a thematic without any vocabulary term is never assigned, so it teaches nothing about the
decision). Training lives in `indexer.tag_training`; the instance's model is found by
`indexer.instance`. A `TagModel` is the tagger's `Decider` (`indexer.tagging`); applying it
costs some microseconds per document.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from .tagging import Decision, ThemeScore
from .vocabulary import Vocabulary

MODEL_FILE = "tagging-model.json"
FORMAT = 1

# (name, French label): the order of the weights in the model file. The labels are written into
# the model file so that a documentalist can read its weights; a decision's reasons carry the
# names, which the edges put into words (`webapp.messages.explain_model`).
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
BIAS = "bias"  # a thematic's own habit, beside the features in a decision's reasons


class ModelProblem(StrEnum):
    """Why there is no usable model; the params are named beside each."""

    NOT_FOUND = "not-found"
    UNREADABLE = "unreadable"  # error: the exception class
    MALFORMED = "malformed"  # detail (absent when the file is not a JSON object)
    UNKNOWN_FORMAT = "unknown-format"  # format
    MISSING_WEIGHTS = "missing-weights"  # names
    TOO_FEW_DOCUMENTS = "too-few-documents"  # documents, needed; fold: in one training part
    NOT_REQUESTED = "not-requested"  # a cross-validation of the rules alone


class ModelError(Exception):
    """A model that cannot be used or trained: a code and its facts, worded at the edge."""

    def __init__(self, code: ModelProblem, *, path: Path | None = None, **params: Any) -> None:
        super().__init__(f"{path}: {code} {params}" if path else f"{code} {params}")
        self.code = code
        self.path = path
        self.params = params


# -- features ----------------------------------------------------------------------------------


def theme_features(scores: Sequence[ThemeScore]) -> dict[str, tuple[float, ...]]:
    """The feature vector of every scored thematic of a document (others are all zeros)."""
    if not scores:
        return {}
    ranked = sorted(scores, key=lambda t: (-t.raw, t.slug))
    best = ranked[0].raw
    description = 0.0 if ranked[0].has_text else 1.0
    out: dict[str, tuple[float, ...]] = {}
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


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


# -- the model -----------------------------------------------------------------------------------


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
            out[slug] = sigmoid(z)
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
                (name, w * v)
                for name, w, v in zip(FEATURE_NAMES, self.weights, x, strict=True)
                if v
            ]
            bias = biases.get(theme.slug, 0.0)
            p = sigmoid(self.intercept + bias + sum(c for _, c in parts))
            if p >= self.threshold:
                if bias:
                    parts.append((BIAS, bias))
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
            raise ModelError(ModelProblem.UNKNOWN_FORMAT, format=repr(data.get("format")))
        try:
            by_name = {str(k): float(v) for k, v in data["weights"].items()}
            missing = [n for n in FEATURE_NAMES if n not in by_name]
            if missing:
                raise ModelError(ModelProblem.MISSING_WEIGHTS, names=tuple(missing))
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
                ModelProblem.MALFORMED, detail=f"{type(exc).__name__}: {exc}"
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
    """Read a model file; raise ModelError (with the path) when it cannot be used."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(ModelProblem.NOT_FOUND, path=path) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelError(ModelProblem.UNREADABLE, path=path, error=type(exc).__name__) from None
    if not isinstance(data, dict):
        raise ModelError(ModelProblem.MALFORMED, path=path)
    try:
        return TagModel.from_dict(data)
    except ModelError as exc:
        raise ModelError(exc.code, path=path, **exc.params) from None
