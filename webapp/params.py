"""Search parameters from a URL: the page, the API, feeds and exports read them the same way.

    q, theme (repeatable), type, support, year (YYYY or YYYY-YYYY), lang, author,
    available (en-rayon|en-pret|en-ligne), sort (relevance|newest|oldest|title), page, per_page

Every facet parameter may be repeated (values of one facet combine with OR). Reading never
fails: a value that cannot be used is dropped and reported as a `Problem` (a French sentence),
an out-of-range number is clamped. Callers choose what to do with the problems: the page shows
them, the API answers 400 when one is `invalid`, feeds and exports ignore them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from werkzeug.routing import BaseConverter, ValidationError

from indexer.search import AVAILABILITY, SORTS, SearchRequest
from library import DocType, Support

MAX_QUERY_CHARS = 2_000  # the query parser keeps fewer; this only bounds the work done here
MAX_VALUES = 20  # values per facet parameter
MAX_VALUE_CHARS = 200
MAX_PAGE = 1_000
DEFAULT_PER_PAGE = 20
DEFAULT_MAX_PER_PAGE = 100
MIN_YEAR, MAX_YEAR = 1000, 2999
MAX_ID = 2**63 - 1  # SQLite's largest integer: no row id can be larger
MAX_LIST_PAGE = 1_000_000  # pages of the workspace's lists (50 rows each)

# URL parameter -> (SearchRequest field, French name for messages)
FACET_PARAMS: dict[str, tuple[str, str]] = {
    "theme": ("themes", "thématique"),
    "type": ("types", "type de document"),
    "support": ("supports", "support"),
    "year": ("years", "année"),
    "lang": ("languages", "langue"),
    "author": ("authors", "auteur"),
    "available": ("available", "disponibilité"),
}
PARAM_NAMES = ("q", *FACET_PARAMS, "sort", "page", "per_page")

_YEAR = re.compile(r"^(\d{4})(?:\s*[-–]\s*(\d{4}))?$")
_LANG = re.compile(r"^[a-z]{2,3}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ArgsLike(Protocol):
    def getlist(self, key: str) -> list[str]: ...
    def get(self, key: str, default: Any = None) -> Any: ...


@dataclass(frozen=True, slots=True)
class Problem:
    """A parameter value that was dropped (`invalid`) or adjusted (`clamped`)."""

    param: str
    value: str
    message: str  # French, for users
    kind: str = "invalid"  # invalid | clamped

    def to_json(self) -> dict[str, str]:
        return {"param": self.param, "value": self.value, "message": self.message}


@dataclass(frozen=True, slots=True)
class SearchArgs:
    request: SearchRequest
    problems: tuple[Problem, ...] = field(default=())

    @property
    def invalid(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.kind == "invalid")


def request_from_args(
    args: ArgsLike | Mapping[str, Any],
    *,
    theme_slugs: Collection[str] | None = None,
    per_page: int | None = None,
    max_per_page: int | None = None,
) -> SearchRequest:
    """The SearchRequest a URL's parameters describe; unusable values are dropped, never raised."""
    return parse_search_args(
        args, theme_slugs=theme_slugs, per_page=per_page, max_per_page=max_per_page
    ).request


def parse_search_args(
    args: ArgsLike | Mapping[str, Any],
    *,
    theme_slugs: Collection[str] | None = None,
    per_page: int | None = None,
    max_per_page: int | None = None,
) -> SearchArgs:
    """Like request_from_args, with the list of what was dropped or adjusted and why.

    Inside a Flask app, defaults come from the config (SEARCH_PER_PAGE, SEARCH_MAX_PER_PAGE) and
    the known thematics from the vocabulary; outside, every well-formed theme slug is kept."""
    defaults = _app_defaults()
    per_page = per_page or defaults.get("per_page") or DEFAULT_PER_PAGE
    max_per_page = max_per_page or defaults.get("max_per_page") or DEFAULT_MAX_PER_PAGE
    if theme_slugs is None:
        theme_slugs = defaults.get("theme_slugs")
    problems: list[Problem] = []
    getlist = _getlist(args)

    q = " ".join(_clean(v) for v in getlist("q"))
    if len(q) > MAX_QUERY_CHARS:
        q = q[:MAX_QUERY_CHARS]

    values: dict[str, tuple[str, ...]] = {}
    for param, (attribute, name) in FACET_PARAMS.items():
        kept: list[str] = []
        for raw in getlist(param):
            # "theme=a,b" is accepted as well as "theme=a&theme=b" (except authors: "Nom, Prénom")
            parts = [raw] if param == "author" else raw.split(",")
            for part in parts:
                value = _clean(part)
                if not value:
                    continue
                checked = _check(param, value, theme_slugs)
                if checked is None:
                    message = f"Valeur inconnue pour « {name} » : « {value[:60]} » (ignorée)."
                    problems.append(Problem(param, value[:MAX_VALUE_CHARS], message))
                elif checked not in kept:
                    kept.append(checked)
        if len(kept) > MAX_VALUES:
            message = f"Trop de valeurs pour « {name} » : les {MAX_VALUES} premières comptent."
            problems.append(Problem(param, "", message, "clamped"))
            kept = kept[:MAX_VALUES]
        values[attribute] = tuple(kept)

    sort = _clean(_first(getlist("sort"))).lower()
    if sort and sort not in SORTS:
        problems.append(
            Problem(
                "sort", sort[:MAX_VALUE_CHARS], f"Tri inconnu : « {sort[:60]} » (tri par défaut)."
            )
        )
        sort = ""
    if sort == "relevance" and not q.strip():
        sort = ""  # nothing to rank by: browse newest first

    page = _integer("page", _first(getlist("page")), 1, 1, MAX_PAGE, problems)
    size = _integer("per_page", _first(getlist("per_page")), per_page, 1, max_per_page, problems)
    request = SearchRequest(q=q, sort=sort, page=page, per_page=size, **values)
    return SearchArgs(request, tuple(problems))


def args_for(request: SearchRequest, **changes: Any) -> list[tuple[str, str]]:
    """The URL parameters of a request (for links), with some replaced: `page=2`, `theme=[...]`.

    A change to anything but the page starts again at page 1. Defaults are left out so that
    URLs stay short and the same state has one URL."""
    state: dict[str, Any] = {
        "q": request.q,
        **{param: list(getattr(request, attr)) for param, (attr, _) in FACET_PARAMS.items()},
        "sort": request.sort,
        "page": request.page,
        "per_page": request.per_page,
    }
    if changes and "page" not in changes:
        state["page"] = 1
    state.update(changes)
    default_size = _app_defaults(with_themes=False).get("per_page", DEFAULT_PER_PAGE)
    pairs: list[tuple[str, str]] = []
    for name in PARAM_NAMES:
        value = state.get(name)
        if value in (None, "", [], ()):
            continue
        if name == "page" and int(value) == 1:
            continue
        if name == "per_page" and int(value) == default_size:
            continue
        if isinstance(value, list | tuple):
            pairs.extend((name, str(v)) for v in value)
        else:
            pairs.append((name, str(value)))
    return pairs


def _check(param: str, value: str, theme_slugs: Collection[str] | None) -> str | None:
    """The canonical form of a facet value, or None when it cannot name anything."""
    value = value[:MAX_VALUE_CHARS]
    if param == "theme":
        slug = value.lower()
        if theme_slugs is not None:
            return slug if slug in theme_slugs else None
        return slug if re.fullmatch(r"[a-z0-9-]{1,60}", slug) else None
    if param == "type":
        slug = value.lower()
        return slug if slug in {t.value for t in DocType} else None
    if param == "support":
        slug = value.lower().replace("é", "e")
        return slug if slug in {s.value for s in Support} else None
    if param == "available":
        slug = value.lower().replace("ê", "e")
        return slug if slug in AVAILABILITY else None
    if param == "lang":
        code = value.lower()
        return code if _LANG.match(code) else None
    if param == "year":
        match = _YEAR.match(value)
        if not match:
            return None
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        if not (MIN_YEAR <= low <= MAX_YEAR and MIN_YEAR <= high <= MAX_YEAR) or low > high:
            return None
        return str(low) if low == high else f"{low}-{high}"
    return value  # author: free text, matched as catalogued


def _integer(
    param: str, raw: str | None, default: int, low: int, high: int, problems: list[Problem]
) -> int:
    raw = _clean(raw or "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        message = f"Nombre attendu pour « {param} » : « {raw[:60]} » (ignoré)."
        problems.append(Problem(param, raw[:60], message))
        return default
    if value < low or value > high:
        clamped = min(max(value, low), high)
        message = f"« {param} » ramené à {clamped} (entre {low} et {high})."
        problems.append(Problem(param, raw[:60], message, "clamped"))
        return clamped
    return value


class IdConverter(BaseConverter):
    """`<id:name>` in a route: a row id, digits only and within SQLite's integers. Anything
    else does not match the route (404), so no view ever sees an id SQLite cannot hold.
    Every route with a number in its path uses it (create_app registers it)."""

    regex = r"[0-9]{1,19}"
    weight = 50

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


def id_arg(raw: str | None) -> int | None:
    """A row id from a query or form parameter, or None when it could not name a row."""
    raw = _clean(raw).lstrip("0")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    number = int(raw)
    return number if 1 <= number <= MAX_ID else None


def page_arg(raw: str | None, last: int = MAX_LIST_PAGE) -> int:
    """A page number from a parameter: 1 when unreadable, clamped to [1, last]."""
    raw = _clean(raw)
    if not raw.isascii() or not raw.isdigit():
        return 1  # junk, or a negative number
    digits = raw.lstrip("0")
    if len(digits) > 19:  # also spares int() a string of thousands of digits
        return last
    return max(1, min(int(digits or "0"), last))


def _clean(value: str | None) -> str:
    """Control characters out, the replacement character of undecodable bytes out, trimmed."""
    if value is None:
        return ""
    return _CONTROL.sub(" ", str(value)).replace("\ufffd", " ").strip()


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _getlist(args: ArgsLike | Mapping[str, Any]):
    if hasattr(args, "getlist"):
        return lambda key: [str(v) for v in args.getlist(key)][:100]

    def from_mapping(key: str) -> list[str]:
        value = args.get(key)
        if value is None:
            return []
        if isinstance(value, list | tuple):
            return [str(v) for v in value][:100]
        return [str(value)]

    return from_mapping


def _app_defaults(*, with_themes: bool = True) -> dict[str, Any]:
    """Config and vocabulary of the current app, when there is one."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return {}
    out: dict[str, Any] = {
        "per_page": int(current_app.config.get("SEARCH_PER_PAGE", DEFAULT_PER_PAGE)),
        "max_per_page": int(current_app.config.get("SEARCH_MAX_PER_PAGE", DEFAULT_MAX_PER_PAGE)),
    }
    if not with_themes:
        return out
    try:
        from . import services

        out["theme_slugs"] = frozenset(services.theme_labels())
    except Exception:  # noqa: BLE001 - no vocabulary: keep every well-formed slug
        pass
    return out
