"""The workspace's locks: login, sessions, throttling, CSRF, and /admin/ closed to anonymous
users — every route, enumerated from the application itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from library import Catalogue, audit
from library.loans import Loans
from library.users import ScryptCost, Users

from .actions import FAST, LOGIN, PASSWORD, csrf, login, make_app, paper_record, post, text

TEMPLATES = Path(__file__).resolve().parents[3] / "webapp" / "templates" / "admin"


def test_an_anonymous_visit_is_sent_to_the_login_page_and_comes_back_after(client):
    response = client.get("/admin/prets/retards?tri=jours")
    assert response.status_code == 302
    assert response.location == "/admin/connexion?suivant=/admin/prets/retards?tri%3Djours"
    page = client.get(response.location)
    assert 'name="suivant" value="/admin/prets/retards?tri=jours"' in text(page)
    back = post(
        client,
        "/admin/connexion",
        {
            "identifiant": LOGIN,
            "mot_de_passe": PASSWORD,
            "suivant": "/admin/prets/retards?tri=jours",
        },
    )
    assert back.status_code == 302 and back.location == "/admin/prets/retards?tri=jours"


def test_login_then_logout(client, app):
    assert login(client).location == "/admin/"
    home = client.get("/admin/")
    assert home.status_code == 200 and "Connecté·e" in text(home) and "Marie-Josée" in text(home)
    out = post(client, "/admin/deconnexion")
    assert out.status_code == 302
    assert client.get("/admin/").status_code == 302
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        actions = [e.action for e in audit.entries(cat)[0]]
    assert actions[:2] == ["user.logout", "user.login"]


def test_a_wrong_password_or_login_gets_the_same_answer_and_no_session(client):
    wrong = login(client, password="pas le bon mot de passe")
    unknown = login(client, user="inconnu", password=PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Identifiant ou mot de passe incorrect." in text(response)
    with client.session_transaction() as session:
        assert "uid" not in session
    assert client.get("/admin/").status_code == 302


def test_logins_are_throttled_per_login_even_across_a_restart(app, client, instance):
    for _ in range(5):
        assert login(client, password="mauvais mot de passe").status_code == 401
    blocked = login(client)  # the right password, too late
    assert blocked.status_code == 429 and "Trop de tentatives" in text(blocked)
    assert int(blocked.headers["Retry-After"]) > 60
    restarted = make_app(instance).test_client()
    assert login(restarted).status_code == 429


def test_logins_are_throttled_per_address(app, client):
    for n in range(20):
        login(client, user=f"essai{n}", password="mauvais mot de passe")
    assert login(client).status_code == 429
    elsewhere = app.test_client()
    assert login(elsewhere, environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 302


def test_a_forged_form_without_or_with_a_wrong_csrf_token_changes_nothing(logged_in, app):
    record_id = paper_record(app, "Titre avant", "CRPV0001")
    for token in (None, "jeton-faux"):
        data = {"title": "Titre forgé", "support": "papier"}
        if token:
            data["csrf_token"] = token
        response = logged_in.post(f"/admin/notices/{record_id}", data=data)
        assert response.status_code == 400
        assert "Formulaire expiré ou invalide" in text(response)
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        assert cat.get(record_id).title == "Titre avant"


def test_the_login_form_itself_needs_its_csrf_token(client):
    response = client.post(
        "/admin/connexion", data={"identifiant": LOGIN, "mot_de_passe": PASSWORD}
    )
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert "uid" not in session


def _fill(rule) -> str:  # type: ignore[no-untyped-def]
    values = {
        name: "jeton-inexistant-0123456789" if name == "token" else 1 for name in rule.arguments
    }
    return rule.build(values, append_unknown=False)[1]


def _state(instance: Path) -> tuple[object, ...]:
    with Catalogue.in_instance(instance) as cat:
        desk = Loans(cat)
        return (
            cat.revisions(),
            cat.last_rev(),
            [x.id for x in desk.active_loans()],
            [(b.id, b.name, b.suspended) for b in desk.borrowers()],
            audit.entries(cat)[1],
            sorted(p.name for p in (instance / "files").rglob("*")),
            sorted(p.name for p in (instance / "staging").glob("*")),
        )


def test_every_admin_route_is_closed_to_anonymous_visitors(app, client, instance):
    """GIVEN a fund with a record, a copy, a borrower with a loan, WHEN an anonymous visitor
    calls every /admin/ route of the application (found in its URL map), THEN each GET leads
    to the login page and each POST is refused (with or without a CSRF token), and nothing
    in the catalogue, the file store or the staging area has changed."""
    record_id = paper_record(app, "Notice témoin", "CRPV0001")
    with Catalogue.in_instance(instance) as cat:
        desk = Loans(cat)
        borrower = desk.add_borrower("Paul Témoin")
        from datetime import date

        desk.check_out("CRPV0001", borrower.id, today=date(2013, 3, 1))
    assert record_id == 1 and borrower.id == 1
    before = _state(instance)
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/admin")]
    assert len(rules) >= 30, "the workspace's routes were not found"
    token = csrf(client)
    checked = 0
    for rule in rules:
        url = _fill(rule)
        if "GET" in rule.methods and rule.endpoint != "admin.login":
            response = client.get(url)
            assert response.status_code == 302, url
            assert response.location.startswith("/admin/connexion?suivant="), url
            checked += 1
        if "POST" in rule.methods and rule.endpoint != "admin.login":
            form = {
                "title": "x",
                "barcode": "CRPV0001",
                "emprunteur": "1",
                "name": "x",
                "decision": "add",
                "slug": "sante",
                "action": "remove",
                "confirmation": "EFFACER",
            }
            for data in (form, {**form, "csrf_token": token}):
                response = client.post(url, data=data)
                assert response.status_code == 403, url
                assert "Connexion requise" in text(response)
            checked += 1
    assert checked >= 40
    assert _state(instance) == before


def test_an_unknown_admin_address_also_asks_for_a_login(client):
    assert client.get("/admin/nimporte-quoi").status_code == 302


def test_the_calendar_feed_needs_its_secret(client):
    assert client.get("/calendrier/devine.ics").status_code == 404


def test_no_redirect_to_another_site_after_login(client):
    for target in (
        "https://exemple.invalid/",
        "//exemple.invalid/admin/",
        "/\\exemple.invalid",
        "/recherche",
    ):
        client.get("/")
        response = post(
            client,
            "/admin/connexion",
            {"identifiant": LOGIN, "mot_de_passe": PASSWORD, "suivant": target},
        )
        assert response.location == "/admin/", target
        post(client, "/admin/deconnexion")


def test_session_cookies_are_httponly_samesite_and_secure_over_https(app):
    plain = app.test_client()
    cookie = login(plain).headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    https = app.test_client()
    https.get("/admin/connexion", base_url="https://localhost")
    with https.session_transaction(base_url="https://localhost") as session:
        token = session["csrf_token"]
    secure = https.post(
        "/admin/connexion",
        base_url="https://localhost",
        data={"identifiant": LOGIN, "mot_de_passe": PASSWORD, "csrf_token": token},
    )
    assert secure.status_code == 302
    assert "Secure" in secure.headers["Set-Cookie"] and "HttpOnly" in secure.headers["Set-Cookie"]


def test_workspace_pages_carry_the_security_headers_and_are_not_cached(logged_in):
    page = logged_in.get("/admin/")
    assert page.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_changing_a_password_ends_the_other_sessions(app, logged_in):
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        Users(cat, cost=ScryptCost(n=FAST)).set_password(LOGIN, "un tout nouveau mot de passe")
    assert logged_in.get("/admin/").status_code == 302


def test_a_disabled_account_can_no_longer_log_in_nor_keep_its_session(app, logged_in):
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        Users(cat).set_active(LOGIN, False)
    assert logged_in.get("/admin/").status_code == 302
    assert login(app.test_client()).status_code == 401


def test_changing_ones_own_password_in_the_workspace(app, logged_in):
    refused = post(
        logged_in,
        "/admin/mot-de-passe",
        {"actuel": PASSWORD, "nouveau": "court", "confirmation": "court"},
    )
    assert refused.status_code == 400 and "au moins 10 caractères" in text(refused)
    done = post(
        logged_in,
        "/admin/mot-de-passe",
        {
            "actuel": PASSWORD,
            "nouveau": "nouvelle phrase secrète",
            "confirmation": "nouvelle phrase secrète",
        },
    )
    assert done.status_code == 302
    assert logged_in.get("/admin/").status_code == 200  # this session goes on
    assert login(app.test_client()).status_code == 401
    assert login(app.test_client(), password="nouvelle phrase secrète").status_code == 302


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_workspace_templates_hold_no_inline_script_or_style(path):
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", source), "inline <script>"
    assert not re.search(r"\sstyle\s*=", source), 'style="" attribute'
    assert not re.search(r"\son[a-z]+\s*=", source), "inline event handler"
    assert "<style" not in source


def test_a_write_to_a_public_address_is_refused_as_a_method_not_a_csrf_problem(client):
    assert client.post("/").status_code == 405
    assert client.post("/nulle-part").status_code == 404
