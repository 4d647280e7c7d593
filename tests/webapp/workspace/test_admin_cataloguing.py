"""Cataloguing in the workspace: every field, duplicates, thematics, copies, works, trash —
and search showing each save at once."""

from __future__ import annotations

import pytest

from library import (
    AuthorKind,
    Catalogue,
    CopyStatus,
    Record,
    Support,
    ThemeAssignment,
    ThemeSource,
    audit,
)
from library.loans import Loans

from .actions import paper_record, post, search_ids, search_total, text

NEW = {
    "title": "Guide de la médiation sociale dans les quartiers",
    "subtitle": "Repères pour agir",
    "year": "2010",
    "date": "2010-06",
    "support": "papier",
    "doc_type": "guide",
    "language": "fr",
    "publisher": "CRPV Martinique",
    "place": "Fort-de-France",
    "pages": "84",
    "author_name": ["Joseph, Marie", "Ville du Lamentin", ""],
    "author_kind": ["person", "organisation", "person"],
    "author_order": ["2", "1", "3"],
    "isbn": "2-07-036002-4",
    "call_number": "361 MED",
    "copy_barcode": ["CRPV0101", "CRPV0102"],
    "copy_call_number": ["", "361 MED b"],
    "copy_location": ["Salle de lecture", "Réserve"],
    "keywords": "médiation sociale\nadultes-relais\nmédiation sociale",
    "territories": "Lamentin; Martinique",
    "abstract": "Les adultes-relais et les médiateurs "
    "sociaux dans les quartiers prioritaires du Lamentin.",
    "url": "https://exemple.fr/guide",
    "notes": "Don de la ville",
}


def catalogue_of(app) -> Catalogue:  # type: ignore[no-untyped-def]
    return Catalogue.in_instance(app.config["INSTANCE"])


def test_a_new_paper_record_with_every_field_and_its_copies(app, logged_in):
    response = post(logged_in, "/admin/notices/nouvelle", NEW)
    assert response.status_code == 302
    record_id = int(response.location.rsplit("/", 1)[1])
    with catalogue_of(app) as cat:
        record = cat.get(record_id)
    assert record.title == NEW["title"] and record.subtitle == "Repères pour agir"
    assert [(a.name, a.kind) for a in record.authors] == [
        ("Ville du Lamentin", AuthorKind.ORGANISATION),
        ("Joseph, Marie", AuthorKind.PERSON),
    ]
    assert record.isbn == "9782070360024"  # validated, normalised to ISBN-13
    assert record.keywords == ("médiation sociale", "adultes-relais")
    assert record.territories == ("Lamentin", "Martinique")
    assert (record.year, record.date, record.pages, record.place) == (
        2010,
        "2010-06",
        84,
        "Fort-de-France",
    )
    assert [(c.barcode, c.call_number, c.location) for c in record.copies] == [
        ("CRPV0101", "361 MED", "Salle de lecture"),
        ("CRPV0102", "361 MED b", "Réserve"),
    ]
    assert record.curated and record.source == "saisie"
    assert record_id in search_ids(app, "adultes-relais")  # searchable at once
    page = logged_in.get(response.location)
    assert "Notice créée" in text(page) and "Thématiques" in text(page)


def test_a_wrong_isbn_or_year_is_refused_with_a_message_and_nothing_is_stored(app, logged_in):
    response = post(
        logged_in,
        "/admin/notices/nouvelle",
        {**NEW, "isbn": "2-07-036002-5", "year": "20100", "url": "javascript:alert(1)"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "ISBN invalide" in page and "Année sur quatre chiffres" in page
    assert "http:// ou https://" in page
    assert 'value="Guide de la médiation sociale dans les quartiers"' in page  # nothing retyped
    with catalogue_of(app) as cat:
        assert cat.count(include_deleted=True) == 0


def test_a_barcode_already_used_is_refused(app, logged_in):
    paper_record(app, "Autre document", "CRPV0101")
    response = post(logged_in, "/admin/notices/nouvelle", NEW)
    assert response.status_code == 400 and "Code-barres déjà attribué : CRPV0101" in text(response)


def test_a_duplicate_is_announced_before_saving_and_can_be_linked_as_one_work(app, logged_in):
    pdf_id = paper_record(app, "Guide de la mediation sociale dans les quartiers", year=2010)
    with catalogue_of(app) as cat:  # make it the electronic edition
        cat.conn.execute("UPDATE records SET support = 'electronique' WHERE id = ?", (pdf_id,))
    warned = post(logged_in, "/admin/notices/nouvelle", NEW)
    assert warned.status_code == 200
    assert "Doublon possible" in text(warned) and "même titre et même année" in text(warned)
    with catalogue_of(app) as cat:
        assert cat.count() == 1
    saved = post(
        logged_in,
        "/admin/notices/nouvelle",
        {**NEW, "doublon_confirme": "1", "lier_a": str(pdf_id)},
    )
    assert saved.status_code == 302
    paper_id = int(saved.location.rsplit("/", 1)[1])
    with catalogue_of(app) as cat:
        assert cat.get(paper_id).work_id == cat.get(pdf_id).work_id is not None
        assert [r.id for r in cat.work_members(paper_id)] == [pdf_id]
    page = text(logged_in.get(saved.location))
    assert f"n° {pdf_id} — Guide de la mediation sociale" in page


def test_a_title_with_a_typo_is_a_possible_duplicate_too(app, logged_in):
    paper_record(app, "Guide de la médiation sociale dans les quartiers", year=2010)
    warned = post(
        logged_in,
        "/admin/notices/nouvelle",
        {**NEW, "title": "Guide de la médaition sociale dans le quartiers", "copy_barcode": [""]},
    )
    assert "titre très proche, même année" in text(warned)
    other_year = post(
        logged_in,
        "/admin/notices/nouvelle",
        {
            **NEW,
            "title": "Guide de la médaition sociale dans le quartiers",
            "year": "2012",
            "date": "",
            "copy_barcode": [""],
        },
    )
    assert other_year.status_code == 302


def test_the_duplicate_probe_answers_while_typing(app, logged_in):
    record_id = paper_record(app, "Diagnostic local de sécurité du Lamentin", year=2008)
    found = logged_in.get(
        "/admin/notices/doublons?titre=Diagnostic+local+de+securite+du+Lamentin&annee=2008"
    )
    assert found.json == [
        {
            "id": record_id,
            "title": "Diagnostic local de sécurité du Lamentin",
            "year": 2008,
            "reason": "même titre et même année",
            "url": f"/admin/notices/{record_id}",
        }
    ]
    assert (
        logged_in.get(
            f"/admin/notices/doublons?titre=Diagnostic+local+de+securite+du+Lamentin"
            f"&annee=2008&sauf={record_id}"
        ).json
        == []
    )


def test_an_edit_is_searchable_at_once_and_audited_with_before_and_after(app, logged_in):
    record_id = paper_record(app, "Rapport sur les jardins partagés", year=2011)
    assert search_ids(app, "jardins") == [record_id]
    form = {
        **NEW,
        "title": "Rapport sur les vergers créoles",
        "year": "2011",
        "date": "",
        "copy_barcode": [],
    }
    response = post(logged_in, f"/admin/notices/{record_id}", form)
    assert response.status_code == 302
    assert search_ids(app, "vergers") == [record_id]
    assert search_ids(app, "jardins") == []
    with catalogue_of(app) as cat:
        assert cat.get(record_id).curated
        entry = audit.entries(cat, target_type="record", target_id=record_id)[0][0]
    assert entry.actor == "documentaliste" and entry.action == "record.edit"
    assert entry.changes["titre"] == [
        "Rapport sur les jardins partagés",
        "Rapport sur les vergers créoles",
    ]
    journal = text(logged_in.get(f"/admin/journal?objet=record&n={record_id}"))
    assert "Rapport sur les vergers créoles" in journal and "documentaliste" in journal


def test_a_record_with_copies_cannot_become_electronic(app, logged_in):
    record_id = paper_record(app, "Actes du séminaire", "CRPV0201")
    response = post(
        logged_in,
        f"/admin/notices/{record_id}",
        {**NEW, "title": "Actes du séminaire", "support": "electronique"},
    )
    assert response.status_code == 400 and "retirez-les avant de changer de support" in text(
        response
    )


def test_thematic_decisions_win_over_the_tagger_and_show_its_evidence(app, logged_in):
    record_id = paper_record(app, "Évaluation du contrat de ville", year=2012)
    evidence = {
        "terms": [{"term": "contrat de ville", "count": 3, "field": "text"}],
        "passages": [{"text": "le contrat de ville 2007-2013", "page": 4, "field": "text"}],
    }
    with catalogue_of(app) as cat:
        cat.set_auto_themes(
            record_id,
            [
                ThemeAssignment("evaluation", ThemeSource.AUTO, 0.82, evidence),
                ThemeAssignment("sante", ThemeSource.AUTO, 0.31),
            ],
        )
    page = text(logged_in.get(f"/admin/notices/{record_id}"))
    assert "contrat de ville ×3 (texte)" in page and "(p. 4)" in page and "score 0,82" in page
    post(
        logged_in,
        f"/admin/notices/{record_id}/thematiques",
        {"slug": "sante", "decision": "remove"},
    )
    post(
        logged_in,
        f"/admin/notices/{record_id}/thematiques",
        {"slug": "logement", "decision": "add"},
    )
    with catalogue_of(app) as cat:
        cat.set_auto_themes(record_id, [ThemeAssignment("sante", ThemeSource.AUTO, 0.9)])  # a retag
        themes = {(t.slug, t.source) for t in cat.get(record_id).themes}
    assert themes == {("logement", ThemeSource.MANUAL)}
    assert record_id in search_ids(app, "") and search_ids(app, "") == [record_id]
    refused = post(
        logged_in,
        f"/admin/notices/{record_id}/thematiques",
        {"slug": "inconnue", "decision": "add"},
    )
    assert refused.status_code == 400


def test_copies_are_added_changed_and_removed(app, logged_in):
    record_id = paper_record(app, "Actes du séminaire", "CRPV0201")
    post(
        logged_in,
        f"/admin/notices/{record_id}/exemplaires",
        {"barcode": "CRPV0202", "call_number": "307 ACT", "location": "Réserve"},
    )
    again = post(logged_in, f"/admin/notices/{record_id}/exemplaires", {"barcode": "CRPV0202"})
    assert "existe déjà" in text(logged_in.get(again.location))
    with catalogue_of(app) as cat:
        first, second = cat.get(record_id).copies
    post(
        logged_in,
        f"/admin/notices/{record_id}/exemplaires/{first.id}",
        {"action": "save", "call_number": "307 ACT", "location": "Salle", "status": "missing"},
    )
    post(logged_in, f"/admin/notices/{record_id}/exemplaires/{second.id}", {"action": "remove"})
    with catalogue_of(app) as cat:
        copies = cat.get(record_id).copies
    assert [(c.barcode, c.status, c.location) for c in copies] == [
        ("CRPV0201", CopyStatus.MISSING, "Salle")
    ]


def test_a_copy_that_was_lent_is_withdrawn_not_deleted(app, logged_in):
    from datetime import date

    record_id = paper_record(app, "Actes du séminaire", "CRPV0201")
    with catalogue_of(app) as cat:
        desk = Loans(cat)
        desk.check_out("CRPV0201", desk.add_borrower("Paul").id, today=date(2013, 1, 2))
        desk.check_in("CRPV0201", today=date(2013, 1, 5))
        copy_id = cat.get(record_id).copies[0].id
    response = post(
        logged_in, f"/admin/notices/{record_id}/exemplaires/{copy_id}", {"action": "remove"}
    )
    assert "passez-le à « Retiré »" in text(logged_in.get(response.location))


def test_soft_delete_and_restore_take_effect_in_search_at_once(app, logged_in):
    record_id = paper_record(app, "Charte de gestion urbaine de proximité", year=2009)
    assert search_ids(app, "gestion urbaine") == [record_id]
    post(logged_in, f"/admin/notices/{record_id}/corbeille")
    assert search_ids(app, "gestion urbaine") == []
    trash = text(logged_in.get("/admin/corbeille"))
    assert "Charte de gestion urbaine de proximité" in trash
    with catalogue_of(app) as cat:
        assert cat.get(record_id).deleted
    post(logged_in, f"/admin/notices/{record_id}/restaurer")
    assert search_ids(app, "gestion urbaine") == [record_id]
    assert "La corbeille est vide" in text(logged_in.get("/admin/corbeille"))


def test_a_record_with_a_copy_on_loan_stays_out_of_the_trash(app, logged_in):
    from datetime import date

    record_id = paper_record(app, "Actes du séminaire", "CRPV0201")
    with catalogue_of(app) as cat:
        desk = Loans(cat)
        desk.check_out("CRPV0201", desk.add_borrower("Paul").id, today=date(2013, 3, 1))
    response = post(logged_in, f"/admin/notices/{record_id}/corbeille")
    assert "en prêt" in text(logged_in.get(response.location))
    with catalogue_of(app) as cat:
        assert not cat.get(record_id).deleted


def test_works_link_and_unlink_from_the_record_page(app, logged_in):
    paper_id = paper_record(app, "Diagnostic habitat indigne", "CRPV0301")
    with catalogue_of(app) as cat:
        pdf_id = cat.add(
            Record(title="Diagnostic habitat indigne", support=Support.ELECTRONIQUE)
        ).id
    post(logged_in, f"/admin/notices/{paper_id}/oeuvre", {"action": "link", "autre": str(pdf_id)})
    page = text(logged_in.get(f"/admin/notices/{pdf_id}"))
    assert (
        f"n° {paper_id} — Diagnostic habitat indigne" in page and "1 exemplaire(s) en rayon" in page
    )
    post(logged_in, f"/admin/notices/{pdf_id}/oeuvre", {"action": "unlink"})
    with catalogue_of(app) as cat:
        assert cat.get(paper_id).work_id is None and cat.get(pdf_id).work_id is None


def test_the_records_list_finds_by_words_number_and_barcode(app, logged_in):
    record_id = paper_record(app, "Diagnostic habitat indigne", "CRPV0301")
    assert logged_in.get("/admin/notices/?q=CRPV0301").location == f"/admin/notices/{record_id}"
    assert logged_in.get(f"/admin/notices/?q={record_id}").location == f"/admin/notices/{record_id}"
    listed = text(logged_in.get("/admin/notices/?q=habitat"))
    assert "Diagnostic habitat indigne" in listed
    assert "Diagnostic habitat indigne" in text(logged_in.get("/admin/notices/"))


def test_the_review_list_gathers_what_needs_a_documentalist(app, logged_in):
    untagged = paper_record(app, "Compte rendu sans thématique", year=None)
    doubtful = paper_record(app, "Note sur la santé", year=2010)
    with catalogue_of(app) as cat:
        cat.set_auto_themes(doubtful, [ThemeAssignment("sante", ThemeSource.AUTO, 0.33)])
        scanned = cat.add(Record(title="Rapport scanné", support=Support.ELECTRONIQUE), text="")
        cat.conn.execute("UPDATE records SET text_status = 'empty' WHERE id = ?", (scanned.id,))
    page = text(logged_in.get("/admin/a-revoir"))
    assert "Compte rendu sans thématique" in page and "Rapport scanné" in page
    assert "année, auteurs, langue, type" in page  # the missing fields of the untagged one
    low = text(logged_in.get("/admin/a-revoir?type=low-confidence"))
    assert "Note sur la santé" in low and "Compte rendu sans thématique" not in low
    post(logged_in, f"/admin/notices/{doubtful}/thematiques", {"slug": "sante", "decision": "add"})
    assert "Note sur la santé" not in text(logged_in.get("/admin/a-revoir?type=low-confidence"))
    assert untagged


def test_the_dashboard_draws_charts_with_their_numbers_in_tables(app, logged_in):
    from datetime import date

    guide_a = paper_record(app, "Guide A", "CRPV0401", year=2009)
    paper_record(app, "Guide B", "CRPV0402", year=2011)
    with catalogue_of(app) as cat:
        cat.set_manual_theme(guide_a, "mediation-sociale", "add")
        desk = Loans(cat)
        paul = desk.add_borrower("Paul", category="association")
        desk.check_out("CRPV0401", paul.id, today=date(2013, 1, 10))
        desk.check_in("CRPV0401", today=date(2013, 1, 20))
        desk.check_out("CRPV0401", paul.id, today=date(2013, 2, 10))
        desk.check_out("CRPV0402", paul.id, today=date(2013, 2, 11))
    page = text(logged_in.get("/admin/statistiques/"))
    assert page.count("<svg") == 8 and page.count('class="chart-table"') >= 7
    assert '<th scope="row">Guide A</th><td class="number">2</td>' in page  # most borrowed
    assert '<th scope="row">févr. 2013</th><td class="number">2</td>' in page  # loans per month
    assert '<th scope="row">Association</th><td class="number">3</td>' in page
    assert '<th scope="row">Papier</th><td class="number">2</td>' in page
    assert '<th scope="row">Médiation sociale</th><td class="number">1</td>' in page
    assert 'role="img"' in page and "<title id=" in page


HOLD_WRITER = """
import sys, time
from pathlib import Path
from indexer.search import SearchIndex, build_document
from library import Catalogue, Record

instance = Path(sys.argv[1])
catalogue = Catalogue.in_instance(instance)
index = SearchIndex.open(instance / "index")
record = catalogue.add(Record(title="Notice du processus concurrent"), text="texte concurrent")

def slowly():
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    yield build_document(catalogue.get(record.id), "texte concurrent")

index.write(slowly())
print("released", flush=True)
"""


def _hold_index_writer(instance, seconds: float):  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITER, str(instance), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "holding"
    return writer


def test_a_save_waits_for_another_index_writer_and_loses_nothing(app, logged_in, instance):
    """GIVEN another process holding the index writer (as `fonds index` does while it
    commits), WHEN the documentalist saves a record, THEN the save waits its turn, and both
    the save and the other process's document are searchable afterwards."""
    import time

    record_id = paper_record(app, "Rapport sur les jardins partagés", year=2011)
    assert search_ids(app, "jardins") == [record_id]  # the web app's index is open
    writer = _hold_index_writer(instance, 2.0)
    started = time.monotonic()
    response = post(
        logged_in,
        f"/admin/notices/{record_id}",
        {
            **NEW,
            "title": "Rapport sur les vergers créoles",
            "year": "2011",
            "date": "",
            "copy_barcode": [],
        },
    )
    waited = time.monotonic() - started
    writer.communicate(timeout=60)
    assert response.status_code == 302 and writer.returncode == 0
    assert waited > 1.0, "the save did not wait for the other writer"
    assert search_ids(app, "vergers") == [record_id]
    assert len(search_ids(app, "concurrent")) == 1
    assert search_ids(app, "jardins") == []


def test_when_the_index_stays_busy_the_save_is_kept_and_shown_later(app, logged_in, instance):
    record_id = paper_record(app, "Rapport sur les jardins partagés", year=2011)
    assert search_ids(app, "jardins") == [record_id]
    app.extensions["fonds"]["index"].write_timeout = 0.3
    writer = _hold_index_writer(instance, 2.0)
    response = post(
        logged_in,
        f"/admin/notices/{record_id}",
        {
            **NEW,
            "title": "Rapport sur les vergers créoles",
            "year": "2011",
            "date": "",
            "copy_barcode": [],
        },
    )
    page = text(logged_in.get(response.location))
    writer.communicate(timeout=60)
    assert "index de recherche est occupé" in page
    with catalogue_of(app) as cat:
        assert cat.get(record_id).title == "Rapport sur les vergers créoles"
    app.extensions["fonds"]["index"].write_timeout = 60
    from indexer.search import sync_index

    with catalogue_of(app) as cat:
        sync_index(cat, app.extensions["fonds"]["index"])  # what the next save or start does
    assert search_ids(app, "vergers") == [record_id]


FONDS = ("python", "-c", "from webapp.cli import main; main()")


@pytest.mark.slow
def test_saves_during_a_real_fonds_index_run_are_all_searchable(app, logged_in, instance, tmp_path):
    """GIVEN `fonds index` indexing 120 files in another process, WHEN the documentalist edits
    records meanwhile, THEN every edit and every file is searchable and `fonds check` passes."""
    import subprocess
    import sys
    import time

    from corpus.files import make_txt

    fonds = (sys.executable, *FONDS[1:])

    folder = tmp_path / "lot"
    folder.mkdir()
    for n in range(120):
        make_txt(
            folder / f"note-{n:02d}.txt",
            f"Note numéro {n} sur le quartier de Volga-Plage : "
            "diagnostic partagé avec les habitants. " * 40,
        )
    ids = [paper_record(app, f"Rapport ancien numéro {n}", year=2000 + n) for n in range(8)]
    assert len(search_ids(app, "ancien")) == 8
    run = subprocess.Popen(
        [*fonds, "--instance", str(instance), "index", str(folder), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while run.poll() is None and time.monotonic() < deadline:  # wait for its first records
        with catalogue_of(app) as cat:
            if cat.count() > len(ids):
                break
        time.sleep(0.05)
    overlapped = 0
    for n, record_id in enumerate(ids):
        overlapped += run.poll() is None
        response = post(
            logged_in,
            f"/admin/notices/{record_id}",
            {
                **NEW,
                "title": f"Rapport révisé numéro {n}",
                "year": str(2000 + n),
                "date": "",
                "isbn": "",
                "copy_barcode": [],
            },
        )
        assert response.status_code == 302
    out, err = run.communicate(timeout=600)
    assert run.returncode == 0, err
    assert overlapped, "no save happened while `fonds index` was running"
    assert sorted(search_ids(app, "révisé")) == sorted(ids)
    assert search_ids(app, "ancien") == []
    assert search_total(app, "Volga") == 120
    check = subprocess.run(
        [*fonds, "--instance", str(instance), "check"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_each_author_has_a_role_and_an_edit_keeps_the_roles_an_import_brought(app, logged_in):
    """GIVEN a record whose authors have roles (as a UNIMARC import brings them), WHEN the
    documentalist opens and saves its form, THEN every role is shown selected and kept."""
    response = post(
        logged_in,
        "/admin/notices/nouvelle",
        {
            **NEW,
            "copy_barcode": [],
            "author_name": ["Joseph, Marie", "Roy, Léa", "Adam, Zoé"],
            "author_kind": ["person", "person", "person"],
            "author_role": ["author", "translator", "illustrator"],
            "author_order": ["1", "2", "3"],
        },
    )
    assert response.status_code == 302
    record_id = int(response.location.rsplit("/", 1)[1])
    with catalogue_of(app) as cat:
        roles = [(a.name, a.role.value) for a in cat.get(record_id).authors]
    assert roles == [
        ("Joseph, Marie", "author"),
        ("Roy, Léa", "translator"),
        ("Adam, Zoé", "illustrator"),
    ]
    page = logged_in.get(f"/admin/notices/{record_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<option value="translator" selected>Traducteur</option>' in html
    assert '<option value="illustrator" selected>Illustrateur</option>' in html


def test_a_role_the_list_does_not_know_is_refused(app, logged_in):
    response = post(
        logged_in,
        "/admin/notices/nouvelle",
        {**NEW, "copy_barcode": [], "author_role": ["author", "chef", "author"]},
    )
    assert response.status_code == 400
    assert "Rôle inconnu" in text(response)


def test_the_form_refuses_what_an_import_refuses_by_the_same_rule(app, logged_in):
    """The record form and every importer share library.validation: a keyword longer than
    the rule allows, which only that rule checks, is refused here too."""
    response = post(
        logged_in,
        "/admin/notices/nouvelle",
        {**NEW, "copy_barcode": [], "keywords": "x" * 250},
    )
    assert response.status_code == 400
    assert "Mots-clés trop long (250 caractères)." in text(response)
