"""Reminders by e-mail (the mailer of webapp/mail, against a real SMTP server on a free port):
the letter arrives and is noted, a borrower without an address gets a clear message and
nothing is lost, a refused recipient or a server down notes nothing."""

from __future__ import annotations

import html
from datetime import date

import pytest

from library import Catalogue
from library.loans import Loans
from library.users import ScryptCost, Users

from ..smtp_fixtures import body
from .actions import FAST, LOGIN, PASSWORD, login, make_app, paper_record, text


@pytest.fixture
def app(instance, smtp):
    with Catalogue.in_instance(instance) as cat:
        Users(cat, cost=ScryptCost(n=FAST)).add(LOGIN, PASSWORD)
    application = make_app(instance, LOAN_DESK_CONTACT="pret@crpv.example", **smtp.config)
    yield application
    index = application.extensions["fonds"].get("index")
    if index is not None:
        index.close()


@pytest.fixture
def desk(app):  # type: ignore[no-untyped-def]
    """Marie (with an address) and Paul (without) each hold an overdue copy."""
    paper_record(app, "Guide de la médiation", "CRPV0001")
    paper_record(app, "Actes du colloque", "CRPV0002")
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        loans = Loans(cat)
        marie = loans.add_borrower("Marie Joseph", email="marie@exemple.fr")
        paul = loans.add_borrower("Paul Célestine", phone="0596 00 00 00")
        loans.check_out("CRPV0001", marie.id, today=date(2013, 1, 2))
        loans.check_out("CRPV0002", paul.id, today=date(2013, 1, 2))
    client = app.test_client()
    login(client)
    return client, marie.id, paul.id


def _post(client, url):  # type: ignore[no-untyped-def]
    from .actions import post

    post(client, url)
    return html.unescape(text(client.get("/admin/prets/relances")))


def test_a_reminder_goes_by_e_mail_and_is_noted(desk, smtp):
    client, marie, paul = desk
    page = _post(client, f"/admin/prets/relances/{marie}/courriel")
    assert "Première relance envoyée par courriel à marie@exemple.fr" in page
    [message] = smtp.to("marie@exemple.fr")
    assert message["Subject"].startswith("Première relance — document à rendre")
    assert "40 jours de retard" in body(message) and "pret@crpv.example" in body(message)
    assert "Deuxième relance" in page  # her next letter is the second
    overdue = html.unescape(text(client.get("/admin/prets/retards")))
    assert "Première relance le 04/03/2013" in overdue


def test_a_borrower_without_an_address_gets_a_clear_message_and_keeps_the_letter(desk, smtp):
    client, marie, paul = desk
    page = _post(client, "/admin/prets/relances/courriels")
    assert "Paul Célestine n'a pas d'adresse électronique : imprimez la lettre" in page
    assert "1 relance(s) envoyée(s) par courriel" in page
    assert len(smtp.messages) == 1
    overdue = html.unescape(text(client.get("/admin/prets/retards")))
    assert overdue.count("Première relance le 04/03/2013") == 1  # Paul's is not noted
    assert "Bonjour Paul Célestine" in page  # his letter is still there to print


def test_a_refused_recipient_or_a_server_down_notes_nothing(desk, smtp, app, instance):
    client, marie, paul = desk
    smtp.refuse.add("marie@exemple.fr")
    page = _post(client, f"/admin/prets/relances/{marie}/courriel")
    assert "non envoyée ni notée" in page and "refuse le destinataire" in page
    assert "Première relance" in page  # still the first level
    down = make_app(instance, SMTP_HOST="127.0.0.1", SMTP_PORT=1, MAIL_FROM="x@example.org")
    other = down.test_client()
    login(other)
    page = _post(other, f"/admin/prets/relances/{marie}/courriel")
    assert "injoignable" in page and "non envoyée ni notée" in page
    assert "aucune" in html.unescape(text(other.get("/admin/prets/retards")))
