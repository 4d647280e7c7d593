"""Completion of names from the authority file in a real browser (headless Debian chromium):
typing part of a name in the record form offers the authorities' preferred forms; a variant
typed and saved shows as the preferred form."""

from __future__ import annotations

import re

import pytest

from library import Author, Catalogue, Record, Support
from library.authorities import Authorities, AuthorityKind
from library.users import ScryptCost, Users

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra").expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOGIN, PASSWORD = "documentaliste", "Trénelle-Citron 2013"


@pytest.fixture
def server(live_server_factory, tmp_path):  # type: ignore[no-untyped-def]
    root = tmp_path / "instance"
    with Catalogue.in_instance(root) as cat:
        cat.add(Record("Kaz créole", support=Support.PAPIER, authors=(Author("Daniel, Justin"),)))
        Authorities(cat.conn).update(
            Authorities(cat.conn).search(AuthorityKind.PERSON)[0].id,
            name="Daniel, Justin",
            variants=["DANIEL, J."],
        )
        Authorities(cat.conn).create(AuthorityKind.PUBLISHER, "Ibis Rouge")
        Users(cat, cost=ScryptCost(n=2**10)).add(LOGIN, PASSWORD)
    return live_server_factory(root, TODAY="2013-03-04", PASSWORD_SCRYPT_N=2**10)


def test_the_record_form_completes_names_from_the_authorities(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server("/admin/notices/nouvelle"))
    page.wait_for_url(re.compile(r"/admin/connexion\?suivant="))
    page.get_by_label("Identifiant").fill(LOGIN)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(server("/admin/notices/nouvelle"))

    page.locator("#a-nom-1").press_sequentially("dan", delay=30)
    options = page.locator("#autorites-a-nom-1 option")
    expect(options).to_have_count(1)
    assert options.first.get_attribute("value") == "Daniel, Justin"
    page.locator("#f-publisher").press_sequentially("ibi", delay=30)
    expect(page.locator("#autorites-f-publisher option")).to_have_count(1)

    page.locator("#f-title").fill("Les quartiers")
    page.locator("#a-nom-1").fill("DANIEL, J.")
    page.get_by_role("button", name="Créer la notice").click()
    page.wait_for_url(re.compile(r"/admin/notices/\d+"))
    expect(page.locator("#a-nom-1")).to_have_value("Daniel, Justin")
