"""What the workspace's views share: the desk, the tagger, the audit log, and "make search
show it now" after every write."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from flask import current_app, flash

from indexer.search import IndexBusy
from library import audit
from library.loans import Loans

from .. import security, services
from ..policies import loan_policy
from ..policies import today as configured_today

if TYPE_CHECKING:
    from indexer.tagging import Tagger

log = logging.getLogger(__name__)


def desk() -> Loans:
    return Loans(services.get_catalogue(), loan_policy(current_app.config))


def today() -> date:
    return configured_today(current_app.config)


def tagger() -> Tagger:
    """The instance's tagger (rules, and its learned model when there is one), compiled once
    per vocabulary and model file and process."""
    from indexer.instance import tagger_for_instance
    from indexer.tag_model import MODEL_FILE

    vocabulary = services.get_vocabulary().vocabulary
    model_file = services.paths().root / MODEL_FILE
    stamp = (id(vocabulary), model_file.stat().st_mtime_ns if model_file.exists() else 0)
    state = services.extension_state()
    if state.get("workspace_tagger_stamp") != stamp:
        state["workspace_tagger"], _ = tagger_for_instance(services.paths().root, vocabulary)
        state["workspace_tagger_stamp"] = stamp
    return state["workspace_tagger"]


def reindex(*record_ids: int) -> bool:
    """After a catalogue write: the index shows it before the response is sent. When another
    writer (a long `fonds index`) holds the index past the timeout, the change is safe in the
    catalogue and the next sync catches up; the documentalist is told."""
    try:
        services.reindex_records(*record_ids)
    except IndexBusy:
        log.warning("index busy: records %s will be indexed at the next sync", record_ids)
        flash(
            "Enregistré. L'index de recherche est occupé (indexation en cours) : la "
            "recherche publique le montrera dans quelques instants.",
            "warning",
        )
        return False
    return True


def record_audit(
    action: str,
    *,
    target_type: str = "",
    target_id: int | None = None,
    summary: str = "",
    changes: dict[str, list[Any]] | None = None,
) -> None:
    audit.log(
        services.get_catalogue(),
        security.actor(),
        action,
        target_type=target_type,
        target_id=target_id,
        summary=summary,
        changes=changes,
    )
