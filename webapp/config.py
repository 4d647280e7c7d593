"""Configuration in one place: defaults here, then the instance's config.py, then FONDS_*
environment variables, then explicit overrides (tests). The web app and the CLI both read it;
`library` and `indexer` never do: they receive values as arguments."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from library.loans import DEFAULT_CATEGORIES

DEFAULTS: dict[str, Any] = {
    # Indexing
    "MAX_FILE_SIZE": 100 * 1024 * 1024,  # bytes; larger files are reported, not read
    "EXTRACT_TIMEOUT": 120,  # seconds per file
    "INDEX_JOBS": 0,  # extraction processes; 0 = one per core
    "INDEX_BATCH_SECONDS": 2.0,  # the index is committed at least this often during a batch
    # most documents in one paced index commit; a batch (import, retag) writes one segment
    # apart and reads at most this many (and 500) records from the catalogue at a time
    "INDEX_BATCH_MAX": 2000,
    "INDEX_WRITE_TIMEOUT": 60.0,  # seconds a writer waits for another one to finish
    # OCR of scans (`fonds ocr`; needs Tesseract, see the README)
    "OCR_LANGUAGES": "fra+eng+spa",  # Tesseract language packs, joined by '+'
    "OCR_JOBS": 0,  # OCR processes; 0 = one per core
    "OCR_PAGE_TIMEOUT": 180,  # seconds Tesseract may spend on one page (then it is skipped)
    "OCR_MAX_PAGES": 1000,  # longer scans are refused with a message (split them first)
    # Search
    "SEARCH_PER_PAGE": 20,
    "SEARCH_MAX_PER_PAGE": 100,
    # at most this much (MB) of decoded posting lists kept between searches: the words many
    # queries share; a 2,000-document fund's take about 50 MB
    "SEARCH_KEPT_POSTINGS_MB": 256,
    # Web
    "MAX_UPLOAD_SIZE": 100 * 1024 * 1024,
    "SITE_NAME": "Centre de ressources politique de la ville de Martinique",
    # Sharing
    "OAI_REPOSITORY_DOMAIN": "crpv-martinique.fr",
    "OAI_ADMIN_EMAIL": "documentation@crpv-martinique.fr",
    "OAI_PAGE_SIZE": 100,
    "OAI_TOKEN_TTL": 3600,  # seconds a resumptionToken stays valid
    "OAI_SETS": True,  # sets = thematics and document types; False answers noSetHierarchy
    "FEED_PAGE_SIZE": 20,  # entries per page of an Atom feed
    "BASE_URL": "",  # public address, for links in exports and feeds; empty = from the request
    # Loans
    "LOAN_DAYS": 21,  # default loan period, in days
    "LOAN_DAYS_BY_CATEGORY": {},  # e.g. {"etudiant": 14, "collectivite": 28}
    "LOAN_MAX_RENEWALS": 2,
    "LOAN_RENEWAL_DAYS": 0,  # 0: a renewal adds the borrower's loan period again
    "BORROWER_CATEGORIES": DEFAULT_CATEGORIES,  # slug -> label
    "LOAN_DESK_CONTACT": "",  # signature of reminder letters (e-mail, phone of the desk)
    # Mail (veille by e-mail, reminders): without SMTP_HOST and MAIL_FROM nothing is sent
    "SMTP_HOST": "",
    "SMTP_PORT": 0,  # 0: the usual port of SMTP_SECURITY (25, 587 or 465)
    "SMTP_SECURITY": "starttls",  # none, starttls or tls
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    "MAIL_FROM": "",  # e.g. "Centre de ressources <documentation@crpv-martinique.fr>"
    "ALERT_CONFIRM_HOURS": 72,  # a subscription's confirmation link is valid this long
    "ALERT_MAX_ATTEMPTS": 5,  # tries of a refused message (one per `alert send`), then reported
    "ALERT_SUBSCRIBE_PER_ADDRESS": 3,  # subscription requests per address per hour (anti-abuse)
    "ALERT_SUBSCRIBE_PER_IP": 10,  # …and per client address per hour
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
    # automatic thematics below this score go to the review list; None: the tagger's own
    # threshold (0.45 for the rules' scores, 0.6 for a learned model's probabilities)
    "REVIEW_LOW_CONFIDENCE": None,
    # Tests and demonstrations only: the date the desk and the bulletin believe it is (YYYY-MM-DD)
    "TODAY": "",
}


def load_config(instance: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    config = dict(DEFAULTS)
    config_file = instance / "config.py"
    if config_file.is_file():
        namespace: dict[str, Any] = {}
        exec(compile(config_file.read_text(encoding="utf-8"), str(config_file), "exec"), namespace)
        config.update({k: v for k, v in namespace.items() if k.isupper()})
    for key, default in DEFAULTS.items():
        raw = os.environ.get(f"FONDS_{key}")
        if raw is not None and isinstance(default, (bool, int, float, str)):
            config[key] = _parse(raw, default)
    config.update(overrides or {})
    return config


def _parse(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw
