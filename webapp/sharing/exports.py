"""Sharing from the site: `/export` (every format), `/export/lot` (the partner bundle),
`/bibliographie` (ISO 690, HTML or DOCX), `/panier` (a basket kept in a cookie).

A selection is `ids=1,2,3` (a basket, a record) or the search parameters of the search page;
without either, the whole fund. Deleted records never leave.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response as BaseResponse

from indexer.exporting import is_everything, parse_ids, select
from indexer.search import SearchQueryError, SearchRequest
from library import Record
from library.catalogue import utc_now
from library.exporting import FORMATS, bundle, export
from library.formats.citation import GROUPINGS, grouped, reference
from library.formats.common import ExportContext

from .. import policies, services
from ..params import request_from_args

bp = Blueprint("exports", __name__)

BASKET_COOKIE = "fonds_panier"
BASKET_MAX = 500
BASKET_DAYS = 180
SEARCH_PARAMS = ("q", "theme", "type", "support", "year", "lang", "author", "available", "sort")


class BadExport(BadRequest):
    def __init__(self, french: str) -> None:
        super().__init__(french)
        self.french = french


def export_context() -> ExportContext:
    """Where exports say they come from: the configured public address, else this request's."""
    config = current_app.config
    base = str(config.get("BASE_URL") or request.url_root).rstrip("/")
    return ExportContext(
        theme_labels=services.theme_labels(),
        repository=str(config["OAI_REPOSITORY_DOMAIN"]),
        base_url=base,
        centre=str(config["SITE_NAME"]),
        generated=utc_now(),
    )


# -- selections ------------------------------------------------------------------------------


def selection_args() -> dict[str, list[str]]:
    """The parameters that say which records (to pass on in links): ids, or the search's."""
    if request.args.get("ids") is not None:
        return {"ids": [",".join(str(i) for i in parse_ids(request.args.getlist("ids")))]}
    return {k: request.args.getlist(k) for k in SEARCH_PARAMS if request.args.getlist(k)}


def selected_records() -> tuple[list[Record], str]:
    """The records of this request's selection, and a French description of it; without
    their internal note, which never leaves the workspace (the public note goes out)."""
    records, description = _selection()
    return [without_internal_note(r) for r in records], description


def without_internal_note(record: Record) -> Record:
    return replace(record, notes="") if record.notes else record


def _selection() -> tuple[list[Record], str]:
    catalogue = services.get_catalogue()
    if request.args.get("ids") is not None:
        ids = parse_ids(request.args.getlist("ids"))
        records = select(catalogue, ids=ids)
        return records, ("la notice" if len(ids) == 1 else "la sélection")
    search = request_from_args(request.args)  # paging is ignored: a selection is every hit
    if is_everything(search):
        return select(catalogue), "tout le fonds"
    return select(catalogue, request=search, finder=services.get_finder()), _describe(search)


def _describe(search: SearchRequest) -> str:
    labels = services.theme_labels()
    parts = [f"« {search.q} »"] if search.q else []
    parts += [labels.get(t, t) for t in search.themes]
    parts += list(search.types) + list(search.years) + list(search.authors)
    return "recherche " + ", ".join(parts) if parts else "tout le fonds"


def _file_stem(records: list[Record]) -> str:
    if len(records) == 1 and request.args.get("ids") is not None:
        return f"notice-{records[0].id}"
    return f"fonds-{datetime.now(UTC).strftime('%Y-%m-%d')}"


def _attachment(data: bytes, media_type: str, name: str) -> Response:
    from ..public.records import content_disposition

    response = Response(data, content_type=media_type)
    response.headers["Content-Disposition"] = content_disposition(name, inline=False)
    response.headers["Cache-Control"] = "no-store"
    return response


# -- routes ----------------------------------------------------------------------------------


@bp.get("/export")
def export_file() -> Response:
    name = request.args.get("format", "")
    if name not in FORMATS:
        known = ", ".join(FORMATS)
        raise BadExport(f"Format d'export inconnu « {name[:30]} » : choisissez parmi {known}.")
    records, _ = selected_records()
    fmt = FORMATS[name]
    data = export(name, records, export_context())
    return _attachment(data, fmt.media_type, f"{_file_stem(records)}.{fmt.extension}")


@bp.get("/export/lot")
def export_bundle() -> Response:
    records, description = selected_records()
    data = bundle(records, export_context(), selection=description)
    return _attachment(data, "application/zip", f"lot-{_file_stem(records)}.zip")


GROUPING_LABELS = {
    "theme": "par thématique",
    "type": "par type de document",
    "none": "une seule liste",
}
DEFAULT_TITLE = "Bibliographie"
TITLE_MAX = 200
INTRODUCTION_MAX = 4000


def bibliography_settings() -> tuple[str, str, str]:
    """The title, introduction and grouping the documentalist chose on the page (the title
    on one line, at most 200 characters; the introduction at most 4,000; an unknown grouping
    is the thematic one)."""
    from library.validation import clean_multiline, clean_single

    title = clean_single(request.args.get("titre") or "")[:TITLE_MAX] or DEFAULT_TITLE
    introduction = clean_multiline(request.args.get("introduction") or "")[:INTRODUCTION_MAX]
    grouping = request.args.get("groupement", "")
    return title, introduction, grouping if grouping in GROUPINGS else "theme"


@bp.get("/bibliographie")
def bibliography() -> Response | str:
    records, description = selected_records()
    title, introduction, grouping = bibliography_settings()
    sections = grouped(records, grouping, services.theme_labels())
    # The consultation date of an online item is the day the bibliography is made (the
    # centre's day, config TODAY in tests): the date says when the address was given as good,
    # which an acquisition date (years old, or empty for imported records) would not.
    today = policies.today(current_app.config)
    base_url = export_context().base_url
    if request.args.get("format") == "docx":
        from library.formats.docx_bibliography import bibliography_docx

        data = bibliography_docx(
            sections,
            title=title,
            centre=str(current_app.config["SITE_NAME"]),
            description=description,
            today=today,
            introduction=introduction,
            base_url=base_url,
        )
        media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return _attachment(data, media, f"bibliographie-{today.isoformat()}.docx")
    settings = {  # what the documentalist changed goes on to the DOCX link
        "titre": title if title != DEFAULT_TITLE else "",
        "introduction": introduction,
        "groupement": grouping if grouping != "theme" else "",
    }
    settings = {k: v for k, v in settings.items() if v}
    return render_template(
        "bibliography.html",
        sections=sections,
        title=title,
        introduction=[p for p in introduction.split("\n\n") if p.strip()],
        grouping=grouping,
        groupings=GROUPING_LABELS,
        description=description,
        count=len(records),
        reference=partial(reference, consulted=today, base_url=base_url),
        today=today,
        query=urlencode(selection_args(), doseq=True, safe=","),
        selection=selection_args(),
        docx_query=urlencode({**selection_args(), **settings}, doseq=True, safe=","),
    )


# -- the basket ------------------------------------------------------------------------------


def basket_ids() -> list[int]:
    """The ids in the visitor's basket cookie ('12.5.7'), oldest first."""
    return parse_ids(request.cookies.get(BASKET_COOKIE, "").replace(".", ","))[:BASKET_MAX]


def _safe_return(target: str | None) -> str:
    from ..security import local_path

    return local_path(target) or "/panier"  # no open redirect, no header injection


@bp.get("/panier")
def basket() -> BaseResponse | str:
    ids = basket_ids()
    changed = False
    for raw, action in (
        (request.args.get("ajouter"), "add"),
        (request.args.get("retirer"), "remove"),
    ):
        if raw and raw.isdigit() and len(raw) < 10:
            record_id = int(raw)
            if action == "add" and record_id not in ids and len(ids) < BASKET_MAX:
                ids.append(record_id)
                flash(
                    f"Notice ajoutée au panier ({len(ids)} notice{'s' if len(ids) > 1 else ''}).",
                    "success",
                )
            elif action == "remove" and record_id in ids:
                ids.remove(record_id)
                flash("Notice retirée du panier.", "success")
            changed = True
    if request.args.get("ajouter_resultats"):
        ids = _add_search_results(ids)
        changed = True
    if request.args.get("vider"):
        ids, changed = [], True
        flash("Panier vidé.", "success")
    if changed:
        response = redirect(_safe_return(request.args.get("retour")), code=303)
        _set_basket(response, ids)
        return response
    shared = request.args.get("ids") is not None
    shown = parse_ids(request.args.getlist("ids")) if shared else ids
    found = services.get_catalogue().get_many(shown)
    records = [found[i] for i in shown if i in found and not found[i].deleted]
    query = urlencode({"ids": ",".join(str(r.id) for r in records)}, safe=",")
    return render_template(
        "basket.html", records=records, shared=shared, query=query, formats=FORMATS
    )


def _add_search_results(ids: list[int]) -> list[int]:
    """The basket with every hit of the search in the request's parameters added after what
    it holds, as far as the basket's limit (500 notices); the visitor is told how many went
    in, and how many did not fit."""
    search = request_from_args(request.args)
    if is_everything(search):
        hits = services.get_catalogue().ids()
    else:
        try:
            hits = services.get_finder().all_ids(search)
        except SearchQueryError as exc:
            flash(f"{exc.message} Rien n'a été ajouté au panier.", "error")
            return ids
    held = set(ids)
    new = [i for i in hits if i not in held]
    room = max(BASKET_MAX - len(ids), 0)
    added, left = new[:room], len(new) - room
    ids = ids + added
    total = f"{len(ids)} notice{'s' if len(ids) > 1 else ''} au total"
    if not hits:
        flash("Cette recherche ne donne aucun résultat : rien n'a été ajouté au panier.", "info")
    elif not new:
        flash("Tous les résultats de cette recherche sont déjà dans le panier.", "info")
    elif left > 0:
        flash(
            f"Le panier contient au plus {BASKET_MAX} notices : {len(added)} résultat"
            f"{'s' if len(added) > 1 else ''} ajouté{'s' if len(added) > 1 else ''}, "
            f"{left} n'y tiennent pas ({total}). Pour tout garder, exportez la recherche "
            "depuis la page de résultats, ou affinez-la.",
            "warning",
        )
    else:
        flash(
            f"{len(added)} résultat{'s' if len(added) > 1 else ''} ajouté"
            f"{'s' if len(added) > 1 else ''} au panier ({total}).",
            "success",
        )
    return ids


def _set_basket(response: BaseResponse, ids: list[int]) -> None:
    if ids:
        response.set_cookie(
            BASKET_COOKIE,
            ".".join(str(i) for i in ids[:BASKET_MAX]),
            max_age=BASKET_DAYS * 86400,
            path="/",
            samesite="Lax",
            secure=request.is_secure,
            httponly=False,
        )
    else:
        response.delete_cookie(BASKET_COOKIE, path="/")


@bp.app_context_processor
def _basket_helpers() -> dict[str, object]:
    def in_basket(record_id: object) -> bool:
        if "basket_ids" not in g:
            g.basket_ids = set(basket_ids())
        return isinstance(record_id, int) and record_id in g.basket_ids

    def basket_script_once() -> bool:
        """True the first time a page asks: the basket script is linked once per page."""
        if g.get("basket_script_linked"):
            return False
        g.basket_script_linked = True
        return True

    return {
        "in_basket": in_basket,
        "basket_script_once": basket_script_once,
        "basket_count": lambda: len(basket_ids()),
    }
