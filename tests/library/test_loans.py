"""The loan desk: lifecycle, reservations, and the rules the database itself enforces."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from library import Catalogue, Copy, CopyStatus, Record, Support
from library.loans import LoanPolicy, LoanRefusal, LoanRefused, Loans

TODAY = date(2013, 3, 4)


@pytest.fixture
def catalogue(instance):
    with Catalogue.in_instance(instance) as cat:
        yield cat


@pytest.fixture
def desk(catalogue):
    return Loans(
        catalogue, LoanPolicy(default_days=21, days_by_category={"etudiant": 14}, max_renewals=2)
    )


def paper(catalogue: Catalogue, *barcodes: str, title: str = "Guide de la médiation") -> Record:
    copies = tuple(Copy(b, "361.3 MED", "Salle de lecture") for b in barcodes)
    return catalogue.add(Record(title=title, support=Support.PAPIER, year=2010, copies=copies))


def test_a_loan_lasts_21_days_by_default_and_the_copy_shows_it(catalogue, desk):
    record = paper(catalogue, "CRPV0001")
    marie = desk.add_borrower(
        "Marie Joseph", organisation="Ville du Lamentin", category="collectivite"
    )
    loan = desk.check_out("CRPV0001", marie.id, today=TODAY)
    assert loan.due_date == TODAY + timedelta(days=21)
    copy = catalogue.get(record.id).copies[0]
    assert copy.status is CopyStatus.ON_LOAN and copy.due_date == loan.due_date.isoformat()
    assert catalogue.availability()[record.id] == ("en-pret",)


def test_the_loan_period_depends_on_the_borrower_category(catalogue, desk):
    paper(catalogue, "CRPV0001")
    student = desk.add_borrower("Léa Étudiante", category="etudiant")
    loan = desk.check_out("CRPV0001", student.id, today=TODAY)
    assert loan.due_date == TODAY + timedelta(days=14)


def test_the_full_lifecycle_out_renew_return(catalogue, desk):
    record = paper(catalogue, "CRPV0001")
    rev_before = catalogue.get(record.id).rev
    paul = desk.add_borrower("Paul Marie-Sainte")
    desk.check_out("CRPV0001", paul.id, today=TODAY, due=date(2013, 3, 20))
    renewed = desk.renew("CRPV0001", today=date(2013, 3, 18))
    assert renewed.due_date == date(2013, 4, 10) and renewed.renewals == 1
    back = desk.check_in("CRPV0001", today=date(2013, 4, 1))
    assert back.loan.return_date == date(2013, 4, 1) and back.next_reservation is None
    assert catalogue.get(record.id).copies[0].status is CopyStatus.AVAILABLE
    assert [loan.id for loan in desk.borrower_history(paul.id)] == [back.loan.id]
    assert [loan.id for loan in desk.record_history(record.id)] == [back.loan.id]
    # The desk never moves a record's revision: OAI datestamps and the index stay put.
    assert catalogue.get(record.id).rev == rev_before


def test_renewals_are_limited(catalogue, desk):
    paper(catalogue, "CRPV0001")
    paul = desk.add_borrower("Paul")
    desk.check_out("CRPV0001", paul.id, today=TODAY)
    desk.renew("CRPV0001", today=TODAY)
    desk.renew("CRPV0001", today=TODAY)
    with pytest.raises(LoanRefused) as refused:
        desk.renew("CRPV0001", today=TODAY)
    assert refused.value.reason is LoanRefusal.RENEWAL_LIMIT


def test_returning_a_copy_that_is_not_out_is_a_clear_error(catalogue, desk):
    paper(catalogue, "CRPV0001")
    with pytest.raises(LoanRefused) as refused:
        desk.check_in("CRPV0001", today=TODAY)
    assert refused.value.reason is LoanRefusal.NOT_ON_LOAN
    with pytest.raises(LoanRefused) as unknown:
        desk.check_in("NOPE", today=TODAY)
    assert unknown.value.reason is LoanRefusal.UNKNOWN_COPY


def test_a_suspended_borrower_cannot_borrow_nor_renew(catalogue, desk):
    paper(catalogue, "CRPV0001", "CRPV0002")
    paul = desk.add_borrower("Paul")
    desk.check_out("CRPV0002", paul.id, today=TODAY)
    desk.set_suspended(paul.id, True, "retards répétés")
    for attempt in (
        lambda: desk.check_out("CRPV0001", paul.id, today=TODAY),
        lambda: desk.renew("CRPV0002", today=TODAY),
    ):
        with pytest.raises(LoanRefused) as refused:
            attempt()
        assert refused.value.reason is LoanRefusal.BORROWER_SUSPENDED
    desk.set_suspended(paul.id, False)
    assert desk.check_out("CRPV0001", paul.id, today=TODAY).borrower_id == paul.id


def test_a_missing_copy_cannot_be_lent(catalogue, desk):
    record = paper(catalogue, "CRPV0001")
    catalogue.update_copy(
        record.copies[0].id, call_number="", location="", status=CopyStatus.MISSING
    )
    with pytest.raises(LoanRefused) as refused:
        desk.check_out("CRPV0001", desk.add_borrower("Paul").id, today=TODAY)
    assert refused.value.reason is LoanRefusal.COPY_UNAVAILABLE


def test_a_copy_of_a_record_in_the_trash_cannot_be_lent(catalogue, desk):
    record = paper(catalogue, "CRPV0001")
    catalogue.delete(record.id)
    with pytest.raises(LoanRefused) as refused:
        desk.check_out("CRPV0001", desk.add_borrower("Paul").id, today=TODAY)
    assert refused.value.reason is LoanRefusal.RECORD_DELETED


# -- the rules held by the database itself, whatever the code above it does -------------------


def _raw_loan(conn: sqlite3.Connection, copy_id: int, borrower_id: int) -> None:
    conn.execute(
        "INSERT INTO loans (copy_id, borrower_id, loan_date, due_date, created_at)"
        " VALUES (?, ?, '2013-03-04', '2013-03-25', 'now')",
        (copy_id, borrower_id),
    )


def test_the_database_refuses_a_second_active_loan_even_without_its_trigger(catalogue, desk):
    record = paper(catalogue, "CRPV0001")
    paul, anne = desk.add_borrower("Paul"), desk.add_borrower("Anne")
    _raw_loan(catalogue.conn, record.copies[0].id, paul.id)
    with pytest.raises(sqlite3.IntegrityError, match="already on loan"):
        _raw_loan(catalogue.conn, record.copies[0].id, anne.id)
    # The partial unique index alone holds the rule too.
    catalogue.conn.execute("DROP TRIGGER loans_check_out")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        _raw_loan(catalogue.conn, record.copies[0].id, anne.id)


def test_the_database_refuses_to_lend_an_electronic_record(catalogue, desk):
    record = paper(catalogue, "CRPV0001")
    catalogue.conn.execute("UPDATE records SET support = 'papier' WHERE id = ?", (record.id,))
    with pytest.raises(sqlite3.IntegrityError, match="copies belong to paper records"):
        catalogue.conn.execute(
            "UPDATE records SET support = 'electronique' WHERE id = ?", (record.id,)
        )
    # Even a copy forced onto an electronic record (triggers bypassed) cannot be lent.
    catalogue.conn.execute("DROP TRIGGER records_with_copies_stay_paper")
    catalogue.conn.execute("UPDATE records SET support = 'electronique' WHERE id = ?", (record.id,))
    paul = desk.add_borrower("Paul")
    with pytest.raises(sqlite3.IntegrityError, match="not a paper record"):
        _raw_loan(catalogue.conn, record.copies[0].id, paul.id)
    with pytest.raises(LoanRefused) as refused:
        desk.check_out("CRPV0001", paul.id, today=TODAY)
    assert refused.value.reason is LoanRefusal.NOT_LENDABLE


def test_an_electronic_record_has_no_copy_to_lend(catalogue, desk):
    electronic = catalogue.add(Record(title="Rapport PDF", support=Support.ELECTRONIQUE))
    with pytest.raises(Exception, match="paper"):
        catalogue.add_copy(electronic.id, Copy("CRPV0009"))
    with pytest.raises(LoanRefused) as refused:
        desk.check_out("CRPV0009", desk.add_borrower("Paul").id, today=TODAY)
    assert refused.value.reason is LoanRefusal.UNKNOWN_COPY


def test_the_database_refuses_a_loan_to_a_suspended_borrower(catalogue, desk):
    record = paper(catalogue, "CRPV0001")
    paul = desk.set_suspended(desk.add_borrower("Paul").id, True)
    with pytest.raises(sqlite3.IntegrityError, match="borrower suspended"):
        _raw_loan(catalogue.conn, record.copies[0].id, paul.id)


def test_a_borrower_with_active_loans_cannot_be_deleted(catalogue, desk):
    paper(catalogue, "CRPV0001")
    paul = desk.add_borrower("Paul")
    desk.check_out("CRPV0001", paul.id, today=TODAY)
    with pytest.raises(sqlite3.IntegrityError, match="active loans"):
        catalogue.conn.execute("DELETE FROM borrowers WHERE id = ?", (paul.id,))
    with pytest.raises(LoanRefused) as refused:
        desk.erase_borrower(paul.id)
    assert refused.value.reason is LoanRefusal.BORROWER_HAS_LOANS
    assert desk.borrower(paul.id).name == "Paul"


def test_a_returned_loan_stays_returned(catalogue, desk):
    paper(catalogue, "CRPV0001")
    paul = desk.add_borrower("Paul")
    loan = desk.check_out("CRPV0001", paul.id, today=TODAY)
    desk.check_in("CRPV0001", today=TODAY)
    with pytest.raises(sqlite3.IntegrityError, match="already returned"):
        catalogue.conn.execute("UPDATE loans SET return_date = NULL WHERE id = ?", (loan.id,))


def _check_out_in_thread(
    path: Path, borrower_id: int, barrier: threading.Barrier, results: list[str]
) -> None:
    with Catalogue.open(path) as own:  # each its own connection
        desk = Loans(own)
        barrier.wait()
        try:
            desk.check_out("CRPV0001", borrower_id, today=TODAY)
            results.append("ok")
        except LoanRefused as exc:
            results.append(exc.reason.value)


def test_twenty_concurrent_check_outs_of_one_copy_give_exactly_one_loan(catalogue, desk, instance):
    paper(catalogue, "CRPV0001")
    borrowers = [desk.add_borrower(f"Emprunteur {i}").id for i in range(20)]
    barrier = threading.Barrier(20)
    results: list[str] = []
    threads = [
        threading.Thread(
            target=_check_out_in_thread, args=(instance / "catalogue.sqlite3", b, barrier, results)
        )
        for b in borrowers
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["already-on-loan"] * 19 + ["ok"]
    assert len(desk.active_loans()) == 1


def _raw_in_process(path: str, copy_id: int, borrower_id: int, barrier, queue) -> None:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    barrier.wait()
    try:
        _raw_loan(conn, copy_id, borrower_id)
        queue.put("ok")
    except sqlite3.IntegrityError as exc:
        queue.put(str(exc))
    finally:
        conn.close()


@pytest.mark.slow
def test_twenty_processes_inserting_loans_behind_the_librarys_back_give_one_loan(
    catalogue, desk, instance
):
    """GIVEN one copy and 20 processes, each with its own connection, that skip every check of
    the library and INSERT a loan at the same instant, THEN the database lets exactly one in."""
    record = paper(catalogue, "CRPV0001")
    borrowers = [desk.add_borrower(f"Emprunteur {i}").id for i in range(20)]
    context = multiprocessing.get_context("spawn")
    barrier, queue = context.Barrier(20), context.Queue()
    processes = [
        context.Process(
            target=_raw_in_process,
            args=(str(instance / "catalogue.sqlite3"), record.copies[0].id, b, barrier, queue),
        )
        for b in borrowers
    ]
    for p in processes:
        p.start()
    outcomes = [queue.get(timeout=120) for _ in processes]
    for p in processes:
        p.join(timeout=60)
    assert outcomes.count("ok") == 1
    assert all("already on loan" in o or "UNIQUE" in o for o in outcomes if o != "ok")
    assert len(desk.active_loans()) == 1


# -- reservations ------------------------------------------------------------------------------


def test_a_reservation_queue_decides_who_gets_the_copy_back(catalogue, desk):
    record = paper(catalogue, "CRPV0001")
    paul, anne, zoe = (desk.add_borrower(n) for n in ("Paul", "Anne", "Zoé"))
    with pytest.raises(LoanRefused) as needless:
        desk.reserve(record.id, anne.id, today=TODAY)
    assert needless.value.reason is LoanRefusal.RESERVATION_NEEDLESS
    desk.check_out("CRPV0001", paul.id, today=TODAY)
    desk.reserve(record.id, anne.id, today=TODAY)
    desk.reserve(record.id, zoe.id, today=TODAY)
    with pytest.raises(LoanRefused) as again:
        desk.reserve(record.id, anne.id, today=TODAY)
    assert again.value.reason is LoanRefusal.ALREADY_RESERVED
    with pytest.raises(LoanRefused) as blocked:
        desk.renew("CRPV0001", today=TODAY)
    assert blocked.value.reason is LoanRefusal.RESERVED
    back = desk.check_in("CRPV0001", today=TODAY + timedelta(days=5))
    assert back.next_reservation is not None and back.next_reservation.borrower_name == "Anne"
    with pytest.raises(LoanRefused) as not_first:
        desk.check_out("CRPV0001", zoe.id, today=TODAY + timedelta(days=5))
    assert not_first.value.reason is LoanRefusal.RESERVED
    desk.check_out("CRPV0001", anne.id, today=TODAY + timedelta(days=5))
    assert [(r.borrower_name, r.position) for r in desk.queue(record.id)] == [("Zoé", 1)]


def test_a_borrower_cannot_reserve_what_they_hold(catalogue, desk):
    record = paper(catalogue, "CRPV0001")
    paul = desk.add_borrower("Paul")
    desk.check_out("CRPV0001", paul.id, today=TODAY)
    with pytest.raises(LoanRefused) as refused:
        desk.reserve(record.id, paul.id, today=TODAY)
    assert refused.value.reason is LoanRefusal.HOLDS_COPY


# -- overdue, statistics, GDPR ------------------------------------------------------------------


def test_overdue_loans_come_with_their_days_late(catalogue, desk):
    paper(catalogue, "CRPV0001", "CRPV0002")
    paul = desk.add_borrower("Paul")
    desk.check_out("CRPV0001", paul.id, today=TODAY, due=date(2013, 3, 10))
    desk.check_out("CRPV0002", paul.id, today=TODAY, due=date(2013, 4, 10))
    late = desk.overdue(date(2013, 3, 20))
    assert [(x.barcode, x.days_late(date(2013, 3, 20))) for x in late] == [("CRPV0001", 10)]
    assert desk.counts(date(2013, 3, 20))["overdue"] == 1


def test_erasing_a_borrower_keeps_anonymous_statistics(catalogue, desk):
    record = paper(catalogue, "CRPV0001")
    paul = desk.add_borrower("Paul Dupont", email="paul@example.org", category="association")
    desk.check_out("CRPV0001", paul.id, today=TODAY)
    desk.check_in("CRPV0001", today=TODAY + timedelta(days=3))
    exported = desk.export_borrower(paul.id)
    assert exported["email"] == "paul@example.org" and len(exported["loans"]) == 1
    assert desk.erase_borrower(paul.id) == 1
    assert desk.borrowers() == []
    history = desk.record_history(record.id)
    assert len(history) == 1 and history[0].borrower_id is None and history[0].borrower_name == ""
    assert desk.loans_by_category() == {"association": 1}
    assert desk.most_borrowed() == [(record.id, record.title, 1)]
    assert dict(desk.loans_per_month(TODAY, months=2)) == {"2013-02": 0, "2013-03": 1}


def test_a_borrower_needs_a_name_and_a_plausible_email(desk):
    with pytest.raises(LoanRefused):
        desk.add_borrower("   ")
    with pytest.raises(LoanRefused):
        desk.add_borrower("Paul", email="pas-un-courriel")


def test_the_calendar_token_finds_its_borrower_and_can_be_renewed(desk):
    paul = desk.add_borrower("Paul")
    token = desk.calendar_token(paul.id)
    assert desk.borrower_by_token(token).id == paul.id
    renewed = desk.calendar_token(paul.id, renew=True)
    assert renewed != token and desk.borrower_by_token(token) is None
