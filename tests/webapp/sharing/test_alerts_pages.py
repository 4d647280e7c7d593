"""The veille's pages: subscribing with only an address, confirming with a button press,
one-click unsubscribing, and the workspace (subscribers, GDPR, failures, the newsletter)."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from lxml import html as lxml_html

from library import Catalogue, Record, ThemeAssignment, ThemeSource
from library.alerts import Alerts
from library.users import ScryptCost, Users

from ..smtp_fixtures import body, free_port
from ..workspace.actions import FAST, LOGIN, PASSWORD, login, make_app, post, text


@pytest.fixture
def app(instance, smtp):
    with Catalogue.in_instance(instance) as cat:
        Users(cat, cost=ScryptCost(n=FAST)).add(LOGIN, PASSWORD)
        cat.add(Record(title="Un document déjà là"))
    application = make_app(instance, **smtp.config)
    yield application
    index = application.extensions["fonds"].get("index")
    if index is not None:
        index.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def staff(app):
    client = app.test_client()
    assert login(client).status_code == 302
    return client


def confirm_path(message) -> str:
    match = re.search(r"https://fonds\.example\.org(/alertes/confirmer/\S+)", body(message))
    assert match
    return match.group(1)


def subscriber(app, email: str):
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        return Alerts(cat).by_email(email)


def subscribers(app) -> list:
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        return Alerts(cat).subscribers()


def add(app, *records: Record) -> list[int]:
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        return [cat.add(r).id for r in records]


def themed(title: str, slug: str) -> Record:
    return Record(title=title, themes=(ThemeAssignment(slug, ThemeSource.MANUAL),))


def send_digests(app):
    """What `fonds alert send` does, from the app's configuration."""
    from webapp import services
    from webapp.alerts.core import alerts_for, require_mail
    from webapp.alerts.sending import SearchMatcher, dispatch

    with app.test_request_context():
        settings, base = require_mail(app.config)
        alerts = alerts_for(services.get_catalogue(), app.config)
        labels = services.theme_labels()
        up_to = alerts.newest_record_id()

        def finder():  # the index brought up to date first, as the CLI's is
            services.reindex_records()
            return services.get_finder()

        alerts.plan_digests(SearchMatcher(finder, labels), up_to=up_to)
        return dispatch(
            services.get_catalogue(), alerts, settings, base=base, config=app.config, labels=labels
        )


def subscribe(client, **fields):
    return post(client, "/alertes/abonnement", fields)


# -- subscribing and confirming ---------------------------------------------------------------


def test_a_visitor_subscribes_to_a_thematic_and_a_link_follower_confirms_nothing(
    app,
    client,
    smtp,
):
    """GIVEN the subscription form reached from a thematic
    WHEN a visitor gives their address, and the confirmation link is opened (as a mail scanner
    would) THEN nothing is confirmed until the page's button is pressed."""
    page = client.get("/alertes/abonnement?theme=jeunesse")
    assert page.status_code == 200
    tree = lxml_html.fromstring(text(page))
    assert tree.cssselect("#t-jeunesse")[0].get("checked") is not None
    assert tree.cssselect("label[for=f-email]")

    done = subscribe(client, email="ana@example.org", theme="jeunesse")
    assert done.status_code == 200 and "Vérifiez votre messagerie" in text(done)
    (message,) = smtp.to("ana@example.org")
    path = confirm_path(message)

    opened = client.get(path)
    assert opened.status_code == 200 and "Confirmer mon abonnement" in text(opened)
    assert opened.headers["Cache-Control"] == "no-store"
    assert not subscriber(app, "ana@example.org").confirmed

    confirmed = post(client, path)
    assert confirmed.status_code == 200 and "Abonnement confirmé" in text(confirmed)
    assert "Politiques de jeunesse" in text(confirmed)
    assert subscriber(app, "ana@example.org").confirmed

    again = client.get(path)
    assert "déjà confirmé" in unescape(text(again))
    assert post(app.test_client(), path).status_code in (200, 400)  # a stale form: no change


def test_a_confirmation_link_that_is_unknown_or_expired_is_explained(app, client):
    unknown = client.get("/alertes/confirmer/nimportequoi")
    assert unknown.status_code == 404 and "pas (ou plus) valable" in unescape(text(unknown))
    from datetime import UTC, datetime, timedelta

    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        past = datetime.now(UTC) - timedelta(hours=73)
        _, token = Alerts(cat).request(
            "ana@example.org", [("bulletin", "")], origin="test", now=past
        )
    expired = client.get(f"/alertes/confirmer/{token}")
    assert expired.status_code == 410 and "a expiré" in unescape(text(expired))
    assert post(client, f"/alertes/confirmer/{token}").status_code == 410
    assert not subscriber(app, "ana@example.org").confirmed


def test_the_form_refuses_a_bad_address_an_unknown_thematic_and_nothing_chosen(
    client,
    smtp,
):
    bad = subscribe(client, email="ana(at)example.org", theme="jeunesse")
    assert bad.status_code == 400 and "pas valide" in unescape(text(bad))
    unknown = subscribe(client, email="ana@example.org", theme="astrologie")
    assert unknown.status_code == 400 and "« astrologie » n'existe pas" in unescape(text(unknown))
    nothing = subscribe(client, email="ana@example.org")
    assert nothing.status_code == 400 and "au moins une chose" in unescape(text(nothing))
    assert smtp.messages == []


def test_the_form_cannot_flood_a_mailbox(client, smtp):
    codes = [subscribe(client, email="ana@example.org", bulletin="1").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert len(smtp.to("ana@example.org")) == 3
    refused = subscribe(client, email="ana@example.org", bulletin="1")
    assert "Trop de demandes" in text(refused) and int(refused.headers["Retry-After"]) > 0


def test_a_search_offers_an_alert_and_its_subscribers_receive_what_matches(
    app,
    client,
    smtp,
):
    page = text(client.get("/?q=m%C3%A9diation"))
    tree = lxml_html.fromstring(page)
    (link,) = [a for a in tree.cssselect("a") if "M'alerter des nouveautés" in a.text_content()]
    form = client.get(link.get("href"))
    assert "« médiation »" in unescape(text(form))
    recherche = lxml_html.fromstring(text(form)).cssselect("#f-recherche")[0].get("value")
    subscribe(client, email="ana@example.org", recherche=recherche)
    post(client, confirm_path(smtp.to("ana@example.org")[0]))
    add(app, Record(title="La médiation sociale en Martinique"), Record(title="Le budget"))
    report = send_digests(app)
    assert [s["email"] for s in report.sent] == ["ana@example.org"]
    digest = smtp.to("ana@example.org")[-1]
    assert "La médiation sociale en Martinique" in body(digest)
    assert "Le budget" not in body(digest)
    assert "Recherche : « médiation »" in body(digest)


def test_without_mail_settings_the_form_says_so_and_the_site_works(instance):
    with Catalogue.in_instance(instance) as cat:
        Users(cat, cost=ScryptCost(n=FAST)).add(LOGIN, PASSWORD)
    app = make_app(instance)
    client = app.test_client()
    page = client.get("/alertes/abonnement?bulletin=1")
    assert page.status_code == 200 and "pas disponible" in text(page)
    assert not lxml_html.fromstring(text(page)).cssselect("#f-email")
    assert subscribe(client, email="ana@example.org", bulletin="1").status_code == 503
    assert subscribers(app) == []
    assert client.get("/nouveautes").status_code == 200
    assert login(client).status_code == 302
    home = text(client.get("/admin/"))
    assert "Envoi de courriels non configuré" in home
    listing = text(client.get("/admin/abonnes/"))
    assert "SMTP_HOST et MAIL_FROM" in listing


# -- unsubscribing ----------------------------------------------------------------------------


def confirmed_subscriber(app, email: str = "ana@example.org"):
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        alerts = Alerts(cat)
        _, token = alerts.request(email, [("theme", "jeunesse"), ("bulletin", "")], origin="t")
        return alerts.confirm(token)


def test_one_click_unsubscribe_works_without_a_session_and_takes_effect_at_once(app, smtp):
    person = confirmed_subscriber(app)
    add(app, themed("Guide des chantiers éducatifs", "jeunesse"))
    send_digests(app)
    (digest,) = smtp.to("ana@example.org")
    url = digest["List-Unsubscribe"].strip("<>")
    path = url.removeprefix("https://fonds.example.org")
    mail_client = app.test_client()  # no cookie, no CSRF token: what a mail client has
    done = mail_client.post(
        path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert done.status_code == 200 and "désabonné" in text(done)
    assert subscribers(app) == []
    add(app, themed("Les conseils de jeunes", "jeunesse"))
    assert send_digests(app).sent == []
    assert mail_client.post(path).status_code == 404  # already done: said, not a crash
    assert person.id


def test_the_visible_unsubscribe_link_asks_before_unsubscribing(app):
    person = confirmed_subscriber(app)
    client = app.test_client()
    path = f"/alertes/desabonnement/{person.id}/{person.unsubscribe_key}"
    page = client.get(path)
    assert page.status_code == 200 and "Me désabonner" in text(page)
    assert len(subscribers(app)) == 1
    assert client.post(path).status_code == 200
    assert subscribers(app) == []


def test_a_forged_unsubscribe_link_unsubscribes_nobody(app):
    person = confirmed_subscriber(app)
    client = app.test_client()
    for path in (
        f"/alertes/desabonnement/{person.id}/{'x' * len(person.unsubscribe_key)}",
        f"/alertes/desabonnement/{person.id + 1}/{person.unsubscribe_key}",
        f"/alertes/desabonnement/{person.id}/{person.unsubscribe_key[:-1]}",
    ):
        assert client.get(path).status_code == 404
        refused = client.post(path)
        assert refused.status_code == 404 and "pas valable" in text(refused)
    assert len(subscribers(app)) == 1


# -- the workspace ----------------------------------------------------------------------------


def test_staff_add_a_subscriber_with_the_consent_origin_export_and_erase_them(
    app,
    staff,
    smtp,
):
    missing = post(staff, "/admin/abonnes/nouveau", {"email": "ana@example.org", "bulletin": "1"})
    assert missing.status_code == 400 and "origine du consentement" in text(missing)
    done = post(
        staff,
        "/admin/abonnes/nouveau",
        {
            "email": "ana@example.org",
            "theme": "jeunesse",
            "bulletin": "1",
            "origine": "fiche remplie à la journée du 12 mars",
        },
    )
    assert done.status_code == 302
    (message,) = smtp.to("ana@example.org")
    person = subscriber(app, "ana@example.org")
    assert person.consent_origin == "documentaliste : fiche remplie à la journée du 12 mars"
    assert not person.confirmed
    listing = text(staff.get("/admin/abonnes/"))
    assert "ana@example.org" in listing and "en attente de confirmation" in listing

    exported = staff.get(f"/admin/abonnes/{person.id}/donnees.json")
    data = json.loads(exported.get_data(as_text=True))
    assert data["email"] == "ana@example.org" and "unsubscribe_key" not in data
    assert {s["kind"] for s in data["subscriptions"]} == {"theme", "bulletin"}

    kept = post(staff, f"/admin/abonnes/{person.id}/effacer", {"confirmation": "non"})
    assert kept.status_code == 302 and len(subscribers(app)) == 1
    erased = post(staff, f"/admin/abonnes/{person.id}/effacer", {"confirmation": "EFFACER"})
    assert erased.status_code == 302 and subscribers(app) == []
    assert staff.get(f"/admin/abonnes/{person.id}").status_code == 404
    assert post(staff, confirm_path(message)).status_code == 404
    journal = text(staff.get("/admin/journal"))
    assert "ana@example.org" not in journal and f"Abonné n° {person.id}" in journal


def test_the_workspace_lists_failed_deliveries(app, staff, smtp):
    confirmed_subscriber(app, "ana@example.org")
    add(app, themed("Guide des chantiers éducatifs", "jeunesse"))
    smtp.refuse = {"ana@example.org"}
    report = send_digests(app)
    assert [f["reason"] for f in report.failed] == ["recipient-refused"]
    listing = text(staff.get("/admin/abonnes/"))
    assert "Envois en échec" in listing and "sera retenté" in listing
    assert "1</strong> envoi(s) en échec" in text(staff.get("/admin/"))


def test_the_newsletter_is_written_previewed_and_sent_once_to_bulletin_subscribers(
    app,
    staff,
    smtp,
):
    """GIVEN two bulletin subscribers, a thematic-only one and records of March 2013
    WHEN the documentalist writes the introduction, previews, sends, then sends again
    THEN the two bulletin subscribers receive the letter once; the other nothing."""
    for email in ("ana@example.org", "boris@example.org"):
        confirmed_subscriber(app, email)
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        alerts = Alerts(cat)
        _, token = alerts.request("chloe@example.org", [("theme", "jeunesse")], origin="t")
        alerts.confirm(token)
        cat.add(Record(title="Guide de la médiation", created_at="2013-03-02T10:00:00Z"))
        cat.add(Record(title="Rapport de février", created_at="2013-02-20T10:00:00Z"))

    page = staff.get("/admin/abonnes/lettre?mois=2013-03")
    assert page.status_code == 200 and "2 abonné(s)" in text(page)
    saved = post(
        staff,
        "/admin/abonnes/lettre?mois=2013-03",
        {"introduction": "Chers partenaires,\n\nvoici les <nouveautés> de mars."},
    )
    assert saved.status_code == 302
    preview = staff.get("/admin/abonnes/lettre/apercu.html?mois=2013-03")
    shown = text(preview)
    assert "&lt;nouveautés&gt;" in shown and "Guide de la médiation" in shown
    assert "Rapport de février" not in shown
    assert "frame-ancestors 'self'" in preview.headers["Content-Security-Policy"]
    assert post(staff, "/admin/abonnes/lettre/envoyer", {"mois": "2013-03"}).status_code == 302
    assert smtp.messages == []  # not confirmed by typing ENVOYER

    sent = post(
        staff, "/admin/abonnes/lettre/envoyer", {"mois": "2013-03", "confirmation": "ENVOYER"}
    )
    assert sent.status_code == 302
    letters = [m for m in smtp.messages if m["Subject"].startswith("Lettre d'information")]
    assert sorted(m["To"] for m in letters) == ["ana@example.org", "boris@example.org"]
    letter = letters[0]
    assert "mars 2013" in letter["Subject"]
    assert "voici les <nouveautés> de mars." in body(letter)
    assert "Guide de la médiation" in body(letter)
    assert letter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    again = post(
        staff,
        "/admin/abonnes/lettre/envoyer",
        {"mois": "2013-03", "confirmation": "ENVOYER"},
        follow_redirects=True,
    )
    assert "déjà partie" in unescape(text(again))
    assert send_digests(app).sent == []
    assert len([m for m in smtp.messages if "Lettre" in m["Subject"]]) == 2
    edited = post(staff, "/admin/abonnes/lettre?mois=2013-03", {"introduction": "Autre"})
    assert edited.status_code == 302
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        assert "voici les" in Alerts(cat).newsletter("2013-03").introduction


def test_the_workspace_pages_are_valid_and_closed_to_visitors(app, staff, client):
    confirmed_subscriber(app)
    person = subscribers(app)[0]
    for path in (
        "/admin/abonnes/",
        "/admin/abonnes/nouveau",
        f"/admin/abonnes/{person.id}",
        "/admin/abonnes/lettre",
    ):
        assert client.get(path).status_code == 302  # to the login page
        page = staff.get(path)
        assert page.status_code == 200, path
        tree = lxml_html.fromstring(text(page))
        assert tree.cssselect("h1")
        for field in tree.cssselect("input:not([type=hidden]), textarea"):
            assert tree.cssselect(f"label[for={field.get('id')}]"), (path, field.get("name"))
    assert client.post("/admin/abonnes/lettre/envoyer", data={"mois": "2013-03"}).status_code == 403
    assert staff.get("/admin/abonnes/lettre?mois=2013-13").status_code == 200  # said, not a 500


def test_a_subscription_request_keeps_the_search_canonical(app, client, smtp):
    query = urlencode({"q": "logement", "sort": "title", "page": "3", "type": "guide"})
    form = text(client.get(f"/alertes/abonnement?{urlencode({'recherche': query})}"))
    value = lxml_html.fromstring(form).cssselect("#f-recherche")[0].get("value")
    assert "sort" not in value and "page" not in value and "type=guide" in value


def test_a_port_with_no_server_makes_the_form_say_to_retry(instance):
    with Catalogue.in_instance(instance) as cat:
        cat.add(Record(title="Un document"))
    app = make_app(
        instance,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=free_port(),
        SMTP_SECURITY="none",
        MAIL_FROM="doc@example.org",
        BASE_URL="https://fonds.example.org",
    )
    refused = subscribe(app.test_client(), email="ana@example.org", bulletin="1")
    assert refused.status_code == 503 and "n'a pas pu partir" in unescape(text(refused))


def test_a_thematic_search_becomes_a_thematic_subscription(client):
    form = text(client.get("/alertes/abonnement?" + urlencode({"recherche": "theme=jeunesse"})))
    tree = lxml_html.fromstring(form)
    assert tree.cssselect("#t-jeunesse")[0].get("checked") is not None
    assert not tree.cssselect("#f-recherche")
