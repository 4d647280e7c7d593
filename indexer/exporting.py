"""Which records an export carries: a search (with its filters), a basket of ids, the fund.

The CLI and the web app both choose records here, then write them with `library.exporting`.
Deleted records never come out; the order is the search's, the basket's, or the catalogue's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from library import Catalogue, Record

from .search import Finder, SearchRequest

MAX_IDS = 5_000  # a basket or an `ids=` list larger than this is cut (the fund is ~2,000)


def parse_ids(raw: Iterable[str] | str) -> list[int]:
    """Record ids from '12,5 7' or repeated values; junk ignored, first occurrences in order."""
    values = [raw] if isinstance(raw, str) else list(raw)
    ids: list[int] = []
    for value in values:
        for token in re.split(r"[\s,;]+", value or ""):
            if token.isdigit() and len(token) < 10:
                ids.append(int(token))
    return list(dict.fromkeys(ids))[:MAX_IDS]


def is_everything(request: SearchRequest) -> bool:
    """A request without query nor filter: the whole fund."""
    return not request.q.strip() and not any(request.filters().values())


def select(
    catalogue: Catalogue,
    *,
    ids: Sequence[int] | None = None,
    request: SearchRequest | None = None,
    finder: Finder | None = None,
) -> list[Record]:
    """Live records of a basket (`ids`, in its order), of a search, or of the whole fund."""
    if ids is not None:
        wanted = list(ids)
    elif request is None or is_everything(request):
        wanted = catalogue.ids()
    else:
        if finder is None:
            raise ValueError("a search selection needs a finder")
        wanted = finder.all_ids(request)
    found = catalogue.get_many(wanted)
    return [found[i] for i in wanted if i in found and not found[i].deleted]
