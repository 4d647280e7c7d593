"""The documentation cannot drift from the code: the configuration table lists every key of
`DEFAULTS` with its default, and every link between the pages lands on a page and a heading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from webapp.config import DEFAULTS

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def configuration_table() -> dict[str, str]:
    """{key: default cell} of docs/configuration.md's table."""
    rows = {}
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    for match in re.finditer(r"^\| `([A-Z0-9_]+)` \| (.*?) \|", text, re.M):
        rows[match.group(1)] = match.group(2)
    return rows


def test_every_configuration_key_is_documented_and_every_documented_key_exists():
    table = configuration_table()
    assert sorted(set(DEFAULTS) - set(table)) == [], "keys missing from docs/configuration.md"
    assert sorted(set(table) - set(DEFAULTS)) == [], "documented keys that do not exist"


@pytest.mark.parametrize("key", sorted(DEFAULTS))
def test_the_documented_default_is_the_real_one(key):
    default, cell = DEFAULTS[key], configuration_table().get(key, "")
    if isinstance(default, bool) or default is None:
        assert f"`{default}`" in cell
    elif isinstance(default, int | float):
        assert str(default) in cell.replace(" ", "")
    elif isinstance(default, str):
        assert (f"`{default}`" if default else '`""`') in cell
    elif isinstance(default, dict):
        assert all(f"`{name}`" in cell for name in default) or (not default and "`{}`" in cell)


def anchors(page: Path) -> set[str]:
    found = set()
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            found.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_between_pages_land_on_a_heading(page):
    text = page.read_text(encoding="utf-8")
    for target, anchor in re.findall(r"\]\(([\w./-]*\.md)?(?:#([\w-]+))?\)", text):
        if not target and not anchor:
            continue
        linked = (page.parent / target).resolve() if target else page
        assert linked.is_file(), f"{page.name}: link to missing {target}"
        if anchor:
            assert anchor in anchors(linked), f"{page.name}: no heading #{anchor} in {linked.name}"
