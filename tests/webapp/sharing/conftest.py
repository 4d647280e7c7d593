"""Fixtures of the sharing tests (exports, OAI-PMH, feeds): a fresh shared fund per test and
the app over it, with small pages so that paging is exercised."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app

from .fund import DOMAIN, SharedFund, build_shared_fund


@pytest.fixture
def shared_fund(tmp_path: Path) -> SharedFund:
    return build_shared_fund(tmp_path / "instance")


@pytest.fixture
def app(shared_fund: SharedFund) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "OAI_REPOSITORY_DOMAIN": DOMAIN,
            "OAI_PAGE_SIZE": 3,
            "OAI_TOKEN_TTL": 600,
            "FEED_PAGE_SIZE": 4,
            "BASE_URL": "https://fonds.example.org",
        },
        instance_path=shared_fund.instance,
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
