"""The read-only JSON API: `/api/search` (the page's parameters) and `/api/records/<id>`.

Public data, so any site may call it (CORS `*`); no cookies are read or set here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request

from library import NotFound
from library.formats.records_json import record_to_dict

from .. import services
from ..messages import query_note
from ..params import MAX_PAGE, args_for, parse_search_args
from ..public.search import run_search
from ..public.search_view import facets_json
from ..urls import external

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.after_app_request
def _cors(response: Response) -> Response:
    """Every /api/ answer, errors included, may be read by other sites."""
    if request.path.startswith("/api/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers.setdefault("Cache-Control", "no-cache")
    return response


@bp.get("/search")
def search() -> tuple[Response, int] | Response:
    args = parse_search_args(request.args)
    if args.invalid:
        problems = [p.to_json() for p in args.invalid]
        return _error(400, "Paramètres de recherche invalides.", problems=problems)
    outcome = run_search(args)
    req, page = outcome.request, outcome.page
    if outcome.error:
        return _error(400, outcome.error)
    base = external("api.search")
    pages = min(page.pages, MAX_PAGE)
    data: dict[str, Any] = page.to_json()
    data["facets"] = facets_json(page, req)
    record_url, api_url = _per_record("records.show"), _per_record("api.record")
    for hit in data["hits"]:
        hit["url"] = record_url(hit["id"])
        hit["api_url"] = api_url(hit["id"])
    data.update(
        {
            "page": req.page,
            "per_page": req.per_page,
            "pages": pages,
            "took_ms": round(outcome.took_ms, 1),
            "messages": [query_note(n) for n in page.notes] + [p.message for p in args.problems],
            "query": _echo(req),
            "links": {
                "self": _link(base, args_for(req)),
                "html": _link(external("search.index"), args_for(req)),
                "next": _link(base, args_for(req, page=req.page + 1)) if req.page < pages else None,
                "prev": _link(base, args_for(req, page=req.page - 1))
                if 1 < req.page <= pages
                else None,
            },
        }
    )
    return jsonify(data)


@bp.get("/records/<id:record_id>")
def record(record_id: int) -> tuple[Response, int] | Response:
    try:
        found = services.get_catalogue().get(record_id)
    except NotFound:
        return _error(404, "Notice introuvable.")
    if found.deleted:
        return _error(410, "Cette notice a été retirée du fonds.", id=record_id, deleted=True)
    data = record_to_dict(found, services.theme_labels())
    del data["notes"]  # the internal note is the documentalists' own, never public
    data["links"] = record_links(record_id, has_file=found.file is not None)
    return jsonify(data)


def record_links(record_id: int, *, has_file: bool) -> dict[str, Any]:
    """Where a record lives on the site (its page, its file, its exports)."""
    return {
        "html": external("records.show", record_id=record_id),
        "api": external("api.record", record_id=record_id),
        "file": external("records.file", record_id=record_id) if has_file else None,
        "ris": _export_url("ris", record_id),
        "bibtex": _export_url("bibtex", record_id),
    }


_SENTINEL = 9_182_736_455_463_728  # an id no address otherwise holds


def _per_record(endpoint: str) -> Callable[[int], str]:
    """external(endpoint, record_id=...) for many ids: the address built once (url_for costs
    about as much as the rest of a hit's JSON), each id put in its place."""
    head, _, tail = external(endpoint, record_id=_SENTINEL).rpartition(str(_SENTINEL))
    return lambda record_id: f"{head}{int(record_id)}{tail}"


def _export_url(fmt: str, record_id: int) -> str:
    return (
        external("search.index").rstrip("/")
        + "/export?"
        + urlencode({"format": fmt, "ids": record_id})
    )


def _echo(req: Any) -> dict[str, Any]:
    """The parameters as understood (after dropping and clamping), under their URL names."""
    return {
        "q": req.q,
        "theme": list(req.themes),
        "type": list(req.types),
        "support": list(req.supports),
        "year": list(req.years),
        "lang": list(req.languages),
        "author": list(req.authors),
        "available": list(req.available),
        "sort": req.effective_sort,
        "page": req.page,
        "per_page": req.per_page,
    }


def _link(base: str, pairs: list[tuple[str, str]]) -> str:
    return base + ("?" + urlencode(pairs) if pairs else "")


def _error(status: int, message: str, **extra: Any) -> tuple[Response, int]:
    return jsonify({"error": message, "status": status, **extra}), status
