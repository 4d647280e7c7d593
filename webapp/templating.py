"""What templates share: the filters and the values every page may use.

The app factory registers them all (`FILTERS`, `site_context`); blueprints add none."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from library import DOC_TYPE_LABELS, DocType
from library.formats.hosts import date_words, issue_label
from library.models import Host

from . import services
from .messages import (
    AVAILABILITY_LABELS,
    LANGUAGE_LABELS,
    concept_reading,
    copy_status_label,
    french_date,
    support_label,
)


def type_label(value: str) -> str:
    try:
        return DOC_TYPE_LABELS[DocType(value)]
    except ValueError:
        return value


def theme_label(slug: str) -> str:
    """A thematic's label in the instance's vocabulary (the slug if it has none)."""
    return services.theme_labels().get(slug, slug)


def concept_label(slug: str, term: str) -> str:
    """How the search read a query as a concept (messages.concept_reading), for the page."""
    return concept_reading(term, theme_label(slug) if slug else "")


def language_label(code: str) -> str:
    return LANGUAGE_LABELS.get(code, code)


def availability_label(value: str) -> str:
    return AVAILABILITY_LABELS.get(value, value)


def filesize(size: int | None) -> str:
    """French units and decimal comma: '1,2 Mo'."""
    n = float(size or 0)
    for unit in ("octets", "Ko", "Mo", "Go"):
        if n < 1024 or unit == "Go":
            text = f"{n:.0f}" if unit == "octets" or n >= 100 else f"{n:.1f}".replace(".", ",")
            return f"{text} {unit}"
        n /= 1024
    return ""


def highlight(text: str, spans: Iterable[tuple[int, int]] | None) -> str:
    """Escape a snippet and wrap its matches in <mark> (spans are [start, end) offsets)."""
    out: list[str] = []
    position = 0
    for start, end in sorted(spans or ()):
        if start < position:
            continue
        out.append(str(escape(text[position:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


def host_details(host: Host) -> str:
    """What follows an article's periodical title: ', n° 3, décembre 2010, p. 12-25'."""
    parts = [issue_label(host.number) if host.number else "", date_words(host.date)]
    if host.pages:
        parts.append(f"p. {host.pages}")
    return "".join(f", {p}" for p in parts if p)


FILTERS: dict[str, Callable[..., Any]] = {
    "type_label": type_label,
    "theme_label": theme_label,
    "concept_label": concept_label,
    "language_label": language_label,
    "availability_label": availability_label,
    "support_label": support_label,
    "copy_status_label": copy_status_label,
    "french_date": french_date,
    "filesize": filesize,
    "highlight": highlight,
    "host_details": host_details,
}


def site_context() -> dict[str, object]:
    return {"site_name": current_app.config["SITE_NAME"]}
