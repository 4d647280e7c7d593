"""Every page of the site, public or workspace, is valid HTML (the W3C Nu HTML checker) and
passes axe-core's WCAG 2.0/2.1 A and AA rules in chromium.

The pages are the app's own GET routes (`app.url_map`) with real ids from a small fund, the
workspace ones logged in as a documentalist, plus the error page and a withdrawn record. A
route that answers something else than HTML (a file, a feed, JSON) is listed in NOT_PAGES with
the reason; a new route that is in neither list fails `test_every_route_is_checked`.

The checkers come from the npm registry (tests/conformance/package-lock.json, installed by
`make test`): offline at test time, skipped visibly without them, failed under CI=true. All the
pages go through one `java -jar vnu.jar` run (the JVM start costs seconds).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.webapp.workspace.actions import FAST, LOGIN, PASSWORD

pytestmark = pytest.mark.browser

CHECKERS = Path(__file__).resolve().parents[1] / "conformance" / "node_modules"
AXE = CHECKERS / "axe-core" / "axe.min.js"
VNU = CHECKERS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Each HTML page by endpoint: its path, with `{name}` filled from the fund's ids.
PUBLIC = {
    "search.index": "/?q=logement",
    "records.show": "/notice/{cucs}",
    "exports.basket": "/panier",
    "exports.bibliography": "/bibliographie?ids={cucs}&ids={mediation}",
    "feeds.bulletin": "/nouveautes?mois={this_month}",  # the month the fund came in
    "alerts.subscribe": "/alertes/abonnement",
    "alerts.confirm": "/alertes/confirmer/{alert_token}",
    "alerts.unsubscribe": "/alertes/desabonnement/{subscriber}/{unsubscribe_key}",
    "admin.login": "/admin/connexion",
    "periodicals_public.index": "/periodiques/",
    "periodicals_public.show": "/periodiques/{periodical}",
}
WORKSPACE = {
    "periodicals.index": "/admin/periodiques/",
    "periodicals.new": "/admin/periodiques/nouveau",
    "periodicals.show": "/admin/periodiques/{periodical}",
    "periodicals.edit": "/admin/periodiques/{periodical}/modifier",
    "periodicals.new_article": "/admin/periodiques/numeros/{issue}/article",
    "admin.home": "/admin/",
    "admin.review": "/admin/a-revoir",
    "admin.trash": "/admin/corbeille",
    "admin.journal": "/admin/journal",
    "admin.password": "/admin/mot-de-passe",
    "subscribers.index": "/admin/abonnes/",
    "subscribers.show": "/admin/abonnes/{subscriber}",
    "subscribers.new": "/admin/abonnes/nouveau",
    "subscribers.newsletter": "/admin/abonnes/lettre",
    "subscribers.newsletter_preview_page": "/admin/abonnes/lettre/apercu.html",
    "uploads.form": "/admin/depot/",
    "uploads.pending": "/admin/depot/en-attente",
    "uploads.confirm": "/admin/depot/{upload_token}",
    "borrowers.index": "/admin/emprunteurs/",
    "borrowers.show": "/admin/emprunteurs/{borrower}",
    "borrowers.new": "/admin/emprunteurs/nouveau",
    "labels.form": "/admin/etiquettes/",
    "cataloguing.index": "/admin/notices/",
    "cataloguing.edit": "/admin/notices/{cucs}",
    "cataloguing.new": "/admin/notices/nouvelle",
    "loans.desk": "/admin/prets/",
    "loans.record_history": "/admin/prets/notice/{mediation}",
    "loans.reminders": "/admin/prets/relances",
    "loans.reservations": "/admin/prets/reservations",
    "loans.overdue": "/admin/prets/retards",
    "inventory.index": "/admin/recolement/",
    "inventory.show": "/admin/recolement/{inventory}",
    "dashboard.index": "/admin/statistiques/",
    "admin.logout": "/admin/deconnexion",
    "authorities.index": "/admin/autorites/?type=person",
    "authorities.show": "/admin/autorites/{authority}",
    "authorities.new": "/admin/autorites/nouvelle",
}
# Pages that no endpoint names on its own.
EXTRA = {
    "error 404": "/nulle-part",
    "records.show (withdrawn)": "/notice/{withdrawn}",
    "records.show (article)": "/notice/{article}",  # « dans : Cahiers Ville caraïbe, n° 3… »
    # one document holds both words, the others follow under their own heading
    "search.index (some of the words)": "/?q=logement+privé",
    "search.index (found by its keywords)": "/?q=%22contrat+de+ville%22",
}
NOT_PAGES = {
    "static": "files",
    "favicon": "an icon",
    "api.record": "JSON",
    "api.search": "JSON",
    "oai.endpoint": "XML (OAI-PMH)",
    "feeds.all_new": "Atom",
    "feeds.search_feed": "Atom",
    "feeds.theme_feed": "Atom",
    "feeds.opml": "OPML",
    "calendar.calendar_feed": "iCalendar",
    "borrowers.calendar_download": "iCalendar",
    "borrowers.export": "JSON",
    "subscribers.export": "JSON",
    "exports.export_file": "a downloaded export file",
    "exports.export_bundle": "a downloaded ZIP",
    "records.file": "the record's own file",
    "records.searchable_file": "a PDF with a text layer",
    "labels.sheet": "PDF",
    "cataloguing.duplicates": "JSON (the record form's early duplicate warning)",
    "authorities.suggestions": "JSON (the record form's completion of names)",
    "loans.reminders_text": "plain text",
    "loans.overdue_csv": "CSV",
    "inventory.report": "CSV",
}
# Forms sent back with their errors (aria-invalid, messages tied to their fields): the page
# they are posted to, and what is sent.
REFUSED = {
    # what a browser can send: a number field (the year) never holds letters
    "cataloguing.new (refused)": ("cataloguing.new", {"title": "", "year": "2009"}),
    "admin.login (refused)": ("admin.login", {"identifiant": "inconnu", "mot_de_passe": "non"}),
    "periodicals.new (refused)": (
        "periodicals.new",
        {"title": "Revue", "issn": "2107-7208", "frequency": "mensuel"},
    ),
    "periodicals.new_article (refused)": (
        "periodicals.new_article",
        {"title": "Article", "pages": "25-12"},
    ),
    # spaces pass the browser's `required`: the preferred form is refused as empty
    "authorities.new (refused)": ("authorities.new", {"type": "person", "name": "  "}),
}
PAGES = {**PUBLIC, **WORKSPACE, **EXTRA}
PAGES.update({name: PAGES[page] for name, (page, _) in REFUSED.items()})
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
CANARY = (
    '<!doctype html><html lang="fr"><head><title>Témoin</title></head><body><main>'
    '<p><div>bloc dans un paragraphe</div></p><img src="plan.png">'
    '<label>Nom <input id="x"></label><input id="x"></main></body></html>'
)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason}; CI=true requires it (`make test` installs it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site(live_server_factory, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The public tests' fund, with a documentalist, a borrower holding a loan, a confirmed
    subscriber and an open inventory: every page has something real to show."""
    from library import Catalogue, Record
    from library.alerts import Alerts
    from library.authorities import Authorities, AuthorityKind
    from library.inventory import Inventories
    from library.loans import Loans
    from library.users import ScryptCost, Users
    from tests.periodicals_fund import cahiers
    from tests.webapp.public.fund import build_fund

    root = tmp_path_factory.mktemp("conformance") / "instance"
    fund = build_fund(root)
    ids: dict[str, Any] = dict(fund.ids)
    ids["this_month"] = datetime.now(UTC).strftime("%Y-%m")
    with Catalogue.in_instance(root) as cat:
        Users(cat, cost=ScryptCost(n=FAST)).add(LOGIN, PASSWORD, display_name="Marie-Josée")
        loans = Loans(cat)
        borrower = loans.add_borrower(
            family_name="Louis-Joseph", given_names="Céline", email="celine@example.org"
        )
        loans.check_out("CRPV000001", borrower.id, today=date(2013, 3, 4))
        ids["borrower"] = borrower.id
        ids["inventory"] = Inventories(cat).start("Réserve", today=date(2013, 3, 4)).id
        person = Authorities(cat.conn).search(AuthorityKind.PERSON, "Joseph-Angélique")[0]
        Authorities(cat.conn).update(
            person.id,
            name=person.name,
            variants=["Joseph, Marie"],
            dates="1948-",
            note="Urbaniste.",
        )
        ids["authority"] = person.id
        alerts = Alerts(cat)
        subscriber, token = alerts.request(
            "ana@example.org", [("theme", "logement")], origin="test"
        )
        alerts.confirm(token)
        ids["subscriber"] = subscriber.id
        ids["unsubscribe_key"] = alerts.subscriber(subscriber.id).unsubscribe_key
        _, ids["alert_token"] = alerts.request(
            "paul@example.org", [("theme", "jeunesse")], origin="test"
        )
        periodicals = cahiers(cat)
        # found by its keywords alone: the result shows them, marked
        cat.add(
            Record(
                title="Bilan national des programmes urbains",
                abstract="Trois cents évaluations locales conduites à mi-parcours.",
                keywords=("contrat de ville", "programmation"),
                language="fr",
            )
        )
        ids["periodical"] = periodicals.periodical.id
        ids["issue"] = periodicals.received.id
        ids["article"] = periodicals.article.id
    server = live_server_factory(root, PASSWORD_SCRYPT_N=FAST, TODAY="2013-03-04")
    server.ids = ids
    return server


@pytest.fixture(scope="session")
def signed_in(browser, site, tmp_path_factory):  # type: ignore[no-untyped-def]
    """A browser context logged in as the documentalist, with one upload waiting for review."""
    # bypass_csp lets the test inject axe.min.js; the site's own scripts are checked as they are
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", bypass_csp=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(site("/admin/connexion"))
    page.fill("#identifiant", LOGIN)
    page.fill("#mot_de_passe", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(site("/admin/"))
    note = tmp_path_factory.mktemp("upload") / "compte-rendu.txt"
    note.write_text("Compte rendu du conseil de quartier de Trénelle, mars 2013.\n", "utf-8")
    page.goto(site("/admin/depot/"))
    page.set_input_files("#fichiers", note)
    page.click(".upload-form button[type=submit]")
    page.wait_for_url(site("/admin/depot/") + "*")
    site.ids["upload_token"] = page.url.rstrip("/").rsplit("/", 1)[1]
    page.close()
    yield context
    context.close()


def _url(site: Any, name: str) -> str:
    return site(PAGES[name].format(**site.ids))


def _signed(name: str) -> bool:
    return name in WORKSPACE or REFUSED.get(name, ("",))[0] in WORKSPACE


def _fetch(site: Any, name: str, context: Any) -> bytes:
    """The HTML of a page as the server sends it; for a refused form, the page sent back."""
    url = _url(site, name)
    if name not in REFUSED:
        return context.request.get(url, max_redirects=0).body()
    token = TOKEN.search(context.request.get(url).text())
    assert token, f"no CSRF token on {url}"
    response = context.request.post(
        url, form={"csrf_token": token.group(1), **REFUSED[name][1]}, max_redirects=0
    )
    assert 400 <= response.status < 500, f"{name}: the form was not refused ({response.status})"
    return response.body()


@pytest.fixture(scope="session")
def html_errors(site, signed_in, browser, tmp_path_factory) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Fetch every page once and run the Nu checker on all of them in one JVM."""
    if shutil.which("java") is None:
        _unavailable("java not found (apt install default-jre-headless)")
    if not VNU.is_file():
        _unavailable(f"vnu.jar not found at {VNU} (npm ci --prefix tests/conformance)")
    folder = tmp_path_factory.mktemp("html")
    anonymous = browser.new_context()
    files: dict[str, str] = {}
    try:
        for i, name in enumerate(PAGES):
            path = folder / f"page-{i}.html"
            path.write_bytes(_fetch(site, name, signed_in if _signed(name) else anonymous))
            files[path.name] = name
    finally:
        anonymous.close()
    # a page with two known errors: proves the checker ran and its report was read
    (folder / "canary.html").write_text(CANARY, "utf-8")
    files["canary.html"] = "canary"
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only"]
        + [str(folder / f"page-{i}.html") for i in range(len(PAGES))]
        + [str(folder / "canary.html")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(run.stderr or run.stdout)
    errors: dict[str, list[str]] = {name: [] for name in [*PAGES, "canary"]}
    for message in report["messages"]:
        # an error of the checker itself (no page) fails every page rather than none
        names = [files[n] for n in files if message.get("url", "").endswith("/" + n)] or PAGES
        for name in names:
            errors[name].append(
                f"line {message.get('lastLine', '?')}: {message['message']}"
                f" — {message.get('extract', '').strip()!r}"
            )
    return errors


def test_every_route_is_checked(site) -> None:  # type: ignore[no-untyped-def]
    """A new GET route is either a page checked here or listed as something else than HTML."""
    endpoints = {rule.endpoint for rule in site.app.url_map.iter_rules() if "GET" in rule.methods}
    assert endpoints - PAGES.keys() - NOT_PAGES.keys() == set()
    assert (PUBLIC.keys() | WORKSPACE.keys() | NOT_PAGES.keys()) - endpoints == set()


def test_checkers_see_errors(html_errors, browser) -> None:  # type: ignore[no-untyped-def]
    """The checkers find the known faults of a bad page: a green run means something."""
    assert any("Duplicate ID" in error for error in html_errors["canary"]), html_errors["canary"]
    assert any("“p” end tag" in error for error in html_errors["canary"]), html_errors["canary"]
    if not AXE.is_file():
        _unavailable(f"axe-core not found at {AXE} (npm ci --prefix tests/conformance)")
    page = browser.new_page()
    try:
        page.set_content(CANARY)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
    finally:
        page.close()
    assert {"image-alt", "label"} <= {violation["id"] for violation in result["violations"]}


@pytest.mark.parametrize("name", list(PAGES))
def test_valid_html(name: str, html_errors: dict[str, list[str]]) -> None:
    assert not html_errors[name], f"{PAGES[name]} ({name}):\n" + "\n".join(html_errors[name])


@pytest.mark.parametrize("name", list(PAGES))
def test_accessible(name: str, site, signed_in, browser) -> None:  # type: ignore[no-untyped-def]
    if not AXE.is_file():
        _unavailable(f"axe-core not found at {AXE} (npm ci --prefix tests/conformance)")
    context = signed_in if _signed(name) else browser.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(_url(site, name))
        if name in REFUSED:  # the page sent back, shown at its own address
            page.set_content(_fetch(site, name, context).decode())
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
    finally:
        page.close()
        if context is not signed_in:
            context.close()
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]
    assert not problems, f"{PAGES[name]} ({name}):\n" + "\n".join(problems)
