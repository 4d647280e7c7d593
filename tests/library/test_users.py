"""Accounts, password hashing, the persisted login throttle and the append-only audit log."""

from __future__ import annotations

import sqlite3

import pytest

from library import Catalogue, audit
from library.users import (
    AccountError,
    AccountProblem,
    LoginThrottle,
    ScryptCost,
    ThrottlePolicy,
    Users,
    cost_of,
    hash_password,
    verify_password,
)

FAST = ScryptCost(n=2**10, r=8, p=1)  # tests need not spend 0.1 s per hash


@pytest.fixture
def catalogue(instance):
    with Catalogue.in_instance(instance) as cat:
        yield cat


@pytest.fixture
def users(catalogue):
    return Users(catalogue, cost=FAST)


def test_a_password_is_stored_hashed_with_a_salt_never_in_clear(catalogue, users):
    users.add("documentaliste", "Fort-de-France 1972")
    stored = catalogue.conn.execute("SELECT password_hash FROM users").fetchone()[0]
    assert "Fort-de-France" not in stored and stored.startswith("scrypt$")
    assert hash_password("même mot de passe", FAST) != hash_password("même mot de passe", FAST)
    assert verify_password("Fort-de-France 1972", stored)
    assert not verify_password("fort-de-france 1972", stored)


def test_default_hashes_use_a_memory_hard_cost():
    stored = hash_password("un mot de passe solide")
    assert cost_of(stored) == ScryptCost(2**15, 8, 1)


def test_authentication_accepts_only_the_right_password_of_an_active_account(users):
    users.add("marie", "mot de passe de Marie")
    assert users.authenticate("marie", "mot de passe de Marie").login == "marie"
    assert users.authenticate("MARIE", "mot de passe de Marie").login == "marie"
    assert users.authenticate("marie", "mauvais mot de passe") is None
    assert users.authenticate("inconnue", "mot de passe de Marie") is None
    users.set_active("marie", False)
    assert users.authenticate("marie", "mot de passe de Marie") is None


def test_weak_passwords_and_odd_logins_are_refused(users):
    with pytest.raises(AccountError) as short:
        users.add("marie", "court")
    assert short.value.problem is AccountProblem.PASSWORD_SHORT
    with pytest.raises(AccountError) as same:
        users.add("marie-claire", "Marie-Claire")
    assert same.value.problem is AccountProblem.PASSWORD_IS_LOGIN
    with pytest.raises(AccountError) as odd:
        users.add("../admin", "un mot de passe solide")
    assert odd.value.problem is AccountProblem.LOGIN_INVALID
    users.add("marie", "un mot de passe solide")
    with pytest.raises(AccountError) as taken:
        users.add("Marie", "un autre mot de passe")
    assert taken.value.problem is AccountProblem.LOGIN_TAKEN
    assert [u.login for u in users.all()] == ["marie"]


def test_changing_a_password_replaces_the_old_one(users):
    users.add("marie", "premier mot de passe")
    users.set_password("marie", "second mot de passe")
    assert users.authenticate("marie", "premier mot de passe") is None
    assert users.authenticate("marie", "second mot de passe") is not None


def test_a_login_with_an_old_cheaper_hash_upgrades_it(catalogue):
    Users(catalogue, cost=FAST).add("marie", "un mot de passe solide")
    stronger = ScryptCost(n=2**11, r=8, p=1)
    Users(catalogue, cost=stronger).authenticate("marie", "un mot de passe solide")
    stored = catalogue.conn.execute("SELECT password_hash FROM users").fetchone()[0]
    assert cost_of(stored) == stronger


def test_the_throttle_blocks_a_login_after_five_failures_then_lets_it_retry(catalogue):
    throttle = LoginThrottle(catalogue, ThrottlePolicy(5, 20, 900))
    for i in range(5):
        assert throttle.retry_after("marie", "10.0.0.1", 1000.0 + i) == 0
        throttle.record("marie", "10.0.0.1", False, 1000.0 + i)
    assert throttle.retry_after("marie", "10.0.0.2", 1010.0) == pytest.approx(890.0)
    assert throttle.retry_after("paul", "10.0.0.1", 1010.0) == 0  # other login, same IP: fine
    assert throttle.retry_after("marie", "10.0.0.1", 1000.0 + 900 + 1) == 0


def test_the_throttle_blocks_an_address_trying_many_logins(catalogue):
    throttle = LoginThrottle(catalogue, ThrottlePolicy(5, 20, 900))
    for i in range(20):
        throttle.record(f"login{i}", "10.0.0.9", False, 1000.0 + i)
    assert throttle.retry_after("nouveau", "10.0.0.9", 1030.0) > 0
    assert throttle.retry_after("nouveau", "10.0.0.8", 1030.0) == 0


def test_the_throttle_survives_a_restart(instance):
    with Catalogue.in_instance(instance) as cat:
        throttle = LoginThrottle(cat)
        for i in range(5):
            throttle.record("marie", "10.0.0.1", False, 1000.0 + i)
    with Catalogue.in_instance(instance) as cat:
        assert LoginThrottle(cat).retry_after("marie", "10.0.0.1", 1010.0) > 0


def test_a_success_resets_the_per_login_count(catalogue):
    throttle = LoginThrottle(catalogue, ThrottlePolicy(5, 20, 900))
    for i in range(4):
        throttle.record("marie", "10.0.0.1", False, 1000.0 + i)
    throttle.record("marie", "10.0.0.1", True, 1005.0)
    throttle.record("marie", "10.0.0.1", False, 1006.0)
    assert throttle.retry_after("marie", "10.0.0.1", 1007.0) == 0


def test_the_audit_log_keeps_before_and_after_and_refuses_tampering(catalogue):
    changes = audit.diff(
        {"title": "Ancien titre", "year": 2009, "email": "a@b.fr"},
        {"title": "Nouveau titre", "year": 2009, "email": "c@d.fr"},
        masked=("email",),
    )
    assert changes == {"email": ["•••", "•••"], "title": ["Ancien titre", "Nouveau titre"]}
    audit.log(
        catalogue,
        "marie",
        "record.edit",
        target_type="record",
        target_id=7,
        summary="Notice modifiée",
        changes=changes,
    )
    found, total = audit.entries(catalogue, target_type="record", target_id=7)
    assert total == 1 and found[0].actor == "marie"
    assert found[0].changes["title"][1] == "Nouveau titre"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        catalogue.conn.execute("UPDATE audit_log SET actor = 'quelqu''un'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        catalogue.conn.execute("DELETE FROM audit_log")
