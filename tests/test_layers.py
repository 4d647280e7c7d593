"""The layers hold: webapp -> indexer -> library, the engine stays behind its facade, and the
sample funds (corpus) stay beside the product: nothing in it imports them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name.split(".")[0] for name in found}


def python_files(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


@pytest.mark.parametrize("path", python_files("library"), ids=lambda p: str(p.relative_to(REPO)))
def test_the_catalogue_depends_on_nothing_above_it(path):
    assert not imported_modules(path) & {"indexer", "webapp", "flask", "whoosh"}


@pytest.mark.parametrize("path", python_files("indexer"), ids=lambda p: str(p.relative_to(REPO)))
def test_the_indexer_knows_neither_flask_nor_the_web_app(path):
    modules = imported_modules(path)
    assert not modules & {"webapp", "flask"}
    if "search" not in path.relative_to(REPO / "indexer").parts:
        assert "whoosh" not in modules, "only indexer/search/ may import whoosh"


@pytest.mark.parametrize("path", python_files("webapp"), ids=lambda p: str(p.relative_to(REPO)))
def test_the_web_app_reaches_the_engine_only_through_the_facade(path):
    assert "whoosh" not in imported_modules(path)


@pytest.mark.parametrize(
    "path", python_files("indexer") + python_files("webapp"), ids=lambda p: str(p.relative_to(REPO))
)
def test_only_the_catalogue_speaks_sql(path):
    source = path.read_text(encoding="utf-8")
    assert ".execute(" not in source and "PRAGMA" not in source


@pytest.mark.parametrize(
    "path",
    python_files("library") + python_files("indexer"),
    ids=lambda p: str(p.relative_to(REPO)),
)
def test_the_product_layers_never_import_the_sample_funds(path):
    """corpus/ makes sample files for tests and benchmarks: library and indexer never need it
    (only `fonds corpus` in the web app's CLI calls it)."""
    assert "corpus" not in imported_modules(path)


def test_the_layer_check_sees_an_import_of_the_sample_funds(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from corpus.synth.records import generate_records\nimport corpus.files\n")
    assert imported_modules(module) == {"corpus"}


def test_starting_fonds_does_not_load_rdflib():
    """rdflib (a third of a second) is for the SKOS commands only, not for every `fonds` start."""
    probe = (
        "import sys, webapp.cli; print(sorted(m for m in sys.modules if m.startswith('rdflib')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "[]"
