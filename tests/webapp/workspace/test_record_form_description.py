"""Issue 10 on the record form: collections, edition, physical description, public and internal
notes, acquisition date; thematics chosen at creation; more authors; a copy added to the
duplicate instead of a new record."""

from __future__ import annotations

import html
from datetime import date, timedelta

from library import Catalogue
from library.models import Series

from .actions import paper_record, post, text
from .test_admin_cataloguing import NEW


def catalogue_of(app) -> Catalogue:  # type: ignore[no-untyped-def]
    return Catalogue.in_instance(app.config["INSTANCE"])


RICH = {
    **NEW,
    "series_title": ["Cahiers Ville caraïbe", "Repères", ""],
    "series_number": ["12", "3-4", ""],
    "edition": "2e édition revue",
    "physical_description": "84 p. : ill. ; 24 cm",
    "public_note": "Exemplaire dédicacé.",
    "notes": "À relier",
    "acquired_on": "2011-03-15",
}


def created_id(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, text(response)
    return int(response.location.rsplit("/", 1)[1])


def test_every_new_field_is_saved_and_shown_again_on_the_form(app, logged_in):
    record_id = created_id(post(logged_in, "/admin/notices/nouvelle", RICH))
    with catalogue_of(app) as cat:
        record = cat.get(record_id)
    assert record.series == (Series("Cahiers Ville caraïbe", "12"), Series("Repères", "3-4"))
    assert record.edition == "2e édition revue"
    assert record.physical_description == "84 p. : ill. ; 24 cm"
    assert (record.public_note, record.notes) == ("Exemplaire dédicacé.", "À relier")
    assert record.acquired_on == "2011-03-15"
    page = logged_in.get(f"/admin/notices/{record_id}").get_data(as_text=True)
    for shown in (
        'value="Cahiers Ville caraïbe"',
        'value="3-4"',
        'value="2e édition revue"',
        'value="84 p. : ill. ; 24 cm"',
        'value="2011-03-15"',
        "Exemplaire dédicacé.",
    ):
        assert shown in page


def test_editing_keeps_what_the_form_shows_and_changes_what_is_changed(app, logged_in):
    record_id = created_id(post(logged_in, "/admin/notices/nouvelle", RICH))
    changed = {**RICH, "edition": "3e édition", "series_title": ["Repères"], "series_number": [""]}
    changed.pop("copy_barcode")
    response = post(logged_in, f"/admin/notices/{record_id}", changed)
    assert response.status_code == 302
    with catalogue_of(app) as cat:
        record = cat.get(record_id)
    assert record.edition == "3e édition" and record.series == (Series("Repères", ""),)
    assert record.acquired_on == "2011-03-15"


def test_a_hors_serie_number_or_a_future_acquisition_is_refused_and_nothing_saved(app, logged_in):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = post(
        logged_in,
        "/admin/notices/nouvelle",
        {**RICH, "series_number": ["hors-série", "3-4", ""], "acquired_on": tomorrow},
    )
    assert response.status_code == 400
    page = text(response)
    assert "« hors-série »" in page and "pas un numéro" in page
    assert "dans le futur" in page
    assert 'value="2e édition revue"' in response.get_data(as_text=True)  # nothing to retype
    with catalogue_of(app) as cat:
        assert cat.count(include_deleted=True) == 0


def test_thematics_can_be_chosen_when_the_record_is_created(app, logged_in):
    form = logged_in.get("/admin/notices/nouvelle").get_data(as_text=True)
    assert 'name="thematique" value="logement"' in form
    record_id = created_id(
        post(logged_in, "/admin/notices/nouvelle", {**RICH, "thematique": ["logement", "x"]})
    )
    with catalogue_of(app) as cat:
        themes = {(t.slug, t.source.value) for t in cat.get(record_id).themes}
    assert ("logement", "manual") in themes


def test_more_than_three_authors_each_with_a_role(app, logged_in):
    form = logged_in.get("/admin/notices/nouvelle").get_data(as_text=True)
    assert form.count('name="author_name"') >= 6
    more = post(logged_in, "/admin/notices/nouvelle", {**RICH, "plus_auteurs": "1"})
    assert (
        more.status_code == 200
        and more.get_data(as_text=True).count('name="author_name"') == 2 + 3 + 3
    )
    with catalogue_of(app) as cat:
        assert cat.count(include_deleted=True) == 0  # asking for rows saves nothing
    names = ["Dupont, Marie", "Leblanc, Paul", "Césaire, Aimé", "Glissant, Édouard", "Roy, Ana"]
    roles = ["author", "translator", "preface", "editor", "illustrator"]
    record_id = created_id(
        post(
            logged_in,
            "/admin/notices/nouvelle",
            {
                **RICH,
                "author_name": names,
                "author_kind": ["person"] * 5,
                "author_role": roles,
                "author_order": ["1", "2", "3", "4", "5"],
            },
        )
    )
    with catalogue_of(app) as cat:
        authors = cat.get(record_id).authors
    assert [(a.name, a.role.value) for a in authors] == list(zip(names, roles, strict=True))


def test_the_duplicate_warning_offers_to_add_a_copy_to_the_existing_record(app, logged_in):
    existing = paper_record(app, "Guide de la médiation sociale dans les quartiers", "CRPV0001")
    warned = post(logged_in, "/admin/notices/nouvelle", RICH)
    page = text(warned)
    assert "Doublon possible" in page and "Créer quand même" in page
    assert f"Ajouter un exemplaire à cette notice (n° {existing})" in page
    added = post(logged_in, "/admin/notices/nouvelle", {**RICH, "exemplaire_de": str(existing)})
    assert added.status_code == 302 and added.location.endswith(f"/{existing}#exemplaires")
    with catalogue_of(app) as cat:
        assert cat.count() == 1
        assert [c.barcode for c in cat.get(existing).copies] == ["CRPV0001", "CRPV0101", "CRPV0102"]
    without = post(
        logged_in,
        "/admin/notices/nouvelle",
        {**RICH, "copy_barcode": [""], "exemplaire_de": str(existing), "title": RICH["title"]},
    )
    assert without.status_code == 400 and "saisissez son code-barres" in text(without)


def test_a_role_the_list_does_not_know_is_refused_and_nothing_saved(app, logged_in):
    """A forged form (or an old page) sends a role that is not in the list: a French message
    naming the roles, the form kept, no record."""
    response = post(
        logged_in,
        "/admin/notices/nouvelle",
        {
            **RICH,
            "author_name": ["Dupont, Marie", "Roy, Léa"],
            "author_kind": ["person", "person"],
            "author_role": ["author", "chef"],
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "Rôle inconnu" in page and "traducteur" in page and "préfacier" in page
    assert 'value="Roy, Léa"' in response.get_data(as_text=True)
    with catalogue_of(app) as cat:
        assert cat.count(include_deleted=True) == 0


def test_a_bad_edit_leaves_the_saved_record_as_it_was(app, logged_in):
    record_id = created_id(post(logged_in, "/admin/notices/nouvelle", RICH))
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    changed = {
        **RICH,
        "edition": "3e édition",
        "series_number": ["hors-série", "3-4", ""],
        "acquired_on": tomorrow,
    }
    changed.pop("copy_barcode")
    response = post(logged_in, f"/admin/notices/{record_id}", changed)
    assert response.status_code == 400
    page = html.unescape(text(response))
    assert "mention d'édition ou la note publique" in page  # what to do with a hors-série
    assert "aujourd'hui au plus tard" in page  # what to do with the date
    with catalogue_of(app) as cat:
        record = cat.get(record_id)
    assert record.edition == "2e édition revue" and record.acquired_on == "2011-03-15"
    assert record.series == (Series("Cahiers Ville caraïbe", "12"), Series("Repères", "3-4"))
