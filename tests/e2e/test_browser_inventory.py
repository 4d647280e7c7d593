"""Inventory scanning in a real browser: a hand scanner types a barcode and Enter, again and
again, without the mouse; each read is said at once and the field stays ready. And the
return desk keeps its field focused for the next book."""

from __future__ import annotations

import re

import pytest

from library import Catalogue, Copy, Record, Support
from library.users import ScryptCost, Users

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra").expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOGIN, PASSWORD = "documentaliste", "Trénelle-Citron 2013"


@pytest.fixture
def shelf_server(live_server_factory, tmp_path):  # type: ignore[no-untyped-def]
    root = tmp_path / "instance"
    with Catalogue.in_instance(root) as cat:
        for n in range(1, 6):
            cat.add(
                Record(
                    title=f"Document {n}",
                    support=Support.PAPIER,
                    copies=(Copy(f"CRPV000{n}", f"307.{n} DOC", "Salle A"),),
                )
            )
        Users(cat, cost=ScryptCost(n=2**10)).add(LOGIN, PASSWORD, display_name="Josiane")
    return live_server_factory(root, TODAY="2013-03-04", PASSWORD_SCRYPT_N=2**10)


def log_in(page, server, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server(path))
    page.wait_for_url(re.compile(r"/admin/connexion\?suivant="))
    page.get_by_label("Identifiant").fill(LOGIN)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(server(path))


def test_a_scanner_reads_one_barcode_after_another_without_the_mouse(page, shelf_server):  # type: ignore[no-untyped-def]
    log_in(page, shelf_server, "/admin/recolement/")
    page.get_by_role("button", name="Commencer").click()
    expect(page.locator("h1")).to_contain_text("Récolement de « Salle A »")
    field = page.get_by_label("Code-barres lu")
    expect(field).to_be_focused()
    said = page.locator("[data-scan-said]")
    for code in ("CRPV0001", "CRPV0002", "INCONNU9", "CRPV0003", "CRPV0001"):
        page.keyboard.type(code)
        page.keyboard.press("Enter")  # what a hand scanner sends after the code
        expect(field).to_have_value("")
        expect(field).to_be_focused()
    expect(said).to_contain_text("CRPV0001 « Document 1 » : déjà lu")
    page.reload()
    expect(page.locator("main")).to_contain_text("En rayon : 3")
    expect(page.locator("main")).to_contain_text("Code-barres inconnu : 1")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile("Clore le récolement")).click()
    expect(page.locator(".flash-success")).to_contain_text("2 exemplaire(s) marqué(s) manquant(s)")


def test_without_javascript_the_scan_posts_and_comes_back_focused(browser, shelf_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        log_in(page, shelf_server, "/admin/recolement/")
        page.get_by_role("button", name="Commencer").click()
        expect(page.get_by_label("Code-barres lu")).to_be_focused()
        for code in ("CRPV0004", "NULPART"):
            page.keyboard.type(code)
            with page.expect_navigation():
                page.keyboard.press("Enter")
            expect(page.get_by_label("Code-barres lu")).to_be_focused()
        expect(page.locator(".flash-error")).to_contain_text("Code-barres inconnu : NULPART")
        expect(page.locator("main")).to_contain_text("En rayon : 1")
    finally:
        context.close()
