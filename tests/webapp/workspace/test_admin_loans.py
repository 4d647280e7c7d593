"""The loan desk in the workspace: check out, return, renew, reservations, overdue loans and
their reminders, borrowers and their personal data, the due-dates calendar."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import date

from library import Catalogue, CopyStatus, audit
from library.loans import Loans

from .actions import make_app, paper_record, post, text

# The desk believes it is 2013-03-04 (TODAY in the test configuration).


def desk_of(app) -> tuple[Catalogue, Loans]:  # type: ignore[no-untyped-def]
    cat = Catalogue.in_instance(app.config["INSTANCE"])
    return cat, Loans(cat)


def flashes(client) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(text(client.get("/admin/prets/")))


def add_borrower(client, name: str = "Marie Joseph", **fields: str) -> int:  # type: ignore[no-untyped-def]
    response = post(client, "/admin/emprunteurs/nouveau", {"name": name, **fields})
    assert response.status_code == 302, text(response)
    return int(response.location.rsplit("/", 1)[1])


def test_the_loan_lifecycle_at_the_desk(app, logged_in):
    """GIVEN a paper copy and a borrower, WHEN the desk lends, renews and takes it back,
    THEN each step shows one French line, the copy's state follows, and the audit log has
    the three operations by the documentalist."""
    record_id = paper_record(app, "Guide de la médiation sociale", "CRPV0001")
    marie = add_borrower(logged_in, organisation="Ville du Lamentin", category="collectivite")
    out = post(
        logged_in,
        "/admin/prets/sortie",
        {"barcode": "CRPV0001", "emprunteur": f"Marie Joseph — Ville du Lamentin (n° {marie})"},
    )
    assert out.status_code == 302
    page = flashes(logged_in)
    assert (
        "CRPV0001 « Guide de la médiation sociale » prêté à Marie Joseph jusqu'au 25/03/2013."
        in page
    )
    assert "Prêts en cours (1)" in page
    cat, desk = desk_of(app)
    with cat:
        assert cat.get(record_id).copies[0].status is CopyStatus.ON_LOAN
    post(logged_in, "/admin/prets/prolongation", {"barcode": "CRPV0001"})
    assert "prolongé jusqu'au 15/04/2013 (prolongation n° 1)" in flashes(logged_in)
    post(logged_in, "/admin/prets/retour", {"barcode": "CRPV0001"})
    assert "CRPV0001 « Guide de la médiation sociale » rendu par Marie Joseph." in flashes(
        logged_in
    )
    cat, desk = desk_of(app)
    with cat:
        assert cat.get(record_id).copies[0].status is CopyStatus.AVAILABLE
        actions = [(e.actor, e.action) for e in audit.entries(cat, target_type="loan")[0]]
    assert actions == [
        ("documentaliste", "loan.return"),
        ("documentaliste", "loan.renew"),
        ("documentaliste", "loan.out"),
    ]
    history = text(logged_in.get(f"/admin/prets/notice/{record_id}"))
    assert "Marie Joseph" in history and "04/03/2013" in history


def test_the_desk_says_why_it_refuses(app, logged_in):
    paper_record(app, "Guide", "CRPV0001")
    marie = add_borrower(logged_in)
    paul = add_borrower(logged_in, "Paul")
    post(logged_in, "/admin/prets/sortie", {"barcode": "CRPV0001", "emprunteur": str(marie)})
    cases = [
        (
            "/admin/prets/sortie",
            {"barcode": "CRPV0001", "emprunteur": str(paul)},
            "Prêt refusé — Cet exemplaire est déjà en prêt (retour prévu le 25/03/2013).",
        ),
        (
            "/admin/prets/sortie",
            {"barcode": "INCONNU", "emprunteur": str(paul)},
            "Prêt refusé — Code-barres inconnu : INCONNU.",
        ),
        ("/admin/prets/retour", {"barcode": "INCONNU"}, "Retour impossible — Code-barres inconnu"),
        (
            "/admin/prets/sortie",
            {"barcode": "CRPV0001", "emprunteur": "personne"},
            "Aucun emprunteur ne correspond à « personne » (nom, carte ou n°).",
        ),
    ]
    for url, data, message in cases:
        post(logged_in, url, data)
        assert message in flashes(logged_in), message
    post(logged_in, "/admin/prets/retour", {"barcode": "CRPV0001"})
    post(logged_in, "/admin/prets/retour", {"barcode": "CRPV0001"})
    assert "Retour impossible — Cet exemplaire n'est pas en prêt (CRPV0001)" in flashes(logged_in)


def test_a_suspended_borrower_is_refused_at_the_desk(app, logged_in):
    paper_record(app, "Guide", "CRPV0001")
    paul = add_borrower(logged_in, "Paul")
    post(logged_in, f"/admin/emprunteurs/{paul}/suspendre", {"motif": "retards répétés"})
    post(logged_in, "/admin/prets/sortie", {"barcode": "CRPV0001", "emprunteur": str(paul)})
    assert "Emprunteur suspendu (retards répétés)" in flashes(logged_in)
    post(logged_in, f"/admin/emprunteurs/{paul}/reactiver")
    post(logged_in, "/admin/prets/sortie", {"barcode": "CRPV0001", "emprunteur": str(paul)})
    assert "prêté à Paul" in flashes(logged_in)


def test_the_return_names_the_next_reservation(app, logged_in):
    record_id = paper_record(app, "Actes du colloque", "CRPV0001")
    marie, anne = add_borrower(logged_in), add_borrower(logged_in, "Anne Rose")
    post(logged_in, "/admin/prets/sortie", {"barcode": "CRPV0001", "emprunteur": str(marie)})
    reserved = post(
        logged_in,
        "/admin/prets/reservations",
        {"document": "CRPV0001", "emprunteur": f"Anne Rose (n° {anne})"},
    )
    assert reserved.status_code == 302
    listing = html.unescape(text(logged_in.get("/admin/prets/reservations")))
    assert (
        "Réservation enregistrée : Anne Rose est n° 1 dans la file pour « Actes du colloque »"
        in listing
    )
    post(logged_in, "/admin/prets/retour", {"barcode": "CRPV0001"})
    assert f"mettez ce document de côté pour Anne Rose (emprunteur n° {anne})" in flashes(logged_in)
    assert "Anne Rose" in text(logged_in.get(f"/admin/notices/{record_id}"))


def test_overdue_loans_reminders_and_csv(app, logged_in):
    paper_record(app, "Guide de la médiation", "CRPV0001")
    paper_record(app, '=HYPERLINK("http://x")', "CRPV0002")
    marie = add_borrower(logged_in, email="marie@exemple.fr", phone="0596 00 00 00")
    cat, desk = desk_of(app)
    with cat:
        desk.check_out("CRPV0001", marie, today=date(2013, 1, 2))  # due 23/01: 40 days late
        desk.check_out("CRPV0002", marie, today=date(2013, 2, 1))  # due 22/02: 10 days late
    overdue = html.unescape(text(logged_in.get("/admin/prets/retards")))
    assert "Prêts en retard au 04/03/2013" in overdue and '<td class="number">40</td>' in overdue
    letters = html.unescape(text(logged_in.get("/admin/prets/relances")))
    assert "Bonjour Marie Joseph," in letters and "40 jours de retard" in letters
    raw = logged_in.get("/admin/prets/relances.txt")
    assert (
        raw.mimetype == "text/plain"
        and "« Guide de la médiation » (exemplaire CRPV0001" in text(raw)
    )
    exported = logged_in.get("/admin/prets/retards.csv")
    assert (
        exported.mimetype == "text/csv" and "attachment" in exported.headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(text(exported).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "code_barres" and len(rows) == 3
    assert rows[1][0] == "CRPV0001" and rows[1][5] == "marie@exemple.fr" and rows[1][10] == "40"
    assert rows[2][1].startswith("'=")  # a title that looks like a formula is defused


def test_borrowers_are_registered_edited_and_searched(app, logged_in):
    refused = post(
        logged_in, "/admin/emprunteurs/nouveau", {"name": "Paul", "email": "pas-un-courriel"}
    )
    assert refused.status_code == 400 and "adresse électronique invalide" in text(refused)
    paul = add_borrower(logged_in, "Paul Marie-Sainte", organisation="CACEM", category="etat")
    post(
        logged_in,
        f"/admin/emprunteurs/{paul}",
        {
            "name": "Paul Marie-Sainte",
            "organisation": "CAP Nord",
            "category": "etat",
            "email": "paul@exemple.fr",
        },
    )
    listing = text(logged_in.get("/admin/emprunteurs/?q=CAP"))
    assert "Paul Marie-Sainte" in listing and "Agent de l&#39;État" in listing
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        entry = audit.entries(cat, target_type="borrower", target_id=paul)[0][0]
    assert entry.changes == {"email": ["•••", "•••"], "organisation": ["•••", "•••"]}


def test_gdpr_export_then_erasure_keeps_anonymous_statistics(app, logged_in):
    record_id = paper_record(app, "Guide", "CRPV0001")
    marie = add_borrower(logged_in, email="marie@exemple.fr")
    post(logged_in, "/admin/prets/sortie", {"barcode": "CRPV0001", "emprunteur": str(marie)})
    blocked = post(logged_in, f"/admin/emprunteurs/{marie}/effacer", {"confirmation": "EFFACER"})
    assert "prêts en cours" in text(logged_in.get(blocked.location))
    post(logged_in, "/admin/prets/retour", {"barcode": "CRPV0001"})
    exported = logged_in.get(f"/admin/emprunteurs/{marie}/donnees.json")
    data = json.loads(exported.data)
    assert data["name"] == "Marie Joseph" and data["email"] == "marie@exemple.fr"
    assert data["loans"][0]["barcode"] == "CRPV0001" and "calendar_token" not in data
    unconfirmed = post(logged_in, f"/admin/emprunteurs/{marie}/effacer", {"confirmation": "oui"})
    assert "tapez EFFACER" in html.unescape(text(logged_in.get(unconfirmed.location)))
    post(logged_in, f"/admin/emprunteurs/{marie}/effacer", {"confirmation": "EFFACER"})
    assert logged_in.get(f"/admin/emprunteurs/{marie}").status_code == 404
    history = text(logged_in.get(f"/admin/prets/notice/{record_id}"))
    assert "anonymisé" in history and "Marie Joseph" not in history
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        logged = " ".join(
            e.summary + json.dumps(e.changes) for e in audit.entries(cat, limit=500)[0]
        )
    assert "Marie" not in logged and "marie@exemple.fr" not in logged  # no personal data kept


def test_the_due_dates_calendar_by_secret_link(app, logged_in):
    paper_record(app, "Guide de la médiation, tome 2", "CRPV0001")
    marie = add_borrower(logged_in)
    post(logged_in, "/admin/prets/sortie", {"barcode": "CRPV0001", "emprunteur": str(marie)})
    post(logged_in, f"/admin/emprunteurs/{marie}/calendrier")
    page = text(logged_in.get(f"/admin/emprunteurs/{marie}"))
    link = page.split('readonly value="http://localhost', 1)[1].split('"', 1)[0]
    feed = app.test_client().get(link)  # no session: the secret is the key
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    body = feed.get_data(as_text=True)
    assert "DTSTART;VALUE=DATE:20130325\r\n" in body
    assert "SUMMARY:À rendre : Guide de la médiation\\, tome 2" in body
    assert "Marie" not in body and all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    post(logged_in, f"/admin/emprunteurs/{marie}/calendrier")  # a new link revokes the old one
    assert app.test_client().get(link).status_code == 404


def test_the_desk_uses_the_configured_loan_periods(instance):
    from library.users import ScryptCost, Users

    from .actions import FAST, LOGIN, PASSWORD, login

    with Catalogue.in_instance(instance) as cat:
        Users(cat, cost=ScryptCost(n=FAST)).add(LOGIN, PASSWORD)
    app = make_app(instance, LOAN_DAYS=14, LOAN_DAYS_BY_CATEGORY={"etudiant": 7})
    client = app.test_client()
    login(client)
    paper_record(app, "Guide", "CRPV0001", "CRPV0002")
    anne = add_borrower(client, "Anne", category="etudiant")
    paul = add_borrower(client, "Paul")
    post(client, "/admin/prets/sortie", {"barcode": "CRPV0001", "emprunteur": str(anne)})
    assert "jusqu'au 11/03/2013" in flashes(client)
    post(client, "/admin/prets/sortie", {"barcode": "CRPV0002", "emprunteur": str(paul)})
    assert "jusqu'au 18/03/2013" in flashes(client)
