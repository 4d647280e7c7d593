"""Errors become one French page (or a JSON object under /api/), never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

MESSAGES = {
    400: "Requête incorrecte.",
    403: "Accès refusé.",
    404: "Page introuvable.",
    405: "Méthode non autorisée.",
    413: "Fichier trop volumineux.",
    429: "Trop de tentatives : réessayez dans quelques minutes.",
    500: "Erreur interne : l'équipe a été prévenue.",
    503: "Service momentanément indisponible : réessayez dans un instant.",
}


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, message: str) -> tuple[Response | str, int]:
    if _wants_json():
        return jsonify({"error": message, "status": status}), status
    return render_template("error.html", status=status, message=message), status


def _http_error(exc: HTTPException) -> tuple[Response | str, int] | HTTPException:
    if exc.code is None or exc.code < 400:
        return exc
    message = MESSAGES.get(exc.code, exc.name)
    described = getattr(exc, "french", None)
    return _render(exc.code, described or message)


def _unexpected(exc: Exception) -> tuple[Response | str, int]:
    log.exception("unexpected error on %s", request.path)
    return _render(500, MESSAGES[500])
