"""`fonds autorites`: list, merge and rename authorities from the command line, audited, the
index brought up to date, refusals in one French line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from library import Author, Catalogue, Record
from library.audit import entries
from webapp.cli import cli


@pytest.fixture
def run(instance):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--instance", str(instance), *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def fund(instance):
    with Catalogue.in_instance(instance) as cat:
        cat.add(Record("Kaz créole", authors=(Author("Daniel, Justin"),), publisher="Ibis Rouge"))
        cat.add(Record("Ville créole", authors=(Author("DANIEL, J."),)))


def ids(run, *args: str) -> dict[str, int]:
    listed = json.loads(run("autorites", "liste", "--json", *args).output)
    return {a["forme_retenue"]: a["id"] for a in listed}


def test_list_merge_and_rename(run, fund, instance):
    people = json.loads(run("autorites", "liste", "--type", "personne", "--json").output)
    assert [(a["forme_retenue"], a["notices"]) for a in people] == [
        ("DANIEL, J.", 1),
        ("Daniel, Justin", 1),
    ]
    assert "Ibis Rouge" in run("autorites", "liste").output
    found = ids(run, "--type", "personne")

    merged = run("autorites", "fusionner", str(found["DANIEL, J."]), str(found["Daniel, Justin"]))
    assert merged.exit_code == 0
    # both records change: one shows the merged form, both carry the new variant
    assert "« DANIEL, J. » fusionnée dans « Daniel, Justin » : 2 notice(s)" in merged.output

    renamed = run("autorites", "renommer", str(found["Daniel, Justin"]), "Daniel-Rosier, Justin")
    assert renamed.exit_code == 0 and "2 notice(s)" in renamed.output
    hits = json.loads(run("search", "Rosier", "--json").output)
    assert hits["total"] == 2
    with Catalogue.in_instance(instance) as cat:
        assert {a.name for i in cat.ids() for a in cat.get(i).authors} == {"Daniel-Rosier, Justin"}
        actions = [e.action for e in entries(cat, target_type="authority")[0]]
    assert actions == ["authority.rename", "authority.merge"]
    listed = json.loads(run("autorites", "liste", "daniel j", "--json").output)
    assert listed[0]["formes_rejetees"] == ["DANIEL, J.", "Daniel, Justin"]


def test_refusals_are_one_french_line(run, fund):
    found = ids(run, "--type", "personne")
    justin = str(found["Daniel, Justin"])
    itself = run("autorites", "fusionner", justin, justin)
    assert itself.exit_code != 0 and "elle-même" in itself.output
    missing = run("autorites", "renommer", "999", "X")
    assert missing.exit_code != 0 and "pas d'autorité n° 999" in missing.output
    taken = run("autorites", "renommer", justin, "daniel j")
    assert taken.exit_code != 0 and "fusionnez plutôt" in taken.output
    assert "Traceback" not in itself.output + missing.output + taken.output


def test_an_author_filter_typed_with_a_variant_finds_the_authors_records(run, fund):
    found = ids(run, "--type", "personne")
    run("autorites", "fusionner", str(found["DANIEL, J."]), str(found["Daniel, Justin"]))
    for typed in ("Daniel, Justin", "DANIEL, J.", "daniel justin"):
        hits = json.loads(run("search", "--author", typed, "--json").output)
        assert sorted(h["title"] for h in hits["hits"]) == ["Kaz créole", "Ville créole"], typed
    # a name no authority knows is searched as typed: nothing, and no error
    assert json.loads(run("search", "--author", "Inconnu, X.", "--json").output)["total"] == 0
