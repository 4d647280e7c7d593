"""`fonds alert add|list|remove|send` against a real SMTP server (aiosmtpd on a free port):
what arrives, once, and what happens when the server refuses, is down, or the sender dies."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from library import Catalogue, Record, SourceFile, Support, ThemeAssignment, ThemeSource
from library.alerts import Alerts
from webapp.cli import cli

from .smtp_fixtures import body, free_port

REPO = Path(__file__).resolve().parents[2]


def write_config(instance: Path, config: dict) -> None:
    lines = [f"{key} = {value!r}" for key, value in config.items()]
    (instance / "config.py").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def run(instance):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--instance", str(instance), *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def mailing(instance, smtp):
    """An instance whose configuration points at the test's SMTP server, with one old record."""
    write_config(instance, smtp.config)
    with Catalogue.in_instance(instance) as cat:
        cat.add(Record(title="Un document déjà là avant tout abonnement"))
    return smtp


def themed(title: str, *slugs: str, **fields) -> Record:
    themes = tuple(ThemeAssignment(s, ThemeSource.MANUAL) for s in slugs)
    return Record(title=title, themes=themes, **fields)


def add_records(instance: Path, *records: Record) -> list[int]:
    with Catalogue.in_instance(instance) as cat:
        return [cat.add(r).id for r in records]


def confirm_link(message) -> str:
    match = re.search(r"https://fonds\.example\.org/alertes/confirmer/(\S+)", body(message))
    assert match, body(message)
    return match.group(1)


def subscribe(run, instance, inbox, email: str, *options: str) -> None:
    """GIVEN a subscriber added from the CLI, who confirmed through the e-mail's link."""
    result = run("alert", "add", email, *options)
    assert result.exit_code == 0, result.output
    token = confirm_link(inbox.to(email)[-1])
    with Catalogue.in_instance(instance) as cat:
        Alerts(cat).confirm(token)


def digests(inbox, email: str) -> list:
    return [m for m in inbox.to(email) if "nouveaut" in m["Subject"]]


# -- add, list, remove ------------------------------------------------------------------------


def test_alert_add_sends_the_confirmation_and_list_shows_it_pending_then_confirmed(
    run, instance, mailing
):
    result = run("alert", "add", "ana@example.org", "--theme", "jeunesse", "--bulletin")
    assert result.exit_code == 0, result.output
    assert "Confirmation envoyée à ana@example.org" in result.output
    (message,) = mailing.to("ana@example.org")
    assert message["Subject"].startswith("Confirmez votre abonnement")
    assert "Politiques de jeunesse" in body(message)
    assert "Lettre d'information mensuelle" in unescape(body(message, "html"))

    listed = json.loads(run("alert", "list", "--json").output)
    assert listed[0]["email"] == "ana@example.org" and listed[0]["confirmed"] is False
    assert listed[0]["consent_origin"].startswith("ajout par la documentaliste")
    assert {(s["kind"], s["value"]) for s in listed[0]["subscriptions"]} == {
        ("theme", "jeunesse"),
        ("bulletin", ""),
    }

    with Catalogue.in_instance(instance) as cat:
        Alerts(cat).confirm(confirm_link(message))
    listed = json.loads(run("alert", "list", "--json").output)
    assert listed[0]["confirmed"] and all(s["confirmed"] for s in listed[0]["subscriptions"])
    assert "confirmé" in run("alert", "list").output


def test_alert_add_refuses_a_bad_address_an_unknown_thematic_and_nothing_to_follow(run, mailing):
    bad = run("alert", "add", "pas-une-adresse", "--bulletin")
    assert bad.exit_code == 1 and "n'est pas valide" in bad.output
    unknown = run("alert", "add", "ana@example.org", "--theme", "astrologie")
    assert unknown.exit_code == 1 and "thématique inconnue : astrologie" in unknown.output
    nothing = run("alert", "add", "ana@example.org")
    assert nothing.exit_code == 1 and "au moins une chose à suivre" in nothing.output
    assert mailing.messages == []
    assert json.loads(run("alert", "list", "--json").output) == []


def test_alert_remove_erases_the_subscriber_and_an_unknown_address_is_said(run, instance, mailing):
    subscribe(run, instance, mailing, "ana@example.org", "--theme", "jeunesse")
    done = run("alert", "remove", "ANA@example.org")
    assert done.exit_code == 0 and "désabonné" in done.output
    assert json.loads(run("alert", "list", "--json").output) == []
    again = run("alert", "remove", "ana@example.org")
    assert again.exit_code == 1 and "Aucun abonné" in again.output


def test_a_send_without_base_url_or_smtp_is_refused_clearly(run, instance, smtp):
    write_config(instance, {**smtp.config, "BASE_URL": ""})
    Catalogue.in_instance(instance).close()
    result = run("alert", "send")
    assert result.exit_code == 1 and "BASE_URL n'est pas configurée" in result.output
    add = run("alert", "add", "ana@example.org", "--bulletin")
    assert add.exit_code == 1 and "BASE_URL" in add.output
    write_config(instance, {"BASE_URL": "https://fonds.example.org"})
    result = run("alert", "send")
    assert result.exit_code == 1 and "SMTP_HOST et MAIL_FROM" in result.output
    assert smtp.messages == []


def test_an_smtp_server_that_is_down_is_reported_and_nothing_is_lost(run, instance, mailing):
    subscribe(run, instance, mailing, "ana@example.org", "--theme", "jeunesse")
    add_records(instance, themed("Guide des chantiers éducatifs", "jeunesse"))
    write_config(instance, {**mailing.config, "SMTP_PORT": free_port()})  # nobody listens
    down = run("alert", "send")
    assert down.exit_code == 4 and "injoignable" in down.output
    write_config(instance, mailing.config)
    back = run("alert", "send", "--json")
    assert back.exit_code == 0, back.output
    (digest,) = digests(mailing, "ana@example.org")
    assert "Guide des chantiers éducatifs" in body(digest)


def test_an_smtp_server_refusing_the_password_stops_the_run_and_sends_later(
    run,
    instance,
    smtp_auth,
):
    write_config(instance, smtp_auth.config)
    with Catalogue.in_instance(instance) as cat:
        subscriber, token = Alerts(cat).request(
            "ana@example.org", [("theme", "jeunesse")], origin="test"
        )
        Alerts(cat).confirm(token)
    add_records(instance, themed("Guide des chantiers éducatifs", "jeunesse"))
    write_config(instance, {**smtp_auth.config, "SMTP_PASSWORD": "mauvais"})
    refused = run("alert", "send")
    assert refused.exit_code == 4 and "refuse l'identification" in refused.output
    assert smtp_auth.messages == []
    write_config(instance, smtp_auth.config)
    assert run("alert", "send").exit_code == 0
    assert len(digests(smtp_auth, "ana@example.org")) == 1


# -- digests ----------------------------------------------------------------------------------


def test_each_subscriber_receives_the_new_records_of_their_subscription_once(
    run, instance, mailing
):
    """GIVEN one subscriber to a thematic, one to a search, one to the bulletin only
    WHEN records enter the fund and `alert send` runs twice
    THEN each receives one digest with what matches them, nothing from before, and the second
    run sends nothing."""
    subscribe(run, instance, mailing, "jeunesse@example.org", "--theme", "jeunesse")
    subscribe(run, instance, mailing, "mediation@example.org", "--query", "médiation sociale")
    subscribe(run, instance, mailing, "lettre@example.org", "--bulletin")
    with Catalogue.in_instance(instance) as cat:
        cat.add_file(
            SourceFile("a" * 64, "chantiers.pdf", "application/pdf", 10, "aa/chantiers.pdf")
        )
        stored = cat.files()[0]
    guide, mediation, other = add_records(
        instance,
        themed(
            "Guide des chantiers éducatifs",
            "jeunesse",
            year=2012,
            abstract="Un guide pour les chantiers éducatifs des quartiers. " * 20,
            support=Support.ELECTRONIQUE,
            file=stored,
        ),
        themed("La médiation sociale à Fort-de-France", "mediation-sociale", year=2011),
        themed("Budget de la ville", "evaluation"),
    )
    first = run("alert", "send", "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert report["queued"] == 2
    assert sorted(s["email"] for s in report["sent"]) == [
        "jeunesse@example.org",
        "mediation@example.org",
    ]

    (digest,) = digests(mailing, "jeunesse@example.org")
    text, html = body(digest), body(digest, "html")
    assert digest["Subject"].startswith("1 nouveauté dans le fonds")
    assert "Guide des chantiers éducatifs" in text and "2012" in text
    assert "Un guide pour les chantiers éducatifs" in text and text.count("Un guide") < 10
    assert f"https://fonds.example.org/notice/{guide}" in text
    assert f"https://fonds.example.org/notice/{guide}/fichier" in html
    assert "médiation sociale à Fort-de-France" not in text
    assert "déjà là avant" not in text
    assert "<img" not in html and 'lang="fr"' in html
    (digest,) = digests(mailing, "mediation@example.org")
    assert "La médiation sociale à Fort-de-France" in body(digest)
    assert f"/notice/{mediation}" in body(digest) and f"/notice/{other}" not in body(digest)
    assert digests(mailing, "lettre@example.org") == []

    second = run("alert", "send", "--json")
    assert json.loads(second.output)["sent"] == []
    add_records(instance, themed("Les conseils de jeunes", "jeunesse"))
    run("alert", "send")
    later = digests(mailing, "jeunesse@example.org")
    assert len(later) == 2
    assert "Les conseils de jeunes" in body(later[1])
    assert "Guide des chantiers" not in body(later[1])


def test_every_digest_carries_a_one_click_unsubscribe(run, instance, mailing, tmp_path):
    subscribe(run, instance, mailing, "ana@example.org", "--theme", "jeunesse")
    add_records(instance, themed("Guide des chantiers éducatifs", "jeunesse"))
    run("alert", "send")
    (digest,) = digests(mailing, "ana@example.org")
    header = digest["List-Unsubscribe"]
    assert re.fullmatch(r"<https://fonds\.example\.org/alertes/desabonnement/\d+/\S+>", header)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header[1:-1] in body(digest) and header[1:-1] in body(digest, "html")


def test_dry_run_shows_what_would_go_and_changes_nothing(run, instance, mailing):
    subscribe(run, instance, mailing, "ana@example.org", "--theme", "jeunesse")
    (record,) = add_records(instance, themed("Guide des chantiers éducatifs", "jeunesse"))
    preview = json.loads(run("alert", "send", "--dry-run", "--json").output)
    assert preview["dry_run"] is True
    assert preview["planned"] == [
        {"email": "ana@example.org", "kind": "digest", "records": [record]}
    ]
    assert "1 courriel(s) partiraient" in run("alert", "send", "--dry-run").output
    assert digests(mailing, "ana@example.org") == []
    run("alert", "send")
    assert len(digests(mailing, "ana@example.org")) == 1


def test_a_refused_recipient_is_retried_at_the_next_run_then_abandoned_and_reported(
    run, instance, mailing
):
    write_config(instance, {**mailing.config, "ALERT_MAX_ATTEMPTS": 3})
    subscribe(run, instance, mailing, "ana@example.org", "--theme", "jeunesse")
    subscribe(run, instance, mailing, "boris@example.org", "--theme", "jeunesse")
    subscribe(run, instance, mailing, "chloe@example.org", "--theme", "jeunesse")
    add_records(instance, themed("Guide des chantiers éducatifs", "jeunesse"))
    mailing.refuse = {"boris@example.org", "chloe@example.org"}

    first = run("alert", "send", "--json")
    assert first.exit_code == 1
    assert "refusé(s) par le serveur" in first.output
    assert len(digests(mailing, "ana@example.org")) == 1

    mailing.refuse = {"chloe@example.org"}  # Boris's mailbox is back
    run("alert", "send")
    assert len(digests(mailing, "boris@example.org")) == 1
    run("alert", "send")  # Chloé: third and last try
    run("alert", "send")  # abandoned: not tried again
    assert digests(mailing, "chloe@example.org") == []
    assert [len(digests(mailing, a)) for a in ("ana@example.org", "boris@example.org")] == [1, 1]
    with Catalogue.in_instance(instance) as cat:
        (problem,) = Alerts(cat).problems()
    assert (problem.email, problem.status, problem.attempts) == (
        "chloe@example.org",
        "abandoned",
        3,
    )
    assert "550" in problem.last_error


def test_a_subscriber_erased_while_a_send_runs_receives_nothing(run, instance, mailing):
    subscribe(run, instance, mailing, "ana@example.org", "--theme", "jeunesse")
    subscribe(run, instance, mailing, "boris@example.org", "--theme", "jeunesse")
    add_records(instance, themed("Guide des chantiers éducatifs", "jeunesse"))

    def erase_boris(message):
        if message["To"] == "ana@example.org":
            with Catalogue.in_instance(instance) as cat:
                alerts = Alerts(cat)
                alerts.erase(alerts.by_email("boris@example.org").id)
        return None

    mailing.on_message = erase_boris
    result = run("alert", "send", "--json")
    assert result.exit_code == 0, result.output
    assert len(digests(mailing, "ana@example.org")) == 1
    assert digests(mailing, "boris@example.org") == []


# -- concurrency and crashes ------------------------------------------------------------------


def _fonds(instance: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "FONDS_INSTANCE": str(instance), "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", "from webapp.cli import main; main()", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _many_subscribers(instance: Path, count: int) -> list[str]:
    emails = [f"abonne{n:02d}@example.org" for n in range(count)]
    with Catalogue.in_instance(instance) as cat:
        alerts = Alerts(cat)
        for email in emails:
            _, token = alerts.request(email, [("theme", "jeunesse")], origin="test")
            alerts.confirm(token)
    add_records(instance, themed("Guide des chantiers éducatifs", "jeunesse"))
    return emails


@pytest.mark.slow
def test_two_sends_at_once_send_each_digest_once(instance, mailing):
    emails = _many_subscribers(instance, 12)
    first, second = _fonds(instance, "alert", "send"), _fonds(instance, "alert", "send")
    for process in (first, second):
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert sorted(m["To"] for m in mailing.messages) == emails


@pytest.mark.slow
def test_a_send_killed_in_the_middle_resumes_without_sending_twice_or_losing_one(instance, mailing):
    """GIVEN eight subscribers with a digest due
    WHEN the sender is killed (SIGKILL) while the server receives the fourth message, which the
    server therefore never accepts, and `alert send` runs again
    THEN every subscriber has exactly one digest."""
    emails = _many_subscribers(instance, 8)
    state = {"process": None, "seen": 0}
    lock = threading.Lock()

    def kill_at_fourth(message):
        with lock:
            state["seen"] += 1
            if state["seen"] == 4:
                state["process"].send_signal(signal.SIGKILL)
                state["process"].wait()
                return "451 4.3.0 Connection lost"
        return None

    mailing.on_message = kill_at_fourth
    state["process"] = _fonds(instance, "alert", "send")
    state["process"].communicate(timeout=120)
    assert state["process"].returncode == -signal.SIGKILL
    assert len(mailing.messages) == 3

    mailing.on_message = None
    resumed = _fonds(instance, "alert", "send", "--json")
    out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    assert len(json.loads(out)["sent"]) == 5
    assert sorted(m["To"] for m in mailing.messages) == emails


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_server_without_tls_gets_nothing_when_tls_is_configured(run, instance, mailing, security):
    """STARTTLS or implicit TLS asked, a server that offers neither: nothing goes in clear."""
    subscribe(run, instance, mailing, "ana@example.org", "--theme", "jeunesse")
    add_records(instance, themed("Guide des chantiers éducatifs", "jeunesse"))
    write_config(instance, {**mailing.config, "SMTP_SECURITY": security})
    result = run("alert", "send")
    assert result.exit_code == 4 and "injoignable" in result.output
    assert digests(mailing, "ana@example.org") == []
    write_config(instance, {**mailing.config, "SMTP_SECURITY": "ssl"})
    wrong = run("alert", "send")
    assert wrong.exit_code == 1 and "SMTP_SECURITY doit valoir" in wrong.output


def test_a_long_digest_lists_every_record_and_stays_under_webmail_clipping(run, instance, mailing):
    subscribe(run, instance, mailing, "ana@example.org", "--theme", "jeunesse")
    ids = add_records(
        instance,
        *(
            themed(
                f"Fiche d'expérience n° {n}", "jeunesse", abstract=f"Résumé {n}. " + "Texte " * 80
            )
            for n in range(60)
        ),
    )
    run("alert", "send")
    (digest,) = digests(mailing, "ana@example.org")
    text = body(digest)
    assert {int(n) for n in re.findall(r"Notice : \S+/notice/(\d+)\s", text)} == set(ids)
    assert text.count("Résumé ") == 20
    assert len(digest.as_bytes()) < 100_000
