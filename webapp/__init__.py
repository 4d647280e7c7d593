"""The Flask web application of Fonds: `create_app()` and its blueprints."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

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
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    from . import errors, services, views

    services.init_app(app)
    errors.init_app(app)
    views.init_app(app)
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    return app


def _blueprints() -> list[Any]:
    """Each area of the site is one blueprint module (search, records, admin, loans, …)."""
    from . import (  # the workspace
        admin,
        api,
        borrowers,
        cataloguing,
        dashboard,
        loans,
        records,
        search,
        uploads,
    )

    workspace = [
        admin.bp,
        cataloguing.bp,
        uploads.bp,
        loans.bp,
        borrowers.bp,
        borrowers.public,
        dashboard.bp,
    ]
    from . import exports, feeds, oai  # sharing the fund
    from .alerts import admin as alerts_admin
    from .alerts import views as alerts_views  # veille by e-mail

    sharing = [exports.bp, feeds.bp, oai.bp, alerts_views.bp]
    return [search.bp, records.bp, api.bp, *workspace, alerts_admin.bp, *sharing]


def _secret_key(instance: Path) -> str:
    """Generated into the instance on first start: never a literal in the code."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()
