"""Exports from the site: every format with its content type and file name, search selections,
baskets (with and without JavaScript), the formatted bibliography (HTML and DOCX), the bundle."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from urllib.parse import parse_qs, urlsplit

import docx
import lxml.html
import pytest
import rispy

from library.exporting import FORMATS

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "csv-comma": "text/csv; charset=utf-8",
    "ris": "application/x-research-info-systems",
    "bibtex": "application/x-bibtex; charset=utf-8",
    "csl-json": "application/vnd.citationstyles.csl+json",
    "dc": "application/xml",
    "marcxml": "application/xml",
    "marc21xml": "application/marcxml+xml",
    "iso2709": "application/marc",
    "marc21": "application/marc",
    "json": "application/json",
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_downloads_with_its_content_type_and_a_file_name(client, shared_fund, name):
    response = client.get(f"/export?format={name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == CONTENT_TYPES[name]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="fonds-')
    assert f'.{FORMATS[name].extension}"' in disposition
    assert "retirée".encode() not in response.data  # the deleted record never leaves


def test_a_single_record_export_is_named_after_it(client, shared_fund):
    record = shared_fund.live[2]
    response = client.get(f"/export?format=ris&ids={record.id}")
    assert f'filename="notice-{record.id}.ris"' in response.headers["Content-Disposition"]
    entries = rispy.loads(response.data.decode("utf-8"))
    assert [e["title"] for e in entries] == [record.title]


def test_an_export_of_a_search_carries_exactly_the_hits(client, shared_fund):
    response = client.get("/export?format=json&theme=sante")
    titles = {r["title"] for r in json.loads(response.data)["records"]}
    assert (
        titles == {r.title for r in shared_fund.live if "sante" in r.theme_slugs}
        and len(titles) == 2
    )
    response = client.get("/export?format=json&q=médiation&type=guide")
    assert [r["title"] for r in json.loads(response.data)["records"]] == [
        "Nouveau guide de la médiation"
    ]
    everything = json.loads(client.get("/export?format=json").data)
    assert everything["count"] == len(shared_fund.live) == 13


def test_an_unknown_format_is_a_french_400_and_bad_parameters_never_a_500(client):
    response = client.get("/export?format=docx")
    text = lxml.html.fromstring(response.data).text_content()
    assert response.status_code == 400 and "Format d'export inconnu « docx »" in text
    for url in (
        "/export?format=ris&ids=abc,,-3",
        "/export?format=ris&year=deux-mille&page=-1",
        "/export?format=ris&q=%22unbalanced",
        "/export/lot?theme=%3Cscript%3E",
        "/bibliographie?ids=99999999999999",
    ):
        assert client.get(url).status_code == 200, url


def test_the_bundle_has_five_formats_and_a_manifest(client, shared_fund):
    response = client.get("/export/lot?theme=logement")
    assert response.headers["Content-Type"] == "application/zip"
    assert 'filename="lot-fonds-' in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert sorted(archive.namelist()) == sorted(
            [
                "manifest.json",
                "notices.ris",
                "notices.bib",
                "notices-csl.json",
                "notices-unimarc.mrc",
                "notices-oai_dc.xml",
            ]
        )
        assert archive.read("notices-unimarc.mrc").count(b"\x1d") == 3
    assert manifest["count"] == 3 and manifest["selection"] == "recherche Logement et habitat"
    assert manifest["centre"] and manifest["site"] == "https://fonds.example.org"
    assert len(manifest["identifiers"]) == 3 and manifest["identifiers"][0].startswith(
        "oai:fonds.example.org:"
    )


# -- the basket -------------------------------------------------------------------------------


def test_without_javascript_the_basket_is_filled_by_forms_and_kept_in_a_cookie(client, shared_fund):
    """GIVEN a visitor without JavaScript on a record page
    WHEN they press « Ajouter au panier » on two records and open the basket
    THEN the basket lists both, offers every export for exactly these ids, and can be emptied."""
    first, second = shared_fund.live[0], shared_fund.live[3]
    page = lxml.html.fromstring(client.get(f"/notice/{first.id}").data)
    form = page.cssselect("form.basket-form")[0]
    fields = {i.get("name"): i.get("value") for i in form.cssselect("input")}
    assert form.get("action") == "/panier" and fields["ajouter"] == str(first.id)
    response = client.get("/panier", query_string=fields)
    assert response.status_code == 303 and response.headers["Location"] == f"/notice/{first.id}"
    assert "fonds_panier" in response.headers["Set-Cookie"]
    client.get("/panier", query_string={"ajouter": second.id, "retour": "/"})
    page = lxml.html.fromstring(client.get(f"/notice/{first.id}").data)
    assert (
        page.cssselect("form.basket-form button")[0].text_content().strip() == "Retirer du panier"
    )
    basket = lxml.html.fromstring(client.get("/panier").data)
    titles = [a.text_content() for a in basket.cssselect(".basket-item > a")]
    assert titles[0].startswith(first.title) and titles[1].startswith(second.title)
    links = {a.get("href") for a in basket.cssselect("a")}
    assert f"/export?format=ris&ids={first.id},{second.id}" in links
    assert f"/export/lot?ids={first.id},{second.id}" in links
    ris = client.get(f"/export?format=ris&ids={first.id},{second.id}").data.decode()
    assert ris.count("ER  - ") == 2
    client.get("/panier?vider=1")
    assert "Votre panier est vide" in client.get("/panier").data.decode()


def test_a_shared_basket_link_shows_its_records_and_never_redirects_elsewhere(client, shared_fund):
    ids = [shared_fund.live[5].id, shared_fund.live[1].id]
    page = lxml.html.fromstring(client.get(f"/panier?ids={ids[0]},{ids[1]}").data)
    assert "Sélection partagée" in page.cssselect("h1")[0].text_content()
    assert len(page.cssselect(".basket-item")) == 2
    response = client.get("/panier?ajouter=1&retour=https://evil.example/")
    assert response.headers["Location"] == "/panier"
    response = client.get("/panier?ajouter=1&retour=//evil.example/")
    assert response.headers["Location"] == "/panier"


def test_the_basket_script_is_linked_once_and_no_inline_script_or_style(client, shared_fund):
    client.get(f"/panier?ajouter={shared_fund.live[0].id}&retour=/")
    page = lxml.html.fromstring(client.get("/?q=quartier").data)
    scripts = [s.get("src") for s in page.iter("script")]
    assert all(scripts) and scripts.count("/static/basket.js") == 1
    assert len(page.cssselect("form.basket-form")) >= 2
    for url in ("/panier", "/bibliographie", "/nouveautes?mois=2013-05"):
        doc = lxml.html.fromstring(client.get(url).data)
        assert all(s.get("src") for s in doc.iter("script")) and not doc.xpath("//*[@style]")


def test_the_basket_script_exists_and_uses_the_same_cookie(client):
    with client.get("/static/basket.js") as response:
        script = response.get_data().decode()
    assert "fonds_panier" in script and "basket-form" in script


# -- the bibliography ------------------------------------------------------------------------


def test_the_bibliography_is_grouped_by_thematic_in_iso_690(client, shared_fund):
    page = lxml.html.fromstring(client.get("/bibliographie").data)
    sections = [h.text_content() for h in page.cssselect(".biblio-section h2")]
    assert (
        sections[0].startswith("Évaluation des politiques") and sections[-1] == "Autres documents"
    )
    references = [li.text_content() for li in page.cssselect(".reference")]
    assert len(references) == len(shared_fund.live)
    first = next(r for r in references if r.startswith("JOSEPH-ANGÉLIQUE"))
    assert first.startswith(
        "JOSEPH-ANGÉLIQUE, Marie, Ville de Fort-de-France et NÚÑEZ, Iñigo. Les « grands frères »"
    )
    assert (
        "Paris : L'Harmattan, 2009. 120 p. : ill. ; 24 cm. "
        "(Cahiers « Ville caraïbe » ; 12) (Études & terrains ; 3-4). ISBN 9782296529137." in first
    )
    assert "(Étude)" not in first  # the type never stands where the collection belongs
    item = next(li for li in page.cssselect(".reference") if li.text_content().startswith("JOSEPH"))
    assert item.cssselect("i")[0].text_content().startswith("Les « grands frères » & la médiation")
    four = next(r for r in references if "CUCS de Schœlcher" in r)  # four authors: et al.
    assert four.startswith(
        "Ô'NEILL, Anne-Sophie et al. Évaluation du CUCS de Schœlcher [en ligne]."
    )
    assert "Disponible sur : https://exemple.org/rapport?id=1&format=pdf" in four


def test_the_bibliography_as_a_word_document(client, shared_fund):
    response = client.get("/bibliographie?format=docx&theme=sante&titre=Santé+dans+les+quartiers")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bibliographie-' in response.headers["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.data))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Santé dans les quartiers" and "Santé" in texts
    references = [p for p in document.paragraphs if p.text.startswith("AUTEUR")]
    assert len(references) == 2
    assert any(run.italic and run.text.startswith("Diagnostic local") for run in references[0].runs)


def test_the_bibliography_links_its_docx_with_the_same_selection(client):
    page = lxml.html.fromstring(client.get("/bibliographie?theme=logement&q=habitat").data)
    link = next(a.get("href") for a in page.cssselect("a") if "format=docx" in a.get("href"))
    assert parse_qs(urlsplit(link).query) == {
        "format": ["docx"],
        "q": ["habitat"],
        "theme": ["logement"],
    }


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_xml(data: bytes, part: str):
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(part))


def test_the_word_document_is_a4_in_french_with_page_numbers(client, shared_fund):
    """GIVEN a documentalist in Martinique WHEN they download the bibliography as DOCX
    THEN Word opens it on A4 paper, checks its spelling in French and numbers its pages."""
    data = client.get("/bibliographie?format=docx").data
    body = _docx_xml(data, "word/document.xml")
    size = body.find(f".//{W}sectPr/{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    styles = _docx_xml(data, "word/styles.xml")
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(f"{W}val") == "fr-FR"
    languages = {e.get(f"{W}val") for e in styles.iter(f"{W}lang")}
    assert languages == {"fr-FR"}  # no style left in English (US)
    runs = body.findall(f".//{W}body//{W}r")
    assert runs and all(r.find(f"{W}rPr/{W}lang").get(f"{W}val") == "fr-FR" for r in runs)
    footer_name = next(
        n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/footer")
    )
    footer = _docx_xml(data, footer_name)
    instructions = "".join(t.text for t in footer.iter(f"{W}instrText"))
    assert instructions.strip() == "PAGE"
    assert [f.get(f"{W}fldCharType") for f in footer.iter(f"{W}fldChar")] == [
        "begin",
        "separate",
        "end",
    ]


def test_title_introduction_and_grouping_are_chosen_on_the_page_and_carried_to_the_docx(
    client, shared_fund
):
    page = lxml.html.fromstring(client.get("/bibliographie?theme=sante").data)
    form = page.cssselect("form.bibliography-settings")[0]
    assert form.get("method") == "get" and form.get("action") == "/bibliographie"
    for field in ("biblio-titre", "biblio-introduction"):
        assert page.cssselect(f"label[for={field}]") and page.cssselect(f"#{field}")
    hidden = {i.get("name"): i.get("value") for i in form.cssselect("input[type=hidden]")}
    assert hidden == {"theme": "sante"}  # the selection goes on with the settings
    radios = [i.get("value") for i in form.cssselect("input[name=groupement]")]
    assert radios == ["theme", "type", "none"]
    settings = {
        "theme": "sante",
        "titre": "Santé et quartiers <2026>",
        "introduction": "Sélection pour le CUCS.\n\nMise à jour mensuelle.",
        "groupement": "none",
    }
    page = lxml.html.fromstring(client.get("/bibliographie", query_string=settings).data)
    assert page.cssselect("h1")[0].text_content() == "Santé et quartiers <2026>"
    assert [p.text_content() for p in page.cssselect("p.introduction")] == [
        "Sélection pour le CUCS.",
        "Mise à jour mensuelle.",
    ]
    assert not page.cssselect(".biblio-section h2")  # one list: no section headings
    assert len(page.cssselect("ol.references")) == 1
    assert len(page.cssselect(".reference")) == 2
    link = next(a.get("href") for a in page.cssselect("a") if "format=docx" in a.get("href"))
    assert parse_qs(urlsplit(link).query) == {
        "format": ["docx"],
        "theme": ["sante"],
        "titre": ["Santé et quartiers <2026>"],
        "introduction": ["Sélection pour le CUCS.\n\nMise à jour mensuelle."],
        "groupement": ["none"],
    }
    document = docx.Document(io.BytesIO(client.get(link).data))
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == [
        "Santé et quartiers <2026>",
        "Sélection pour le CUCS.",
        "Mise à jour mensuelle.",
    ]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == []  # one list, as asked
    by_type = lxml.html.fromstring(client.get("/bibliographie?groupement=type").data)
    labels = [h.text_content() for h in by_type.cssselect(".biblio-section h2")]
    assert "Rapport" in labels and "Guide méthodologique" in labels


def test_online_items_carry_the_consultation_date_of_the_day_the_list_is_made(
    app, client, shared_fund
):
    app.config["TODAY"] = date(2026, 12, 7)
    page = lxml.html.fromstring(client.get("/bibliographie?groupement=none").data)
    references = [r.text_content() for r in page.cssselect(".reference")]
    online = [r for r in references if "[en ligne]" in r]
    assert online and all(r.endswith("(consulté le 7 décembre 2026).") for r in online)
    held = next(r for r in online if r.startswith("AUTEUR1, Prénom"))
    dillon = next(r.id for r in shared_fund.live if r.title.endswith("quartier Dillon"))
    assert held == (
        "AUTEUR1, Prénom. Diagnostic local n° 1 : quartier Dillon [en ligne]. "
        "[s.l.] : [s.n.], 2011. Disponible sur : "
        f"https://fonds.example.org/notice/{dillon} (consulté le 7 décembre 2026)."
    )
    paper = [r for r in references if "[en ligne]" not in r]
    assert paper and not any("consulté" in r for r in paper if "Disponible sur" not in r)
    app.config["TODAY"] = date(2027, 1, 1)
    docx_data = client.get("/bibliographie?format=docx&groupement=none").data
    texts = [p.text for p in docx.Document(io.BytesIO(docx_data)).paragraphs]
    assert any(t.endswith("(consulté le 1er janvier 2027).") for t in texts)


def test_every_result_of_a_search_goes_to_the_basket_in_one_click(client, shared_fund):
    """GIVEN a search with several results WHEN the visitor presses « Ajouter tous les
    résultats » THEN every hit is in the basket, once, and the page they came from comes back."""
    page = lxml.html.fromstring(client.get("/?q=diagnostic").data)
    form = page.cssselect("form.basket-all")[0]
    fields = [(i.get("name"), i.get("value")) for i in form.cssselect("input")]
    assert form.get("action") == "/panier" and ("ajouter_resultats", "1") in fields
    assert ("retour", "/?q=diagnostic") in fields
    response = client.get("/panier", query_string=fields)
    assert response.status_code == 303 and response.headers["Location"] == "/?q=diagnostic"
    basket = lxml.html.fromstring(client.get("/panier").data)
    titles = [a.text_content() for a in basket.cssselect(".basket-item > a")]
    assert len(titles) == 5 and all(t.startswith("Diagnostic local") for t in titles)
    client.get("/panier", query_string=fields)  # twice: nothing twice
    again = lxml.html.fromstring(client.get("/panier").data)
    assert len(again.cssselect(".basket-item")) == 5
    assert "déjà dans le panier" in again.text_content()


def test_the_basket_takes_at_most_500_results_and_says_what_did_not_fit(client, shared_fund):
    from webapp.sharing import exports

    full = ".".join(str(i) for i in range(100_000, 100_000 + exports.BASKET_MAX - 2))
    client.set_cookie("fonds_panier", full)
    client.get("/panier?ajouter_resultats=1&q=diagnostic&retour=/")
    cookie = client.get_cookie("fonds_panier").value.split(".")
    assert len(cookie) == exports.BASKET_MAX
    page = lxml.html.fromstring(client.get("/panier").data).text_content()
    assert "au plus 500 notices" in page and "3 n'y tiennent pas" in page


def test_adding_all_results_never_fails_and_never_leaves_the_site(client, shared_fund):
    for args in (
        "ajouter_resultats=1&q=%22non+ferm%C3%A9&retour=https://evil.example/",
        "ajouter_resultats=1&year=abc&type=inconnu&page=-3",
        "ajouter_resultats=1&q=aucunrésultatpossiblexyz",
    ):
        response = client.get(f"/panier?{args}")
        assert response.status_code == 303 and response.headers["Location"] == "/panier"
    page = lxml.html.fromstring(client.get("/panier").data)
    assert "aucun résultat" in page.text_content()
    client.get("/panier?vider=1")
    client.get("/panier?ajouter_resultats=1")  # no search: the whole fund
    basket = lxml.html.fromstring(client.get("/panier").data)
    assert len(basket.cssselect(".basket-item")) == len(shared_fund.live)
