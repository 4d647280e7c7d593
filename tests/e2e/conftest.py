"""Shared fixtures for real-browser tests: a live server over a prepared instance, Debian's
chromium driven by Playwright, and a fresh page per test.

    live_server            the site over the search tests' fund (records, files, copies)
    live_server_factory    start the site over any instance folder: factory(root, **config)
    browser                chromium (session), never downloaded: /usr/bin/chromium or
                           $FONDS_CHROMIUM
    page                   a new French page, 1280 × 900, downloads accepted; console errors fail
                           the test unless it empties `page_errors`
    page_errors            the console errors and uncaught exceptions of `page`

Without chromium (or Playwright) the browser tests are skipped with the reason; under CI=true
they fail instead, since a CI machine without its browser is a broken setup.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("FONDS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason}; CI=true requires a browser (.ci/run installs Debian's chromium)")
    pytest.skip(reason)


@dataclass
class LiveServer:
    url: str  # without the trailing slash: f"{server.url}/notice/1"
    root: Path
    app: Any
    ids: dict[str, int] = field(default_factory=dict)  # records by short name, when known

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_server_factory() -> Iterator[Callable[..., LiveServer]]:
    """Serve an instance with waitress (the production server) in a thread, on a free port."""
    from waitress.server import create_server

    from webapp import create_app

    servers = []
    closing = threading.Event()

    def start(root: Path, **config: Any) -> LiveServer:
        app = create_app({"TESTING": True, **config}, instance_path=root)
        with app.app_context():
            from webapp.services import get_index

            get_index()  # synchronised before the first page, like `fonds serve`
        server = create_server(app, host="127.0.0.1", port=0, threads=4)

        def serve() -> None:
            try:
                server.run()
            except OSError:
                # Closing the server under its polling loop makes select() fail on the
                # closed socket (EBADF): the end we asked for, not a fault.
                if not closing.is_set():
                    raise

        thread = threading.Thread(target=serve, name="fonds-live-server", daemon=True)
        thread.start()
        servers.append((server, thread))
        return LiveServer(f"http://127.0.0.1:{server.effective_port}", root, app)

    yield start
    closing.set()
    for server, thread in servers:
        server.close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(live_server_factory, tmp_path_factory) -> LiveServer:  # type: ignore[no-untyped-def]
    from tests.webapp.public.fund import build_fund

    root = tmp_path_factory.mktemp("live") / "instance"
    fund = build_fund(root)
    server = live_server_factory(root)
    server.ids = fund.ids
    return server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)) and not shutil.which(
        CHROMIUM
    ):
        _unavailable(f"chromium not found at {CHROMIUM} (apt install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _console(message: Any, errors: list[str]) -> None:
    # browsers ask for /favicon.ico on their own: its 404 is not the page's fault
    if message.type == "error" and "favicon" not in str(message.location.get("url", "")):
        errors.append(f"console: {message.text} ({message.location.get('url', '')})")


@pytest.fixture
def page_errors() -> list[str]:
    return []


@pytest.fixture
def page(browser, page_errors, tmp_path) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", accept_downloads=True
    )
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    new_page.on("pageerror", lambda exc: page_errors.append(f"exception: {exc}"))
    new_page.on("console", lambda message: _console(message, page_errors))
    yield new_page
    context.close()
    assert not page_errors, page_errors
