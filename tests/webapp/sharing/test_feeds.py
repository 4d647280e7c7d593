"""Veille: Atom feeds valid against RFC 4287's schema and paged as RFC 5005 says, the OPML list
of thematic feeds, and the printable bulletin des nouveautés."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from lxml import etree

from .fund import NO_NET

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def atom_schema(request):
    schemas_dir = request.getfixturevalue("schemas_dir")
    return etree.RelaxNG(etree.parse(str(schemas_dir / "atom.rng"), NO_NET))


@pytest.fixture
def feed(client, atom_schema):
    def get(url: str):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
        root = etree.fromstring(response.data, NO_NET)
        assert atom_schema.validate(root), atom_schema.error_log
        return root

    return get


def links(root) -> dict[str, str]:
    return {link.get("rel"): link.get("href") for link in root.findall(ATOM + "link")}


def entry_titles(root) -> list[str]:
    return [e.findtext(ATOM + "title") for e in root.findall(ATOM + "entry")]


def test_the_feed_of_new_acquisitions_is_newest_first_and_paged(feed, shared_fund):
    newest = sorted(shared_fund.live, key=lambda r: r.created_at, reverse=True)
    root = feed("/flux/nouveautes.atom")
    assert entry_titles(root) == [
        f"{r.title} : {r.subtitle}" if r.subtitle else r.title for r in newest[:4]
    ]
    paging = links(root)
    assert paging["self"] == "https://fonds.example.org/flux/nouveautes.atom"
    assert paging["first"] == paging["self"] and "previous" not in paging
    assert paging["next"].endswith("/flux/nouveautes.atom?page=2")
    assert paging["last"].endswith("?page=4")  # 13 live records, 4 a page
    seen = []
    url = "/flux/nouveautes.atom"
    while url:
        page = feed(url.replace("https://fonds.example.org", ""))
        seen += [e.findtext(ATOM + "id") for e in page.findall(ATOM + "entry")]
        url = links(page).get("next")
    assert len(seen) == len(set(seen)) == 13
    last = feed("/flux/nouveautes.atom?page=4")
    assert links(last)["previous"].endswith("?page=3") and "next" not in links(last)


def test_an_entry_has_a_stable_id_authors_thematics_summary_and_a_link(feed, shared_fund):
    record = next(r for r in shared_fund.live if r.title.startswith("Les « grands"))
    entries = [
        e
        for page in range(1, 5)
        for e in feed(f"/flux/nouveautes.atom?page={page}").iter(ATOM + "entry")
    ]
    entry = next(e for e in entries if e.findtext(ATOM + "id").endswith(f":notice/{record.id}"))
    assert entry.findtext(ATOM + "id") == f"tag:fonds.example.org,2013:notice/{record.id}"
    assert entry.findtext(ATOM + "updated") == record.updated_at
    assert [a.findtext(ATOM + "name") for a in entry.findall(ATOM + "author")] == [
        "Marie Joseph-Angélique",
        "Ville de Fort-de-France",
        "Iñigo Núñez",
    ]
    categories = [(c.get("term"), c.get("label")) for c in entry.findall(ATOM + "category")]
    assert categories == [
        ("mediation-sociale", "Médiation sociale"),
        ("jeunesse", "Politiques de jeunesse"),
    ]
    assert entry.findtext(ATOM + "summary").startswith('Résumé "entre guillemets" et {accolades}')
    assert entry.find(ATOM + "link").get("href") == f"https://fonds.example.org/notice/{record.id}"


def test_an_entry_without_abstract_is_summarised_by_its_text(feed, shared_fund, app):
    from library import Catalogue, Record, Support

    with Catalogue.in_instance(shared_fund.instance) as catalogue:
        catalogue.add(
            Record(title="Sans résumé", support=Support.ELECTRONIQUE, year=2014),
            text="Le texte intégral commence ici et parle des quartiers.",
            now="2014-01-01T00:00:00Z",
        )
    entry = feed("/flux/nouveautes.atom").find(ATOM + "entry")
    assert entry.findtext(ATOM + "title") == "Sans résumé"
    assert (
        entry.findtext(ATOM + "summary") == "Le texte intégral commence ici et parle des quartiers."
    )


def test_a_thematic_feed_and_a_search_feed(feed, client, shared_fund):
    root = feed("/flux/theme/sante.atom")
    assert entry_titles(root) == [
        "Diagnostic local n° 3 : quartier Trénelle",
        "Diagnostic local n° 1 : quartier Dillon",
    ]
    assert root.findtext(ATOM + "title") == "Nouveautés — Santé"
    assert client.get("/flux/theme/inconnue.atom").status_code == 404
    root = feed("/flux/recherche.atom?q=diagnostic&theme=sante&theme=logement")
    assert len(entry_titles(root)) == 3
    self_query = parse_qs(urlsplit(links(root)["self"]).query)
    assert self_query == {"q": ["diagnostic"], "theme": ["sante", "logement"]}
    assert feed("/flux/recherche.atom?year=abc&page=-4") is not None  # bad parameters: no 500


def test_the_opml_lists_one_feed_per_thematic(client):
    response = client.get("/flux/thematiques.opml")
    assert response.headers["Content-Type"] == "text/x-opml; charset=utf-8"
    root = etree.fromstring(response.data, NO_NET)
    assert root.get("version") == "2.0" and root.findtext("head/title").startswith("Fils de veille")
    feeds = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    assert feeds[0] == "https://fonds.example.org/flux/nouveautes.atom"
    assert (
        "https://fonds.example.org/flux/theme/reussite-educative.atom" in feeds and len(feeds) == 15
    )


def test_the_bulletin_of_a_month_is_grouped_by_thematic_and_printable(client, shared_fund):
    response = client.get("/nouveautes?mois=2013-05")
    page = lxml.html.fromstring(response.data)
    assert "Bulletin des nouveautés — mai 2013" in page.cssselect("h1")[0].text_content()
    sections = {h.get("id"): h.text_content() for h in page.cssselect(".bulletin-section h2")}
    assert set(sections) == {
        "b-jeunesse",
        "b-logement",
        "b-sante",
        "b-culture",
        "b-mediation-sociale",
    }
    items = page.cssselect(".bulletin-item h3")
    assert len(items) == 6
    santé = [h.text_content() for h in page.cssselect("#b-sante ~ ul .bulletin-item h3")]
    assert santé == [
        "Diagnostic local n° 3 : quartier Trénelle",
        "Diagnostic local n° 1 : quartier Dillon",
    ]
    head = {(x.get("rel"), x.get("type")): x.get("href") for x in page.iter("link")}
    assert head[("alternate", "application/atom+xml")] == "/flux/nouveautes.atom"
    assert any(x.get("href") == "/static/sharing.css" for x in page.iter("link"))
    with client.get("/static/sharing.css") as css:
        assert "@media print" in css.get_data(as_text=True)


def test_the_bulletin_defaults_to_the_current_month(app, client):
    app.config["TODAY"] = date(2013, 6, 20)
    page = lxml.html.fromstring(client.get("/nouveautes").data)
    assert "juin 2013" in page.cssselect("h1")[0].text_content()
    titles = [h.text_content() for h in page.cssselect(".bulletin-item h3")]
    # sections in the vocabulary's order: médiation sociale comes before logement
    assert titles == ["Nouveau guide de la médiation", "Habiter les mornes : l'habitat spontané"]
    nav = {a.get("rel"): a.get("href") for a in page.cssselect(".month-nav a")}
    assert nav == {"prev": "/nouveautes?mois=2013-05"}  # no "next": the future has no acquisitions


def test_a_bad_month_is_a_french_400_and_an_empty_month_says_so(client):
    response = client.get("/nouveautes?mois=2013-13")
    assert (
        response.status_code == 400
        and "Mois invalide" in lxml.html.fromstring(response.data).text_content()
    )
    page = lxml.html.fromstring(client.get("/nouveautes?mois=2001-01").data)
    assert "Aucun document n'est entré dans le fonds en janvier 2001" in page.text_content()
