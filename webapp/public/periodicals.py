"""The public pages of periodicals (read-only): the list of titles (`/periodiques/`) and one
title's page (`/periodiques/<id>`) with its issues and their articles; and how an article's
page names its host: « dans : *Cahiers Ville caraïbe*, n° 3, décembre 2010, p. 12-25 »."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from library import NotFound
from library.formats.hosts import date_words
from library.periodicals import FREQUENCY_LABELS, IssueStatus, Periodical

from .. import services

bp = Blueprint("periodicals_public", __name__, url_prefix="/periodiques")


@bp.get("/")
def index() -> str:
    return render_template(
        "periodicals.html",
        periodicals=services.get_catalogue().periodicals(),
        frequencies=FREQUENCY_LABELS,
    )


@bp.get("/<id:periodical_id>")
def show(periodical_id: int) -> str:
    catalogue = services.get_catalogue()
    found = periodical_or_404(periodical_id)
    issues = catalogue.issues(periodical_id)
    articles = catalogue.articles([i.id for i in issues if i.id is not None])
    # The public sees the issues the centre holds or has analysed, not its expectations.
    shown = [i for i in issues if i.status is IssueStatus.RECEIVED or articles.get(i.id or 0)]
    return render_template(
        "periodical.html",
        periodical=found,
        issues=shown,
        articles=articles,
        frequencies=FREQUENCY_LABELS,
        date_words=date_words,
    )


def periodical_or_404(periodical_id: int) -> Periodical:
    """The periodical of that id, or a 404 when there is none or its record is deleted."""
    try:
        found = services.get_catalogue().periodical(periodical_id)
    except NotFound:
        abort(404)
    if found.record.deleted:
        abort(404)
    return found
