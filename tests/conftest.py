"""Shared fixtures: a fresh instance per test, and the real-world files beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REALWORLD = SHARED / "realworld"
SCHEMAS = SHARED / "schemas"


def _shared_dir(path: Path, what: str) -> Path:
    """`../shared` sits beside a developer's checkout and CI's clone, not a user's clone:
    skip visibly without it, but never under CI, where its absence is a broken setup."""
    if not path.is_dir():
        message = f"{what} not found at {path} (it sits beside the checkout, in ../shared)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{message}; CI=true requires it")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def realworld_dir() -> Path:
    return _shared_dir(REALWORLD, "the real-world corpus")


@pytest.fixture(scope="session")
def schemas_dir() -> Path:
    return _shared_dir(SCHEMAS, "the XML schemas")


@pytest.fixture(scope="session")
def interop_dir() -> Path:
    return _shared_dir(SHARED / "interop", "the partners' exchange files")


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    """An empty instance folder for one test."""
    path = tmp_path / "instance"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def tesseract() -> None:
    """OCR tests need Tesseract with French, English and Spanish, and a font with accents to
    render scans: skipped visibly without them, failed under CI (.ci/run installs them)."""
    from corpus.synth.scans import find_font
    from indexer.ocr.tools import APT_LINE, missing_tools

    missing = missing_tools("fra+eng+spa")
    if missing is not None or find_font() is None:
        what = f"{missing.code} {missing.detail}".strip() if missing else "a font with accents"
        message = f"OCR tools missing ({what}): {APT_LINE}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{message}; CI=true requires them")
        pytest.skip(message)
