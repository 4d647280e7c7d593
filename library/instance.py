"""The instance folder: everything one fund needs, so that backing it up backs up the fund."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalogue import CATALOGUE_FILE


@dataclass(frozen=True, slots=True)
class InstancePaths:
    root: Path

    @property
    def catalogue(self) -> Path:
        return self.root / CATALOGUE_FILE

    @property
    def index_dir(self) -> Path:
        """Parent of the search index's generations (the index is derived, rebuildable)."""
        return self.root / "index"

    @property
    def store_dir(self) -> Path:
        return self.root / "files"

    @property
    def vocabulary(self) -> Path:
        return self.root / "vocabulary.toml"

    @property
    def config(self) -> Path:
        return self.root / "config.py"

    @property
    def secret_key(self) -> Path:
        return self.root / "secret_key"

    def exists(self) -> bool:
        return self.catalogue.is_file()
