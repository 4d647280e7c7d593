"""The Flask web application of Fonds: `create_app()` and its blueprints."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app

from .config import load_config


def create_app(
    test_config: dict[str, Any] | None = None, instance_path: str | Path | None = None
) -> Flask:
    """The application for one instance folder (FONDS_INSTANCE, default ./instance)."""
    instance = Path(instance_path or os.environ.get("FONDS_INSTANCE", "instance")).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True)
    config = load_config(instance, test_config)
    app.config.update(config)
    app.config["INSTANCE"] = instance
    if not app.config.get("SECRET_KEY"):  # Flask's defaults hold SECRET_KEY = None
        app.config["SECRET_KEY"] = _secret_key(instance)
    app.config.update(
        MAX_CONTENT_LENGTH=int(config["MAX_UPLOAD_SIZE"]) + 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="fonds_session",
        JSON_SORT_KEYS=False,
    )
    # Flask types app.json as the JSONProvider base; the default provider has these two.
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    from . import errors, security, services, templating
    from .params import IdConverter

    app.url_map.converters["id"] = IdConverter  # every number in a path: see IdConverter
    services.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    app.jinja_env.filters.update(templating.FILTERS)
    app.context_processor(templating.site_context)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.add_url_rule("/favicon.ico", "favicon", _favicon)
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    return app


def _blueprints() -> list[Any]:
    """The site's map: each area is a package of blueprints (webapp/public, webapp/api,
    webapp/workspace, webapp/sharing)."""
    from .api import endpoints
    from .public import periodicals as public_periodicals
    from .public import records, search
    from .sharing import alerts, exports, feeds, oai
    from .workspace import (
        admin,
        authorities,
        borrowers,
        cataloguing,
        dashboard,
        inventory,
        labels,
        loans,
        periodicals,
        subscribers,
        uploads,
    )

    public = [search.bp, records.bp, public_periodicals.bp, endpoints.bp]
    workspace = [
        admin.bp,
        cataloguing.bp,
        authorities.bp,
        uploads.bp,
        loans.bp,
        borrowers.bp,
        borrowers.public,
        dashboard.bp,
        labels.bp,
        inventory.bp,
        subscribers.bp,
        periodicals.bp,
    ]
    return [*public, *workspace, exports.bp, feeds.bp, oai.bp, alerts.bp]


def _favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page says: give them the site's icon."""
    icon = Path(current_app.static_folder or "static") / "favicon.svg"
    response = Response(icon.read_bytes(), mimetype="image/svg+xml")
    response.cache_control.max_age = 86400
    return response


def _secret_key(instance: Path) -> str:
    """Generated into the instance on first start: never a literal in the code."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()
