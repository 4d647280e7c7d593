"""Configuration in one place: defaults here, then the instance's config.py, then FONDS_*
environment variables, then explicit overrides (tests). The web app and the CLI both read it;
`library` and `indexer` never do: they receive values as arguments."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    # Indexing
    "MAX_FILE_SIZE": 100 * 1024 * 1024,  # bytes; larger files are reported, not read
    "EXTRACT_TIMEOUT": 120,  # seconds per file
    "INDEX_JOBS": 0,  # extraction processes; 0 = one per core
    "INDEX_BATCH_SECONDS": 2.0,  # the index is committed at least this often during a batch
    "INDEX_WRITE_TIMEOUT": 60.0,  # seconds a writer waits for another one to finish
    # Search
    "SEARCH_PER_PAGE": 20,
    "SEARCH_MAX_PER_PAGE": 100,
    # Web
    "MAX_UPLOAD_SIZE": 100 * 1024 * 1024,
    "SITE_NAME": "Centre de ressources politique de la ville de Martinique",
    # Sharing
    "OAI_REPOSITORY_DOMAIN": "crpv-martinique.fr",
    "OAI_ADMIN_EMAIL": "documentation@crpv-martinique.fr",
    "OAI_PAGE_SIZE": 100,
    "OAI_TOKEN_TTL": 3600,  # seconds a resumptionToken stays valid
    "BASE_URL": "",  # public address, for links in exports and feeds; empty = from the request
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
        if raw is not None:
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
