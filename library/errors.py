"""Errors raised by the catalogue; the CLI and the web app translate them for users."""

from __future__ import annotations


class CatalogueError(Exception):
    """Base class of the catalogue's refusals."""


class NotFound(CatalogueError):
    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} {key!r} not found")
        self.what = what
        self.key = key


class DuplicateRecord(CatalogueError):
    def __init__(self, existing_id: int, reason: str) -> None:
        super().__init__(f"duplicate of record {existing_id}: {reason}")
        self.existing_id = existing_id
        self.reason = reason


class InvalidRecord(CatalogueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
