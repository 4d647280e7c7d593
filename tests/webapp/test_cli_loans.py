"""The workspace's CLI contract: accounts, borrowers and the loan desk, exit codes and JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from library import Catalogue, Copy, Record, Support
from library.audit import entries
from webapp.cli import cli


@pytest.fixture
def run(instance):
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(
            cli, ["--instance", str(instance), *args], input=input, catch_exceptions=False
        )

    return invoke


@pytest.fixture
def fund(instance):
    """Two paper holdings (three copies) and one electronic record."""
    with Catalogue.in_instance(instance) as cat:
        guide = cat.add(
            Record(
                title="Guide de la médiation sociale",
                support=Support.PAPIER,
                copies=(
                    Copy("CRPV0001", "361 MED", "Salle"),
                    Copy("CRPV0002", "361 MED", "Réserve"),
                ),
            )
        )
        actes = cat.add(
            Record(
                title="Actes du séminaire GUP", support=Support.PAPIER, copies=(Copy("CRPV0003"),)
            )
        )
        pdf = cat.add(Record(title="Rapport PDF", support=Support.ELECTRONIQUE))
    return {"guide": guide.id, "actes": actes.id, "pdf": pdf.id}


def add_borrower(run, name: str = "Marie Joseph", *extra: str) -> int:
    result = run("borrower", "add", "--name", name, *extra, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["id"]


def test_borrower_add_prints_the_new_id_and_json_on_request(run, fund):
    plain = run("borrower", "add", "--name", "Paul Marie-Sainte", "--organisation", "CACEM")
    assert plain.exit_code == 0 and plain.output.strip().isdigit()
    data = json.loads(
        run("borrower", "add", "--name", "Anne", "--email", "anne@exemple.fr", "--json").output
    )
    assert data["id"] == int(plain.output) + 1
    assert data["name"] == "Anne" and data["email"] == "anne@exemple.fr"


def test_borrower_add_takes_a_card_and_an_address_and_splits_the_name(run, fund):
    data = json.loads(
        run(
            "borrower",
            "add",
            "--name",
            "JOSEPH Marie",
            "--card",
            "C0042",
            "--address",
            "12 rue Victor Hugo\\n97200 Fort-de-France",
            "--json",
        ).output
    )
    assert (data["family_name"], data["given_names"], data["name"]) == (
        "JOSEPH",
        "Marie",
        "Marie JOSEPH",
    )
    assert data["card_barcode"] == "C0042"
    assert data["address"] == "12 rue Victor Hugo\n97200 Fort-de-France"
    taken = run("borrower", "add", "--name", "Paul", "--card", "C0042")
    assert taken.exit_code == 1 and "appartient déjà à un autre emprunteur" in taken.output


def test_borrower_add_refuses_a_bad_email_with_one_french_line(run, fund):
    result = run("borrower", "add", "--name", "Anne", "--email", "anne-at-exemple")
    assert result.exit_code == 1
    assert "adresse électronique invalide" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_loan_out_return_renew_and_their_refusals(run, fund, instance):
    marie = add_borrower(run)
    out = run("loan", "out", "CRPV0001", str(marie), "--date", "2013-03-04")
    assert out.exit_code == 0 and "jusqu'au 25/03/2013" in out.output
    again = run("loan", "out", "CRPV0001", str(marie))
    assert again.exit_code == 1 and "déjà en prêt (retour prévu le 25/03/2013)" in again.output
    renewed = run("loan", "renew", "CRPV0001", "--date", "2013-03-20")
    assert renewed.exit_code == 0 and "15/04/2013" in renewed.output
    back = run("loan", "return", "CRPV0001", "--date", "2013-04-20")
    assert back.exit_code == 0 and "5 jours de retard" in back.output
    twice = run("loan", "return", "CRPV0001")
    assert twice.exit_code == 1 and "n'est pas en prêt" in twice.output
    with Catalogue.in_instance(instance) as cat:
        actions = [e.action for e in entries(cat)[0]]
    assert actions[:3] == ["loan.return", "loan.renew", "loan.out"]


def test_loan_out_with_an_explicit_due_date(run, fund):
    marie = add_borrower(run)
    result = run(
        "loan",
        "out",
        "CRPV0002",
        str(marie),
        "--due",
        "2013-05-01",
        "--date",
        "2013-03-04",
        "--json",
    )
    assert result.exit_code == 0
    assert json.loads(result.output)["due_date"] == "2013-05-01"


def test_the_desk_refuses_unknown_barcodes_and_suspended_borrowers(run, fund):
    marie = add_borrower(run)
    unknown = run("loan", "out", "NOPE", str(marie))
    assert unknown.exit_code == 1 and "Code-barres inconnu" in unknown.output
    nobody = run("loan", "out", "CRPV0001", "999")
    assert nobody.exit_code == 1 and "introuvable" in nobody.output
    assert run("borrower", "suspend", str(marie), "--reason", "retards").exit_code == 0
    refused = run("loan", "out", "CRPV0001", str(marie))
    assert refused.exit_code == 1 and "Emprunteur suspendu (retards)" in refused.output
    assert run("borrower", "reactivate", str(marie)).exit_code == 0
    assert run("loan", "out", "CRPV0001", str(marie)).exit_code == 0


def test_renewals_stop_at_the_configured_limit(run, fund, instance):
    (instance / "config.py").write_text("LOAN_MAX_RENEWALS = 1\n", encoding="utf-8")
    marie = add_borrower(run)
    run("loan", "out", "CRPV0003", str(marie), "--date", "2013-03-04")
    assert run("loan", "renew", "CRPV0003", "--date", "2013-03-05").exit_code == 0
    refused = run("loan", "renew", "CRPV0003", "--date", "2013-03-06")
    assert refused.exit_code == 1 and "nombre maximal de prolongations (1)" in refused.output


def test_loan_overdue_lists_days_late(run, fund):
    marie = add_borrower(run)
    paul = add_borrower(run, "Paul")
    run("loan", "out", "CRPV0001", str(marie), "--date", "2013-01-02")  # due 2013-01-23
    run("loan", "out", "CRPV0003", str(paul), "--date", "2013-03-01")  # due 2013-03-22
    data = json.loads(run("loan", "overdue", "--date", "2013-03-01", "--json").output)
    assert data["count"] == 1
    assert data["loans"][0]["barcode"] == "CRPV0001" and data["loans"][0]["days_late"] == 37
    assert data["loans"][0]["borrower"] == "Marie Joseph"
    text = run("loan", "overdue", "--date", "2013-03-01").output
    assert "37 j  CRPV0001" in text
    assert "aucun prêt en retard" in run("loan", "overdue", "--date", "2013-01-10").output


def test_borrower_erase_keeps_anonymous_history_and_refuses_while_on_loan(run, fund):
    marie = add_borrower(run, "Marie Joseph", "--email", "marie@exemple.fr")
    run("loan", "out", "CRPV0001", str(marie), "--date", "2013-03-04")
    refused = run("borrower", "erase", str(marie), "--yes")
    assert refused.exit_code == 1 and "prêts en cours" in refused.output
    run("loan", "return", "CRPV0001", "--date", "2013-03-10")
    exported = json.loads(run("borrower", "export", str(marie)).output)
    assert exported["email"] == "marie@exemple.fr" and len(exported["loans"]) == 1
    erased = run("borrower", "erase", str(marie), "--yes")
    assert erased.exit_code == 0 and "1 prêt(s) conservé(s) anonymement" in erased.output
    assert run("borrower", "show", str(marie)).exit_code == 1


def test_loan_commands_need_an_instance(run):
    result = run("loan", "out", "CRPV0001", "1")
    assert result.exit_code == 3


def test_user_add_asks_the_password_twice_and_never_echoes_it(run, instance):
    result = run("user", "add", "marie", input="Fort-de-France 1972\nFort-de-France 1972\n")
    assert result.exit_code == 0, result.output
    assert "compte marie créé" in result.output and "Fort-de-France" not in result.output
    listed = json.loads(run("user", "list", "--json").output)
    assert [u["login"] for u in listed] == ["marie"]


def test_user_add_from_stdin_and_refusals(run):
    short = run("user", "add", "marie", "--password-stdin", input="court\n")
    assert short.exit_code == 1 and "au moins 10 caractères" in short.output
    assert (
        run("user", "add", "marie", "--password-stdin", input="un mot de passe sûr\n").exit_code
        == 0
    )
    taken = run("user", "add", "Marie", "--password-stdin", input="un autre mot de passe\n")
    assert taken.exit_code == 1 and "existe déjà" in taken.output
    changed = run("user", "passwd", "marie", "--password-stdin", input="nouveau mot de passe\n")
    assert changed.exit_code == 0
    unknown = run("user", "passwd", "paul", "--password-stdin", input="nouveau mot de passe\n")
    assert unknown.exit_code == 1 and "introuvable" in unknown.output


def test_user_list_says_how_to_create_the_first_account(run, fund):
    assert "fonds user add IDENTIFIANT" in run("user", "list").output
