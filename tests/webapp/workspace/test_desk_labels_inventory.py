"""Labels and inventories in the workspace: the PDF, a layout that does not fit, scanning a
shelf without JavaScript (the field comes back empty and focused), closing and the report."""

from __future__ import annotations

import html

from lxml import html as lxml_html

from library import Catalogue, Copy, Record, Support

from .actions import post, text


def shelf(app) -> None:  # type: ignore[no-untyped-def]
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        for n in (1, 2):
            cat.add(
                Record(
                    title=f"Guide {n}",
                    support=Support.PAPIER,
                    copies=(Copy(f"CRPV000{n}", "307.76 MED", "Salle A"),),
                )
            )


def test_labels_print_a_pdf_and_refuse_a_layout_that_does_not_fit(app, logged_in):
    shelf(app)
    form = text(logged_in.get("/admin/etiquettes/"))
    assert "Salle A" in form and "4 × 10" in form
    pdf = logged_in.get(
        "/admin/etiquettes/planche.pdf",
        query_string={
            "selection": "rayon",
            "emplacement": "Salle A",
            "type": "code-barres",
            "planche": "4x10",
        },
    )
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    too_big = logged_in.get(
        "/admin/etiquettes/planche.pdf",
        query_string={
            "selection": "rayon",
            "emplacement": "Salle A",
            "planche": "autre",
            "colonnes": "3",
            "lignes": "8",
            "largeur": "70",
            "hauteur": "40",
        },
    )
    page = html.unescape(text(too_big))
    assert too_big.status_code == 400 and "ne tient pas sur la page A4" in page
    assert 'value="40"' in page  # what was typed is still there
    nothing = logged_in.get(
        "/admin/etiquettes/planche.pdf", query_string={"selection": "recherche", "q": "zzz"}
    )
    assert nothing.status_code == 400 and "rien à imprimer" in html.unescape(text(nothing))


def test_scanning_a_shelf_without_javascript_then_closing(app, logged_in):
    shelf(app)
    started = post(logged_in, "/admin/recolement/", {"emplacement": "Salle A"})
    assert started.status_code == 302
    url = started.location
    page = lxml_html.fromstring(text(logged_in.get(url)))
    field = page.get_element_by_id("code")
    assert field.get("autofocus") is not None and not field.get("value")
    assert page.cssselect('label[for="code"]')
    scanned = post(logged_in, url + "/lecture", {"code": "CRPV0001"})
    assert (
        scanned.status_code == 302 and "#" not in scanned.location
    )  # a fragment would block autofocus
    after = html.unescape(text(logged_in.get(url)))
    assert "CRPV0001 « Guide 1 » : en rayon." in after
    post(logged_in, url + "/lecture", {"code": "INCONNU"})
    after = html.unescape(text(logged_in.get(url)))
    assert "Code-barres inconnu : INCONNU" in after and "continuez" in after
    said = logged_in.post(
        url + "/lecture",
        data={"code": "CRPV0001", "csrf_token": _csrf(logged_in, url)},
        headers={"Accept": "application/json"},
    )
    assert said.get_json()["message"].endswith("déjà lu, compté une seule fois.")
    post(logged_in, url + "/cloture")
    closed = html.unescape(text(logged_in.get(url)))
    assert "marqué(s) manquant(s)" in closed and "Manquant (1)" in closed
    report = logged_in.get(url + "/rapport.csv")
    assert report.mimetype == "text/csv" and "CRPV0002;307.76 MED;Guide 2;Salle A;Manquant" in text(
        report
    )
    refused = post(logged_in, url + "/lecture", {"code": "CRPV0002"})
    assert "Ce récolement est clos" in html.unescape(text(logged_in.get(refused.location)))


def test_scanning_needs_a_login_and_a_csrf_token(app, client):
    shelf(app)
    assert client.get("/admin/recolement/").status_code in (302, 401, 403)
    assert client.post("/admin/recolement/1/lecture", data={"code": "CRPV0001"}).status_code in (
        302,
        400,
        401,
        403,
    )


def _csrf(client, url: str) -> str:  # type: ignore[no-untyped-def]
    page = lxml_html.fromstring(text(client.get(url)))
    return page.cssselect('input[name="csrf_token"]')[0].get("value")
