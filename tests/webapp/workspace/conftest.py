"""Fixtures of the workspace tests: an app over a fresh instance with one documentalist
account, its client, and the same client logged in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from library import Catalogue
from library.users import ScryptCost, Users

from .actions import FAST, LOGIN, PASSWORD, login, make_app


@pytest.fixture
def app(instance: Path) -> Iterator[Flask]:
    with Catalogue.in_instance(instance) as cat:
        Users(cat, cost=ScryptCost(n=FAST)).add(LOGIN, PASSWORD, display_name="Marie-Josée")
    application = make_app(instance)
    yield application
    index = application.extensions["fonds"].get("index")
    if index is not None:
        index.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def logged_in(client: FlaskClient) -> FlaskClient:
    response = login(client)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client
