"""What the search page and the API show around a SearchPage: facet groups with decades,
removable chips, pages, and why nothing was found. No Flask request here: plain values in."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from indexer.search import FacetCount, SearchPage, SearchRequest

from ..params import FACET_PARAMS, args_for

# facet name in SearchPage.facets -> URL parameter, French title
FACETS: tuple[tuple[str, str, str], ...] = (
    ("theme", "theme", "Thématique"),
    ("type", "type", "Type de document"),
    ("support", "support", "Support"),
    ("year", "year", "Année"),
    ("language", "lang", "Langue"),
    ("author", "author", "Auteur / organisme"),
    ("available", "available", "Disponibilité"),
)
FACET_TITLES = {name: title for name, _, title in FACETS}
PARAM_OF = {name: param for name, param, _ in FACETS}
FACET_OF = {param: name for name, param, _ in FACETS}
SHOWN_VALUES = 8  # values of a facet shown before "voir plus"

SORT_LABELS = {
    "relevance": "Pertinence",
    "newest": "Plus récents",
    "oldest": "Plus anciens",
    "title": "Titre (A → Z)",
}


@dataclass(slots=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    input_id: str
    children: list[FacetValue] = field(default_factory=list)


@dataclass(slots=True)
class FacetGroup:
    name: str
    param: str
    title: str
    values: list[FacetValue]
    more: list[FacetValue]  # shown behind "voir plus"

    @property
    def selected_count(self) -> int:
        return sum(v.selected for v in self.values + self.more)


@dataclass(frozen=True, slots=True)
class Chip:
    facet: str
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int | None  # None: a gap (…)
    url: str = ""
    current: bool = False


@dataclass(frozen=True, slots=True)
class Loosen:
    """One way out of zero results: a sentence, and a link with its count when there is one."""

    text: str
    url: str = ""
    count: int | None = None


UrlFor = Callable[[list[tuple[str, str]]], str]


def search_url(base: str) -> UrlFor:
    """Build URLs of search states from `args_for` pairs."""

    def build(pairs: list[tuple[str, str]]) -> str:
        return base + ("?" + urlencode(pairs) if pairs else "")

    return build


def decade_of(year: int) -> str:
    start = year - year % 10
    return f"{start}-{start + 9}"


def range_label(value: str) -> str:
    low, _, high = value.partition("-")
    return f"{low}–{high}" if high else value


def decades(year_values: Sequence[FacetCount], selected: Sequence[str]) -> list[FacetCount]:
    """Decade counts from year counts (a record has one year: counts add up exactly)."""
    totals: dict[str, int] = {}
    for item in year_values:
        if item.value.isdigit():
            key = decade_of(int(item.value))
            totals[key] = totals.get(key, 0) + item.count
    for value in selected:  # a selected decade stays visible even with no document
        if "-" in value:
            totals.setdefault(value, 0)
    ordered = sorted(totals.items(), reverse=True)
    return [FacetCount(v, n, label=range_label(v), selected=v in selected) for v, n in ordered]


def facet_groups(page: SearchPage, request: SearchRequest) -> list[FacetGroup]:
    """The facets to show, in order, with labels; years grouped by decade."""
    groups = []
    for name, param, title in FACETS:
        values = page.facets.get(name, ())
        if name == "year":
            items = _year_tree(values, request.years)
        else:
            items = [_value(name, v) for v in values]
        if not items:
            continue
        limit = len(items) if name == "year" else SHOWN_VALUES
        # selected values always in the visible part
        shown = items[:limit] + [v for v in items[limit:] if v.selected]
        more = [v for v in items[limit:] if not v.selected]
        groups.append(FacetGroup(name, param, title, shown, more))
    return groups


def _value(facet: str, item: FacetCount) -> FacetValue:
    return FacetValue(
        item.value,
        item.label or item.value,
        item.count,
        item.selected,
        _input_id(facet, item.value),
    )


def _input_id(facet: str, value: str) -> str:
    """Stable across processes and requests (the script puts focus back on it after an update)."""
    safe = "".join(c if c.isascii() and c.isalnum() else "-" for c in value.lower())[:40]
    return f"f-{facet}-{safe}-{zlib.crc32(value.encode()) % 100_000:05d}"


def _year_tree(values: Sequence[FacetCount], selected: Sequence[str]) -> list[FacetValue]:
    years = [v for v in values if v.value.isdigit()]
    tree = []
    for decade in decades(values, selected):
        node = _value("decade", decade)
        low, _, high = decade.value.partition("-")
        node.children = [_value("year", y) for y in years if int(low) <= int(y.value) <= int(high)]
        tree.append(node)
    # other selected ranges (typed in a URL, not decades) stay visible so they can be removed
    known = {d.value for d in tree}
    for item in values:
        if "-" in item.value and item.value not in known:
            tree.append(_value("year", replace(item, label=range_label(item.value))))
    return tree


def chips(request: SearchRequest, groups: Sequence[FacetGroup], url: UrlFor) -> list[Chip]:
    """One removable chip per selected facet value."""
    labels: dict[tuple[str, str], str] = {}
    for group in groups:
        for v in _flatten(group.values + group.more):
            labels[(group.param, v.value)] = v.label
    out = []
    for param, (attribute, _) in FACET_PARAMS.items():
        selected = getattr(request, attribute)
        for value in selected:
            rest = [v for v in selected if v != value]
            label = labels.get((param, value)) or (range_label(value) if param == "year" else value)
            out.append(
                Chip(FACET_TITLES[FACET_OF[param]], label, url(args_for(request, **{param: rest})))
            )
    return out


def _flatten(values: Sequence[FacetValue]) -> list[FacetValue]:
    out = []
    for v in values:
        out.append(v)
        out.extend(v.children)
    return out


def pagination(request: SearchRequest, total: int, url: UrlFor, last_page: int) -> list[PageLink]:
    """Page links: first, last, and two on each side of the current page."""
    pages = min(max(1, -(-total // request.per_page)), last_page)
    if pages <= 1:
        return []
    wanted = {1, pages, *range(request.page - 2, request.page + 3)}
    out: list[PageLink] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= pages):
        if number - previous > 1:
            out.append(PageLink(None))
        out.append(PageLink(number, url(args_for(request, page=number)), number == request.page))
        previous = number
    return out


def has_filters(request: SearchRequest) -> bool:
    return any(request.filters().values())


def explain_empty(page: SearchPage, url: UrlFor) -> list[Loosen]:
    """Why a search found nothing, and what would find something. The counts come with the
    page (the search computed them in the same pass): no other search runs for this help."""
    help_ = page.empty_help
    if help_ is None:
        return []
    request = page.request
    out: list[Loosen] = []
    cleared: dict[str, list[str]] = {param: [] for param in FACET_PARAMS}
    if has_filters(request):
        if help_.without_filters:
            out.append(
                Loosen(
                    "Sans aucun filtre", url(args_for(request, **cleared)), help_.without_filters
                )
            )
            counts = dict(help_.without_filter)
            for param, (attribute, _) in FACET_PARAMS.items():
                n = counts.get(FACET_OF[param], 0)
                if getattr(request, attribute) and n:
                    title = FACET_TITLES[FACET_OF[param]]
                    out.append(
                        Loosen(
                            f"Sans le filtre « {title} »", url(args_for(request, **{param: []})), n
                        )
                    )
        else:
            out.append(Loosen("Même sans les filtres, la recherche ne trouve rien."))
    if help_.without_exclusions:
        kept = " ".join(t for t in _TYPED.findall(request.q) if not t.startswith("-"))
        if kept.strip():
            out.append(
                Loosen(
                    "Sans les exclusions (-mot)",
                    url(args_for(request, q=kept)),
                    help_.without_exclusions,
                )
            )
    unknown = [Loosen(f"Aucun document du fonds ne contient « {word} ».") for word in help_.unknown]
    return unknown + out


_TYPED = re.compile(r'-?"[^"]*"|\S+')


def facets_json(page: SearchPage, request: SearchRequest) -> dict[str, Any]:
    """The facade's facets (the `fonds search --json` shape) plus decades of the year facet."""
    data: dict[str, Any] = {
        name: [f.to_json() for f in values] for name, values in page.facets.items()
    }
    data["decade"] = [f.to_json() for f in decades(page.facets.get("year", ()), request.years)]
    return data
