"""Inventories (récolement): what a scan says, what closing does, two desks at once."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from library import Catalogue, Copy, CopyStatus, Record, Support
from library.inventory import Inventories, InventoryError, Outcome
from library.loans import Loans

TODAY = date(2013, 3, 4)


@pytest.fixture
def shelf(instance):
    """Salle A holds CRPV0001-0004 (0003 lent); CRPV0009 belongs in Salle B."""
    with Catalogue.in_instance(instance) as cat:
        for n, title in enumerate(("Guide", "Actes", "Rapport", "Mémoire"), 1):
            cat.add(
                Record(
                    title=title,
                    support=Support.PAPIER,
                    copies=(Copy(f"CRPV000{n}", f"307.{n} ABC", "Salle A"),),
                )
            )
        cat.add(
            Record(title="Revue", support=Support.PAPIER, copies=(Copy("CRPV0009", "", "Salle B"),))
        )
        loans = Loans(cat)
        loans.check_out("CRPV0003", loans.add_borrower("Marie Joseph").id, today=TODAY)
        yield cat


def barcodes(state, outcome):
    return [line.barcode for line in state[outcome]]


def test_scanning_says_what_each_barcode_is_and_closing_marks_the_unseen_missing(shelf):
    inventories = Inventories(shelf)
    inv = inventories.start("Salle A", today=TODAY)
    assert inventories.start("Salle A", today=TODAY) == inv  # one open inventory per place
    assert inventories.scan(inv.id, "CRPV0001").outcome is Outcome.ON_SHELF
    assert not inventories.scan(inv.id, "CRPV0001").lent
    assert inventories.scan(inv.id, " CRPV0009\n").outcome is Outcome.MISPLACED
    unknown = inventories.scan(inv.id, "XYZ123")
    assert unknown.outcome is Outcome.UNKNOWN and not unknown.already
    again = inventories.scan(inv.id, "CRPV0001")
    assert again.already and again.outcome is Outcome.ON_SHELF
    state = inventories.state(inv.id)
    assert barcodes(state, Outcome.ON_SHELF) == ["CRPV0001"]
    assert barcodes(state, Outcome.ON_LOAN) == ["CRPV0003"]
    assert barcodes(state, Outcome.MISSING) == ["CRPV0002", "CRPV0004"]  # not seen yet
    assert barcodes(state, Outcome.MISPLACED) == ["CRPV0009"]
    assert barcodes(state, Outcome.UNKNOWN) == ["XYZ123"]

    closed = inventories.close(inv.id, today=date(2013, 3, 5))
    assert barcodes(closed, Outcome.MISSING) == ["CRPV0002", "CRPV0004"]
    _, copy = shelf.copy_by_barcode("CRPV0002")
    assert copy.status is CopyStatus.MISSING
    assert (
        shelf.conn.execute(
            "SELECT missing_since FROM copies WHERE barcode = 'CRPV0002'"
        ).fetchone()[0]
        == "2013-03-05"
    )
    assert shelf.copy_by_barcode("CRPV0003")[1].status is CopyStatus.ON_LOAN  # lent, not missing
    # the report is kept as it was, and scanning a closed inventory is refused
    assert inventories.state(inv.id) == closed
    with pytest.raises(InventoryError) as refused:
        inventories.scan(inv.id, "CRPV0002")
    assert refused.value.reason == "closed"
    csv_text = inventories.report_csv(inv.id).decode("utf-8")
    assert csv_text.startswith("\ufeffcode_barres;cote;titre")
    assert "CRPV0002;307.2 ABC;Actes;Salle A;Manquant;2013-03-05" in csv_text
    assert "XYZ123;;;;Code-barres inconnu;2013-03-05" in csv_text


def test_a_missing_copy_found_at_the_next_inventory_is_back_on_the_shelf(shelf):
    inventories = Inventories(shelf)
    first = inventories.start("Salle A", today=TODAY)
    inventories.close(first.id, today=TODAY)
    second = inventories.start("Salle A", today=date(2014, 3, 4))
    assert second.id != first.id
    inventories.scan(second.id, "CRPV0002")
    inventories.close(second.id, today=date(2014, 3, 4))
    assert shelf.copy_by_barcode("CRPV0002")[1].status is CopyStatus.AVAILABLE
    assert shelf.copy_by_barcode("CRPV0004")[1].status is CopyStatus.MISSING


def test_a_lent_copy_found_on_the_shelf_is_said_so(shelf):
    inventories = Inventories(shelf)
    inv = inventories.start("Salle A", today=TODAY)
    found = inventories.scan(inv.id, "CRPV0003")
    assert found.lent and found.outcome is Outcome.ON_SHELF


def test_an_empty_or_unknown_location_cannot_be_inventoried(shelf):
    with pytest.raises(InventoryError) as refused:
        Inventories(shelf).start("Cave", today=TODAY)
    assert refused.value.reason == "empty-location"


def test_two_desks_scanning_the_same_shelf_lose_nothing_and_count_once(shelf, instance):
    inv = Inventories(shelf).start("Salle A", today=TODAY)
    reads = ["CRPV0001", "CRPV0002", "CRPV0004", "INCONNU1"] * 10
    errors = []

    def desk(order):
        try:
            with Catalogue.in_instance(instance) as own:
                for code in order:
                    Inventories(own).scan(inv.id, code)
        except Exception as exc:  # pragma: no cover - the assertion says what went wrong
            errors.append(exc)

    threads = [threading.Thread(target=desk, args=(r,)) for r in (reads, reads[::-1])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    state = Inventories(shelf).state(inv.id)
    assert barcodes(state, Outcome.ON_SHELF) == ["CRPV0001", "CRPV0002", "CRPV0004"]
    assert barcodes(state, Outcome.UNKNOWN) == ["INCONNU1"] and state[Outcome.MISSING] == []
