"""A visitor in a real browser (headless Debian chromium): searches, filters, reads a record,
downloads its file — with the script, without it, and on a phone."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra").expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "out" / "screenshots"


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def count_of(page) -> str:  # type: ignore[no-untyped-def]
    return " ".join(page.locator("#titre-resultats").inner_text().split())


def test_search_filter_remove_chip_open_record_and_download(page, live_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """GIVEN the search page WHEN a visitor searches, ticks a thematic, removes its chip, goes
    back, opens a record and downloads its file THEN each step shows the right state and URL."""
    page.goto(live_server("/"))
    assert "Tout le fonds : 12 documents" in count_of(page)

    page.get_by_label("Mots, expression, auteur ou sigle").fill("quartier")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=quartier"))
    # browsing was newest first; a query is ranked by relevance
    expect(page.locator("#tri option:checked")).to_have_text("Pertinence")
    before = count_of(page)
    assert re.fullmatch(r"\d+ documents", before)

    # tick a facet: the script applies it in place and the URL follows
    box = page.locator("fieldset.facet-theme input[type=checkbox]").first
    theme, box_id = box.get_attribute("value"), box.get_attribute("id")
    label = page.locator(f'label[for="{box_id}"]').inner_text()
    expected = re.sub(r"\D", "", page.locator(f'label[for="{box_id}"] .count').inner_text())
    box.check()
    page.wait_for_url(re.compile(f"theme={theme}"))
    expect(page.locator("#titre-resultats")).to_have_text(
        re.compile(rf"^\s*{expected} documents?\s*$")
    )
    # the new count is said to screen readers
    expect(page.locator("#annonce")).to_have_text(count_of(page))
    theme_label = label.rsplit("(", 1)[0].strip()
    chip = page.locator("a.chip", has_text=f"Thématique : {theme_label}")
    assert chip.count() == 1
    page.screenshot(path=str(tmp_path / "resultats.png"), full_page=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "resultats.png", SCREENSHOTS / "resultats.png")

    # remove the chip
    chip.click()
    page.wait_for_url(lambda url: "theme=" not in url)
    expect(page.locator("a.chip")).to_have_count(0)
    assert count_of(page) == before

    # the back button brings the filter back
    page.go_back()
    page.wait_for_url(re.compile(f"theme={theme}"))
    expect(page.locator("a.chip")).to_have_count(1)
    expect(page.locator(f'fieldset.facet-theme input[value="{theme}"]')).to_be_checked()

    # open a record and download its file
    page.goto(live_server("/?q=contrat+de+ville"))
    page.locator(".hit-title a").first.click()
    page.wait_for_url(re.compile(r"/notice/\d+$"))
    assert page.locator("h1").inner_text().startswith("Évaluation du contrat urbain")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("^Télécharger")).click()
    download = info.value
    assert download.suggested_filename == "Évaluation CUCS été 2009.pdf"
    saved = tmp_path / "download.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")


def test_everything_works_without_javascript(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    """GIVEN a browser without JavaScript WHEN the visitor ticks a facet and presses the
    button THEN the form sends the filter along with the query."""
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(live_server("/"))
        page.locator('fieldset.facet-support input[value="papier"]').check()
        page.get_by_role("button", name="Appliquer les filtres").click()
        page.wait_for_url(re.compile(r"support=papier"))
        # the sort menu belongs to the same form: its current choice travels along
        assert params(page.url) == {"support": ["papier"]}  # the default sort is sent empty
        assert page.locator("a.chip", has_text="Support : Papier").count() == 1
        page.locator("#tri").select_option("title")
        page.get_by_role("button", name="Trier").click()
        page.wait_for_url(re.compile(r"sort=title"))
        assert params(page.url)["support"] == ["papier"]
    finally:
        context.close()


def test_keyboard_only_use(page, live_server) -> None:  # type: ignore[no-untyped-def]
    """GIVEN the search page WHEN a visitor uses only the keyboard THEN the first stop skips to
    the content, focus is visible, and Space on a facet applies it."""
    page.goto(live_server("/?q=quartier"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    box = page.locator('fieldset.facet-type input[type="checkbox"]').first
    box.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    box_id = box.get_attribute("id")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"type="))
    expect(page.locator(f"#{box_id}")).to_be_checked()
    # focus stays on the box the visitor ticked, in the updated page
    assert page.evaluate("document.activeElement.id") == box_id


def test_on_a_phone_the_filters_fold_under_a_toggle_and_nothing_scrolls_sideways(
    browser, live_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="fr-FR", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(live_server("/?q=logement&theme=logement"))
        panel = page.locator("[data-facets-panel]")
        assert panel.get_attribute("open") is None
        assert page.locator(".facets-summary").inner_text().startswith("Filtres (1 actif)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.locator(".facets-summary").click()
        assert panel.get_attribute("open") is not None
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(tmp_path / "telephone.png"), full_page=True)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / "telephone.png", SCREENSHOTS / "telephone.png")
        page.goto(live_server(f"/notice/{live_server.ids['cucs']}"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


def test_a_pdf_opens_in_the_browser_and_an_html_file_cannot_script(
    page, page_errors, live_server
) -> None:  # type: ignore[no-untyped-def]
    response = page.request.get(live_server(f"/notice/{live_server.ids['cucs']}/fichier?lire=1"))
    assert response.headers["content-disposition"].startswith("inline;")
    page.goto(live_server(f"/notice/{live_server.ids['html']}/fichier?lire=1"))
    assert page.locator("h1").inner_text() == "Maison des projets"
    # sandboxed: its script is blocked, and it runs in an opaque origin (no cookie of ours)
    assert any("sandboxed" in e and "allow-scripts" in e for e in page_errors)
    page_errors.clear()
    assert page.evaluate("window.origin") == "null"
