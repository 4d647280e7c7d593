"""OCR of scans: queued at ingest, recognised by Tesseract (through OCRmyPDF) on `fonds ocr`,
then stored page by page, language detected, thematics and index updated; bad input gives a
French reason and never loses the queue. Scans are rendered here from known text (200 dpi,
slightly turned, noisy); Tesseract runs for real (skipped without it, failed under CI)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from corpus.files import make_docx, make_pdf, make_png_scan, make_txt
from corpus.synth.scans import render_page, write_scan
from indexer.extractors.base import PAGE_BREAK
from indexer.ocr.detect import page_ranges, textless_pages
from indexer.ocr.engine import OcrJob, run_ocr
from library import Catalogue, TextStatus
from library.ocr_queue import OcrQueue, OcrStatus
from library.store import sha256_of
from webapp.cli import cli

RENOVATION = (
    "Le programme de rénovation urbaine du quartier de Volga Plage prévoit la démolition de "
    "deux immeubles, le relogement des familles et la réhabilitation des logements sociaux. "
    "La concertation des habitants accompagne chaque étape du projet urbain."
)
EMPLOI = (
    "La mission locale de Fort-de-France accompagne les jeunes sans qualification vers "
    "l'emploi : chantiers d'insertion, contrats aidés et formations en alternance."
)
GERMAN = (
    "Die Stadtentwicklung in den benachteiligten Stadtteilen braucht eine langfristige "
    "Finanzierung und die Beteiligung der Bewohner an allen Entscheidungen."
)
FONDS = [sys.executable, "-c", "from webapp.cli import main; main()"]
SMALL_PAGE = (5.0, 4.0)  # inches: a short text on a small page keeps Tesseract fast


def scan(text: str, *, seed: int = 0, angle: float = 1.2) -> object:
    return render_page(text, dpi=200, angle=angle, noise=0.01, seed=seed, size_inches=SMALL_PAGE)


@pytest.fixture
def run(instance):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--instance", str(instance), *args], catch_exceptions=False)

    return invoke


def queue_of(instance: Path) -> dict[int, OcrStatus]:
    with Catalogue.in_instance(instance) as catalogue:
        return {item.record_id: item.status for item in OcrQueue(catalogue).items(list(OcrStatus))}


def search_ids(run, query: str) -> list[int]:
    result = run("search", "--json", query)
    assert result.exit_code == 0, result.output
    return [hit["id"] for hit in json.loads(result.output)["hits"]]


# -- queueing at ingest (no Tesseract needed) -----------------------------------------------


def test_scans_are_catalogued_and_queued_while_documents_with_text_are_not(run, instance, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    make_png_scan(folder / "scan.png", "Compte rendu du conseil citoyen")
    image = make_png_scan(tmp_path / "page.png", "Diagnostic territorial")
    from PIL import Image

    Image.open(image).save(folder / "scan-sans-texte.pdf", resolution=200.0)
    make_pdf(folder / "rapport.pdf", RENOVATION, title="Rapport de rénovation urbaine")
    make_docx(folder / "vide.docx", [])

    result = run("index", "--json", str(folder))

    files = {Path(f["path"]).name: f for f in json.loads(result.output)["files"]}
    assert files["scan.png"]["status"] == "empty"
    assert "file d'OCR" in files["scan.png"]["reason"]
    assert files["scan-sans-texte.pdf"]["status"] == "empty"
    assert files["vide.docx"]["reason"] == "aucun texte extrait (document vide) : catalogué"
    queued = queue_of(instance)
    assert set(queued) == {files["scan.png"]["id"], files["scan-sans-texte.pdf"]["id"]}
    assert set(queued.values()) == {OcrStatus.PENDING}
    check = run("check")
    assert "en attente d'OCR : 2 notice(s) scannée(s)" in check.output
    data = json.loads(run("check", "--json").output)
    assert {w["id"] for w in data["ocr_waiting"]} == set(queued)


def test_a_corrupt_image_is_a_failed_file_with_a_french_reason(run, tmp_path):
    good = make_png_scan(tmp_path / "bon.png")
    broken = tmp_path / "abime.png"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    result = run("index", "--json", str(broken))
    [line] = json.loads(result.output)["files"]
    assert (line["status"], line["reason"]) == (
        "failed",
        "image endommagée ou tronquée : illisible",
    )


def test_a_pdf_with_a_scanned_annex_queues_only_the_pages_without_text(run, instance, tmp_path):
    mixed = _mixed_pdf(tmp_path, RENOVATION, make_png_scan(tmp_path / "annexe.png", "Annexe"))
    result = run("index", "--json", str(mixed))
    [line] = json.loads(result.output)["files"]
    assert line["status"] == "indexed"
    with Catalogue.in_instance(instance) as catalogue:
        assert OcrQueue(catalogue).get(line["id"]).pages == "2"


def test_pages_without_letters_and_their_ranges():
    text = PAGE_BREAK.join(["x" * 30, "  ", "7", "y" * 30, ""])
    assert textless_pages(text, 6) == [2, 3, 5, 6]
    assert page_ranges([6, 2, 3, 5]) == "2-3,5-6"


def test_without_tesseract_fonds_ocr_says_in_one_line_what_to_install(run, instance, monkeypatch):
    run("index", str(make_png_scan(instance.parent / "scan.png")))
    monkeypatch.setenv("PATH", str(instance))  # nothing named tesseract there
    result = run("ocr")
    assert result.exit_code == 4
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "Tesseract n'est pas installé" in lines[0]
    assert "apt install tesseract-ocr tesseract-ocr-fra" in lines[0]
    assert list(queue_of(instance).values()) == [OcrStatus.PENDING]


def test_a_scan_damaged_or_gone_from_the_store_is_a_lasting_failure_with_its_reason(tmp_path):
    good = make_png_scan(tmp_path / "bon.png")
    cut = tmp_path / "coupe.png"
    cut.write_bytes(good.read_bytes()[:200])
    damaged = run_ocr(OcrJob(1, str(cut), "image/png", str(tmp_path / "a.pdf")))
    gone = run_ocr(OcrJob(2, str(tmp_path / "absent.png"), "image/png", str(tmp_path / "b.pdf")))
    assert (damaged.error_code, damaged.transient) == ("corrupt", False)
    assert gone.error_code == "file_missing"
    assert not (tmp_path / "a.pdf").exists()


# -- recognition (Tesseract) ----------------------------------------------------------------


@pytest.mark.usefixtures("tesseract")
def test_a_scan_becomes_searchable_retagged_and_downloadable_as_a_searchable_pdf(
    run, instance, tmp_path
):
    """GIVEN a two-page TIFF scan of a known French text, indexed (catalogued, queued)
    WHEN `fonds ocr` runs
    THEN a four-word phrase searched in quotes finds it, its text has two pages, its language
    is French, it is tagged, and the searchable PDF is stored beside the untouched original."""
    tiff = write_scan(tmp_path / "scan-renovation.tif", [scan(RENOVATION), scan(EMPLOI, seed=1)])
    original_sha = sha256_of(tiff)
    [line] = json.loads(run("index", "--json", str(tiff)).output)["files"]
    record_id = line["id"]
    assert search_ids(run, '"relogement des familles"') == []

    result = run("ocr", "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["counts"] == {"done": 1, "pending": 0, "failed": 0}
    assert report["records"][0]["pages"] == 2
    assert search_ids(run, '"le relogement des familles"') == [record_id]
    assert search_ids(run, '"accompagne les jeunes sans"') == [record_id]
    with Catalogue.in_instance(instance) as catalogue:
        record = catalogue.get(record_id)
        text = catalogue.text(record_id)
        searchable = OcrQueue(catalogue).searchable_file(record_id)
        themes = {t.slug for t in record.themes}
    assert text.count(PAGE_BREAK) == 1 and "Volga" in text.split(PAGE_BREAK)[0]
    assert record.language == "fr" and record.text_status is TextStatus.OK
    assert "renovation-urbaine" in themes
    assert record.file is not None and record.file.sha256 == original_sha
    assert searchable is not None
    stored = instance / "files" / searchable.store_path
    assert "relogement" in PdfReader(stored).pages[0].extract_text()
    assert queue_of(instance) == {record_id: OcrStatus.DONE}
    assert "en attente d'OCR" not in run("check").output


@pytest.mark.usefixtures("tesseract")
def test_the_record_page_offers_the_searchable_pdf_and_the_original(run, instance, tmp_path):

    png = write_scan(tmp_path / "compte-rendu.png", [scan(EMPLOI)])
    [line] = json.loads(run("index", "--json", str(png)).output)["files"]
    run("ocr")
    client = _client(instance)
    page = client.get(f"/notice/{line['id']}").get_data(as_text=True)
    assert "Télécharger le PDF avec texte" in page
    assert "Fichier d&#39;origine" in page or "Fichier d'origine" in page
    with client.get(f"/notice/{line['id']}/fichier-texte") as pdf:
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert pdf.get_data().startswith(b"%PDF")
    with client.get(f"/notice/{line['id']}/fichier") as original:
        assert original.get_data() == png.read_bytes()


@pytest.mark.usefixtures("tesseract")
def test_only_the_scanned_page_of_a_mixed_pdf_is_recognised_and_native_text_is_kept(
    run, instance, tmp_path
):
    annex = write_scan(tmp_path / "annexe.png", [scan(EMPLOI)])
    mixed = _mixed_pdf(tmp_path, RENOVATION, annex)
    [line] = json.loads(run("index", "--json", str(mixed)).output)["files"]
    with Catalogue.in_instance(instance) as catalogue:
        before = catalogue.text(line["id"]).split(PAGE_BREAK)[0]

    assert run("ocr").exit_code == 0

    with Catalogue.in_instance(instance) as catalogue:
        pages = catalogue.text(line["id"]).split(PAGE_BREAK)
    assert " ".join(pages[0].split()) == " ".join(before.split())  # native text untouched
    assert "mission locale" in pages[1]
    assert search_ids(run, '"chantiers d\'insertion, contrats aidés"') == [line["id"]]


@pytest.mark.usefixtures("tesseract")
def test_a_scan_in_an_unexpected_language_is_still_recognised_and_its_language_detected(
    run, instance, tmp_path
):
    png = write_scan(tmp_path / "stadtentwicklung.png", [scan(GERMAN, angle=-0.8)])
    [line] = json.loads(run("index", "--json", str(png)).output)["files"]
    report = json.loads(run("ocr", "--json").output)
    assert report["records"][0]["status"] == "done"
    assert report["records"][0]["language"] == "de"
    assert search_ids(run, "Finanzierung") == [line["id"]]


@pytest.mark.usefixtures("tesseract")
def test_an_owner_password_is_no_obstacle_and_a_user_password_is_a_clear_failure(tmp_path):
    import pikepdf

    page = write_scan(tmp_path / "page.pdf", [scan(EMPLOI)])
    owner_only = tmp_path / "proprietaire.pdf"
    user = tmp_path / "utilisateur.pdf"
    with pikepdf.open(page) as pdf:
        pdf.save(owner_only, encryption=pikepdf.Encryption(owner="secret", user=""))
        pdf.save(user, encryption=pikepdf.Encryption(owner="secret", user="motdepasse"))

    done = run_ocr(OcrJob(1, str(owner_only), "application/pdf", str(tmp_path / "a.pdf")))
    refused = run_ocr(OcrJob(2, str(user), "application/pdf", str(tmp_path / "b.pdf")))

    assert done.ok and "mission locale" in done.text
    assert owner_only.read_bytes() != (tmp_path / "a.pdf").read_bytes()
    assert (refused.error_code, refused.transient) == ("encrypted", False)


@pytest.mark.usefixtures("tesseract")
def test_a_scan_over_the_page_cap_fails_with_its_count_and_stays_listed(run, instance, tmp_path):
    from PIL import Image

    pages = [Image.new("L", (60, 40), 255) for _ in range(12)]  # many pages, few pixels
    tiff = write_scan(tmp_path / "registre.tif", pages)
    [line] = json.loads(run("index", "--json", str(tiff)).output)["files"]
    (instance / "config.py").write_text("OCR_MAX_PAGES = 10\n")

    result = run("ocr")

    assert f"notice n° {line['id']} : en échec — trop de pages pour l'OCR" in result.output
    assert "12/10" in result.output
    assert queue_of(instance) == {line["id"]: OcrStatus.FAILED}
    assert "OCR en échec" in run("check").output
    with Catalogue.in_instance(instance) as catalogue:
        assert catalogue.get(line["id"]).text_status is TextStatus.EMPTY  # still catalogued


@pytest.mark.usefixtures("tesseract")
def test_an_interrupted_run_stops_its_workers_and_keeps_the_rest_queued(instance, tmp_path):
    from indexer.ocr.runner import OcrOptions, OcrRunner
    from indexer.search import SearchIndex
    from library.store import FileStore

    folder = tmp_path / "scans"
    folder.mkdir()
    for n, text in enumerate([EMPLOI, RENOVATION, EMPLOI + " " + RENOVATION]):
        write_scan(folder / f"scan-{n}.png", [scan(text, seed=n)])
    CliRunner().invoke(cli, ["--instance", str(instance), "index", str(folder)])

    def ctrl_c(line):  # the user presses Ctrl-C as the first result is written
        raise KeyboardInterrupt

    with Catalogue.in_instance(instance) as catalogue:
        index = SearchIndex.open(instance / "index")
        try:
            runner = OcrRunner(
                catalogue,
                index,
                FileStore(instance / "files"),
                options=OcrOptions(jobs=2),
                progress=ctrl_c,
            )
            report = runner.run()
        finally:
            index.close()
    assert report.interrupted
    assert report.remaining == 2  # the first one was written before the interruption
    assert sorted(queue_of(instance).values()) == [
        OcrStatus.DONE,
        OcrStatus.PENDING,
        OcrStatus.PENDING,
    ]
    assert not runner._scratch.exists()
    assert not list((instance / "files").rglob(".*"))  # nothing half-written in the store


@pytest.mark.usefixtures("tesseract")
def test_records_named_that_cannot_be_ocred_are_reported_one_by_one(run, instance, tmp_path):
    [line] = json.loads(run("index", "--json", str(make_txt(tmp_path / "note.txt"))).output)[
        "files"
    ]
    result = run("ocr", "--json", "999", str(line["id"]))
    report = json.loads(result.output)
    assert result.exit_code == 0
    assert [(r["id"], r["status"]) for r in report["records"]] == [
        (999, "failed"),
        (line["id"], "failed"),
    ]
    assert [r["error"] for r in report["records"]] == ["no_record", "not_a_scan"]
    human = run("ocr", "999").output
    assert "notice n° 999 : en échec — notice introuvable" in human


@pytest.mark.usefixtures("tesseract")
def test_a_second_fonds_ocr_on_the_same_instance_is_refused(run, instance):
    import fcntl

    run("index", str(make_png_scan(instance.parent / "scan.png")))
    with open(instance / "ocr.lock", "wb") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = run("ocr")
    assert result.exit_code == 4
    assert "une océrisation est déjà en cours sur cette instance" in result.output
    assert list(queue_of(instance).values()) == [OcrStatus.PENDING]


@pytest.mark.slow
@pytest.mark.usefixtures("tesseract")
def test_a_crashing_tesseract_leaves_the_scan_queued_and_the_next_run_carries_on(
    instance, tmp_path
):
    png = write_scan(tmp_path / "scan.png", [scan(EMPLOI)])
    _fonds(instance, "index", str(png))
    fake = tmp_path / "bin"
    fake.mkdir()
    real = shutil.which("tesseract")
    (fake / "tesseract").write_text(
        "#!/bin/sh\n"
        'case "$1" in --version|--list-langs) exec ' + str(real) + ' "$@";; esac\n'
        "kill -SEGV $$\n"
    )
    (fake / "tesseract").chmod(0o755)
    path = f"{fake}{os.pathsep}{os.environ['PATH']}"

    crashed = _fonds(instance, "ocr", env={"PATH": path})

    assert "à retenter — Tesseract a échoué sur ce document" in crashed.stdout
    assert list(queue_of(instance).values()) == [OcrStatus.PENDING]
    again = _fonds(instance, "ocr")
    assert "1 océrisés" in again.stdout
    assert list(queue_of(instance).values()) == [OcrStatus.DONE]


@pytest.mark.slow
@pytest.mark.usefixtures("tesseract")
def test_a_machine_stopped_in_the_middle_of_the_queue_loses_nothing(instance, tmp_path):
    """GIVEN four scans queued
    WHEN `fonds ocr` is killed (SIGKILL, as a power cut) once the first is written
    THEN the catalogue is sound, the others are still pending, and the next run finishes."""
    folder = tmp_path / "scans"
    folder.mkdir()
    texts = [RENOVATION, EMPLOI, RENOVATION + " " + EMPLOI, EMPLOI + " " + RENOVATION]
    for n, text in enumerate(texts):
        write_scan(folder / f"scan-{n}.png", [scan(text, seed=n)])
    _fonds(instance, "index", str(folder))
    process = subprocess.Popen(
        [*FONDS, "--instance", str(instance), "ocr", "--jobs", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and _done_count(instance) < 1:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    statuses = queue_of(instance)
    assert 1 <= list(statuses.values()).count(OcrStatus.DONE) < 4
    assert set(statuses.values()) <= {OcrStatus.DONE, OcrStatus.PENDING}
    assert _fonds(instance, "check").returncode == 0
    _fonds(instance, "ocr")
    assert set(queue_of(instance).values()) == {OcrStatus.DONE}


@pytest.mark.slow
@pytest.mark.usefixtures("tesseract")
def test_the_real_world_image_only_files_are_ocred_and_those_with_text_found(
    run, instance, realworld_dir, tmp_path
):
    """The files the manifest lists as `empty`: the six image-only PDFs go through OCR (two
    carry real text: a typed letter, a cartoon's speech bubble); the two empty DOCX have no
    image and are not queued."""
    import csv

    with open(realworld_dir / "MANIFEST.csv", encoding="utf-8") as manifest:
        rows = list(csv.DictReader(manifest))
    empty = [r["file"] for r in rows if r["expect"] == "empty"]
    assert len(empty) == 8
    folder = tmp_path / "vides"
    folder.mkdir()
    for name in empty:
        shutil.copy(realworld_dir / name, folder / Path(name).name)
    files = {
        Path(f["path"]).name: f["id"]
        for f in json.loads(run("index", "--json", str(folder)).output)["files"]
    }

    report = json.loads(run("ocr", "--json").output)

    pdfs = {name for name in files if name.endswith(".pdf")}
    assert {r["id"] for r in report["records"]} == {files[n] for n in pdfs}
    assert {r["status"] for r in report["records"]} == {"done"}
    assert search_ids(run, '"annual general meeting"') == [files["textract__ocr_text.pdf"]]
    assert search_ids(run, "GARRATT") == [files["textract__ocr_text.pdf"]]
    assert search_ids(run, "work") == [files["pdfminer__pdf-with-jbig2.pdf"]]
    assert not set(queue_of(instance)) & {files[n] for n in files if n.endswith(".docx")}


# -- helpers --------------------------------------------------------------------------------


def _mixed_pdf(tmp_path: Path, text: str, annex_png: Path) -> Path:
    from PIL import Image

    typed = make_pdf(tmp_path / "texte.pdf", text, title="Rapport")
    annex = tmp_path / "annexe.pdf"
    Image.open(annex_png).save(annex, resolution=200.0)
    writer = PdfWriter()
    for part in (typed, annex):
        for page in PdfReader(part).pages:
            writer.add_page(page)
    mixed = tmp_path / "rapport-avec-annexe.pdf"
    with open(mixed, "wb") as out:
        writer.write(out)
    return mixed


def _client(instance: Path):
    from webapp import create_app

    app = create_app({"TESTING": True}, instance_path=str(instance))
    return app.test_client()


def _fonds(instance: Path, *args: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [*FONDS, "--instance", str(instance), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
        check=False,
    )


def _done_count(instance: Path) -> int:
    try:
        with sqlite3.connect(instance / "catalogue.sqlite3", timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM ocr_queue WHERE status = 'done'").fetchone()[
                0
            ]
    except sqlite3.Error:
        return 0
