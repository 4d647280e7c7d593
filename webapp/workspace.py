"""Configuration of the documentalist's workspace (loans, accounts, uploads), with its defaults.

The keys live beside the general ones (webapp/config.py): they can be set in the instance's
config.py, or for scalar keys as FONDS_<KEY> environment variables. Both the web app and the
CLI read them through `workspace_config()`, so the desk and `fonds loan` apply the same rules.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from typing import Any

from library.loans import DEFAULT_CATEGORIES, LoanPolicy
from library.users import ScryptCost, ThrottlePolicy

WORKSPACE_DEFAULTS: dict[str, Any] = {
    # Loans
    "LOAN_DAYS": 21,  # default loan period, in days
    "LOAN_DAYS_BY_CATEGORY": {},  # e.g. {"etudiant": 14, "collectivite": 28}
    "LOAN_MAX_RENEWALS": 2,
    "LOAN_RENEWAL_DAYS": 0,  # 0: a renewal adds the borrower's loan period again
    "BORROWER_CATEGORIES": DEFAULT_CATEGORIES,  # slug -> label
    "LOAN_DESK_CONTACT": "",  # signature of reminder letters (e-mail, phone of the desk)
    # Accounts and sessions
    "LOGIN_MAX_FAILURES": 5,  # failed logins per login name within the window…
    "LOGIN_MAX_FAILURES_PER_IP": 20,  # …and per client address
    "LOGIN_WINDOW_SECONDS": 900,
    "SESSION_HOURS": 10,  # a workspace session ends after this long, whatever happens
    "SESSION_COOKIE_SECURE": False,  # True: always Secure; False: Secure when served over HTTPS
    "TRUSTED_PROXIES": 0,  # reverse proxies whose X-Forwarded-For/-Proto are believed
    "PASSWORD_SCRYPT_N": 2**15,  # scrypt cost (memory 128·r·n bytes); raise it, never lower it
    # Cataloguing
    "UPLOAD_STAGING_HOURS": 24,  # uploads not confirmed within this delay are discarded
    "REVIEW_LOW_CONFIDENCE": 0.45,  # automatic thematics below this score go to the review list
    # Tests and demonstrations only: the date the desk believes it is (YYYY-MM-DD)
    "TODAY": "",
}


def workspace_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """The workspace keys of a configuration, defaults filled in, FONDS_* variables applied."""
    out = {key: config.get(key, default) for key, default in WORKSPACE_DEFAULTS.items()}
    for key, default in WORKSPACE_DEFAULTS.items():
        raw = os.environ.get(f"FONDS_{key}")
        if raw is None or key in config and config[key] != default:
            continue
        if isinstance(default, bool):
            out[key] = raw.lower() in ("1", "true", "yes", "on")
        elif isinstance(default, int):
            out[key] = int(raw)
        elif isinstance(default, float):
            out[key] = float(raw)
        elif isinstance(default, str):
            out[key] = raw
    return out


def loan_policy(config: Mapping[str, Any]) -> LoanPolicy:
    cfg = workspace_config(config)
    return LoanPolicy(
        default_days=int(cfg["LOAN_DAYS"]),
        days_by_category={str(k): int(v) for k, v in dict(cfg["LOAN_DAYS_BY_CATEGORY"]).items()},
        max_renewals=int(cfg["LOAN_MAX_RENEWALS"]),
        renewal_days=int(cfg["LOAN_RENEWAL_DAYS"]) or None,
    )


def throttle_policy(config: Mapping[str, Any]) -> ThrottlePolicy:
    cfg = workspace_config(config)
    return ThrottlePolicy(
        max_failures_per_login=int(cfg["LOGIN_MAX_FAILURES"]),
        max_failures_per_ip=int(cfg["LOGIN_MAX_FAILURES_PER_IP"]),
        window_seconds=float(cfg["LOGIN_WINDOW_SECONDS"]),
    )


def scrypt_cost(config: Mapping[str, Any]) -> ScryptCost:
    return ScryptCost(n=int(workspace_config(config)["PASSWORD_SCRYPT_N"]))


def categories(config: Mapping[str, Any]) -> dict[str, str]:
    return dict(workspace_config(config)["BORROWER_CATEGORIES"])


def today(config: Mapping[str, Any]) -> date:
    """The desk's date: today, unless the configuration pins one (tests, demonstrations)."""
    pinned = workspace_config(config)["TODAY"]
    return date.fromisoformat(pinned) if pinned else date.today()
