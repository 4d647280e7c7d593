"""Every whole-fund operation at the fund's real size, as a user runs it from the shell.

The sample fund (183 records) hid a defect that duplicated 1,600 of 2,000 records at each
rebuild. Here the fund holds more than 2,000 records, and the index is written in commits of
at most 97 documents (an odd size, far below the default), so that every operation crosses
many batch boundaries: index, import, reindex, check and repair, retag, backup and restore,
export, and an OAI-PMH harvest of everything."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from corpus.synth.fund import CATALOGUE_COLUMNS, catalogue_row
from corpus.synth.records import generate_records
from indexer.search import SearchIndex
from indexer.search.service import catalogue_documents
from indexer.search.store import _fields
from library import Catalogue, Support

pytestmark = pytest.mark.slow

SMALL_BATCHES = {
    "FONDS_INDEX_BATCH_MAX": "97",
    "FONDS_INDEX_BATCH_SECONDS": "0.5",
    "FONDS_OAI_PAGE_SIZE": "150",
}
OAI = "{http://www.openarchives.org/OAI/2.0/}"


def fonds(instance: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("fonds")
    base = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from webapp.cli import main; main()"]
    )
    done = subprocess.run(
        [*base, "--instance", str(instance), *args],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **SMALL_BATCHES},
    )
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def as_json(done: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(done.stdout)


def write_paper_rows(path: Path, documents: int, seed: int) -> int:
    """A holdings spreadsheet of the paper half of a synthetic fund (no files rendered)."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, CATALOGUE_COLUMNS, delimiter=";", lineterminator="\n")
        writer.writeheader()
        for document in generate_records(documents, seed):
            if document.support is Support.PAPIER:
                writer.writerow(catalogue_row(document))
                rows += 1
    return rows


def hits(instance: Path, query: str) -> dict:
    return as_json(fonds(instance, "search", query, "--json", "--limit", "5"))


@pytest.fixture(scope="module")
def fund(tmp_path_factory) -> Path:
    """An instance of more than 2,000 records built the way a new user builds one."""
    base = tmp_path_factory.mktemp("whole-fund")
    fonds(base / "unused", "corpus", "generate", "--documents", "200", str(base / "fund"))
    write_paper_rows(base / "more.csv", 4600, seed=11)
    instance = base / "instance"
    fonds(instance, "index", str(base / "fund" / "documents"))
    fonds(instance, "import", str(base / "fund" / "catalogue.csv"))
    fonds(instance, "import", str(base / "more.csv"))
    return instance


def live_count(instance: Path) -> int:
    return as_json(fonds(instance, "stats", "--json"))["live"]


def test_the_fund_is_large_and_consistent_after_index_and_imports(fund):
    assert live_count(fund) >= 2000
    report = as_json(fonds(fund, "check", "--json"))
    assert report["ok"], report["problems"]


def test_reindex_writes_each_record_once_and_search_answers_the_same(fund):
    live = live_count(fund)
    before = hits(fund, "médiation sociale")
    done = fonds(fund, "reindex")
    assert f"{live} notices" in done.stdout
    assert as_json(fonds(fund, "check", "--json"))["ok"]
    after = hits(fund, "médiation sociale")
    assert after["total"] == before["total"]
    ids = [hit["id"] for hit in after["hits"]]
    assert len(ids) == len(set(ids)) == 5


def test_check_finds_records_indexed_twice_and_repair_mends_them(fund):
    # The old defect's damage, done by hand: some records added to the index a second time.
    catalogue = Catalogue.in_instance(fund)
    some = sorted(catalogue.ids())[:3]
    with SearchIndex.open(fund / "index") as index:
        writer = index._require_ix().writer()  # Whoosh's own, adding without replacing
        for doc in catalogue_documents(catalogue)(some):
            writer.add_document(**_fields(doc))
        writer.commit()
        assert sorted(index.duplicate_ids()) == some
    catalogue.close()
    found = as_json(fonds(fund, "check", "--json", check=False))
    assert not found["ok"]
    assert "index-duplicate" in {p["kind"] for p in found["problems"]}
    repaired = as_json(fonds(fund, "check", "--repair", "--json"))
    assert repaired["ok"] and repaired["repaired"]
    assert as_json(fonds(fund, "check", "--json"))["ok"]


def test_retag_of_the_whole_fund_keeps_the_index_consistent(fund):
    live = live_count(fund)
    report = as_json(fonds(fund, "retag", "--all", "--json"))
    assert report["retagged"] == live
    assert as_json(fonds(fund, "check", "--json"))["ok"]


def test_backup_then_restore_gives_the_same_search(fund, tmp_path):
    archive = tmp_path / "fonds.zip"
    fonds(fund, "backup", str(archive))
    restored = tmp_path / "restored"
    done = fonds(restored, "restore", str(archive))
    assert "instance restaurée" in done.stdout
    assert live_count(restored) == live_count(fund)
    assert as_json(fonds(restored, "check", "--json"))["ok"]
    original, copy = hits(fund, "médiation sociale"), hits(restored, "médiation sociale")
    assert copy["total"] == original["total"]
    assert [h["id"] for h in copy["hits"]] == [h["id"] for h in original["hits"]]


def test_export_of_the_whole_fund_holds_every_record_once(fund, tmp_path):
    live = live_count(fund)
    out = tmp_path / "fonds.csv"
    fonds(fund, "export", "--format", "csv", "--output", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len(rows) == live
    out = tmp_path / "fonds.json"
    fonds(fund, "export", "--format", "json", "--output", str(out))
    exported = json.loads(out.read_text(encoding="utf-8"))
    records = exported["records"] if isinstance(exported, dict) else exported
    assert len({r["id"] for r in records}) == len(records) == live


def test_an_oai_harvest_of_everything_returns_each_record_once(fund):
    from webapp import create_app

    app = create_app({"OAI_PAGE_SIZE": 150, "TESTING": True}, instance_path=fund)
    client = app.test_client()
    identifiers: list[str] = []
    params = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
    pages = 0
    while True:
        root = etree.fromstring(client.get("/oai", query_string=params).data)
        headers = root.findall(f"{OAI}ListIdentifiers/{OAI}header")
        identifiers += [
            h.findtext(f"{OAI}identifier") for h in headers if h.get("status") != "deleted"
        ]
        pages += 1
        token = root.find(f"{OAI}ListIdentifiers/{OAI}resumptionToken")
        if token is None or not (token.text or "").strip():
            break
        params = {"verb": "ListIdentifiers", "resumptionToken": token.text}
    assert pages > 10
    assert len(identifiers) == len(set(identifiers)) == live_count(fund)
