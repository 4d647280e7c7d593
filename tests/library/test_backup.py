"""Backups: one zip taken while the fund is in use, restored into a working instance."""

from __future__ import annotations

import json
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.files import make_pdf, make_txt
from library import Catalogue, Record
from library.backup import BackupError, create_backup, restore_backup
from library.loans import Loans
from library.users import ScryptCost, Users
from webapp.cli import cli

QUERIES = ("médiation", "quartier", "gestion urbaine", "")


def fonds(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def fund(tmp_path, instance):
    """An instance with indexed files, paper holdings, a borrower with a loan and an account."""
    docs = tmp_path / "documents"
    docs.mkdir()
    make_pdf(
        docs / "gup.pdf",
        "La gestion urbaine de proximité du quartier Dillon associe les "
        "habitants, le bailleur et la ville.",
        title="Charte de gestion urbaine de proximité",
    )
    make_txt(
        docs / "mediation.txt",
        "Les médiateurs sociaux du quartier de Trénelle rencontrent les familles chaque semaine.",
    )
    (docs / "vocabulary-note.md").write_text(
        "# Note\n\nLes adultes-relais et la médiation.", encoding="utf-8"
    )
    assert fonds("--instance", str(instance), "index", str(docs)).exit_code == 0
    csv = tmp_path / "catalogue.csv"
    csv.write_text(
        "titre;annee;support;code_barres;cote\n"
        "Guide de la médiation sociale;2010;papier;CRPV0001|CRPV0002;361 MED\n"
        "Actes du colloque réussite éducative;2009;papier;CRPV0003;370 ACT\n",
        encoding="utf-8",
    )
    assert fonds("--instance", str(instance), "import", str(csv)).exit_code == 0
    (instance / "config.py").write_text("LOAN_DAYS = 28\n", encoding="utf-8")
    with Catalogue.in_instance(instance) as cat:
        desk = Loans(cat)
        marie = desk.add_borrower("Marie Joseph", email="marie@exemple.fr")
        desk.check_out("CRPV0001", marie.id, today=date(2013, 3, 4))
        Users(cat, cost=ScryptCost(n=2**10)).add("documentaliste", "un mot de passe sûr")
    return instance


def search(instance: Path, q: str) -> dict:
    result = fonds("--instance", str(instance), "search", q, "--json", "--limit", "50")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    return {
        "total": data["total"],
        "ids": [h["id"] for h in data["hits"]],
        "facets": data["facets"],
    }


def test_a_restored_instance_passes_check_and_serves_the_same_results(fund, tmp_path):
    """GIVEN a fund in use, WHEN it is backed up then restored elsewhere, THEN the copy passes
    `fonds check` and answers every search exactly as the original does."""
    archive = tmp_path / "sauvegarde.zip"
    made = fonds("--instance", str(fund), "backup", str(archive))
    assert made.exit_code == 0, made.output
    assert "sauvegarde écrite" in made.output
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
    assert "catalogue.sqlite3" in names and "config.py" in names
    assert not any(n.startswith("index/") or n == "secret_key" for n in names)

    target = tmp_path / "restauree"
    restored = fonds("restore", str(archive), "--instance", str(target))
    assert restored.exit_code == 0, restored.output
    assert fonds("--instance", str(target), "check").exit_code == 0
    for q in QUERIES:
        assert search(target, q) == search(fund, q), q
    with Catalogue.in_instance(target) as cat:
        assert [x.barcode for x in Loans(cat).active_loans()] == ["CRPV0001"]
        assert Users(cat).authenticate("documentaliste", "un mot de passe sûr") is not None
    assert (target / "config.py").read_text(encoding="utf-8") == "LOAN_DAYS = 28\n"


def test_restore_refuses_a_non_empty_instance_unless_forced(fund, tmp_path):
    archive = tmp_path / "sauvegarde.zip"
    create_backup(fund, archive)
    refused = fonds("restore", str(archive), "--instance", str(fund))
    assert (
        refused.exit_code == 1
        and "n'est pas vide" in refused.output
        and "--force" in refused.output
    )
    with Catalogue.in_instance(fund) as cat:
        cat.add(Record(title="Notice saisie après la sauvegarde"))
    forced = fonds("restore", str(archive), "--instance", str(fund), "--force")
    assert forced.exit_code == 0, forced.output
    with Catalogue.in_instance(fund) as cat:
        titles = {cat.get(i).title for i in cat.ids()}
    assert "Notice saisie après la sauvegarde" not in titles
    assert fonds("--instance", str(fund), "check").exit_code == 0


def _rewrite(archive: Path, out: Path, change) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            change(dst, info.filename, src.read(info.filename))


def test_a_tampered_or_hostile_archive_is_refused_and_nothing_is_written(fund, tmp_path):
    archive = tmp_path / "sauvegarde.zip"
    create_backup(fund, archive)
    tampered = tmp_path / "alteree.zip"
    _rewrite(
        archive,
        tampered,
        lambda z, name, data: z.writestr(name, data + b"x" if name == "config.py" else data),
    )
    hostile = tmp_path / "hostile.zip"

    def add_escape(z, name, data):  # type: ignore[no-untyped-def]
        z.writestr(name, data)
        if name == "manifest.json":
            z.writestr("../evasion.py", b"print('hors du dossier')")

    _rewrite(archive, hostile, add_escape)
    for bad, reason in ((tampered, "damaged-member"), (hostile, "unexpected-member")):
        target = tmp_path / f"cible-{bad.stem}"
        with pytest.raises(BackupError) as refused:
            restore_backup(bad, target)
        assert refused.value.reason == reason
        assert not target.exists() or list(target.iterdir()) == []
    assert not (tmp_path / "evasion.py").exists()
    not_zip = tmp_path / "pas-une-sauvegarde.zip"
    not_zip.write_bytes(b"bonjour")
    result = fonds("restore", str(not_zip), "--instance", str(tmp_path / "x"))
    assert result.exit_code == 1 and "n'est pas une sauvegarde Fonds" in result.output


def test_a_backup_taken_while_the_catalogue_is_written_is_consistent(fund, tmp_path):
    """GIVEN another connection adding records as fast as it can, WHEN backups are taken
    meanwhile, THEN each snapshot is a consistent state that restores and passes check."""
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        with Catalogue.in_instance(fund) as cat:
            n = 0
            while not stop.is_set():
                n += 1
                written.append(
                    cat.add(Record(title=f"Notice concurrente {n}"), text="texte").id or 0
                )

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        reports = [create_backup(fund, tmp_path / f"pendant-{i}.zip") for i in range(3)]
    finally:
        stop.set()
        thread.join()
    assert written, "the writer made no record while the backups ran"
    last = tmp_path / "restauree"
    restored = fonds("restore", str(reports[-1].path), "--instance", str(last))
    assert restored.exit_code == 0, restored.output
    with Catalogue.in_instance(last) as cat:
        assert cat.count(include_deleted=True) == reports[-1].records


def test_backup_needs_a_catalogue(tmp_path):
    result = fonds("--instance", str(tmp_path / "vide"), "backup", str(tmp_path / "b.zip"))
    assert result.exit_code == 3


def test_what_the_tagger_learnt_is_backed_up_and_restored(fund, tmp_path):
    model = '{"format": "fonds-tagging-model/1"}\n'
    (fund / "tagging-model.json").write_text(model, encoding="utf-8")
    archive = tmp_path / "sauvegarde.zip"
    assert fonds("--instance", str(fund), "backup", str(archive)).exit_code == 0
    target = tmp_path / "restauree"
    assert fonds("restore", str(archive), "--instance", str(target)).exit_code == 0
    assert (target / "tagging-model.json").read_text(encoding="utf-8") == model


def test_restore_never_reports_success_when_its_check_fails(fund, tmp_path, monkeypatch):
    """GIVEN a restore whose index rebuild goes wrong (here: leaves the index empty, as a
    defective rebuild would), THEN the check that ends every restore finds it and the command
    fails with the problems and the way to repair, never saying the instance is restored."""
    archive = tmp_path / "sauvegarde.zip"
    assert fonds("--instance", str(fund), "backup", str(archive)).exit_code == 0
    monkeypatch.setattr("indexer.consistency.rebuild_index", lambda catalogue, index: None)
    target = tmp_path / "restauree"
    restored = CliRunner().invoke(cli, ["restore", str(archive), "--instance", str(target)])
    assert restored.exit_code != 0
    assert "instance restaurée" not in restored.output
    assert "absentes de l'index" in restored.output
    assert "check --repair" in restored.output
    # and the repair it points to does mend the instance
    assert fonds("--instance", str(target), "check", "--repair").exit_code == 0
    assert fonds("--instance", str(target), "check").exit_code == 0
