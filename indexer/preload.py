"""Imported once by the extraction pool's server process, before it forks the workers: the
parsers, the extractor registry and the language profiles are then loaded once and shared."""

from __future__ import annotations

from . import extractors, worker  # noqa: F401 - imported for their side effect: loading
from .language import load_profiles

load_profiles()
