"""The real-world files of ../shared/realworld through the whole pipeline: each gives what its
manifest says — text that search then finds, nothing (flagged to OCR), or a clear failure."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from indexer.search import Finder, SearchIndex, SearchRequest
from library import Catalogue
from webapp.cli import cli


@pytest.mark.slow
def test_every_realworld_file_gives_what_its_manifest_says(realworld_dir, instance):
    # GIVEN the real-world corpus and its manifest
    with open(realworld_dir / "MANIFEST.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # WHEN the whole folder is indexed
    result = CliRunner().invoke(
        cli,
        ["--instance", str(instance), "index", str(realworld_dir), "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    report = {entry["path"]: entry for entry in json.loads(result.output)["files"]}
    # THEN each file has the status its manifest expects, and its known text is searchable
    with (
        Catalogue.in_instance(instance) as catalogue,
        SearchIndex.open(instance / "index") as index,
    ):
        finder = Finder(catalogue, index)
        for row in rows:
            entry = report[str(realworld_dir / row["file"])]
            expected = {"text": "indexed", "empty": "empty", "error": "failed"}[row["expect"]]
            assert entry["status"] == expected, (row["file"], entry)
            if row["expect"] == "error":
                assert entry["reason"] and "\n" not in entry["reason"]
                continue
            record = catalogue.get(entry["id"])
            assert record.title.strip()
            if row["expect"] == "text":
                assert row["known_text"] in catalogue.text(entry["id"]), row["file"]
                phrase = '"' + row["known_text"].replace('"', " ") + '"'
                found = finder.all_ids(SearchRequest(q=phrase))
                assert entry["id"] in found, (row["file"], row["known_text"])
