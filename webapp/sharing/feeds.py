"""Veille documentaire: Atom feeds of new acquisitions (RFC 4287, paged as RFC 5005 says),
the OPML list of the thematic feeds, and the monthly bulletin des nouveautés.

Feeds list records by acquisition (created_at), newest first: the whole fund
(`/flux/nouveautes.atom`), one thematic (`/flux/theme/<slug>.atom`) or any search
(`/flux/recherche.atom?<search parameters>`). Entry ids are tag URIs that never change.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from email.utils import format_datetime
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, render_template, request

from indexer.exporting import is_everything
from library import Record
from library.alerts import entered_the_fund
from library.catalogue import utc_now
from library.formats.citation import by_theme
from library.formats.common import full_title, xml_attr, xml_text
from library.harvest import newest_first
from library.text import FRENCH_MONTHS

from .. import policies, services
from ..params import page_arg, request_from_args
from .exports import BadExport

bp = Blueprint("feeds", __name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
TAG_DATE = "2013"  # the tagging date of our tag: URIs (RFC 4151): fixed, so ids never change
DEFAULT_PAGE_SIZE = 20
SUMMARY_CHARS = 600


def _base() -> str:
    return str(current_app.config.get("BASE_URL") or request.url_root).rstrip("/")


def _page_size() -> int:
    return max(1, min(200, int(current_app.config.get("FEED_PAGE_SIZE", DEFAULT_PAGE_SIZE))))


def _page() -> int:
    return page_arg(request.args.get("page"), last=100_000)


def _tag(specific: str) -> str:
    return f"tag:{current_app.config['OAI_REPOSITORY_DOMAIN']},{TAG_DATE}:{specific}"


def _summary(record: Record, text_head: str) -> str:
    source = record.abstract or " ".join(text_head.split())
    if len(source) <= SUMMARY_CHARS:
        return source
    cut = source[:SUMMARY_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def _entry(record: Record, text_head: str, labels: dict[str, str]) -> str:
    base = _base()
    authors = "".join(
        f"<author><name>{xml_text(a.display)}</name></author>" for a in record.authors
    )
    categories = "".join(
        f'<category term="{xml_attr(slug)}" scheme="{xml_attr(base)}/flux/theme/"'
        f' label="{xml_attr(labels.get(slug, slug))}"/>'
        for slug in record.theme_slugs
    )
    summary = _summary(record, text_head)
    parts = [
        "<entry>",
        f"<id>{_tag(f'notice/{record.id}')}</id>",
        f"<title>{xml_text(full_title(record))}</title>",
        f"<updated>{record.updated_at}</updated>",
        f"<published>{record.created_at}</published>",
        authors,
        categories,
        f'<link rel="alternate" type="text/html" href="{xml_attr(base)}/notice/{record.id}"/>',
        f"<summary>{xml_text(summary)}</summary>" if summary else "",
        "</entry>",
    ]
    return "\n".join(p for p in parts if p)


def _feed(
    feed_id: str,
    title: str,
    alternate: str,
    ids: Sequence[int],
    self_path: str,
    args: dict[str, list[str]],
) -> Response:
    """One page of a feed over `ids` (already newest first), with RFC 5005 paging links."""
    size = _page_size()
    last_page = max(1, -(-len(ids) // size))
    page = min(_page(), last_page)
    chosen = ids[(page - 1) * size : page * size]
    catalogue = services.get_catalogue()
    found = catalogue.get_many(chosen)
    records = [found[i] for i in chosen if i in found]
    heads = catalogue.text_heads([r.id for r in records if not r.abstract and r.id], 2_000)
    labels = services.theme_labels()
    base = _base()

    def url(number: int) -> str:
        query = urlencode({**args, "page": [str(number)]} if number > 1 else args, doseq=True)
        return f"{base}{self_path}" + (f"?{query}" if query else "")

    links = [
        f'<link rel="self" type="application/atom+xml" href="{xml_attr(url(page))}"/>',
        f'<link rel="alternate" type="text/html" href="{xml_attr(base + alternate)}"/>',
        f'<link rel="first" href="{xml_attr(url(1))}"/>',
        f'<link rel="last" href="{xml_attr(url(last_page))}"/>',
    ]
    if page > 1:
        links.append(f'<link rel="previous" href="{xml_attr(url(page - 1))}"/>')
    if page < last_page:
        links.append(f'<link rel="next" href="{xml_attr(url(page + 1))}"/>')
    updated = max((r.updated_at for r in records), default=None) or utc_now()
    site = str(current_app.config["SITE_NAME"])
    body = "\n".join(_entry(r, heads.get(r.id or 0, ""), labels) for r in records)
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="{ATOM_NS}" xml:lang="fr">\n'
        f"<id>{xml_text(_tag(feed_id))}</id>\n<title>{xml_text(title)}</title>\n"
        f"<subtitle>Nouvelles acquisitions du fonds documentaire — {xml_text(site)}</subtitle>\n"
        f"<updated>{updated}</updated>\n<author><name>{xml_text(site)}</name></author>\n"
        f'<generator uri="{xml_attr(base)}/">Fonds</generator>\n'
        + "\n".join(links)
        + "\n"
        + body
        + "\n</feed>\n"
    )
    return Response(xml.encode("utf-8"), content_type=ATOM_TYPE)


@bp.get("/flux/nouveautes.atom")
def all_new() -> Response:
    ids = newest_first(services.get_catalogue())
    site = str(current_app.config["SITE_NAME"])
    return _feed(
        "flux/nouveautes", f"Nouveautés — {site}", "/nouveautes", ids, "/flux/nouveautes.atom", {}
    )


@bp.get("/flux/theme/<slug>.atom")
def theme_feed(slug: str) -> Response:
    labels = services.theme_labels()
    if slug not in labels:
        abort(404)
    request_ = request_from_args({"theme": [slug], "sort": ["newest"]})
    matching = services.get_finder().all_ids(request_)
    ids = newest_first(services.get_catalogue(), matching)
    return _feed(
        f"flux/theme/{slug}",
        f"Nouveautés — {labels[slug]}",
        f"/?{urlencode({'theme': slug})}",
        ids,
        f"/flux/theme/{slug}.atom",
        {},
    )


@bp.get("/flux/recherche.atom")
def search_feed() -> Response:
    search = request_from_args(request.args)
    keep = ("q", "theme", "type", "support", "year", "lang", "author", "available")
    args = {k: request.args.getlist(k) for k in keep if request.args.getlist(k)}
    catalogue = services.get_catalogue()
    if is_everything(search):
        ids = newest_first(catalogue)
    else:
        ids = newest_first(catalogue, services.get_finder().all_ids(search))
    described = (
        search.q
        or ", ".join(services.theme_labels().get(t, t) for t in search.themes)
        or "tout le fonds"
    )
    query = urlencode(args, doseq=True)
    return _feed(
        f"flux/recherche?{query}",
        f"Veille : {described}",
        f"/?{query}" if query else "/",
        ids,
        "/flux/recherche.atom",
        args,
    )


@bp.get("/flux/thematiques.opml")
def opml() -> Response:
    base = _base()
    site = str(current_app.config["SITE_NAME"])
    outlines = "\n".join(
        f'<outline type="rss" text="{xml_attr(label)}" title="{xml_attr(label)}"'
        f' xmlUrl="{xml_attr(base)}/flux/theme/{xml_attr(slug)}.atom"'
        f' htmlUrl="{xml_attr(base)}/?{xml_attr(urlencode({"theme": slug}))}"/>'
        for slug, label in services.theme_labels().items()
    )
    created = format_datetime(datetime.now(UTC), usegmt=True)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n<head>\n'
        f"<title>Fils de veille par thématique — {xml_text(site)}</title>\n"
        f"<dateCreated>{created}</dateCreated>\n</head>\n<body>\n"
        f'<outline type="rss" text="Toutes les nouveautés" title="Toutes les nouveautés"'
        f' xmlUrl="{xml_attr(base)}/flux/nouveautes.atom" htmlUrl="{xml_attr(base)}/nouveautes"/>\n'
        f'<outline text="Thématiques" title="Thématiques">\n{outlines}\n</outline>\n'
        "</body>\n</opml>\n"
    )
    response = Response(xml.encode("utf-8"), content_type="text/x-opml; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="thematiques.opml"'
    return response


# -- the bulletin des nouveautés -------------------------------------------------------------


def today() -> date:
    """The current day (config TODAY, a date, replaces it in tests)."""
    return policies.today(current_app.config)


def _month(value: str | None) -> tuple[int, int]:
    if not value:
        now = today()
        return now.year, now.month
    m = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if m is None or not 1 <= int(m.group(2)) <= 12 or not 1000 <= int(m.group(1)) <= 2999:
        raise BadExport(
            f"Mois invalide « {value[:20]} » : écrivez-le AAAA-MM, par exemple 2013-05."
        )
    return int(m.group(1)), int(m.group(2))


def _shift(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


@bp.get("/nouveautes")
def bulletin() -> str:
    year, month = _month(request.args.get("mois"))
    last_day = calendar.monthrange(year, month)[1]
    since = f"{year:04d}-{month:02d}-01T00:00:00Z"
    next_year, next_month = _shift(year, month, 1)
    before = f"{next_year:04d}-{next_month:02d}-01T00:00:00Z"
    catalogue = services.get_catalogue()
    ids = newest_first(catalogue, since=since, before=before)
    found = catalogue.get_many(ids)
    records = [found[i] for i in ids if i in found]
    # Newest first inside each thematic, as the acquisitions came.
    sections = [
        replace(s, records=tuple(sorted(s.records, key=entered_the_fund, reverse=True)))
        for s in by_theme(records, services.theme_labels())
    ]
    previous_year, previous_month = _shift(year, month, -1)
    previous = f"{previous_year:04d}-{previous_month:02d}"
    following = f"{next_year:04d}-{next_month:02d}"
    now = today()
    return render_template(
        "bulletin.html",
        sections=sections,
        count=len(records),
        month_label=f"{FRENCH_MONTHS[month - 1]} {year}",
        first_day=date(year, month, 1),
        last_day=date(year, month, last_day),
        previous=previous,
        following=following if (next_year, next_month) <= (now.year, now.month) else None,
        month_value=f"{year:04d}-{month:02d}",
    )
