"""Addresses the site gives away (API links, canonical links, feeds): absolute ones."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for


def external(endpoint: str, **values: Any) -> str:
    """An absolute URL: on BASE_URL when the instance sets one (behind a proxy)."""
    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
