"""What an instance tags with: its vocabulary, its learned model, the tagger built from both.

- `load_for_instance(root) -> VocabularyLoad`: the instance's own `vocabulary.toml` when it
  exists and is valid, else the last good one (`vocabulary.last-good.json`, written each time a
  valid instance file is loaded), else the packaged one; `error` says why a fallback is in force.
- `model_for_instance(root, vocabulary) -> ModelLoad`: the instance's `tagging-model.json` when
  it fits the vocabulary's thematics.
- `tagger_for_instance(root, vocabulary)`: the rules, with the model when there is a usable one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .tag_model import MODEL_FILE, ModelError, TagModel, load_model, vocabulary_digest
from .tagging import Tagger
from .vocabulary import (
    INSTANCE_FILE,
    LAST_GOOD_FILE,
    PACKAGED_VOCABULARY,
    Vocabulary,
    VocabularyError,
    load_vocabulary,
    parse_vocabulary,
)

log = logging.getLogger(__name__)

# -- the vocabulary -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VocabularyLoad:
    """The vocabulary in force for an instance, which file it comes from, and what went wrong."""

    vocabulary: Vocabulary
    path: Path
    error: VocabularyError | None = None  # why the instance's own file is not in force
    warnings: tuple[str, ...] = field(default=())


def load_for_instance(instance_root: Path) -> VocabularyLoad:
    """The vocabulary in force for an instance (see the module docstring for the fallbacks)."""
    own = Path(instance_root) / INSTANCE_FILE
    if not own.exists():
        return VocabularyLoad(load_vocabulary(PACKAGED_VOCABULARY), PACKAGED_VOCABULARY)
    last_good = Path(instance_root) / LAST_GOOD_FILE
    try:
        vocabulary = load_vocabulary(own)
    except VocabularyError as exc:
        previous = _read_last_good(last_good)
        # `error` says what is wrong; `path` says which vocabulary is in force instead.
        if previous is not None:
            return VocabularyLoad(previous, last_good, exc)
        return VocabularyLoad(load_vocabulary(PACKAGED_VOCABULARY), PACKAGED_VOCABULARY, exc)
    _write_last_good(last_good, vocabulary, own)
    return VocabularyLoad(vocabulary, own)


def write_instance_vocabulary(instance_root: Path, text: str) -> Path | None:
    """Install a validated vocabulary text as the instance's file; return the backup path."""
    parse_vocabulary(text, source=INSTANCE_FILE)  # never install a file that would not load
    target = Path(instance_root) / INSTANCE_FILE
    backup = None
    if target.exists():
        stamp = 1
        while (candidate := target.with_name(f"{INSTANCE_FILE}.{stamp}.bak")).exists():
            stamp += 1
        backup = candidate
        backup.write_bytes(target.read_bytes())
    _atomic_write(target, text)
    load_for_instance(instance_root)  # refresh the last-good copy
    return backup


def _read_last_good(path: Path) -> Vocabulary | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Vocabulary.from_dict(data["vocabulary"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        if path.exists():
            log.warning("unreadable last-good vocabulary %s: %s", path, exc)
        return None


def _write_last_good(path: Path, vocabulary: Vocabulary, source: Path) -> None:
    payload = json.dumps(
        {"format": 1, "source": str(source), "vocabulary": vocabulary.to_dict()},
        ensure_ascii=False,
        indent=1,
    )
    digest = hashlib.sha256(payload.encode()).hexdigest()
    try:
        if path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == digest:
            return
        _atomic_write(path, payload)
    except OSError as exc:  # a read-only instance still tags with the file it could read
        log.warning("could not save the last good vocabulary to %s: %s", path, exc)


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-vocabulary-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- the learned model --------------------------------------------------------------------------


class ModelSetAside(StrEnum):
    """Why a model file present in the instance is not used (the rules decide alone)."""

    UNUSABLE = "unusable"  # the file cannot be read as a model: see `ModelLoad.cause`
    OTHER_THEMATICS = "other-thematics"  # trained for other thematics than the vocabulary's


@dataclass(frozen=True, slots=True)
class ModelLoad:
    """The instance's model if usable; `error` says why a present file is not used."""

    model: TagModel | None
    path: Path
    error: ModelSetAside | None = None
    stale: bool = False  # trained with other terms (same thematics): worth retraining
    cause: ModelError | None = None  # with UNUSABLE


def model_for_instance(instance_root: Path, vocabulary: Vocabulary) -> ModelLoad:
    """The instance's `tagging-model.json` when it exists and fits the vocabulary's thematics."""
    path = Path(instance_root) / MODEL_FILE
    if not path.exists():
        return ModelLoad(None, path)
    try:
        model = load_model(path)
    except ModelError as exc:
        return ModelLoad(None, path, ModelSetAside.UNUSABLE, cause=exc)
    if not model.compatible_with(vocabulary):
        return ModelLoad(None, path, ModelSetAside.OTHER_THEMATICS)
    stale = bool(model.vocabulary_digest) and model.vocabulary_digest != vocabulary_digest(
        vocabulary
    )
    return ModelLoad(model, path, stale=stale)


def tagger_for_instance(instance_root: Path, vocabulary: Vocabulary) -> tuple[Tagger, ModelLoad]:
    """The tagger an instance uses (the rules, and its model when there is a usable one),
    with the model's load: its `error` says why a model file present is not used."""
    load = model_for_instance(instance_root, vocabulary)
    return Tagger(vocabulary, model=load.model), load
