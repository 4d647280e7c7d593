"""The layers hold: webapp -> indexer -> library, the engine stays behind its facade, and the
sample funds (corpus) stay beside the product: nothing in it imports them; and the web app
keeps its map: areas (public, workspace, sharing, api) over app-wide modules."""

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


# -- the web app's map: webapp/<area>/ packages of blueprints over app-wide modules ------------

AREAS = ("public", "workspace", "sharing", "api")  # the site's areas, one package each
WEBAPP = REPO / "webapp"


def area_of(path: Path) -> str:
    """The area a webapp module belongs to: an area name, 'cli', or '' for the app-wide ones."""
    parts = path.relative_to(WEBAPP).parts
    return parts[0] if len(parts) > 1 else ""


def webapp_imports(path: Path) -> set[str]:
    """The webapp modules a file imports, relative imports resolved: {'webapp.public.search', …}."""
    package = list(path.relative_to(REPO).parent.parts)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1]
            if node.module:
                found.add(".".join([*base, node.module]))
            else:  # from .. import a, b: each may be a module
                found.update(".".join([*base, alias.name]) for alias in node.names)
    return {name for name in found if name.startswith("webapp.")}


def areas_imported(path: Path) -> set[str]:
    return {name.split(".")[1] for name in webapp_imports(path)} & {*AREAS, "cli"} - {area_of(path)}


def creates_blueprints(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "Blueprint":
                return True
    return False


WEB_FILES = python_files("webapp")


def test_every_area_is_a_package_of_blueprints():
    for area in AREAS:
        modules = sorted((WEBAPP / area).glob("*.py"))
        assert any(creates_blueprints(path) for path in modules), f"webapp/{area}/ has no blueprint"


@pytest.mark.parametrize("path", WEB_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_blueprints_live_only_in_the_area_packages(path):
    if creates_blueprints(path):
        assert area_of(path) in AREAS, (
            "a blueprint belongs in webapp/public, workspace, sharing or api"
        )


@pytest.mark.parametrize("path", WEB_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_public_area_stands_on_the_app_wide_modules_alone(path):
    if area_of(path) == "public":
        assert not areas_imported(path), "the public site must not depend on another area"


@pytest.mark.parametrize("path", WEB_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_nothing_outside_the_workspace_leans_on_it(path):
    if area_of(path) != "workspace" and path != WEBAPP / "__init__.py":
        assert "workspace" not in areas_imported(path)


@pytest.mark.parametrize("path", WEB_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_app_wide_modules_import_no_area_except_the_app_factory(path):
    if area_of(path) == "" and path != WEBAPP / "__init__.py":
        assert not areas_imported(path), "areas depend on the app-wide modules, not the reverse"


@pytest.mark.parametrize("path", WEB_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_only_the_app_factory_registers_template_filters(path):
    if path.name == "__init__.py" and area_of(path) == "":
        return
    source = path.read_text(encoding="utf-8")
    for registration in ("template_filter", "jinja_env.filters"):
        assert registration not in source, "template filters go in webapp/templating.py"


def test_the_layer_reader_sees_the_imports_the_map_forbids():
    """The checks above would pass on a reader that found nothing: make sure it finds them."""
    assert "webapp.public.search" in webapp_imports(WEBAPP / "api" / "endpoints.py")
    assert areas_imported(WEBAPP / "api" / "endpoints.py") == {"public"}
    assert {"workspace", "public", "sharing", "api"} <= areas_imported(WEBAPP / "__init__.py")
    assert creates_blueprints(WEBAPP / "public" / "search.py")
