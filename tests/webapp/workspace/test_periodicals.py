"""Periodicals on the web (issue 10): the workspace's titles, issues (received, expected,
late on the dashboard), copies of an issue and articles; the public pages of a periodical
and of an article, which names its host; bad input refused in French, nothing half-saved."""

from __future__ import annotations

import re

import pytest

from library import Catalogue
from library.periodicals import IssueStatus
from tests.periodicals_fund import CAHIERS_ISSN, CahiersFund, cahiers

from .actions import post, text


@pytest.fixture
def fund(app) -> CahiersFund:
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        return cahiers(cat)


def catalogue_of(app) -> Catalogue:  # type: ignore[no-untyped-def]
    return Catalogue.in_instance(app.config["INSTANCE"])


def plain(html: str) -> str:
    """The text of a page as a reader sees it (tags dropped, spaces joined)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" ,", ",")


# -- workspace: titles -------------------------------------------------------------------------


def test_a_documentalist_creates_a_periodical_and_finds_it_in_the_list(app, logged_in):
    response = post(
        logged_in,
        "/admin/periodiques/nouveau",
        {
            "title": "Urbanisme caribéen",
            "issn": "2107-7207",
            "frequency": "mensuel",
            "publisher": "Presses de la ville",
            "support": "papier",
        },
    )
    assert response.status_code == 302, text(response)
    with catalogue_of(app) as cat:
        (found,) = cat.periodicals()
    assert (found.title, found.record.issn, found.frequency.value) == (
        "Urbanisme caribéen",
        CAHIERS_ISSN,
        "mensuel",
    )
    assert response.location.endswith(f"/admin/periodiques/{found.id}")
    listing = text(logged_in.get("/admin/periodiques/"))
    assert "Urbanisme caribéen" in listing and "Mensuel" in listing


def test_an_issn_with_a_wrong_check_digit_is_refused_in_french_and_nothing_is_saved(app, logged_in):
    response = post(
        logged_in,
        "/admin/periodiques/nouveau",
        {"title": "Revue douteuse", "issn": "2107-7208", "frequency": "mensuel"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "ISSN 2107-7208 invalide : la clé de contrôle ne correspond pas" in page
    assert 'value="Revue douteuse"' in page  # what was typed is kept on the form
    with catalogue_of(app) as cat:
        assert cat.periodicals() == [] and cat.count() == 0


def test_editing_a_periodical_changes_what_its_articles_show(app, logged_in, fund):
    response = post(
        logged_in,
        f"/admin/periodiques/{fund.periodical.id}/modifier",
        {"title": "Cahiers de la ville caraïbe", "issn": CAHIERS_ISSN, "frequency": "semestriel"},
    )
    assert response.status_code == 302, text(response)
    page = plain(text(logged_in.get(f"/notice/{fund.article.id}")))
    assert "dans : Cahiers de la ville caraïbe, n° 3" in page


def test_a_periodical_with_issues_is_not_deleted(app, logged_in, fund):
    response = post(logged_in, f"/admin/periodiques/{fund.periodical.id}/supprimer")
    assert response.status_code == 302
    page = text(logged_in.get(response.location))
    assert "Suppression impossible : « Cahiers Ville caraïbe » a 2 numéro(s)" in page
    with catalogue_of(app) as cat:
        assert not cat.get(fund.periodical.id).deleted and cat.periodicals()


# -- workspace: issues -------------------------------------------------------------------------


def test_an_issue_is_added_received_and_an_issue_number_cannot_be_given_twice(app, logged_in, fund):
    url = f"/admin/periodiques/{fund.periodical.id}/numeros"
    assert (
        post(logged_in, url, {"number": "5", "date": "2011-06", "status": "received"}).status_code
        == 302
    )
    twice = post(logged_in, url, {"number": "3", "date": "2011-09", "status": "received"})
    assert twice.status_code == 400
    assert "Le numéro 3 existe déjà pour ce périodique." in text(twice)
    bad_date = post(logged_in, url, {"number": "6", "date": "décembre", "status": "expected"})
    assert bad_date.status_code == 400 and "AAAA-MM" in text(bad_date)
    with catalogue_of(app) as cat:
        numbers = sorted(i.number for i in cat.issues(fund.periodical.id))
    assert numbers == ["3", "4", "5"]


def test_receiving_a_late_issue_with_a_copy_takes_it_off_the_dashboard(app, logged_in, fund):
    dashboard = plain(text(logged_in.get("/admin/statistiques/")))
    assert "Numéros de périodiques en retard" in dashboard
    assert "Cahiers Ville caraïbe n° 4 2011-03" in dashboard
    response = post(
        logged_in,
        f"/admin/periodiques/numeros/{fund.late.id}/reception",
        {"barcode": "CVC-0004-1", "call_number": "REV CAH 4"},
    )
    assert response.status_code == 302
    assert "Numéro 4 reçu, exemplaire CVC-0004-1 ajouté." in text(logged_in.get(response.location))
    with catalogue_of(app) as cat:
        issue = cat.issue(fund.late.id)
        assert issue.status is IssueStatus.RECEIVED and issue.received_on == "2013-03-04"
        copies = {c.barcode: c.issue_id for c in cat.get(fund.periodical.id).copies}
    assert copies["CVC-0004-1"] == fund.late.id
    assert "Numéros de périodiques en retard" not in text(logged_in.get("/admin/statistiques/"))


def test_a_copy_with_a_barcode_already_used_is_refused_and_the_issue_stays_expected(
    app, logged_in, fund
):
    response = post(
        logged_in,
        f"/admin/periodiques/numeros/{fund.late.id}/reception",
        {"barcode": "CVC-0003-1"},
    )
    assert "Rien n&#39;a été enregistré : le code-barres CVC-0003-1 existe déjà." in text(
        logged_in.get(response.location)
    )
    with catalogue_of(app) as cat:
        assert cat.issue(fund.late.id).status is IssueStatus.EXPECTED


def test_expected_issues_are_generated_from_the_frequency(app, logged_in, fund):
    response = post(logged_in, f"/admin/periodiques/{fund.periodical.id}/attendus", {"count": "2"})
    page = text(logged_in.get(response.location))
    assert "2 numéro(s) attendu(s) : n° 5 (2011-06), n° 6 (2011-09)." in page
    refused = post(logged_in, f"/admin/periodiques/{fund.periodical.id}/attendus", {"count": "0"})
    assert "de 1 à 60" in text(logged_in.get(refused.location))


# -- workspace: articles -----------------------------------------------------------------------


def test_an_article_is_added_to_an_issue_as_a_record_with_its_pages_and_thematics(
    app, logged_in, fund
):
    response = post(
        logged_in,
        f"/admin/periodiques/numeros/{fund.received.id}/article",
        {
            "title": "La mangrove urbaine de Fort-de-France",
            "authors": "Joseph-Angélique, Marie\nLeblanc, Paul (trad.)",
            "pages": "26-40",
            "language": "fr",
            "keywords": "mangrove ; littoral",
        },
    )
    assert response.status_code == 302, text(response)
    record_id = int(response.location.rsplit("/", 1)[1])
    with catalogue_of(app) as cat:
        record = cat.get(record_id)
    assert record.doc_type.value == "article" and record.host is not None
    assert (record.host.issue_id, record.host.pages) == (fund.received.id, "26-40")
    assert [(a.name, a.role.value) for a in record.authors] == [
        ("Joseph-Angélique, Marie", "author"),
        ("Leblanc, Paul", "translator"),
    ]
    assert record.keywords == ("mangrove", "littoral") and record.year == 2010
    found = text(logged_in.get("/?q=mangrove"))
    assert "La mangrove urbaine de Fort-de-France" in found  # searched like any record
    by_periodical = text(logged_in.get("/?q=cahiers+ville+caraibe"))
    assert "La mangrove urbaine de Fort-de-France" in by_periodical  # and by its periodical


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"pages": "25-12"}, "Pages « 25-12 » : la dernière page précède la première."),
        ({"pages": "vingt"}, "Pages « vingt » illisibles"),
        ({"title": ""}, "Le titre de l&#39;article est obligatoire."),
        ({"authors": "Dupont, Marie (chef)"}, "Rôle inconnu dans « Dupont, Marie (chef) »"),
    ],
)
def test_a_bad_article_is_refused_in_french_and_nothing_is_saved(
    app, logged_in, fund, fields, message
):
    with catalogue_of(app) as cat:
        before = cat.count()
    data = {"title": "Un article", "pages": "1-2", **fields}
    response = post(logged_in, f"/admin/periodiques/numeros/{fund.received.id}/article", data)
    assert response.status_code == 400
    assert message in text(response)
    with catalogue_of(app) as cat:
        assert cat.count() == before


# -- security ----------------------------------------------------------------------------------


def test_the_periodicals_workspace_needs_a_login_and_csrf(app, client, logged_in, fund):
    anonymous = app.test_client()
    listing = anonymous.get("/admin/periodiques/")
    assert listing.status_code == 302 and "/admin/connexion" in listing.location
    sent = anonymous.post(f"/admin/periodiques/{fund.periodical.id}/numeros", data={"number": "9"})
    assert sent.status_code in (302, 400, 403)
    forged = logged_in.post(
        f"/admin/periodiques/{fund.periodical.id}/numeros",
        data={"number": "9", "csrf_token": "faux"},
    )
    assert forged.status_code == 400
    with catalogue_of(app) as cat:
        assert "9" not in {i.number for i in cat.issues(fund.periodical.id)}


# -- public pages ------------------------------------------------------------------------------


def test_the_public_page_of_an_article_names_its_host_with_a_link(app, client, fund):
    html = text(client.get(f"/notice/{fund.article.id}"))
    assert "dans : Cahiers Ville caraïbe, n° 3, décembre 2010, p. 12-25" in plain(html)
    assert f'href="/periodiques/{fund.periodical.id}"><cite>Cahiers Ville caraïbe</cite>' in html
    assert '<meta name="citation_journal_title" content="Cahiers Ville caraïbe">' in html
    assert '<meta name="citation_firstpage" content="12">' in html


def test_the_public_page_of_a_periodical_lists_its_received_issues_and_their_articles(
    app, client, fund
):
    html = text(client.get(f"/periodiques/{fund.periodical.id}"))
    page = plain(html)
    assert "N° 3, décembre 2010" in page
    assert page.index("Éditorial : dix ans") < page.index("Habiter les quartiers")  # page order
    assert "(p. 12-25)" in page and f"ISSN {CAHIERS_ISSN}" in page
    assert "N° 4" not in page  # expected, not received: not shown to the public
    assert f'href="/notice/{fund.article.id}"' in html
    assert "Cahiers Ville caraïbe" in text(client.get("/periodiques/"))
    periodical_record = text(client.get(f"/notice/{fund.periodical.id}"))
    assert f'href="/periodiques/{fund.periodical.id}"' in periodical_record
    assert "REV CAH 3 (n° 3)" in periodical_record  # the copy of an issue says which one


def test_public_periodical_pages_are_read_only_and_unknown_ones_are_404(app, client, fund):
    assert client.get("/periodiques/999999").status_code == 404
    assert client.post(f"/periodiques/{fund.periodical.id}").status_code in (400, 405)


def test_the_record_form_of_an_article_names_its_issue_and_saving_keeps_it(app, logged_in, fund):
    page = plain(text(logged_in.get(f"/admin/notices/{fund.article.id}")))
    assert "Article dans : Cahiers Ville caraïbe, n° 3, décembre 2010, p. 12-25" in page
    response = post(
        logged_in,
        f"/admin/notices/{fund.article.id}",
        {
            "title": "Habiter l'habitat spontané",
            "doc_type": "article",
            "support": "papier",
            "language": "fr",
            "date": "2010-12",
            "author_name": ["Joseph-Angélique, Marie"],
            "author_kind": ["person"],
            "author_role": ["author"],
        },
    )
    assert response.status_code == 302, text(response)
    with catalogue_of(app) as cat:
        record = cat.get(fund.article.id)
    assert record.title == "Habiter l'habitat spontané"
    assert (record.host.issue_id, record.host.pages) == (fund.received.id, "12-25")


def test_the_record_of_a_periodical_with_issues_does_not_go_to_the_trash(app, logged_in, fund):
    response = post(logged_in, f"/admin/notices/{fund.periodical.id}/corbeille")
    assert "Ce périodique a 2 numéro(s)" in text(logged_in.get(response.location))
    with catalogue_of(app) as cat:
        assert not cat.get(fund.periodical.id).deleted
