"""The catalogue side of the veille: addresses, confirmation, the watermark and the send ledger
(claims, retries, dead senders), newsletters once, erasure."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from library import Catalogue, Record, ThemeAssignment, ThemeSource
from library.alerts import (
    AlertError,
    AlertProblem,
    Alerts,
    SubscriptionKind,
    entered_the_fund,
    normalise_email,
    sender_id,
    theme_matches,
)

NOW = datetime(2013, 3, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def cat(tmp_path):
    with Catalogue.open(tmp_path / "c.sqlite3") as catalogue:
        yield catalogue


def themed(title: str, slug: str, **fields) -> Record:
    return Record(title=title, themes=(ThemeAssignment(slug, ThemeSource.MANUAL),), **fields)


def confirmed(alerts: Alerts, email: str, *wanted, now=NOW):
    _, token = alerts.request(email, wanted or [("theme", "jeunesse")], origin="test", now=now)
    return alerts.confirm(token, now=now)


@pytest.mark.parametrize(
    "raw, stored",
    [
        ("  Ana.Marie@Example.ORG ", "Ana.Marie@example.org"),
        ("jean+veille@mairie-fortdefrance.fr", "jean+veille@mairie-fortdefrance.fr"),
        ("contact@crpv.martinique.fr", "contact@crpv.martinique.fr"),
    ],
)
def test_addresses_are_trimmed_and_their_domain_lower_cased(raw, stored):
    assert normalise_email(raw) == stored


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ana",
        "ana@",
        "@example.org",
        "ana@example",
        "ana@@example.org",
        "ana @example.org",
        "ana..b@example.org",
        "ana@exa mple.org",
        "<ana@example.org>",
        "a" * 250 + "@example.org",
        "ana@example.org\nBcc: x@example.org",
    ],
)
def test_what_is_not_an_address_is_refused(raw):
    with pytest.raises(AlertError) as caught:
        normalise_email(raw)
    assert caught.value.problem is AlertProblem.INVALID_EMAIL


@given(st.text(max_size=80))
def test_no_text_makes_an_address_with_a_line_break_or_a_space(raw):
    try:
        email = normalise_email(raw)
    except AlertError:
        return
    assert "\n" not in email and "\r" not in email and " " not in email and "@" in email


def test_a_subscription_waits_for_confirmation_then_starts_after_the_records_already_there(cat):
    alerts = Alerts(cat)
    cat.add(themed("Avant l'abonnement", "jeunesse"))
    subscriber, token = alerts.request(
        "ana@example.org", [("theme", "jeunesse"), ("bulletin", "")], origin="formulaire", now=NOW
    )
    assert not subscriber.confirmed and not any(s.confirmed for s in subscriber.subscriptions)
    assert alerts.plan_digests(theme_matches, now=NOW) == 0
    person = alerts.confirm(token, now=NOW)
    assert person.confirmed and all(s.confirmed for s in person.subscriptions)
    assert alerts.plan_digests(theme_matches, now=NOW) == 0  # nothing new since
    with pytest.raises(AlertError) as twice:
        alerts.confirm(token, now=NOW)
    assert twice.value.problem is AlertProblem.ALREADY_CONFIRMED


def test_a_confirmation_link_expires_and_unconfirmed_requests_are_then_forgotten(cat):
    alerts = Alerts(cat, token_hours=72)
    _, token = alerts.request("ana@example.org", [("bulletin", "")], origin="t", now=NOW)
    later = NOW + timedelta(hours=73)
    with pytest.raises(AlertError) as expired:
        alerts.confirm(token, now=later)
    assert expired.value.problem is AlertProblem.TOKEN_EXPIRED
    assert alerts.purge_unconfirmed(now=later) == 1
    assert alerts.subscribers() == []
    with pytest.raises(AlertError) as gone:
        alerts.by_token(token)
    assert gone.value.problem is AlertProblem.UNKNOWN_TOKEN


def test_a_request_needs_a_consent_origin_and_something_well_formed_to_follow(cat):
    alerts = Alerts(cat)
    for wanted, origin, problem in (
        ([("bulletin", "")], " ", AlertProblem.NO_CONSENT),
        ([], "t", AlertProblem.NOTHING_TO_FOLLOW),
        ([("theme", "Pas un slug !")], "t", AlertProblem.INVALID_SUBSCRIPTION),
        ([("horoscope", "x")], "t", AlertProblem.INVALID_SUBSCRIPTION),
    ):
        with pytest.raises(AlertError) as caught:
            alerts.request("ana@example.org", wanted, origin=origin)
        assert caught.value.problem is problem
    assert alerts.subscribers() == []


def test_a_record_goes_once_into_a_digest_and_no_record_is_skipped(cat):
    """GIVEN a subscriber to a thematic
    WHEN records arrive between several plannings, some in the thematic, some not
    THEN every record of the thematic is in exactly one digest."""
    alerts = Alerts(cat)
    confirmed(alerts, "ana@example.org")
    wanted = []
    for round_ in range(4):
        for n in range(3):
            slug = "jeunesse" if n != 1 else "habitat"
            record = cat.add(themed(f"Document {round_}-{n}", slug))
            if slug == "jeunesse":
                wanted.append(record.id)
        alerts.plan_digests(theme_matches, now=NOW)
        alerts.plan_digests(theme_matches, now=NOW)  # again: nothing new
    items = [
        record_id for delivery in alerts.queued() for record_id, _ in alerts.items(delivery.id)
    ]
    assert sorted(items) == sorted(wanted)
    assert len(alerts.queued()) == 4


def test_records_catalogued_long_after_they_entered_the_fund_are_not_news(cat):
    alerts = Alerts(cat)
    confirmed(alerts, "ana@example.org", now=datetime.now(UTC))
    old = cat.add(themed("Acquis il y a trois ans", "jeunesse", created_at="2010-01-05T10:00:00Z"))
    recent = cat.add(themed("Acquis aujourd'hui", "jeunesse"))
    assert entered_the_fund(old) == "2010-01-05"
    alerts.plan_digests(theme_matches)
    (delivery,) = alerts.queued()
    assert [r for r, _ in alerts.items(delivery.id)] == [recent.id]


def test_a_deleted_record_is_not_sent(cat):
    alerts = Alerts(cat)
    confirmed(alerts, "ana@example.org")
    gone = cat.add(themed("À la corbeille", "jeunesse"))
    cat.delete(gone.id)
    assert alerts.plan_digests(theme_matches) == 0


def test_one_sender_per_delivery_a_failure_is_retried_by_the_next_run_then_abandoned(cat):
    alerts = Alerts(cat, max_attempts=2)
    confirmed(alerts, "ana@example.org")
    cat.add(themed("Guide", "jeunesse"))
    alerts.plan_digests(theme_matches)
    first, second = sender_id(), sender_id()
    delivery = alerts.claim_next(first)
    assert delivery is not None and delivery.attempts == 1
    assert alerts.claim_next(second) is None  # taken, and its sender is alive
    alerts.mark_failed(delivery.id, first, "550 refusé")
    assert alerts.claim_next(first) is None  # not retried by the run that failed it
    retry = alerts.claim_next(second)
    assert retry is not None and retry.attempts == 2
    alerts.mark_failed(retry.id, second, "550 refusé")
    assert alerts.claim_next(sender_id()) is None
    (problem,) = alerts.problems()
    assert problem.status == "abandoned" and problem.last_error == "550 refusé"
    alerts.dismiss(problem.id)
    assert alerts.problems() == []


def test_a_claim_held_by_a_dead_process_is_taken_back(cat):
    alerts = Alerts(cat)
    confirmed(alerts, "ana@example.org")
    cat.add(themed("Guide", "jeunesse"))
    alerts.plan_digests(theme_matches)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    owner = sender_id().split("|")
    ghost = f"{owner[0]}|{dead.stdout.strip()}|dead"
    assert alerts.claim_next(ghost) is not None
    taken = alerts.claim_next(sender_id())
    assert taken is not None and taken.attempts == 2


def test_a_claim_older_than_its_lease_is_taken_back_whoever_holds_it(cat):
    alerts = Alerts(cat)
    confirmed(alerts, "ana@example.org")
    cat.add(themed("Guide", "jeunesse"))
    alerts.plan_digests(theme_matches)
    elsewhere = "autre-machine|123|abcd"
    assert alerts.claim_next(elsewhere, now=NOW) is not None
    assert alerts.claim_next(sender_id(), now=NOW + timedelta(minutes=10)) is None
    assert alerts.claim_next(sender_id(), now=NOW + timedelta(hours=2)) is not None


def test_erasing_a_subscriber_removes_their_queue_and_everything_about_them(cat):
    alerts = Alerts(cat)
    person = confirmed(alerts, "ana@example.org")
    cat.add(themed("Guide", "jeunesse"))
    alerts.plan_digests(theme_matches)
    owner = sender_id()
    delivery = alerts.claim_next(owner)
    exported = alerts.export(person.id)
    assert exported["email"] == "ana@example.org" and len(exported["deliveries"]) == 1
    alerts.erase(person.id)
    assert not alerts.still_claimed(delivery.id, owner)
    for table in ("subscribers", "subscriptions", "deliveries", "delivery_items"):
        assert cat.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_unsubscribing_needs_the_links_secret(cat):
    alerts = Alerts(cat)
    person = confirmed(alerts, "ana@example.org")
    for key in ("", "x" * 32, person.unsubscribe_key.upper()):
        with pytest.raises(AlertError):
            alerts.unsubscribe(person.id, key)
    alerts.unsubscribe(person.id, person.unsubscribe_key)
    assert alerts.subscribers() == []


def test_a_newsletter_is_queued_once_for_confirmed_bulletin_subscribers_and_frozen(cat):
    alerts = Alerts(cat)
    confirmed(alerts, "ana@example.org", ("bulletin", ""))
    confirmed(alerts, "boris@example.org", ("theme", "jeunesse"))
    alerts.request("chloe@example.org", [("bulletin", "")], origin="pas confirmé")
    alerts.save_newsletter("2013-03", "Bonjour")
    assert alerts.queue_newsletter("2013-03", "marie") == 1
    for again in (
        lambda: alerts.queue_newsletter("2013-03", "marie"),
        lambda: alerts.save_newsletter("2013-03", "Autre chose"),
    ):
        with pytest.raises(AlertError) as caught:
            again()
        assert caught.value.problem is AlertProblem.NEWSLETTER_SENT
    assert alerts.newsletter("2013-03").introduction == "Bonjour"
    with pytest.raises(AlertError):
        alerts.newsletter("2013-13")


def test_subscription_kinds_are_the_three_the_issue_names():
    assert {k.value for k in SubscriptionKind} == {"theme", "search", "bulletin"}
