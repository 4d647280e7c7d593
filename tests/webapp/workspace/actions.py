"""What the workspace tests do besides using their fixtures: build an app, log in, post forms
with their CSRF token like a browser does, put a paper record in the catalogue, ask the public
search what it finds now."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from library import Catalogue, Copy, Record, Support
from webapp import create_app

LOGIN = "documentaliste"
PASSWORD = "Trénelle-Citron 2013"
FAST = 2**10  # scrypt cost for tests: the real default costs 0.1 s per hash

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_app(instance: Any, **config: Any) -> Flask:
    settings = {
        "TESTING": True,
        "PASSWORD_SCRYPT_N": FAST,
        "TODAY": "2013-03-04",
        "MAX_UPLOAD_SIZE": 300_000,
        "EXTRACT_TIMEOUT": 60,
    }
    settings.update(config)
    return create_app(settings, instance_path=instance)


def csrf(client: FlaskClient) -> str:
    """The CSRF token of the client's session (a page of the site creates it)."""
    with client.session_transaction() as session:
        token = session.get("csrf_token")
    if token:
        return str(token)
    page = client.get("/admin/connexion").get_data(as_text=True)
    match = _TOKEN.search(page)
    assert match, "no CSRF token on the login page"
    return match.group(1)


def post(client: FlaskClient, url: str, data: Any = None, **kwargs: Any) -> Any:
    """POST a form as the browser would: with the session's CSRF token."""
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf(client))
    return client.post(url, data=payload, **kwargs)


def login(client: FlaskClient, user: str = LOGIN, password: str = PASSWORD, **kwargs: Any) -> Any:
    return post(
        client, "/admin/connexion", {"identifiant": user, "mot_de_passe": password}, **kwargs
    )


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def paper_record(
    app: Flask,
    title: str = "Guide de la médiation sociale",
    *barcodes: str,
    year: int = 2010,
    **fields: Any,
) -> int:
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        record = cat.add(
            Record(
                title=title,
                year=year,
                support=Support.PAPIER,
                copies=tuple(Copy(b, "361 MED", "Salle") for b in barcodes),
                **fields,
            )
        )
    assert record.id is not None
    return record.id


def search_ids(app: Flask, q: str) -> list[int]:
    """What the public search finds now (the same Finder the site uses)."""
    from indexer.search import SearchRequest
    from webapp import services

    with app.test_request_context():
        return [h.id for h in services.get_finder().search(SearchRequest(q=q, per_page=100)).hits]


def search_total(app: Flask, q: str) -> int:
    from indexer.search import SearchRequest
    from webapp import services

    with app.test_request_context():
        return services.get_finder().search(SearchRequest(q=q, per_page=1)).total
