"""The loan desk in a real browser (headless Debian chromium): a documentalist logs in, lends a
copy, is refused a second loan of it, records the return with a reservation waiting, and
finds the due dates on the borrower's page — keyboard and screen-reader friendly pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from library import Catalogue, Copy, Record, Support
from library.loans import Loans
from library.users import ScryptCost, Users

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra").expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "out" / "screenshots"
LOGIN, PASSWORD = "documentaliste", "Trénelle-Citron 2013"


@pytest.fixture
def desk_server(live_server_factory, tmp_path):  # type: ignore[no-untyped-def]
    """A small fund: two paper records (three copies), two borrowers, one account."""
    root = tmp_path / "instance"
    with Catalogue.in_instance(root) as cat:
        cat.add(
            Record(
                title="Guide de la médiation sociale",
                year=2010,
                support=Support.PAPIER,
                copies=(Copy("CRPV0001", "361 MED", "Salle de lecture"),),
            )
        )
        cat.add(
            Record(
                title="Actes du colloque réussite éducative",
                year=2009,
                support=Support.PAPIER,
                copies=(Copy("CRPV0002", "370 ACT"),),
            )
        )
        desk = Loans(cat)
        desk.add_borrower("Marie Joseph", organisation="Ville du Lamentin", category="collectivite")
        desk.add_borrower("Anne Rose", organisation="Association Lakou", category="association")
        Users(cat, cost=ScryptCost(n=2**10)).add(LOGIN, PASSWORD, display_name="Josiane")
    return live_server_factory(root, TODAY="2013-03-04", PASSWORD_SCRYPT_N=2**10)


def log_in(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server("/admin/prets/"))
    page.wait_for_url(re.compile(r"/admin/connexion\?suivant="))
    page.get_by_label("Identifiant").fill(LOGIN)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(server("/admin/prets/"))


def test_a_loan_at_the_desk_from_login_to_return(page, desk_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """GIVEN the desk WHEN the documentalist lends CRPV0001 to Marie, tries to lend it again
    to Anne, reserves it for Anne, then records its return THEN each step says what happened
    and the return names Anne as next in line."""
    log_in(page, desk_server)
    expect(page.locator("h1")).to_have_text("Banque de prêt")

    page.get_by_label("Code-barres de l'exemplaire à prêter").fill("CRPV0001")
    page.get_by_label("Emprunteur (nom, carte ou n°)").fill("marie")  # a name is enough
    page.get_by_role("button", name="Prêter").click()
    flash = page.locator(".flash-success")
    expect(flash).to_contain_text("prêté à Marie Joseph jusqu'au 25/03/2013")
    expect(page.locator(".loans-table tbody tr")).to_have_count(1)
    expect(page.locator(".loans-table")).to_contain_text("Guide de la médiation sociale")
    page.screenshot(path=str(tmp_path / "banque-de-pret.png"), full_page=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "banque-de-pret.png", SCREENSHOTS / "banque-de-pret.png")

    # The same copy again, to someone else: the desk says why not.
    page.get_by_label("Code-barres de l'exemplaire à prêter").fill("CRPV0001")
    page.get_by_label("Emprunteur (nom, carte ou n°)").fill("2")
    page.get_by_role("button", name="Prêter").click()
    expect(page.locator(".flash-error")).to_contain_text(
        "Prêt refusé — Cet exemplaire est déjà en prêt (retour prévu le 25/03/2013)."
    )

    # Anne reserves it.
    page.get_by_role("link", name=re.compile(r"réservation\(s\)")).click()
    page.get_by_label("Document (code-barres ou n° de notice)").fill("CRPV0001")
    page.get_by_label("Emprunteur (nom ou n°)").fill("Anne Rose (n° 2)")
    page.get_by_role("button", name="Réserver").click()
    expect(page.locator(".flash-success")).to_contain_text("Anne Rose est n° 1 dans la file")

    # The return, by barcode only, tells who is next.
    page.goto(desk_server("/admin/prets/"))
    page.get_by_label("Code-barres de l'exemplaire rendu").fill("CRPV0001")
    page.get_by_label("Code-barres de l'exemplaire rendu").press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("rendu par Marie Joseph")
    expect(page.locator(".flash-warning")).to_contain_text(
        "mettez ce document de côté pour Anne Rose (emprunteur n° 2)"
    )
    expect(page.locator(".loans-table")).to_have_count(0)

    # Anne, first in line, borrows it; her page shows the due date and the renewal works.
    page.get_by_label("Code-barres de l'exemplaire à prêter").fill("CRPV0001")
    page.get_by_label("Emprunteur (nom, carte ou n°)").fill("2")
    page.get_by_role("button", name="Prêter").click()
    expect(page.locator(".flash-success")).to_contain_text("prêté à Anne Rose")
    page.get_by_role("button", name="Prolonger CRPV0001").click()
    expect(page.locator(".flash-success")).to_contain_text("prolongé jusqu'au")
    page.get_by_role("link", name="Anne Rose").first.click()
    expect(page.locator("h1")).to_contain_text("Rose, Anne")
    expect(page.locator("main")).to_contain_text("Guide de la médiation sociale")


def test_the_desk_is_usable_with_the_keyboard_alone(page, desk_server) -> None:  # type: ignore[no-untyped-def]
    log_in(page, desk_server)
    barcode = page.get_by_label("Code-barres de l'exemplaire à prêter")
    expect(barcode).to_be_focused()  # the scanner types straight into it
    page.keyboard.type("CRPV0002")
    page.keyboard.press("Tab")
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("Actes du colloque réussite éducative")


def test_an_anonymous_visitor_cannot_reach_the_desk_and_logs_out_cleanly(page, desk_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(desk_server("/admin/emprunteurs/1"))
    expect(page.locator("h1")).to_have_text("Espace documentaliste")
    assert "Marie Joseph" not in page.content()
    log_in(page, desk_server)
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.locator(".flash-success")).to_contain_text("Vous êtes déconnecté·e.")
    page.goto(desk_server("/admin/prets/"))
    page.wait_for_url(re.compile(r"/admin/connexion"))
