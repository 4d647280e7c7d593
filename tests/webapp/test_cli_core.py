"""The CLI contract other tools rely on: commands, exit codes and --json shapes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from corpus.files import Heading, write_pdf
from indexer.search import SearchIndex, catalogue_documents
from library import Catalogue
from webapp.cli import COMMAND_MODULES, cli, main

REPO = Path(__file__).resolve().parents[2]
BAD_ROWS = REPO / "tests" / "data" / "catalogue-bad-rows.csv"


@pytest.fixture
def run(instance):
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(
            cli, ["--instance", str(instance), *args], input=input, catch_exceptions=False
        )

    return invoke


@pytest.fixture
def documents(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    write_pdf(
        folder / "gup.pdf",
        [
            Heading("Charte de gestion urbaine de proximité", 0),
            "La gestion urbaine de proximité du quartier Dillon associe les habitants, "
            "le bailleur et la ville autour de la propreté et des espaces extérieurs.",
        ],
        title="Charte de gestion urbaine de proximité",
        author="Ville de Fort-de-France",
    )
    (folder / "note.txt").write_text(
        "Note sur la réussite éducative : le programme accompagne les enfants et leurs parents "
        "dans les quartiers prioritaires du Lamentin.",
        encoding="utf-8",
    )
    (folder / "casse.pdf").write_bytes(b"%PDF-1.7\n1 0 obj garbage")
    return folder


def test_index_json_reports_every_file(run, documents):
    result = run("index", str(documents), "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data) == {"files", "counts"}
    assert data["counts"] == {"indexed": 2, "unchanged": 0, "empty": 0, "failed": 1, "total": 3}
    for entry in data["files"]:
        assert set(entry) == {"path", "status", "reason", "id"}
    failed = next(f for f in data["files"] if f["status"] == "failed")
    assert failed["reason"] and failed["id"] is None


def test_index_prints_a_french_summary(run, documents):
    result = run("index", str(documents))
    assert result.exit_code == 0
    assert "3 fichiers : 2 indexés, 0 inchangés, 0 vides (à océriser), 1 en échec" in result.output
    assert "casse.pdf" in result.output


def test_search_json_shape(run, documents):
    run("index", str(documents))
    result = run("search", "gestion urbaine", "--json")
    data = json.loads(result.output)
    assert data["total"] == 1
    hit = data["hits"][0]
    assert {
        "id",
        "title",
        "authors",
        "year",
        "type",
        "support",
        "language",
        "themes",
        "snippet",
        "score",
    } <= set(hit)
    assert hit["title"] == "Charte de gestion urbaine de proximité"
    assert set(data["facets"]) >= {"theme", "type", "support", "year", "language", "author"}
    for values in data["facets"].values():
        for value in values:
            assert {"value", "label", "count"} <= set(value)


def test_search_says_how_it_read_the_query(run, documents):
    """`fonds search` says what /api/search says of the query: the spelling it proposes, the
    words it was taken for, the parser's repairs."""
    run("index", str(documents))
    data = json.loads(run("search", "gestion urbaine", "--json").output)
    assert data["suggestion"] is None and not data["corrected"] and not data["relaxed"]
    assert data["concepts"] == [] and data["concept_terms"] == [] and data["related"] == []
    assert data["messages"] == []
    typo = json.loads(run("search", "gestoin", "urbaine", "--json").output)
    assert typo["suggestion"] == "gestion urbaine"
    repaired = json.loads(run("search", '"gestion urbaine', "--json").output)
    assert repaired["total"] == 1  # the unbalanced quote repaired, and said in French:
    assert repaired["messages"] == ["Guillemet non fermé : il a été ignoré."]


def test_search_prints_the_documents_holding_part_of_the_words_apart(run, documents):
    run("index", str(documents))
    data = json.loads(run("search", "quartier", "Dillon", "--json").output)
    assert data["complete"] == 1 and data["total"] == 2
    assert [h["partial"] for h in data["hits"]] == [False, True]
    text = run("search", "quartier", "Dillon").output.splitlines()
    assert "1 document avec tous les mots, 1 avec une partie seulement (à la suite)." in text
    rule = text.index("— Documents qui contiennent une partie des mots —")
    assert text[rule - 1].startswith("   ") and text[rule + 1].startswith("2. ")


def test_search_without_query_browses_everything(run, documents):
    run("index", str(documents))
    data = json.loads(run("search", "--json").output)
    assert data["total"] == 2


def test_show_json_shape(run, documents):
    report = json.loads(run("index", str(documents), "--json").output)
    record_id = next(f["id"] for f in report["files"] if f["path"].endswith("gup.pdf"))
    data = json.loads(run("show", str(record_id), "--json").output)
    assert data["id"] == record_id and data["title"].startswith("Charte")
    assert isinstance(data["themes"], list) and isinstance(data["copies"], list)
    for theme in data["themes"]:
        assert set(theme) >= {"slug", "label", "score", "source", "evidence"}
    scores = [t["score"] for t in data["themes"] if t["source"] == "auto"]
    assert scores == sorted(scores, reverse=True)
    assert run("show", "9999").exit_code == 1


def test_stats_json_shape(run, documents):
    run("index", str(documents))
    data = json.loads(run("stats", "--json").output)
    assert set(data) == {"live", "deleted", "by_support", "by_type", "by_theme", "by_language"}
    assert data["live"] == 2 and data["by_support"] == {"electronique": 2}


def test_commands_on_a_missing_instance_say_so(run):
    result = run("search", "x")
    assert result.exit_code == 3
    assert "fonds index" in result.output


def test_import_reports_bad_rows_with_their_line_and_imports_the_rest(run):
    result = run("import", str(BAD_ROWS))
    assert result.exit_code == 0
    assert "10 notices créées" in result.output
    for line in (5, 9, 12):
        assert f"ligne {line} en erreur" in result.output
    again = run("import", str(BAD_ROWS), "--json")
    data = json.loads(again.output)
    assert data["created"] == 0 and data["skipped"] == 10  # re-importing creates no duplicate


def test_import_dry_run_changes_nothing(run, documents):
    run("index", str(documents))
    data = json.loads(run("import", str(BAD_ROWS), "--dry-run", "--json").output)
    assert data["dry_run"] and data["created"] == 10
    assert json.loads(run("stats", "--json").output)["live"] == 2


def test_check_passes_on_a_consistent_instance(run, documents):
    run("index", str(documents))
    result = run("check")
    assert result.exit_code == 0 and "cohérent" in result.output


def test_check_catches_an_index_entry_gone_missing_and_repairs_it(run, documents, instance):
    run("index", str(documents))
    with SearchIndex.open(instance / "index") as index:
        index.write(deletions=[1])
    result = run("check")
    assert result.exit_code == 1 and "absentes de l'index" in result.output
    repaired = run("check", "--repair")
    assert repaired.exit_code == 0 and "réparé" in repaired.output
    assert run("check").exit_code == 0


def test_check_catches_a_damaged_stored_file(run, documents, instance):
    run("index", str(documents))
    stored = next((instance / "files").rglob("*.pdf"))
    stored.write_bytes(b"altered")
    result = run("check", "--json")
    data = json.loads(result.output)
    assert result.exit_code == 1 and not data["ok"]
    assert any(p["kind"] == "store-corrupt" for p in data["problems"])
    assert run("check", "--repair").exit_code == 0  # copied back from the original path
    shutil.rmtree(documents)
    stored.unlink()
    assert run("check", "--repair").exit_code == 1  # nothing left to copy it from


def test_reindex_rebuilds_from_the_catalogue_alone(run, documents, instance):
    run("index", str(documents))
    shutil.rmtree(documents)  # the source files are not needed
    result = run("reindex")
    assert result.exit_code == 0 and "2 notices" in result.output
    assert json.loads(run("search", "bailleur", "--json").output)["total"] == 1


def test_an_index_held_by_another_writer_gives_exit_code_4_and_keeps_the_catalogue(
    run, documents, instance, tmp_path, monkeypatch
):
    import threading
    import time

    from library import Catalogue

    run("index", str(documents))
    busy = threading.Event()

    def slow_documents(ids):
        busy.set()
        time.sleep(4)
        yield from ()

    with SearchIndex.open(instance / "index") as holder:
        # another process's long commit holds the one index writer
        blocker = threading.Thread(target=holder.sync, args=({999: (1, False)}, slow_documents))
        blocker.start()
        busy.wait()
        monkeypatch.setenv("FONDS_INDEX_WRITE_TIMEOUT", "0.5")
        csv = tmp_path / "un.csv"
        csv.write_text("titre;annee\nGuide de la médiation sociale;2010\n", encoding="utf-8")
        result = run("import", str(csv))
        blocker.join()
    assert result.exit_code == 4
    assert "l'index est occupé" in result.output
    with Catalogue.in_instance(instance) as catalogue:
        assert catalogue.count() == 3  # the import itself is kept
    assert run("check", "--repair").exit_code == 0
    assert json.loads(run("search", "médiation", "--json").output)["total"] == 1


def _commands(command, path=("fonds",)):
    yield path, command
    if isinstance(command, click.Group):  # as Click finds them (each loaded when asked for)
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            yield from _commands(command.get_command(ctx, name), (*path, name))


def test_every_command_module_is_a_command_under_its_own_name():
    """The commands are loaded when asked for: a module left out of the list is no command."""
    modules = {
        path.stem
        for path in (REPO / "webapp" / "cli").glob("*.py")
        if re.search(r"^def command\(", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert set(COMMAND_MODULES.values()) == modules
    ctx = click.Context(cli)
    for name in COMMAND_MODULES:
        assert cli.get_command(ctx, name).name == name


def test_starting_fonds_loads_no_command_but_the_one_it_runs():
    """`fonds import` used to import every command, and with `check` the OCR, every text
    extractor and their libraries (half a second before any work)."""
    import subprocess
    import sys

    probe = (
        "import sys; from webapp.cli import main; sys.argv = ['fonds', 'import', '--help'];"
        "\ntry: main()\nexcept SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('webapp.cli.', 'indexer.ocr',"
        " 'indexer.extractors', 'pypdf', 'docx'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    )
    loaded = done.stdout.strip().splitlines()[-1]
    assert loaded == "['webapp.cli.env', 'webapp.cli.importer', 'webapp.cli.messages']"


_ENGLISH = re.compile(r"\b(the|of|and|with|when|from|without|records?|files?)\b")


@pytest.mark.parametrize("path", [p for p, _ in _commands(cli)], ids=" ".join)
def test_every_command_and_option_is_explained_in_french(path):
    command = dict(_commands(cli))[path]
    texts = [command.help or ""]
    texts += [p.help or "" for p in command.params if isinstance(p, click.Option)]
    assert all(text.strip() for text in texts), f"{' '.join(path)}: help missing"
    for text in texts:
        assert not _ENGLISH.search(text), text
    page = CliRunner().invoke(cli, [*path[1:], "--help"]).output
    assert page.startswith("Utilisation : ") and "Afficher cette aide et quitter." in page
    # Click's own words too: defaults, required options, value types, the usage line.
    assert not re.search(r"default: |\brequired\b|ARGS", page)
    assert not re.search(r"--\S+ (INTEGER|FLOAT|TEXT|FILE|DIRECTORY|PATH)\b", page)


def test_check_reports_the_segments_index_and_reindex_leave_one(run, documents, instance):
    run("index", str(documents))
    data = json.loads(run("check", "--json").output)
    assert data["segments"] == 1
    catalogue = Catalogue.in_instance(instance)
    documents_of = catalogue_documents(catalogue)
    with SearchIndex.open(instance / "index") as index:  # two saves: two more segments
        index.write(documents_of([1]))
        index.write(documents_of([2]))
    catalogue.close()
    assert "index : 3 segments" in run("check").output
    assert run("reindex").exit_code == 0
    assert json.loads(run("check", "--json").output)["segments"] == 1


def test_check_hands_up_codes_and_the_cli_words_them(run, documents, instance):
    """The consistency check composes no sentence: a kind and its facts, French at the edge."""
    from indexer.consistency import check
    from library.store import FileStore
    from webapp.cli.env import Env

    run("index", str(documents))
    with SearchIndex.open(instance / "index") as index:
        index.write(deletions=[1])
    env = Env(instance)
    try:
        problems = check(env.catalogue(), env.index(sync=False), FileStore(env.paths.store_dir))
    finally:
        env.close()
    assert [(p.kind, dict(p.params)) for p in problems] == [("index-missing", {"ids": [1]})]
    data = json.loads(run("check", "--json").output)
    assert data["problems"] == [
        {"kind": "index-missing", "message": "1 notices absentes de l'index : 1"}
    ]
    repaired = json.loads(run("check", "--repair", "--json").output)
    assert repaired["ok"] and repaired["repaired"] == [
        "index mis à jour (1 notices indexées, 0 retirées)"
    ]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["show"], "fonds: argument manquant : NOTICE"),
        (["show", "--frob"], "fonds: option inconnue : --frob"),
        (["show", "1", "2"], "fonds: argument en trop : 2"),
        (["search", "--sort", "foo"], "fonds: valeur invalide pour --sort : « foo » n'est pas"),
        (["tags", "evaluate", "--folds", "1"], "1 est hors de l'intervalle x>=2"),
        (["tags", "evaluate", "--folds"], "fonds: l'option --folds attend une valeur"),
        (["borrower", "add"], "fonds: option manquante : --name"),
        (["nosuch"], "fonds: commande inconnue : nosuch"),
    ],
)
def test_a_command_line_fonds_cannot_read_is_refused_in_french(
    args, said, monkeypatch, capsys, tmp_path
):
    monkeypatch.setattr("sys.argv", ["fonds", "--instance", str(tmp_path / "i"), *args])
    with pytest.raises(SystemExit) as exited:
        main()
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert said in err
    if "attend une valeur" not in said:  # click names no command for an option left empty
        assert err.startswith("Utilisation : fonds") and "--help »" in err
    assert not re.search(r"Error|Missing|No such|is not|Try ", err)
