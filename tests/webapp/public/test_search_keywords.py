"""A record found by its keywords alone says so: its snippet (the start of its abstract) holds
no match, so the keywords the query matched are shown, marked, under it."""

from __future__ import annotations

from pathlib import Path

from library import Catalogue, Record

from .fund import make_app


def _app(root: Path):  # type: ignore[no-untyped-def]
    with Catalogue.in_instance(root) as catalogue:
        catalogue.add(
            Record(
                title="Évaluation nationale des contrats urbains de cohésion sociale",
                abstract="Ce rapport rassemble les enseignements de trois cents évaluations.",
                keywords=("CUCS", "contrat de ville", "programmation"),
                language="fr",
            )
        )
        catalogue.add(
            Record(
                title="Les contrats de ville en outre-mer",
                abstract="Le bilan des contrats de ville conclus dans les départements.",
                keywords=("contrat de ville", "<b>outre-mer</b>"),
                language="fr",
            )
        )
    return make_app(root)


def test_a_record_found_by_its_keywords_shows_them_marked(tmp_path: Path) -> None:
    client = _app(tmp_path / "instance").test_client()
    hits = client.get("/api/search?q=%22contrat+de+ville%22").get_json()["hits"]
    by_title = {h["title"]: h for h in hits}
    found_by_keywords = by_title["Évaluation nationale des contrats urbains de cohésion sociale"]
    assert found_by_keywords["highlights"] == []  # its abstract does not say it
    assert found_by_keywords["matched_keywords"] == [
        {"keyword": "contrat de ville", "highlights": [[0, 16]]}
    ]
    # a record whose snippet shows the match needs no more
    assert by_title["Les contrats de ville en outre-mer"]["matched_keywords"] == []

    html = client.get("/?q=%22contrat+de+ville%22").get_data(as_text=True)
    assert '<p class="hit-keywords">Mots-clés : <mark>contrat de ville</mark></p>' in html


def test_matched_keywords_are_escaped(tmp_path: Path) -> None:
    client = _app(tmp_path / "instance").test_client()
    html = client.get("/?q=outre-mer").get_data(as_text=True)
    assert "<b>outre-mer</b>" not in html
    assert "Mots-clés : &lt;b&gt;<mark>outre-mer</mark>&lt;/b&gt;</p>" in html
    hits = client.get("/api/search?q=programmation").get_json()["hits"]
    assert [h["matched_keywords"] for h in hits] == [
        [{"keyword": "programmation", "highlights": [[0, 13]]}]
    ]
