"""The ingest pipeline as the documentalist experiences it: folders in, a report out, nothing lost."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfWriter

import indexer.ingest as ingest_module
from corpus.files import Heading, PageBreak, write_pdf
from indexer.ingest import Ingester, IngestOptions, walk
from indexer.search import Finder, SearchIndex, SearchRequest
from library import Catalogue, TextStatus
from library.store import FileStore, sha256_of
from webapp.messages import reason_text

FRENCH = (
    "La médiation sociale dans les quartiers prioritaires de Fort-de-France repose sur des "
    "adultes relais recrutés par les associations. Leur action auprès des familles et des "
    "bailleurs sociaux améliore la tranquillité publique et l'accès aux droits."
)


def pdf(path: Path, title: str, body: str = FRENCH, pages: int = 1) -> Path:
    blocks: list = [Heading(title, 0)]
    for n in range(pages):
        blocks += [body, PageBreak()] if n < pages - 1 else [body]
    write_pdf(path, blocks, title=title, author="Joseph-Angélique, Marie")
    return path


def text_file(path: Path, body: str = FRENCH, encoding: str = "utf-8") -> Path:
    path.write_bytes(body.encode(encoding))
    return path


class Fund:
    """An instance with its catalogue, index and store, and an ingester for it."""

    def __init__(self, root: Path, **options) -> None:
        self.catalogue = Catalogue.in_instance(root)
        self.index = SearchIndex.open(root / "index")
        self.store = FileStore(root / "files")
        self.options = IngestOptions(jobs=1, **options)

    def ingest(self, *paths: Path, **options):
        opts = dataclasses.replace(self.options, **options)
        return Ingester(self.catalogue, self.index, self.store, options=opts).run(list(paths))

    def search(self, q: str):
        return Finder(self.catalogue, self.index).search(SearchRequest(q=q))

    def close(self) -> None:
        self.index.close()
        self.catalogue.close()


@pytest.fixture
def fund(instance):
    f = Fund(instance)
    yield f
    f.close()


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "documents"
    path.mkdir()
    return path


def statuses(report) -> dict[str, str]:
    return {Path(f.path).name: f.status for f in report.files}


def test_a_folder_becomes_records_that_search_finds(fund, folder):
    pdf(folder / "mediation.pdf", "La médiation sociale à Fort-de-France", pages=3)
    text_file(
        folder / "note.txt", "Note sur le logement social et l'habitat insalubre en Martinique."
    )
    report = fund.ingest(folder)
    assert report.counts == {"indexed": 2, "unchanged": 0, "empty": 0, "failed": 0, "total": 2}
    record = fund.catalogue.get(next(f.id for f in report.files if f.path.endswith(".pdf")))
    assert record.title == "La médiation sociale à Fort-de-France"
    assert record.pages == 3 and record.language == "fr"
    assert record.file and fund.store.verify(record.file) is None
    assert [h.id for h in fund.search("adultes relais").hits] == [record.id]
    assert fund.search("insalubre").total == 1


def test_an_unchanged_folder_is_not_read_again(fund, folder, monkeypatch):
    pdf(folder / "a.pdf", "Premier rapport")
    text_file(folder / "b.txt")
    fund.ingest(folder)
    calls = []
    monkeypatch.setattr(ingest_module, "run_job", lambda job: calls.append(job))
    monkeypatch.setattr(ingest_module, "sha256_of", lambda path: calls.append(path))
    report = fund.ingest(folder)
    assert report.counts["unchanged"] == 2 and calls == []


def test_a_moved_file_keeps_its_record(fund, folder, tmp_path):
    first = fund.ingest(pdf(folder / "rapport.pdf", "Rapport annuel")).files[0]
    moved = tmp_path / "ailleurs" / "rapport-renomme.pdf"
    moved.parent.mkdir()
    shutil.move(folder / "rapport.pdf", moved)
    again = fund.ingest(moved).files[0]
    assert (again.status, again.id) == ("unchanged", first.id)
    assert "déplacé ou renommé" in reason_text(again.reason)
    assert fund.catalogue.count() == 1


def test_the_same_content_in_two_places_is_one_record(fund, folder):
    pdf(folder / "original.pdf", "Guide de la GUP")
    shutil.copy(folder / "original.pdf", folder / "copie.pdf")
    report = fund.ingest(folder)
    assert fund.catalogue.count() == 1
    first, second = sorted(report.files, key=lambda f: f.status)
    assert (first.status, second.status) == ("indexed", "unchanged")
    assert first.id == second.id
    assert "même contenu" in reason_text(second.reason)


def test_a_modified_file_updates_its_record(fund, folder):
    path = text_file(folder / "note.txt", "Première version sur la jeunesse.")
    first = fund.ingest(path).files[0]
    text_file(path, "Seconde version consacrée à la rénovation urbaine du quartier.")
    os.utime(path, ns=(1, 1))  # a different mtime, as an editor would leave
    second = fund.ingest(path).files[0]
    assert (second.status, second.id) == ("indexed", first.id)
    assert fund.catalogue.count() == 1
    assert "Seconde version" in fund.catalogue.text(first.id)
    assert fund.search("rénovation").total == 1 and fund.search("jeunesse").total == 0


def test_bad_files_are_reported_and_the_batch_goes_on(fund, folder):
    (folder / "vide.pdf").write_bytes(b"")
    (folder / "tronque.pdf").write_bytes(pdf(folder / "x.pdf", "Tronqué").read_bytes()[:300])
    (folder / "x.pdf").unlink()
    (folder / "menteur.docx").write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    (folder / "binaire.bin").write_bytes(bytes(range(256)) * 20)
    pdf(folder / "bon.pdf", "Un bon rapport")
    report = fund.ingest(folder)
    result = statuses(report)
    assert result["bon.pdf"] == "indexed"
    for name in ("vide.pdf", "tronque.pdf", "menteur.docx", "binaire.bin"):
        assert result[name] == "failed", name
    reasons = {Path(f.path).name: reason_text(f.reason) for f in report.files}
    assert reasons["vide.pdf"] == "fichier vide (0 octet)"
    assert all(reasons[n] and "\n" not in reasons[n] for n in result if result[n] == "failed")
    assert fund.catalogue.count() == 1


def test_a_failed_file_is_not_read_again_unless_forced(fund, folder, monkeypatch):
    (folder / "casse.pdf").write_bytes(b"%PDF-1.4 garbage")
    first = fund.ingest(folder).files[0]
    calls = []
    monkeypatch.setattr(ingest_module, "run_job", lambda job: calls.append(job))
    again = fund.ingest(folder).files[0]
    assert (again.status, again.reason) == ("failed", first.reason) and calls == []
    assert reason_text(again.reason).startswith("PDF endommagé")


def test_a_failure_stored_by_an_earlier_version_is_still_shown(fund, folder, monkeypatch):
    """GIVEN a path whose failure an earlier version stored as a French sentence
    WHEN the unchanged file is seen again
    THEN the sentence is shown as it was, and the file is not read again."""
    (folder / "casse.pdf").write_bytes(b"%PDF-1.4 garbage")
    fund.ingest(folder)
    fund.catalogue.conn.execute("UPDATE file_paths SET reason = 'PDF endommagé (ancien texte)'")
    monkeypatch.setattr(ingest_module, "run_job", lambda job: pytest.fail("read again"))
    again = fund.ingest(folder).files[0]
    assert again.status == "failed"
    assert reason_text(again.reason) == "PDF endommagé (ancien texte)"


def test_a_file_over_the_size_limit_is_refused_unread(instance, folder):
    fund = Fund(instance, max_file_size=1000)
    text_file(folder / "gros.txt", FRENCH * 20)
    report = fund.ingest(folder)
    assert report.files[0].status == "failed"
    assert "trop volumineux" in reason_text(report.files[0].reason)
    fund.close()


def test_a_pdf_without_text_is_catalogued_and_flagged_for_ocr(fund, folder):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(folder / "scan.pdf", "wb") as f:
        writer.write(f)
    report = fund.ingest(folder)
    assert report.files[0].status == "empty"
    record = fund.catalogue.get(report.files[0].id)
    assert record.text_status is TextStatus.EMPTY


def test_a_per_file_timeout_stops_a_slow_file(fund, folder):
    pdf(folder / "long.pdf", "Très long", body=FRENCH * 3, pages=60)
    report = fund.ingest(folder, timeout=0.001)
    assert report.files[0].status == "failed"
    assert "délai dépassé" in reason_text(report.files[0].reason)


def test_unreadable_files_are_reported(fund, folder, monkeypatch):
    text_file(folder / "secret.txt")

    def denied(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ingest_module, "sha256_of", denied)
    report = fund.ingest(folder)
    assert report.files[0].status == "failed"
    assert "permission refusée" in reason_text(report.files[0].reason)


def test_symlink_loops_and_broken_links_do_not_stop_the_walk(fund, folder):
    text_file(folder / "a.txt")
    (folder / "sous").mkdir()
    text_file(folder / "sous" / "b.txt", "Un autre texte sur la culture dans les quartiers.")
    os.symlink(folder, folder / "sous" / "boucle")
    os.symlink(folder / "absent.txt", folder / "casse.txt")
    report = fund.ingest(folder)
    result = statuses(report)
    assert result["a.txt"] == "indexed" and result["b.txt"] == "indexed"
    assert result["casse.txt"] == "failed"
    assert report.counts["total"] == 3


def test_non_utf8_file_names_are_indexed_and_reported_readably(fund, folder):
    raw = os.path.join(os.fsencode(folder), b"rapport caf\xe9.txt")
    with open(raw, "wb") as f:
        f.write(FRENCH.encode())
    report = fund.ingest(folder)
    assert report.files[0].status == "indexed"
    assert report.files[0].path.endswith("rapport caf\\xe9.txt")
    report.to_json()  # serialisable
    assert fund.ingest(folder).files[0].status == "unchanged"


def test_hidden_and_office_lock_files_are_skipped(folder):
    text_file(folder / ".DS_Store")
    text_file(folder / "~$rapport.docx")
    text_file(folder / "visible.txt")
    assert [p.name for p, _ in walk([folder])] == ["visible.txt"]


def test_windows_1252_text_is_decoded(fund, folder):
    text_file(
        folder / "ancien.txt", "Cœur de ville : l’été des quartiers, « bilan » 2009.", "cp1252"
    )
    report = fund.ingest(folder)
    assert "Cœur de ville : l’été" in fund.catalogue.text(report.files[0].id)


def test_the_pool_reads_files_on_several_processes(instance, folder):
    for n in range(6):
        pdf(folder / f"doc{n}.pdf", f"Rapport numéro {n} sur la santé", pages=2)
    fund = Fund(instance)
    report = fund.ingest(folder, jobs=2)
    assert report.counts["indexed"] == 6
    assert fund.search("santé").total == 6
    fund.close()


def test_records_are_numbered_in_file_order_whichever_worker_finishes_first(instance, folder):
    """The same folder indexed twice gives the same record numbers: the first file, long to
    read, is still record 1 although the short ones after it are read sooner."""
    pdf(folder / "a-long.pdf", "Rapport sur la santé des quartiers " * 40, pages=60)
    for n in range(7):
        text_file(folder / f"b{n}.txt", f"Note numéro {n} sur la santé")
    fund = Fund(instance)
    report = fund.ingest(folder, jobs=2)
    fund.close()
    names = [Path(f.path).name for f in report.files]
    assert names == sorted(names)  # reported in file order too
    ids = [f.id for f in report.files]
    assert ids == sorted(ids) and len(set(ids)) == 8


def test_originals_are_copied_into_the_store_by_content(fund, folder):
    path = pdf(folder / "r.pdf", "Rapport")
    record = fund.catalogue.get(fund.ingest(path).files[0].id)
    stored = fund.store.path(record.file)
    assert stored.read_bytes() == path.read_bytes()
    assert stored.name.startswith(sha256_of(path))
    path.unlink()
    assert stored.exists()  # the fund does not depend on the source folder
