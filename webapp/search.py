"""The public search page (`/`). A first version: the full page comes with the search issue."""

from __future__ import annotations

from flask import Blueprint, render_template

from . import services

bp = Blueprint("search", __name__)


@bp.get("/")
def index() -> str:
    stats = services.get_catalogue().stats()
    return render_template("search.html", stats=stats)
