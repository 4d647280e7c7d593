"""Which thematics of a record count: the one rule every reader of the catalogue shares.

A record's thematic has two sources: the tagger's proposal (a score and its evidence) and the
documentalist's decision ('add' or 'remove', or none). It counts — it is *effective*: shown,
indexed, harvested, exported — when the documentalist added it, or when the tagger proposed it
and nobody removed it. A removal outlives every re-tagging; an addition needs no proposal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

ADD = "add"
REMOVE = "remove"
DECISIONS = (ADD, REMOVE)


def is_effective(manual: str | None, proposed: bool) -> bool:
    """Whether a thematic counts, given the documentalist's decision and the tagger's proposal."""
    return manual == ADD or (manual is None and proposed)


def effective_slugs(decisions: Mapping[str, str], proposed: Iterable[str]) -> set[str]:
    """The thematics that count, from the decisions {slug: 'add'|'remove'} and the proposals."""
    proposals = set(proposed)
    return {
        slug
        for slug in proposals | set(decisions)
        if is_effective(decisions.get(slug), slug in proposals)
    }


def effective_sql(alias: str = "t") -> str:
    """The same rule as an SQL condition on a `record_themes` row named `alias`."""
    return (
        f"({alias}.manual = '{ADD}' OR ({alias}.manual IS NULL AND {alias}.auto_score IS NOT NULL))"
    )
