"""Installs are reproducible: every declared dependency has its exact version in constraints.txt."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    """The normalised project name of a requirement ("pypdf[crypto]>=5.0" -> "pypdf")."""
    name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement).group(0)
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    return {_name(r): r for r in requirements}


def _locked() -> dict[str, str]:
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if match := re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line):
            pins[_name(match.group(1))] = match.group(2)
    return pins


def test_every_declared_dependency_is_locked_run_make_lock_otherwise():
    missing = sorted(set(_declared()) - set(_locked()))
    assert missing == []


def test_the_linter_is_pinned_exactly_and_the_lock_agrees():
    assert _declared()["ruff"] == f"ruff=={_locked()['ruff']}"


def test_pypdf_brings_its_crypto_extra_rather_than_a_bare_cryptography():
    declared = _declared()
    assert declared["pypdf"].startswith("pypdf[crypto]")
    assert "cryptography" not in declared
    assert "cryptography" in _locked()
