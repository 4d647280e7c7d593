"""What every page shares: template helpers and the security headers."""

from __future__ import annotations

from flask import Flask, Response, request

from library import DOC_TYPE_LABELS, DocType

from . import services
from .messages import copy_status_label, support_label

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)


def init_app(app: Flask) -> None:
    app.add_url_rule("/favicon.ico", "favicon", _favicon)
    app.after_request(_security_headers)
    app.context_processor(_context)
    app.jinja_env.filters["type_label"] = type_label
    app.jinja_env.filters["support_label"] = support_label
    app.jinja_env.filters["copy_status_label"] = copy_status_label
    app.jinja_env.filters["theme_label"] = lambda slug: services.theme_labels().get(slug, slug)
    app.jinja_env.filters["highlight"] = highlight
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def _favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page says: give them the site's icon."""
    from pathlib import Path

    from flask import current_app

    icon = Path(current_app.static_folder or "static") / "favicon.svg"
    response = Response(icon.read_bytes(), mimetype="image/svg+xml")
    response.cache_control.max_age = 86400
    return response


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def _context() -> dict[str, object]:
    from flask import current_app

    return {"site_name": current_app.config["SITE_NAME"]}


def type_label(value: str) -> str:
    try:
        return DOC_TYPE_LABELS[DocType(value)]
    except ValueError:
        return value


def highlight(text: str, spans: object) -> str:
    """Escape a snippet and wrap its matches in <mark> (spans are [start, end) offsets)."""
    from markupsafe import Markup, escape

    out: list[str] = []
    position = 0
    for start, end in sorted(spans or ()):  # type: ignore[union-attr]
        if start < position:
            continue
        out.append(str(escape(text[position:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))
