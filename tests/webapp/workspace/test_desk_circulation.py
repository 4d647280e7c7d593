"""Circulation at the desk (issue 12): lending by name with a choice, nothing typed lost, the
borrower's page as a desk, reminders in levels with the desk's contact."""

from __future__ import annotations

import html
from datetime import date

from .actions import make_app, paper_record, post, text
from .test_admin_loans import add_borrower, desk_of, flashes


def test_lending_by_name_works_and_a_choice_is_offered_when_several_match(app, logged_in):
    paper_record(app, "Guide de la médiation sociale", "CRPV0001")
    paper_record(app, "Actes du colloque", "CRPV0002")
    add_borrower(logged_in, family_name="Joseph", given_names="Marie")
    marc = add_borrower(logged_in, family_name="Josephine", given_names="Marc")
    out = post(logged_in, "/admin/prets/sortie", {"barcode": "CRPV0001", "emprunteur": "marie"})
    assert out.status_code == 302
    assert "prêté à Marie Joseph jusqu'au 25/03/2013" in flashes(logged_in)
    ask = post(logged_in, "/admin/prets/sortie", {"barcode": "CRPV0002", "emprunteur": "Jos"})
    page = html.unescape(text(ask))
    assert ask.status_code == 200 and "Plusieurs emprunteurs correspondent à « Jos »" in page
    assert "Joseph, Marie" in page and "Josephine, Marc" in page
    assert 'name="barcode" value="CRPV0002"' in page  # what was typed is kept
    chosen = post(
        logged_in,
        "/admin/prets/sortie",
        {"barcode": "CRPV0002", "emprunteur": f"Josephine, Marc (n° {marc})"},
    )
    assert chosen.status_code == 302 and "prêté à Marc Josephine" in flashes(logged_in)


def test_a_refused_loan_keeps_what_was_typed(app, logged_in):
    paper_record(app, "Guide", "CRPV0001")
    refused = post(
        logged_in,
        "/admin/prets/sortie",
        {"barcode": "CRPV0001", "emprunteur": "Personne Inconnue", "echeance": "2013-04-01"},
    )
    page = html.unescape(text(logged_in.get(refused.location)))
    assert "Aucun emprunteur ne correspond à « Personne Inconnue »" in page
    assert 'value="CRPV0001"' in page and 'value="Personne Inconnue"' in page
    assert 'value="2013-04-01"' in page


def test_the_borrower_page_lends_renews_and_returns(app, logged_in):
    paper_record(app, "Guide", "CRPV0001")
    marie = add_borrower(
        logged_in,
        family_name="Joseph",
        given_names="Marie",
        card_barcode="C0042",
        address="12 rue Victor Hugo\n97200 Fort-de-France",
    )
    here = f"/admin/emprunteurs/{marie}"
    page = html.unescape(text(logged_in.get(here)))
    assert "<h1>Joseph, Marie" in page and "carte C0042" in page and "Fort-de-France" in page
    data = {"barcode": "CRPV0001", "emprunteur": f"(n° {marie})", "retour": here}
    assert post(logged_in, "/admin/prets/sortie", data).location == here
    post(logged_in, "/admin/prets/prolongation", {"barcode": "CRPV0001", "retour": here})
    page = html.unescape(text(logged_in.get(here)))
    assert "Prêts en cours (1)" in page and "prolongé jusqu'au 15/04/2013" in page
    post(logged_in, "/admin/prets/retour", {"barcode": "CRPV0001", "retour": here})
    assert "Prêts en cours (0)" in html.unescape(text(logged_in.get(here)))
    # the card scanned at the desk finds her too
    post(logged_in, "/admin/prets/sortie", {"barcode": "CRPV0001", "emprunteur": "C0042"})
    assert "prêté à Marie Joseph" in flashes(logged_in)


def test_reminders_are_grammatical_count_days_and_go_up_in_levels(app, logged_in):
    paper_record(app, "Guide de la médiation", "CRPV0001")
    marie = add_borrower(logged_in, "Marie Joseph", email="marie@exemple.fr")
    cat, desk = desk_of(app)
    with cat:
        desk.check_out("CRPV0001", marie, today=date(2013, 1, 1), due=date(2013, 3, 3))
    letters = html.unescape(text(logged_in.get("/admin/prets/relances")))
    assert "1 jour de retard" in letters and "d'autres lecteurs l'attendent" in letters
    assert "Première relance" in letters
    assert "LOAN_DESK_CONTACT" in letters  # the missing contact is flagged
    post(logged_in, f"/admin/prets/relances/{marie}/envoyee")
    letters = html.unescape(text(logged_in.get("/admin/prets/relances")))
    assert "Deuxième relance" in letters and "Nous vous avons écrit le 04/03/2013" in letters
    overdue = html.unescape(text(logged_in.get("/admin/prets/retards")))
    assert "Première relance le 04/03/2013" in overdue and "marie@exemple.fr" in overdue


def test_the_letters_carry_the_desk_contact_and_plural_agrees(instance, logged_in, app):
    paper_record(app, "Guide", "CRPV0001")
    paper_record(app, "Actes", "CRPV0002")
    marie = add_borrower(logged_in, "Marie Joseph")
    cat, desk = desk_of(app)
    with cat:
        desk.check_out("CRPV0001", marie, today=date(2013, 1, 2))
        desk.check_out("CRPV0002", marie, today=date(2013, 1, 2))
    configured = make_app(instance, LOAN_DESK_CONTACT="pret@crpv.example · 0596 00 00 00")
    client = configured.test_client()
    from .actions import login

    login(client)
    raw = text(client.get("/admin/prets/relances.txt"))
    assert "d'autres lecteurs les attendent" in raw and "40 jours de retard" in raw
    assert "pret@crpv.example · 0596 00 00 00" in raw
    assert "LOAN_DESK_CONTACT" not in text(client.get("/admin/prets/relances"))
