"""The public pages as a visitor meets them: the search page, a record, its file."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import lxml.html
import pytest
from click.testing import CliRunner

from library import Catalogue, Copy, CopyStatus, DocType, Record
from library.text import sort_key
from webapp.cli import cli

from .fund import HOSTILE, PDF_BYTES, TXT_BYTES, make_app


def page(client, url: str, status: int = 200):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == status, response.data[:500]
    return lxml.html.fromstring(response.data.decode("utf-8")), response


def hit_titles(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.text_content().strip() for a in doc.cssselect(".hit-title a")]


def fetch(client, url: str, **kwargs):  # type: ignore[no-untyped-def]
    """GET a file, read it and close it (file responses hold an open file until closed)."""
    with client.get(url, **kwargs) as response:
        response.body = response.get_data()
        return response


def total(client, url: str) -> int:  # type: ignore[no-untyped-def]
    return client.get("/api/search?" + urlsplit(url).query).get_json()["total"]


# -- the search page ----------------------------------------------------------------------


def test_the_page_has_a_labelled_search_form_landmarks_and_ordered_headings(client) -> None:
    doc, response = page(client, "/")
    form = doc.get_element_by_id("recherche")
    assert form.get("method") == "get" and form.get("role") == "search"
    query = doc.get_element_by_id("q")
    assert doc.cssselect('label[for="q"]') and query.get("name") == "q"
    assert doc.cssselect("main") and doc.cssselect("nav") and doc.cssselect("aside#filtres")
    levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3")]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    # no inline script or style: the CSP forbids them
    assert all(s.get("src") for s in doc.iter("script"))
    assert not doc.xpath("//*[@style]")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_syntax_help_explains_every_operator(client) -> None:
    doc, _ = page(client, "/")
    help_text = doc.cssselect(".syntax-help")[0].text_content()
    for example in ('"contrat de ville"', " OU ", "-social", "évalu*"):
        assert example in help_text


def test_an_empty_query_browses_the_whole_fund_newest_first(client, fund) -> None:
    doc, _ = page(client, "/")
    heading = doc.get_element_by_id("titre-resultats").text_content()
    assert "Tout le fonds : 12 documents" in " ".join(heading.split())  # the withdrawn one is not
    years = [int(y.text) for y in doc.cssselect(".hit-year")]
    assert years == sorted(years, reverse=True) and years[0] == 2013


def test_results_show_title_authors_year_type_badges_availability_and_a_highlighted_snippet(
    client,
) -> None:
    doc, _ = page(client, "/?q=quartiers+prioritaires")
    hit = doc.cssselect(".hit")[0]
    assert "Évaluation du contrat urbain" in hit.cssselect(".hit-title")[0].text_content()
    meta = hit.cssselect(".hit-meta")[0].text_content()
    assert "Marie Joseph-Angélique" in meta and "2009" in meta and "Rapport" in meta
    badges = [b.text_content() for b in hit.cssselect(".badge")]
    assert "Évaluation des politiques et dispositifs (CUCS, contrats de ville)" in badges
    assert "Électronique" in badges and "En ligne" in badges
    marks = [m.text_content().lower() for m in hit.cssselect(".hit-snippet mark")]
    assert "quartiers" in marks and "prioritaires" in marks


def test_a_paper_record_shows_it_is_on_the_shelf(client) -> None:
    doc, _ = page(client, "/?q=médiation")
    badges = [b.text_content() for b in doc.cssselect(".hit .badge")]
    assert "Papier" in badges and "En rayon" in badges


def test_facets_are_fieldsets_of_checkboxes_in_the_get_form(client) -> None:
    doc, _ = page(client, "/")
    legends = [
        f.cssselect("legend")[0].text_content().strip() for f in doc.cssselect("fieldset.facet")
    ]
    assert legends[:4] == ["Thématique", "Type de document", "Support", "Année"]
    assert {"Langue", "Auteur / organisme", "Disponibilité"} <= set(legends)
    for box in doc.cssselect("fieldset.facet input[type=checkbox]"):
        assert box.get("form") == "recherche" and box.get("name")
        assert doc.cssselect(f'label[for="{box.get("id")}"]')
    assert doc.cssselect('button[form="recherche"]')  # applies them without JavaScript


def test_each_facet_count_is_what_ticking_it_gives(client) -> None:
    base = "/?q=quartier"
    doc, _ = page(client, base)
    boxes = doc.cssselect("fieldset.facet input[type=checkbox]")
    assert len(boxes) > 10
    for box in boxes:
        label = doc.cssselect(f'label[for="{box.get("id")}"] .count')[0].text_content()
        expected = int("".join(c for c in label if c.isdigit()))
        url = f"{base}&{box.get('name')}={box.get('value')}"
        assert total(client, url) == expected, url


def test_years_are_grouped_by_decade(client) -> None:
    doc, _ = page(client, "/")
    decade = doc.cssselect('input[name="year"][value="2000-2009"]')[0]
    label = doc.cssselect(f'label[for="{decade.get("id")}"]')[0].text_content()
    assert "2000–2009" in label and "(" not in label.replace(" ", "")[:0]
    doc, _ = page(client, "/?year=2000-2009")
    assert all(2000 <= int(y.text) <= 2009 for y in doc.cssselect(".hit-year"))
    assert doc.cssselect('input[name="year"][value="2000-2009"]')[0].get("checked") is not None


def test_values_of_one_facet_combine_with_or_and_facets_with_and(client) -> None:
    either = total(client, "/?theme=logement&theme=jeunesse")
    assert either == total(client, "/?theme=logement") + total(client, "/?theme=jeunesse")
    both = total(client, "/?theme=logement&support=papier")
    assert 0 < both < total(client, "/?theme=logement")


def test_selected_values_show_as_chips_that_remove_only_themselves(client) -> None:
    doc, _ = page(client, "/?q=logement&theme=logement&support=papier")
    chips = {
        c.text_content().split("Retirer le filtre ")[-1].strip(" ×"): c.get("href")
        for c in doc.cssselect("a.chip")
    }
    assert set(chips) == {"Thématique : Logement et habitat", "Support : Papier"}
    remaining = parse_qsl(urlsplit(chips["Support : Papier"]).query)
    assert remaining == [("q", "logement"), ("theme", "logement")]
    clear = doc.cssselect("a.chip-clear")[0].get("href")
    assert parse_qsl(urlsplit(clear).query) == [("q", "logement")]


def test_sorting_by_title_oldest_and_newest(client) -> None:
    doc, _ = page(client, "/?sort=title&per_page=50")
    titles = hit_titles(doc)
    assert titles == sorted(titles, key=sort_key) and len(titles) == 12
    doc, _ = page(client, "/?sort=oldest")
    assert doc.cssselect(".hit-year")[0].text == "2005"
    doc, _ = page(client, "/?q=logement&sort=newest")
    options = {o.get("value"): o.get("selected") is not None for o in doc.cssselect("#tri option")}
    # the default order (relevance with words) is sent empty, so it follows the query
    assert options == {"": False, "newest": True, "oldest": False, "title": False}


def test_a_new_query_typed_while_browsing_is_ranked_by_relevance(client) -> None:
    doc, _ = page(client, "/")
    chosen = doc.cssselect("#tri option[selected]")[0]
    assert chosen.text_content() == "Plus récents" and chosen.get("value") == ""
    doc, _ = page(client, "/?q=logement&sort=")
    assert doc.cssselect("#tri option[selected]")[0].text_content() == "Pertinence"


def test_pagination_links_keep_the_search_and_mark_the_current_page(client) -> None:
    doc, _ = page(client, "/?q=quartier&per_page=2&page=2")
    nav = doc.cssselect("nav.pages")[0]
    current = nav.cssselect('[aria-current="page"]')[0]
    assert current.text_content().strip().endswith("2")
    following = nav.cssselect('a[rel="next"]')[0].get("href")
    assert dict(parse_qsl(urlsplit(following).query)) == {
        "q": "quartier",
        "page": "3",
        "per_page": "2",
    }
    assert doc.cssselect("ol.hits")[0].get("start") == "3"


def test_a_page_past_the_end_says_so_and_links_to_the_last(client) -> None:
    doc, _ = page(client, "/?q=quartier&page=50")
    text = doc.get_element_by_id("resultats").text_content()
    assert "Cette page n'existe pas" in text
    last = [a for a in doc.cssselect(".notice a") if a.text_content() == "Aller à la dernière page"]
    assert last and dict(parse_qsl(urlsplit(last[0].get("href")).query)) == {"q": "quartier"}


def test_when_no_document_has_every_word_any_word_is_accepted_with_a_message(client) -> None:
    doc, _ = page(client, "/?q=ZFU+santé")
    assert (
        "voici ceux qui en contiennent au moins un" in doc.cssselect(".relaxed")[0].text_content()
    )
    assert len(hit_titles(doc)) >= 3


def test_a_misspelt_word_gets_a_suggestion_link(client) -> None:
    doc, _ = page(client, "/?q=mediatoin")
    link = doc.cssselect(".suggestion a")[0]
    assert link.text_content() == "médiation"  # as the fund writes it, accents kept
    assert dict(parse_qsl(urlsplit(link.get("href")).query))["q"] == "médiation"


def test_zero_results_with_filters_offer_to_remove_them_with_counts(client) -> None:
    doc, _ = page(client, "/?q=ZFU&theme=sante")
    assert "Aucun document ne correspond" in doc.cssselect(".empty-results")[0].text_content()
    offers = {a.text_content(): a.get("href") for a in doc.cssselect(".loosen a")}
    assert "Sans le filtre « Thématique »" in offers
    assert total(client, offers["Sans le filtre « Thématique »"]) == 2
    assert "2 documents" in doc.cssselect(".loosen")[0].text_content()


def test_zero_results_say_which_words_the_fund_does_not_know(client) -> None:
    doc, _ = page(client, "/?q=xylophone")
    assert "Aucun document du fonds ne contient « xylophone »" in doc.text_content()


def test_zero_results_because_of_an_exclusion_offer_to_drop_it(client) -> None:
    doc, _ = page(client, "/?q=ZFU+-Lamentin")
    offers = [a.text_content() for a in doc.cssselect(".loosen a")]
    assert offers == ["Sans les exclusions (-mot)"]


def test_search_states_have_feed_and_json_alternates_with_the_same_parameters(client) -> None:
    doc, _ = page(client, "/?q=logement&theme=logement&page=2")
    atom = doc.cssselect('link[type="application/atom+xml"]')[0].get("href")
    assert atom == "/flux/recherche.atom?q=logement&theme=logement"
    api = doc.cssselect('link[type="application/json"]')[0].get("href")
    assert api == "/api/search?q=logement&theme=logement"


def test_notes_explain_dropped_parameters(client) -> None:
    doc, _ = page(client, "/?q=logement&theme=astrologie&page=-1")
    notes = doc.cssselect(".search-notes")[0].text_content()
    assert "Valeur inconnue pour « thématique » : « astrologie » (ignorée)." in notes


BAD_QUERIES = [
    '"contrat de',
    "*",
    "-",
    "- * OU",
    "OU",
    '""',
    "a" * 10_000,
    "mot " * 3000,
    "%FF%FE",
    "évaluation%00",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "jeu*",
    "j*",
    "((quartier))",
    "quartier^2~",
    "title:quartier",
    "\\",
    "'",
    "&amp;",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_odd_queries_give_a_page_never_an_error_nor_raw_html(client, query) -> None:
    response = client.get("/", query_string={"q": query})
    assert response.status_code == 200
    body = response.data.decode("utf-8")
    assert "<script>alert" not in body and "<img src=x" not in body


@pytest.mark.parametrize(
    "url",
    [
        "/?q=%FF%FE",
        "/?page=-1",
        "/?page=abc",
        "/?per_page=100000",
        "/?per_page=0",
        "/?theme=%3Cscript%3E",
        "/?year=20000-1",
        "/?sort=%22%3E",
        "/?type=roman&lang=xxxx",
        "/?author=" + "x" * 5000,
        "/?q=a&" + "&".join(f"theme=t{i}" for i in range(200)),
    ],
)
def test_odd_parameters_give_a_page_never_an_error(client, url) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert b"<script>" not in response.data.split(b"</head>", 1)[1].replace(
        b'<script src="/static/search.js" defer></script>', b""
    )


def test_catalogue_text_is_escaped_everywhere_on_the_search_page(client) -> None:
    response = client.get("/?q=logement")
    body = response.data.decode("utf-8")
    assert HOSTILE not in body and "<img src=x" not in body and "<b>balises</b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    doc = lxml.html.fromstring(body)
    assert HOSTILE in hit_titles(doc)


# -- the record page ------------------------------------------------------------------------


def test_a_record_page_shows_its_metadata_thematics_and_why(client, fund) -> None:
    doc, _ = page(client, f"/notice/{fund.ids['cucs']}")
    assert doc.cssselect("h1")[0].text_content().startswith("Évaluation du contrat urbain")
    fields = dict(
        zip(
            [d.text_content() for d in doc.cssselect(".record-fields dt")],
            [d.text_content().strip() for d in doc.cssselect(".record-fields dd")],
            strict=True,
        )
    )
    assert fields["Éditeur"] == "Ville de Fort-de-France (Fort-de-France)"
    assert fields["ISBN"] == "978-2-1234-5680-3" and fields["Pages"] == "42"
    assert fields["Territoires"] == "Fort-de-France" and fields["Langue"] == "Français"
    themes = doc.cssselect(".record-themes > li")
    assert "score 0,90" in themes[0].text_content()
    assert "confiance" not in themes[0].text_content()
    why = themes[0].cssselect("details.why")[0].text_content()
    assert "CUCS ×4 (texte)" in why and "page 3" in why and "l'évaluation du CUCS" in why


def test_a_record_links_its_file_exports_and_close_documents(client, fund) -> None:
    record_id = fund.ids["cucs"]
    doc, _ = page(client, f"/notice/{record_id}")
    links = {a.text_content().split(":")[0].strip(): a.get("href") for a in doc.cssselect("a")}
    assert links["Lire en ligne"] == f"/notice/{record_id}/fichier?lire=1"
    assert links["Télécharger le fichier PDF"] == f"/notice/{record_id}/fichier"
    assert links["RIS (Zotero, EndNote)"] == f"/export?format=ris&ids={record_id}"
    assert links["BibTeX"] == f"/export?format=bibtex&ids={record_id}"
    similar = [a.get("href") for a in doc.cssselect(".similar a")]
    assert similar and f"/notice/{record_id}" not in similar


def test_a_record_embeds_citation_and_dublin_core_metadata_for_zotero(client, fund) -> None:
    record_id = fund.ids["cucs"]
    doc, _ = page(client, f"/notice/{record_id}")

    def meta(name: str) -> list[str]:
        return [m.get("content") for m in doc.cssselect(f'meta[name="{name}"]')]

    assert meta("citation_title") == [
        "Évaluation du contrat urbain de cohésion sociale de Fort-de-France"
    ]
    assert meta("citation_author") == ["Joseph-Angélique, Marie", "Ville de Fort-de-France"]
    assert meta("citation_publication_date") == ["2009/06"]
    assert meta("citation_publisher") == ["Ville de Fort-de-France"]
    assert meta("citation_isbn") == ["978-2-1234-5680-3"]
    assert meta("citation_language") == ["fr"]
    assert meta("citation_pdf_url") == [f"http://localhost/notice/{record_id}/fichier"]
    assert meta("DC.title") == meta("citation_title") and meta("DC.date") == ["2009-06"]
    assert meta("DC.creator") == meta("citation_author")
    assert "Évaluation des politiques et dispositifs (CUCS, contrats de ville)" in meta(
        "DC.subject"
    )
    assert doc.cssselect('link[rel="schema.DC"]')


def test_only_pdfs_get_a_citation_pdf_url(client, fund) -> None:
    doc, _ = page(client, f"/notice/{fund.ids['html']}")
    assert not doc.cssselect('meta[name="citation_pdf_url"]')


def test_a_paper_record_lists_its_copies_with_call_number_location_and_availability(
    client, fund
) -> None:
    doc, _ = page(client, f"/notice/{fund.ids['mediation']}")
    rows = [
        [td.text_content().strip() for td in tr.cssselect("td")]
        for tr in doc.cssselect("table tbody tr")
    ]
    assert rows == [
        ["303.6 MED", "Salle de lecture", "En rayon"],
        ["303.6 MED", "Réserve", "En rayon"],
    ]
    assert not doc.cssselect(".record-file")


def test_a_copy_on_loan_shows_its_due_date(client, fund, monkeypatch) -> None:
    from webapp import services
    from webapp.public import records

    real = services.get_catalogue

    class OnLoan:
        def __init__(self, catalogue):  # type: ignore[no-untyped-def]
            self.catalogue = catalogue

        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(self.catalogue, name)

        def get(self, record_id):  # type: ignore[no-untyped-def]
            record = self.catalogue.get(record_id)
            first = Copy(
                record.copies[0].barcode,
                "303.6 MED",
                "Salle de lecture",
                CopyStatus.ON_LOAN,
                due_date="2013-05-02",
            )
            return type(record)(
                **{
                    **{s: getattr(record, s) for s in record.__slots__},
                    "copies": (first, *record.copies[1:]),
                }
            )

    monkeypatch.setattr(records.services, "get_catalogue", lambda: OnLoan(real()))
    doc, _ = page(client, f"/notice/{fund.ids['mediation']}")
    first_row = doc.cssselect("table tbody tr")[0].text_content()
    assert "En prêt" in first_row and "retour prévu le 02/05/2013" in first_row


def test_a_withdrawn_record_is_gone_not_missing(client, fund) -> None:
    record_id = fund.ids["withdrawn"]
    doc, _ = page(client, f"/notice/{record_id}", status=410)
    assert "retiré du fonds" in doc.text_content()
    assert client.get(f"/notice/{record_id}/fichier").status_code == 410


UNKNOWN = [
    "/notice/99999",
    "/notice/0",
    "/notice/abc",
    "/notice/-1",
    "/notice/99999999999999999999999",
    "/notice/99999/fichier",
]


@pytest.mark.parametrize("url", UNKNOWN)
def test_unknown_records_are_404_in_french(client, url) -> None:
    doc, _ = page(client, url, status=404)
    assert "Page introuvable" in doc.text_content()


def test_the_record_page_escapes_catalogue_text_in_the_body_and_meta_tags(client, fund) -> None:
    body = client.get(f"/notice/{fund.ids['hostile']}").data.decode("utf-8")
    assert HOSTILE not in body and "<img src=x" not in body and "<b>balises</b>" not in body
    doc = lxml.html.fromstring(body)
    assert doc.cssselect("h1")[0].text_content() == HOSTILE
    assert doc.cssselect('meta[name="citation_title"]')[0].get("content") == HOSTILE


# -- the file -----------------------------------------------------------------------------


def test_the_file_downloads_with_its_type_and_a_safe_international_name(client, fund) -> None:
    response = fetch(client, f"/notice/{fund.ids['cucs']}/fichier")
    assert response.status_code == 200 and response.body == PDF_BYTES
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Evaluation CUCS ete 2009.pdf"' in disposition
    assert "filename*=UTF-8''%C3%89valuation%20CUCS%20%C3%A9t%C3%A9%202009.pdf" in disposition


def test_a_pdf_can_be_read_in_the_browser(client, fund) -> None:
    response = fetch(client, f"/notice/{fund.ids['cucs']}/fichier?lire=1")
    assert response.headers["Content-Disposition"].startswith("inline;")


def test_an_html_file_never_runs_in_our_origin(client, fund) -> None:
    download = fetch(client, f"/notice/{fund.ids['html']}/fichier")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    shown = fetch(client, f"/notice/{fund.ids['html']}/fichier?lire=1")
    assert shown.headers["Content-Disposition"].startswith("inline;")
    csp = shown.headers["Content-Security-Policy"]
    assert (
        csp.startswith("sandbox;") and "allow-scripts" not in csp and "allow-same-origin" not in csp
    )


def test_a_windows_1252_text_file_is_served_with_its_charset(client, fund) -> None:
    response = fetch(client, f"/notice/{fund.ids['txt']}/fichier?lire=1")
    assert response.headers["Content-Type"] == "text/plain; charset=windows-1252"
    assert response.body == TXT_BYTES
    assert (
        "filename*=UTF-8''compte%20rendu%20r%C3%A9union.txt"
        in response.headers["Content-Disposition"]
    )


def test_a_record_without_file_has_no_file(client, fund) -> None:
    assert client.get(f"/notice/{fund.ids['mediation']}/fichier").status_code == 404


def test_file_downloads_can_be_revalidated(client, fund) -> None:
    url = f"/notice/{fund.ids['cucs']}/fichier"
    etag = fetch(client, url).headers["ETag"]
    assert fetch(client, url, headers={"If-None-Match": etag}).status_code == 304


def test_head_requests_work_on_every_public_route(client, fund) -> None:
    record_id = fund.ids["cucs"]
    for url in (
        "/",
        "/?q=quartier",
        f"/notice/{record_id}",
        f"/notice/{record_id}/fichier",
        "/api/search?q=quartier",
        f"/api/records/{record_id}",
    ):
        with client.head(url) as response:
            assert response.status_code == 200, url


def test_download_names_cannot_escape_or_break_the_header() -> None:
    from webapp.public.records import content_disposition, download_name

    assert download_name("../../etc/passwd", ".txt") == "passwd.txt"
    assert download_name('a"b;c\r\nd.pdf', ".pdf") == "a_b_c_d.pdf"
    assert download_name("rapport.html", ".pdf") == "rapport.html.pdf"
    assert download_name("", ".pdf") == "document.pdf"
    header = content_disposition("été «2009».pdf", inline=False)
    assert header == (
        'attachment; filename="ete 2009.pdf";'
        " filename*=UTF-8''%C3%A9t%C3%A9%20%C2%AB2009%C2%BB.pdf"
    )


def test_zero_results_name_the_unknown_word_and_the_filters_to_drop(client) -> None:
    doc, _ = page(client, "/?q=xylophone+logement&theme=sante")
    items = [li.text_content() for li in doc.cssselect(".loosen li")]
    assert items[0] == "Aucun document du fonds ne contient « xylophone »."
    assert any(item.startswith("Sans le filtre « Thématique »") for item in items)
    # the any-word fallback found documents, but none with the filters: no contradiction
    assert not doc.cssselect(".relaxed")


def test_a_paper_hit_shows_its_call_number_and_whether_a_copy_is_on_the_shelf(client) -> None:
    doc, _ = page(client, "/?q=guide+médiation+sociale")
    hit = next(li for li in doc.cssselect(".hit") if "Guide de la médiation" in li.text_content())
    assert hit.cssselect(".call-number")[0].text_content() == "303.6 MED"
    assert "En rayon" in hit.cssselect(".hit-badges")[0].text_content()
    data = client.get("/api/search?q=guide+médiation+sociale").get_json()
    assert data["hits"][0]["call_number"] == "303.6 MED"


def test_a_spanish_query_says_which_concept_brought_the_french_documents(client) -> None:
    doc, _ = page(client, "/?q=mediación+social")
    assert "Guide de la médiation sociale" in hit_titles(doc)
    notice = doc.cssselect(".concepts")[0].text_content()
    assert "« médiation sociale » (thématique « Médiation sociale »)" in notice
    data = client.get("/api/search?q=mediación+social").get_json()
    assert data["concepts"] == ["mediation-sociale"]
    assert data["concept_terms"] == ["médiation sociale"]


def test_a_french_query_says_which_concept_brought_the_english_documents(client) -> None:
    doc, _ = page(client, "/?q=logement")
    titles = hit_titles(doc)
    # the English study on housing ("Housing conditions…") after the French documents
    assert titles[-1] == "Youth employment in Caribbean neighbourhoods" and len(titles) > 1
    notice = doc.cssselect(".concepts")[0].text_content()
    assert "« logement »" in notice
    assert "les documents en anglais et en espagnol sur ce sujet suivent ceux en français" in notice
    data = client.get("/api/search?q=logement").get_json()
    assert data["concept_terms"] == ["logement"] and data["concepts_from_french"]


def test_a_query_widened_to_related_terms_says_which(client) -> None:
    # the vocabulary relates « contrat de ville » and the CUCS that replaced it
    doc, _ = page(client, "/?q=contrat+de+ville")
    assert any(
        t.startswith("Évaluation du contrat urbain de cohésion sociale") for t in hit_titles(doc)
    )
    notice = doc.cssselect(".related")[0].text_content()
    assert "« contrat urbain de cohésion sociale »" in notice
    data = client.get("/api/search?q=contrat+de+ville").get_json()
    assert "contrat urbain de cohésion sociale" in data["related"]


def test_an_english_query_no_label_covers_says_which_french_words_it_searched(client) -> None:
    # "district council": no concept's name; the lexicon says « quartier », « conseil », put in
    # French order (the head first: « conseil (de) quartier »)
    doc, _ = page(client, "/?q=district+council")
    assert "Compte rendu du conseil de quartier" in hit_titles(doc)
    notice = doc.cssselect(".concepts")[0].text_content()
    assert "« conseil quartier » (traduction)" in notice
    data = client.get("/api/search?q=district+council").get_json()
    assert data["concept_terms"] == ["conseil quartier"] and data["concepts"] == [""]


def test_documents_holding_part_of_the_words_follow_under_their_own_heading(client) -> None:
    doc, _ = page(client, "/?q=logement+privé")
    note = doc.cssselect(".partial-note")[0].text_content()
    assert note == (
        "1 document contient tous les mots ; les 2 suivants n'en contiennent qu'une partie."
    )
    whole, partial = doc.cssselect("ol.hits")
    assert [a.text_content() for a in whole.cssselect(".hit-title a")] == [
        "Le logement privé dégradé"
    ]
    heading = doc.get_element_by_id("titre-resultats-partiels")
    assert heading.text_content() == "Documents qui contiennent une partie des mots"
    assert partial.get("aria-labelledby") == "titre-resultats-partiels"
    assert partial.get("start") == "2" and len(partial.cssselect(".hit")) == 2
    assert "Le logement social à Fort-de-France" in hit_titles(doc)
    data = client.get("/api/search?q=logement+privé").get_json()
    assert data["complete"] == 1 and data["total"] == 3
    assert [h["partial"] for h in data["hits"]] == [False, True, True]
    # the basket, exports and feeds take the documents holding every word
    button = doc.cssselect(".basket-all button")[0].text_content()
    assert button == "Ajouter au panier les résultats qui contiennent tous les mots"
    assert "Exporter les résultats qui contiennent tous les mots" in (
        doc.cssselect(".result-tools")[0].text_content()
    )
    exported = client.get("/export?format=csv&q=logement+privé").get_data(as_text=True)
    assert "Le logement privé dégradé" in exported and "Le logement social" not in exported


def test_filters_that_leave_only_partial_documents_say_so_and_offer_no_export(client) -> None:
    doc, _ = page(client, "/?q=logement+privé&support=papier")
    note = doc.cssselect(".partial-note")[0].text_content()
    assert note.startswith("Avec ces filtres, aucun document ne contient tous les mots")
    assert hit_titles(doc) == ["Le logement social à Fort-de-France"]
    assert not doc.cssselect(".basket-all")  # nothing holds every word: nothing to export
    tools = doc.cssselect(".result-tools")[0].text_content()
    assert "Exporter" not in tools and "suivre cette recherche" in tools


def test_a_hyphenated_word_is_named_in_the_partial_note(client) -> None:
    doc, _ = page(client, "/?q=logement-privé")
    note = doc.cssselect(".partial-note")[0].text_content()
    assert note.startswith("1 document contient « logement-privé » ; ")


def test_expressions_read_as_one_concept_are_each_quoted_in_the_notice(tmp_path) -> None:
    """« unemployment » is the English of both « chômage » and « chômeurs » (one English stem):
    the search takes either, and the page and the CLI name both in French quotes, not as the
    raw query the engine runs (« chômage OU chômeurs »)."""
    root = tmp_path / "instance"
    with Catalogue.in_instance(root) as catalogue:
        catalogue.add(
            Record(title="Le chômage des jeunes", year=2012, doc_type=DocType.ETUDE),
            text="Les chômeurs de moins de 25 ans.",
        )
    doc, _ = page(make_app(root).test_client(), "/?q=unemployment")
    notice = doc.cssselect(".concepts")[0].text_content()
    assert "Requête comprise comme « chômage » ou « chômeurs » (thématique" in notice
    assert '"' not in notice and " OU " not in notice
    printed = CliRunner().invoke(cli, ["--instance", str(root), "search", "unemployment"])
    assert "Requête comprise comme « chômage » ou « chômeurs » (thématique" in printed.output
