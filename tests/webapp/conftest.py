"""Fixtures of every web-app test: a local SMTP server that keeps what it receives."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .smtp_fixtures import Inbox, start_server


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    controller, inbox = start_server()
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_auth() -> Iterator[Inbox]:
    controller, inbox = start_server(auth=True)
    yield inbox
    controller.stop()
