"""The workspace's settings (loans, accounts, uploads) as the policies library/ applies.

Their defaults live with every other setting in webapp/config.py. Both the web app and the
CLI read them through here, so the desk and `fonds loan` apply the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from library.loans import LoanPolicy
from library.users import ScryptCost, ThrottlePolicy

from .config import DEFAULTS

WORKSPACE_KEYS = (
    "LOAN_DAYS",
    "LOAN_DAYS_BY_CATEGORY",
    "LOAN_MAX_RENEWALS",
    "LOAN_RENEWAL_DAYS",
    "BORROWER_CATEGORIES",
    "LOAN_DESK_CONTACT",
    "LOGIN_MAX_FAILURES",
    "LOGIN_MAX_FAILURES_PER_IP",
    "LOGIN_WINDOW_SECONDS",
    "SESSION_HOURS",
    "SESSION_COOKIE_SECURE",
    "TRUSTED_PROXIES",
    "PASSWORD_SCRYPT_N",
    "UPLOAD_STAGING_HOURS",
    "REVIEW_LOW_CONFIDENCE",
    "TODAY",
)
WORKSPACE_DEFAULTS: dict[str, Any] = {key: DEFAULTS[key] for key in WORKSPACE_KEYS}


def workspace_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """The workspace keys of a configuration (webapp/config.py's load_config already applied
    the instance's config.py and FONDS_* variables), defaults filled in for partial ones."""
    return {key: config.get(key, default) for key, default in WORKSPACE_DEFAULTS.items()}


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
    if isinstance(pinned, date):
        return pinned
    return date.fromisoformat(pinned) if pinned else date.today()
