"""Issue 10 on the public side: the record page shows collection, edition, physical
description and the public note; the internal note never leaves the workspace (page, API,
exports, OAI-PMH)."""

from __future__ import annotations

import json

import pytest

from library import Catalogue, Record, Series, Support

from .fund import make_app

INTERNAL = "Ne pas prêter : exemplaire du directeur"


@pytest.fixture(scope="module")
def rich(tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("rich") / "instance"
    with Catalogue.in_instance(root) as catalogue:
        record = catalogue.add(
            Record(
                title="La ville caribéenne face au risque",
                support=Support.PAPIER,
                year=2011,
                series=(Series("Cahiers Ville caraïbe", "12"), Series("Études urbaines", "")),
                edition="2e édition revue",
                physical_description="312 p. : ill. ; 24 cm",
                public_note="Exemplaire dédicacé <b>par l'auteur</b>.",
                notes=INTERNAL,
                acquired_on="2011-09-01",
            )
        )
    return make_app(root).test_client(), record.id


def test_the_record_page_shows_the_description_and_the_public_note_never_the_internal_one(rich):
    client, record_id = rich
    page = client.get(f"/notice/{record_id}").get_data(as_text=True)
    assert "Cahiers Ville caraïbe ; 12 ; Études urbaines" in page
    assert "2e édition revue" in page and "312 p. : ill. ; 24 cm" in page
    assert "Exemplaire dédicacé &lt;b&gt;par l&#39;auteur&lt;/b&gt;." in page  # escaped
    assert INTERNAL not in page


def test_the_api_gives_the_new_fields_but_not_the_internal_note(rich):
    client, record_id = rich
    data = client.get(f"/api/records/{record_id}").get_json()
    assert data["series"] == [
        {"title": "Cahiers Ville caraïbe", "number": "12"},
        {"title": "Études urbaines", "number": ""},
    ]
    assert (data["edition"], data["physical_description"]) == (
        "2e édition revue",
        "312 p. : ill. ; 24 cm",
    )
    assert data["public_note"].startswith("Exemplaire dédicacé")
    assert data["acquired_on"] == "2011-09-01"
    assert "notes" not in data and INTERNAL not in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    "fmt", ["json", "csv", "marc21", "marcxml", "iso2709", "bibtex", "ris", "csl-json", "dc"]
)
def test_public_exports_carry_the_public_note_not_the_internal_one(rich, fmt):
    client, record_id = rich
    response = client.get(f"/export?format={fmt}&ids={record_id}")
    assert response.status_code == 200, fmt
    body = response.get_data(as_text=True)
    assert "Cahiers Ville caraïbe" in body
    assert ("dédicacé" in body) is (fmt != "dc")  # Dublin Core has no place for a note
    assert INTERNAL not in body


def test_oai_pmh_does_not_carry_the_internal_note(rich):
    client, record_id = rich
    body = client.get(
        f"/oai?verb=GetRecord&metadataPrefix=marcxml&identifier=oai:crpv-martinique.fr:{record_id}"
    ).get_data(as_text=True)
    assert "Cahiers Ville caraïbe" in body and INTERNAL not in body
