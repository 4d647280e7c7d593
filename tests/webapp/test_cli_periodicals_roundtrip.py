"""Our own export of a periodical and its articles, imported into an empty instance, keeps
the host link where the format has a place for it (issue 10): the periodical comes back as a
periodical (not twice), each article names its issue and pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from library import Catalogue
from tests.periodicals_fund import CAHIERS_ISSN, cahiers
from webapp.cli import cli

# export name -> import name, for the formats that carry an article's host
CARRY_HOST = {
    "json": "json",
    "ris": "ris",
    "bibtex": "bibtex",
    "csl-json": "csl-json",
    "marcxml": "marcxml",
    "iso2709": "iso2709",
    "marc21": "marc21",
    "marc21xml": "marcxml",
}


@pytest.fixture
def fund(tmp_path) -> Path:
    path = tmp_path / "fonds"
    with Catalogue.in_instance(path) as catalogue:
        cahiers(catalogue)
    return path


def run(instance: Path, *args: str):
    return CliRunner().invoke(cli, ["--instance", str(instance), *args], catch_exceptions=False)


@pytest.mark.parametrize("fmt", sorted(CARRY_HOST))
def test_an_exported_article_comes_back_with_its_periodical_issue_and_pages(fund, tmp_path, fmt):
    exported = tmp_path / "export"
    assert run(fund, "export", "--format", fmt, "-o", str(exported)).exit_code == 0
    empty = tmp_path / "vide"
    result = run(empty, "import", str(exported), "--format", CARRY_HOST[fmt])
    assert result.exit_code == 0, result.output
    assert "3 notices créées" in result.output
    with Catalogue.in_instance(empty) as catalogue:
        (periodical,) = catalogue.periodicals()  # the exported title, not a second one
        assert periodical.title == "Cahiers Ville caraïbe"
        assert periodical.record.issn == CAHIERS_ISSN
        assert catalogue.count() == 3
        (issue,) = catalogue.issues(periodical.id)
        assert issue.number == "3"
        articles = catalogue.articles([issue.id])[issue.id]
        assert [(a.title, a.host.pages) for a in articles] == [
            ("Éditorial : dix ans de politique de la ville", "3-11"),
            ("Habiter les quartiers d'habitat spontané de Fort-de-France", "12-25"),
        ]
