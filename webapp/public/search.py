"""The public search page (`/`): one query box, facets, results; every state is a URL."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from indexer.search import IndexBusy, SearchPage, SearchQueryError, SearchRequest

from .. import services
from ..messages import query_note
from ..params import MAX_PAGE, Problem, SearchArgs, args_for, parse_search_args
from .search_view import (
    SORT_LABELS,
    chips,
    explain_empty,
    facet_groups,
    has_filters,
    pagination,
    search_url,
)

bp = Blueprint("search", __name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One search as the page and the API need it."""

    args: SearchArgs
    page: SearchPage
    took_ms: float
    error: str = ""  # a query the engine refused (French)

    @property
    def request(self) -> SearchRequest:
        return self.args.request


def run_search(args: SearchArgs) -> Outcome:
    """Search the fund; a query the engine refuses gives an empty page and a message."""
    started = time.perf_counter()
    finder = services.get_finder()
    try:
        page = finder.search(args.request)
        error = ""
    except SearchQueryError as exc:
        page = SearchPage(args.request, 0, (), {})
        error = exc.message
    except IndexBusy:
        abort(503)
    return Outcome(args, page, (time.perf_counter() - started) * 1000, error)


@bp.get("/")
def index() -> str | Response:
    args = parse_search_args(request.args)
    outcome = run_search(args)
    req, page = outcome.request, outcome.page
    url = search_url(url_for("search.index"))
    groups = facet_groups(page, req)
    pages = min(page.pages, MAX_PAGE)
    loosen = explain_empty(page, url) if page.total == 0 else []
    query_string = urlencode(args_for(req, page=1, per_page=req.per_page))
    return render_template(
        "search.html",
        req=req,
        page=page,
        took_ms=outcome.took_ms,
        error=outcome.error,
        notes=_notes(args.problems, page),
        groups=groups,
        chips=chips(req, groups, url),
        clear_url=url(args_for(req, **{p: [] for p in _FACET_PARAMS})),
        pagination=pagination(req, page.total, url, MAX_PAGE),
        beyond_last=page.total > 0 and req.page > pages,
        last_url=url(args_for(req, page=pages)),
        suggestion_url=url(args_for(req, q=page.suggestion)) if page.suggestion else "",
        loosen=loosen,
        filtered=has_filters(req),
        sorts=SORT_LABELS,
        sort=req.sort or req.effective_sort,
        default_sort="relevance" if req.q.strip() else "newest",
        first=(req.page - 1) * req.per_page + 1,
        query_string=query_string,
        basket_fields=[(k, v) for k, v in args_for(req, page=1) if k not in ("page", "per_page")],
        stats_live=page.total if not req.q and not has_filters(req) else None,
        per_page_default=int(current_app.config["SEARCH_PER_PAGE"]),
    )


_FACET_PARAMS = ("theme", "type", "support", "year", "lang", "author", "available")


def _notes(problems: tuple[Problem, ...], page: SearchPage) -> list[str]:
    """Messages of the parameters' reader and of the query parser, once each."""
    notes = [query_note(n) for n in page.notes]
    return list(dict.fromkeys([p.message for p in problems] + notes))
