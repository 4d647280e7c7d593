"""Uploads: checked by name, size and content before anything is kept; the indexer proposes,
the documentalist confirms; bad files leave no trace."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from corpus.files import make_docx, make_pdf, make_txt
from library import Catalogue, ThemeSource

from .actions import post, search_ids, text

REPORT_TEXT = (
    "Évaluation du contrat urbain de cohésion sociale du Lamentin. Le CUCS a financé des "
    "actions de médiation sociale et d'insertion ; l'évaluation du contrat de ville mesure "
    "les résultats obtenus dans les quartiers prioritaires.\n\n"
    "Les adultes-relais assurent la médiation sociale entre les habitants et les institutions."
)


def upload(client, *files: tuple[str, bytes]):  # type: ignore[no-untyped-def]
    data = {"fichiers": [(io.BytesIO(content), name) for name, content in files]}
    return post(client, "/admin/depot/", data, content_type="multipart/form-data")


def pdf_bytes(
    tmp_path: Path, text: str = REPORT_TEXT, title: str = "Évaluation du CUCS du Lamentin"
) -> bytes:
    return make_pdf(tmp_path / "rapport.pdf", text, title=title, author="Marie Joseph").read_bytes()


def nothing_kept(app) -> bool:  # type: ignore[no-untyped-def]
    instance = Path(app.config["INSTANCE"])
    store = list((instance / "files").rglob("*")) if (instance / "files").exists() else []
    staged = list((instance / "staging").iterdir()) if (instance / "staging").exists() else []
    with Catalogue.in_instance(instance) as cat:
        return not store and not staged and cat.count(include_deleted=True) == 0


def test_an_upload_is_analysed_then_confirmed_into_a_searchable_record(app, logged_in, tmp_path):
    """GIVEN a PDF report, WHEN the documentalist uploads it, THEN the indexer proposes its
    title, author, language and thematics with evidence; WHEN she corrects the year and drops
    a proposed thematic, THEN the record, the file and the text are kept and searchable."""
    response = upload(logged_in, ("Rapport CUCS 2009.pdf", pdf_bytes(tmp_path)))
    assert response.status_code == 302 and response.location.startswith("/admin/depot/")
    page = text(logged_in.get(response.location))
    assert 'value="Évaluation du CUCS du Lamentin"' in page
    assert "Joseph, Marie" in page
    assert '<option value="fr" selected>' in page
    assert "Évaluation des politiques et dispositifs" in page and "score" in page
    assert "CUCS" in page  # the evidence of the proposed thematic
    assert nothing_in_store(app)
    form = form_fields(page)
    form.update(
        {
            "year": "2009",
            "theme": [s for s in form.get("theme", []) if s != "evaluation"] + ["jeunesse"],
        }
    )
    saved = post(logged_in, response.location, form)
    assert saved.status_code == 302, text(saved)
    record_id = int(saved.location.rsplit("/", 1)[1])
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        record = cat.get(record_id)
        rows = {r.slug: r.manual for r in cat.theme_rows(record_id)}
    assert record.year == 2009 and record.file.original_name == "Rapport CUCS 2009.pdf"
    assert record.file.store_path.startswith(record.file.sha256[:2] + "/")  # named by its hash
    assert rows.get("evaluation") == "remove" and rows.get("jeunesse") == "add"
    assert ("jeunesse", ThemeSource.MANUAL) in {(t.slug, t.source) for t in record.themes}
    assert record_id in search_ids(app, "adultes-relais")
    stored = Path(app.config["INSTANCE"]) / "files" / record.file.store_path
    assert stored.read_bytes() == pdf_bytes(tmp_path)
    assert not list((Path(app.config["INSTANCE"]) / "staging").iterdir())


def nothing_in_store(app) -> bool:  # type: ignore[no-untyped-def]
    store = Path(app.config["INSTANCE"]) / "files"
    return not store.exists() or not any(p.is_file() for p in store.rglob("*"))


def form_fields(page: str) -> dict[str, object]:
    """The values of the confirmation form as the browser would send them."""
    import html
    import re

    fields: dict[str, object] = {}
    for name, value in re.findall(
        r'<input type="(?:text|number|url|hidden)"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page
    ):
        if name in ("author_name", "author_order"):
            fields.setdefault(name, []).append(html.unescape(value))  # type: ignore[union-attr]
        elif name != "csrf_token":
            fields[name] = html.unescape(value)
    for name, value in re.findall(r'<option value="([^"]*)" selected>', page) and re.findall(
        r'<select id="f-([a-z_]+)" name="[a-z_]+"[^>]*>\s*(?:<option[^>]*>[^<]*</option>\s*)*?<option value="([^"]*)" selected>',
        page,
    ):
        fields[name] = value
    fields["author_kind"] = re.findall(r'<option value="(person|organisation)" selected>', page)
    fields["theme"] = re.findall(r'name="theme" value="([^"]+)" checked', page)
    for name in ("abstract", "keywords", "territories", "notes"):
        match = re.search(rf'name="{name}"[^>]*>([^<]*)</textarea>', page)
        fields[name] = html.unescape(match.group(1)) if match else ""
    return fields


def test_a_batch_upload_stages_every_file_and_saves_them_as_proposed(app, logged_in, tmp_path):
    docx = make_docx(
        tmp_path / "note.docx",
        [
            "Note sur le logement social et l'habitat indigne.",
            "La résorption de l'habitat insalubre (RHI) à Trénelle.",
        ],
        title="Note RHI",
    )
    txt = make_txt(
        tmp_path / "cr.txt",
        "Compte rendu du réseau Atelier Santé Ville : accès aux "
        "droits et prévention des addictions dans les quartiers.",
    )
    response = upload(
        logged_in,
        ("rapport.pdf", pdf_bytes(tmp_path)),
        ("note.docx", docx.read_bytes()),
        ("compte rendu.txt", txt.read_bytes()),
    )
    assert response.status_code == 200
    page = text(response)
    assert "3 fichier(s) analysé(s)" in page and "Note RHI" in page
    assert post(logged_in, "/admin/depot/tout-enregistrer").status_code == 302
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        titles = sorted(cat.get(i).title for i in cat.ids())
    assert len(titles) == 3 and "Note RHI" in titles
    assert len(search_ids(app, "addictions")) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "rapport.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 500,
            "Type de fichier refusé : format non pris en charge (exécutable Windows).",
        ),
        ("vide.pdf", b"", "Fichier vide (0 octet) : rien à cataloguer."),
        (
            "gros.txt",
            b"quartier " * 40_000,
            "Fichier trop volumineux : plus de 293 Ko (limite du dépôt).",
        ),
        (
            "../../etc/passwd.txt",
            b"Un texte anodin sur la politique de la ville.",
            "Nom de fichier refusé (« ../../etc/passwd.txt »)",
        ),
        ("..\\rapport.txt", b"Un texte anodin.", "Nom de fichier refusé"),
        ("tronque.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "Lecture impossible"),
    ],
    ids=["disguised-executable", "empty", "oversized", "dot-dot-slash", "backslash", "broken-pdf"],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_kept(
    app, logged_in, name, content, message
):
    response = upload(logged_in, (name, content))
    assert response.status_code == 422
    page = text(response)
    assert "refusé(s) — rien n'a été enregistré" in page
    import html

    assert message in html.unescape(page)
    assert nothing_kept(app)


def test_a_bad_file_in_a_batch_does_not_stop_the_good_ones(app, logged_in, tmp_path):
    response = upload(logged_in, ("../x.pdf", b"%PDF"), ("bon.pdf", pdf_bytes(tmp_path)))
    assert response.status_code == 200
    page = text(response)
    assert "1 fichier(s) refusé(s)" in page and "1 fichier(s) analysé(s)" in page
    assert nothing_in_store(app)  # the good one waits for confirmation


def test_a_file_already_catalogued_is_refused(app, logged_in, tmp_path):
    first = upload(logged_in, ("rapport.pdf", pdf_bytes(tmp_path)))
    post(logged_in, first.location, form_fields(text(logged_in.get(first.location))))
    again = upload(logged_in, ("copie du rapport.pdf", pdf_bytes(tmp_path)))
    assert again.status_code == 422
    assert "Déjà au catalogue : notice n° 1, même contenu." in text(again)


def test_an_abandoned_upload_leaves_nothing(app, logged_in, tmp_path):
    staged = upload(logged_in, ("rapport.pdf", pdf_bytes(tmp_path)))
    token = staged.location.rstrip("/").rsplit("/", 1)[1]
    post(logged_in, f"/admin/depot/{token}/abandonner")
    assert nothing_kept(app)
    assert logged_in.get(f"/admin/depot/{token}").status_code == 404


def test_a_staging_token_is_never_a_path(logged_in):
    for token in ("..", "..%2F..%2Fsecret_key", "%2E%2E", "a" * 10):
        assert logged_in.get(f"/admin/depot/{token}").status_code == 404


def test_a_scanned_pdf_without_text_is_kept_but_flagged_for_ocr(app, logged_in, tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    scanned = io.BytesIO()
    writer.write(scanned)
    response = upload(logged_in, ("Procès-verbal scanné.pdf", scanned.getvalue()))
    assert response.status_code == 302
    page = text(logged_in.get(response.location))
    assert "aucun texte extrait" in page
    saved = post(logged_in, response.location, form_fields(page))
    assert saved.status_code == 302
    assert "Procès verbal scanné" in text(logged_in.get("/admin/a-revoir?type=empty-text"))


def test_a_request_far_over_the_limit_is_cut_short_by_the_server(app, logged_in):
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    from .actions import csrf

    big = FileStorage(io.BytesIO(b"x" * (300_000 + 2 * 1024 * 1024)), "enorme.txt")
    boundary, body = encode_multipart({"csrf_token": csrf(logged_in), "fichiers": big})
    # A body built in memory: the test client would spool a large one to an unclosed file.
    response = logged_in.post(
        "/admin/depot/", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413 and "Fichier trop volumineux" in text(response)
    assert nothing_kept(app)


def test_the_confirmation_shows_every_thematics_score_with_the_proposed_ones_ticked(
    app, logged_in, tmp_path
):
    """GIVEN an uploaded report, THEN every thematic of the vocabulary is listed with its
    score (not only the proposed ones), the proposed ones are ticked and come first, and the
    page says "score", never "confiance"."""
    response = upload(logged_in, ("Rapport CUCS 2009.pdf", pdf_bytes(tmp_path)))
    page = text(logged_in.get(response.location))
    items = re.findall(
        r'name="theme" value="([^"]+)" ?(checked)?>.*?class="meta theme-score">([^<]*)</span>',
        page,
        re.S,
    )
    assert len(items) == 14  # the packaged vocabulary's thematics, each with its score
    assert all(re.search(r"score \d,\d\d", shown) for _, _, shown in items)
    ticked = [slug for slug, checked, _ in items if checked]
    assert "evaluation" in ticked
    assert all("proposée" in shown for _, checked, shown in items if checked)
    assert [bool(checked) for _, checked, _ in items] == sorted(
        (bool(c) for _, c, _ in items), reverse=True
    )
    scores = {
        slug: float(re.search(r"score (\d,\d\d)", shown)[1].replace(",", "."))
        for slug, _, shown in items
    }
    assert (
        scores["mediation-sociale"] > scores["sante"]
    )  # a theme not proposed still shows how close it came
    assert "confiance" not in page.casefold()


def test_an_upload_proposes_what_the_first_page_says_not_the_files_login_name(
    app, logged_in, tmp_path
):
    """GIVEN a PDF whose author property is the login 'jdupont' and whose page 1 names Josiane
    Marie-Sainte and Patrick Célestine (Ville du Lamentin), THEN the confirmation proposes
    them, never 'jdupont', with the type, the territories and an abstract read from the text."""
    from corpus.files import Heading

    pdf = make_pdf(
        tmp_path / "diagnostic.pdf",
        [
            Heading("Le décrochage scolaire dans les quartiers du Lamentin"),
            "Étude réalisée dans le cadre du contrat urbain de cohésion sociale",
            "Ville du Lamentin — Josiane Marie-Sainte et Patrick Célestine — juin 2012",
            Heading("Introduction"),
            "Chaque année, dans les quartiers de Place d'Armes et de Basse-Gondeau au Lamentin, "
            "des dizaines de jeunes quittent le collège sans diplôme. Cette étude décrit leurs "
            "parcours à partir des fichiers des établissements et d'entretiens avec les familles "
            "et les professionnels, et propose des pistes pour les repérer plus tôt.",
        ],
        title="Le décrochage scolaire dans les quartiers du Lamentin",
        author="jdupont",
    ).read_bytes()
    response = upload(logged_in, ("decrochage.pdf", pdf))
    page = text(logged_in.get(response.location))
    assert "jdupont" not in page
    assert "Marie-Sainte, Josiane" in page and "Célestine, Patrick" in page
    assert "Ville du Lamentin" in page
    assert '<option value="etude" selected>' in page
    assert "Place d&#39;Armes" in page and "Basse-Gondeau" in page  # the territories field
    assert "Cette étude décrit leurs parcours" in page  # the abstract


def test_an_uploaded_scan_is_catalogued_and_queued_for_ocr(app, logged_in, tmp_path):
    from corpus.files import make_png_scan
    from library.ocr_queue import OcrQueue, OcrStatus

    scan = make_png_scan(tmp_path / "compte-rendu.png", "Compte rendu du conseil citoyen")
    response = upload(logged_in, ("compte-rendu.png", scan.read_bytes()))
    assert response.status_code == 302
    page = text(logged_in.get(response.location))
    assert "aucun texte extrait" in page
    saved = post(logged_in, response.location, form_fields(page))
    assert saved.status_code == 302, text(saved)
    record_id = int(saved.location.rsplit("/", 1)[1])
    with Catalogue.in_instance(app.config["INSTANCE"]) as cat:
        assert OcrQueue(cat).get(record_id).status is OcrStatus.PENDING
    home = text(logged_in.get("/admin/"))
    assert "Documents scannés en attente d&#39;OCR (1)" in home or "en attente d'OCR (1)" in home
