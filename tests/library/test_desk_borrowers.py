"""Borrowers at the desk (issue 12): names apart, cards, finding who was typed, reminders."""

from __future__ import annotations

from datetime import date

import pytest

from library import Catalogue, Copy, Record, Support
from library.loans import LoanRefusal, LoanRefused, Loans
from library.names import split_person_name

TODAY = date(2013, 3, 4)


@pytest.fixture
def desk(instance):
    with Catalogue.in_instance(instance) as cat:
        yield Loans(cat)


@pytest.mark.parametrize(
    ("written", "family", "given"),
    [
        ("Marie Joseph", "Joseph", "Marie"),
        ("JOSEPH Marie-Claire", "JOSEPH", "Marie-Claire"),
        ("Joseph, Marie", "Joseph", "Marie"),
        ("Paul de Montrond", "de Montrond", "Paul"),
        ("Paul", "Paul", ""),
        ("  Jean   Pierre  Célestine ", "Célestine", "Jean Pierre"),
    ],
)
def test_a_name_written_in_one_piece_splits_as_people_write_it(written, family, given):
    assert split_person_name(written) == (family, given)


def test_lists_sort_by_family_name_and_show_family_first(desk):
    desk.add_borrower(family_name="Zébus", given_names="Anne")
    desk.add_borrower("Marie Joseph")
    desk.add_borrower(family_name="Abel", given_names="Zoé")
    assert [b.sort_name for b in desk.borrowers()] == ["Abel, Zoé", "Joseph, Marie", "Zébus, Anne"]
    assert desk.borrowers()[1].name == "Marie Joseph"  # the display name stays "Given Family"


def test_the_desk_finds_a_borrower_by_name_card_or_number(desk):
    marie = desk.add_borrower("Marie Joseph", card_barcode="C0042")
    marc = desk.add_borrower("Marc Josephine")
    paul = desk.add_borrower("Paul Célestine")
    assert desk.find_borrowers("C0042") == [marie]
    assert desk.find_borrowers(str(paul.id)) == [paul]
    assert desk.find_borrowers(f"Célestine, Paul (n° {paul.id})") == [paul]
    assert desk.find_borrowers("celestine") == [paul]  # accents and case ignored
    assert desk.find_borrowers("joseph marie") == [marie]
    assert {b.id for b in desk.find_borrowers("Jos")} == {marie.id, marc.id}  # a choice
    assert desk.find_borrowers("Personne") == []
    assert desk.find_borrowers("999") == []


def test_a_card_belongs_to_one_borrower(desk):
    desk.add_borrower("Marie Joseph", card_barcode="C0042")
    with pytest.raises(LoanRefused) as refused:
        desk.add_borrower("Paul Célestine", card_barcode="C0042")
    assert refused.value.reason is LoanRefusal.CARD_TAKEN


def test_address_lines_are_kept_tidy(desk):
    b = desk.add_borrower(
        "Marie Joseph", address="  12 rue Victor   Hugo \n\n97200 Fort-de-France "
    )
    assert b.address == "12 rue Victor Hugo\n97200 Fort-de-France" and b.has_contact


def test_reminders_go_up_in_levels_and_keep_their_dates(desk):
    cat = desk.catalogue
    cat.add(Record(title="Guide", support=Support.PAPIER, copies=(Copy("CRPV0001", "307 GUI"),)))
    marie = desk.add_borrower("Marie Joseph")
    loan = desk.check_out("CRPV0001", marie.id, today=date(2013, 1, 2))
    [item] = desk.overdue_to_chase(TODAY)
    assert (
        item.next_level == 1 and item.borrower.id == marie.id and item.loan.call_number == "307 GUI"
    )
    desk.record_reminder(loan.id, 1, today=date(2013, 2, 1))
    desk.record_reminder(loan.id, 1, today=TODAY)  # twice the same level: the first date stays
    desk.record_reminder(loan.id, 2, today=TODAY)
    [item] = desk.overdue_to_chase(TODAY)
    assert [(r.level, r.sent_on) for r in item.reminders] == [(1, date(2013, 2, 1)), (2, TODAY)]
    assert item.next_level == 3
    desk.record_reminder(loan.id, 3, today=TODAY)
    assert desk.overdue_to_chase(TODAY)[0].next_level is None


def test_one_letter_per_borrower_at_the_highest_level_her_loans_call_for(desk):
    cat = desk.catalogue
    for n in (1, 2, 3):
        cat.add(
            Record(title=f"Guide {n}", support=Support.PAPIER, copies=(Copy(f"CRPV000{n}", ""),))
        )
    marie = desk.add_borrower("Marie Joseph")
    paul = desk.add_borrower("Paul Célestine")
    first = desk.check_out("CRPV0001", marie.id, today=date(2013, 1, 2))
    desk.check_out("CRPV0002", marie.id, today=date(2013, 1, 2))
    desk.check_out("CRPV0003", paul.id, today=date(2013, 1, 2))
    desk.record_reminder(first.id, 1, today=date(2013, 2, 1))
    due = {d.borrower.id: d for d in desk.reminders_due(TODAY)}
    assert set(due) == {marie.id, paul.id}
    assert len(due[marie.id].loans) == 2 and due[marie.id].level == 2  # she had a first one
    assert due[marie.id].previous == date(2013, 2, 1)
    assert (due[paul.id].level, due[paul.id].previous) == (1, None)
    desk.record_reminders(due[marie.id], today=TODAY)
    again = {d.borrower.id: d for d in desk.reminders_due(TODAY)}
    assert again[marie.id].level == 3 and again[marie.id].previous == TODAY


def test_migration_0011_splits_the_names_of_existing_borrowers(tmp_path):
    """A catalogue from before the desk's migration: its single names become family and
    given names, as they were written."""
    import sqlite3

    from library import db

    conn = sqlite3.connect(tmp_path / "old.sqlite3", isolation_level=None)
    conn.row_factory = sqlite3.Row
    db.register_functions(conn)
    assert db.migrate(conn, up_to=10) == 10
    for name in ("Marie Joseph", "CÉLESTINE Paul", "Rose, Anne"):
        conn.execute(
            "INSERT INTO borrowers (name, created_at, updated_at) VALUES (?, 'x', 'x')", (name,)
        )
    db.migrate(conn)
    rows = conn.execute(
        "SELECT name, family_name, given_names FROM borrowers ORDER BY id"
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        ("Marie Joseph", "Joseph", "Marie"),
        ("Paul CÉLESTINE", "CÉLESTINE", "Paul"),  # the display name: "Given Family"
        ("Anne Rose", "Rose", "Anne"),
    ]
    conn.close()
