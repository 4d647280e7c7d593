"""The basket in a real browser (headless Debian chromium): filled from the results without a
page load, listed on /panier, exported; and the same without JavaScript."""

from __future__ import annotations

import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra").expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_basket_fills_from_the_results_and_exports(page, live_server) -> None:  # type: ignore[no-untyped-def]
    """GIVEN search results WHEN a visitor adds two records to the basket THEN the buttons and
    the menu change at once (no page load), and /panier lists both with their exports."""
    page.context.clear_cookies()
    page.goto(live_server("/?q=quartier"))
    url = page.url
    buttons = page.locator("form.basket-form button")
    titles = page.locator(".hit-title a")
    first, second = titles.nth(0).inner_text(), titles.nth(1).inner_text()
    buttons.nth(0).click()
    expect(buttons.nth(0)).to_have_text("Retirer du panier")
    expect(buttons.nth(0)).to_have_attribute("aria-pressed", "true")
    buttons.nth(1).click()
    expect(page.locator('.nav a[href="/panier"]')).to_have_text("Panier (2)")
    assert page.url == url  # no navigation happened
    page.goto(live_server("/panier"))
    items = page.locator(".basket-item > a")
    expect(items).to_have_count(2)
    assert items.nth(0).inner_text().startswith(first) and items.nth(1).inner_text().startswith(
        second
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="RIS").click()
    assert download.value.suggested_filename.endswith(".ris")
    page.locator("form.basket-form button").first.click()  # on /panier the page reloads
    expect(page.locator(".basket-item")).to_have_count(1)


def test_without_javascript_the_basket_still_works(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(live_server("/?q=quartier"))
        title = page.locator(".hit-title a").first.inner_text()
        page.locator("form.basket-form button").first.click()
        page.wait_for_url(re.compile(r"q=quartier"))  # back on the results
        expect(page.locator(".flash")).to_contain_text("Notice ajoutée au panier")
        page.goto(live_server("/panier"))
        expect(page.locator(".basket-item > a").first).to_contain_text(title)
    finally:
        context.close()
