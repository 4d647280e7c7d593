"""Counts for the dashboard that the catalogue's `stats()` does not give."""

from __future__ import annotations

from .catalogue import Catalogue


def acquisitions_per_year(catalogue: Catalogue) -> list[tuple[int, int]]:
    """[(year, live records catalogued that year)], oldest first, missing years filled with 0."""
    counts = {
        int(y): n
        for y, n in catalogue.conn.execute(
            "SELECT substr(created_at, 1, 4), count(*) FROM records WHERE deleted = 0 GROUP BY 1"
        )
        if y and y.isdigit()
    }
    if not counts:
        return []
    return [(y, counts.get(y, 0)) for y in range(min(counts), max(counts) + 1)]


def publications_per_year(catalogue: Catalogue) -> list[tuple[int, int]]:
    """[(publication year, live records)], oldest first, missing years filled with 0."""
    counts = dict(
        catalogue.conn.execute(
            "SELECT year, count(*) FROM records WHERE deleted = 0 AND year IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    if not counts:
        return []
    return [(y, counts.get(y, 0)) for y in range(min(counts), max(counts) + 1)]
