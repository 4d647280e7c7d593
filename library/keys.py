"""Lookup keys stored beside a record so that duplicate checks are indexed look-ups."""

from __future__ import annotations

from .text import normalise_title


def title_key(title: str | None) -> str:
    """The comparable form of a title (duplicate detection: same title and year)."""
    return normalise_title(title or "")


def origin_id(source: str | None) -> str:
    """The identifier a record had in its system of origin: what follows the last '#'."""
    source = source or ""
    return source.rpartition("#")[2] if "#" in source else ""
