"""Fixtures of the public site's tests (search page, record pages, the JSON API): one small
fund built per test module, which the tests only read, and the app over it."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .fund import Fund, build_fund, make_app


@pytest.fixture(scope="module")
def fund(tmp_path_factory: pytest.TempPathFactory) -> Fund:
    return build_fund(tmp_path_factory.mktemp("fund") / "instance")


@pytest.fixture(scope="module")
def app(fund: Fund) -> Flask:
    return make_app(fund.root)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
