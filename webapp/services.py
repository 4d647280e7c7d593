"""What views use: the catalogue (one connection per request, on `g`), and the search index,
the vocabulary and the finder (one per process, shared between threads)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_request_context, request

from indexer.instance import VocabularyLoad, load_for_instance
from indexer.search import Finder, SearchIndex, sync_index
from indexer.search.concepts import concepts_from
from library import Catalogue
from library.instance import InstancePaths
from library.store import FileStore

from .messages import facet_label

_LOCK = threading.Lock()


def init_app(app: Flask) -> None:
    app.extensions["fonds"] = {}
    app.teardown_appcontext(_close_catalogue)


def paths() -> InstancePaths:
    return InstancePaths(Path(current_app.config["INSTANCE"]))


def get_catalogue() -> Catalogue:
    if "catalogue" not in g:
        g.catalogue = _kept_catalogue(paths())
    return g.catalogue


# One catalogue connection per thread, kept from one request to the next: SQLite's page cache
# and prepared statements survive (a result page's 20 records, texts and availability read in
# ~9 ms on a new connection, under 2 ms on a kept one). One instance at a time per thread.
_KEPT = threading.local()


def _kept_catalogue(where: InstancePaths) -> Catalogue:
    """The thread's connection to this instance's catalogue, opened again when the file was
    replaced (a restore) or another instance is asked for."""
    file = where.catalogue
    kept = getattr(_KEPT, "entry", None)
    if kept is not None:
        path, identity, catalogue = kept
        if path == file and identity == _identity(file):
            return catalogue
        _KEPT.entry = None
        catalogue.close()
    catalogue = Catalogue.in_instance(where.root)
    _KEPT.entry = (file, _identity(file), catalogue)
    return catalogue


def _identity(file: Path) -> tuple[int, int] | None:
    try:
        stat = file.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _close_catalogue(exc: BaseException | None) -> None:
    """The request's end: the kept connection stays open, with no transaction left behind."""
    catalogue = g.pop("catalogue", None)
    if catalogue is not None and catalogue.conn.in_transaction:
        catalogue.conn.rollback()


def get_store() -> FileStore:
    return FileStore(paths().store_dir)


def get_vocabulary() -> VocabularyLoad:
    """The vocabulary in force, re-read when its file changes (the documentalist edits it)."""
    state = current_app.extensions["fonds"]
    file = paths().vocabulary
    stamp = file.stat().st_mtime_ns if file.exists() else 0
    with _LOCK:
        if state.get("vocabulary_stamp") != stamp or "vocabulary" not in state:
            state["vocabulary"] = load_for_instance(paths().root)
            state["vocabulary_stamp"] = stamp
            if "index" in state:
                vocabulary = state["vocabulary"].vocabulary
                state["index"].set_equivalences(vocabulary.equivalences(), vocabulary.related())
                state["index"].set_concepts(concepts_from(vocabulary.themes))
    return state["vocabulary"]


def get_index() -> SearchIndex:
    """The process's index, opened and brought up to date with the catalogue on first use."""
    state = current_app.extensions["fonds"]
    with _LOCK:
        index = state.get("index")
        if index is None:
            index = SearchIndex.open(
                paths().index_dir,
                write_timeout=float(current_app.config["INDEX_WRITE_TIMEOUT"]),
                batch_limit=int(current_app.config["INDEX_BATCH_MAX"]),
            )
            index.keep_postings(float(current_app.config["SEARCH_KEPT_POSTINGS_MB"]))
            state["index"] = index
            fresh = True
        else:
            fresh = False
    if fresh:
        vocabulary = get_vocabulary().vocabulary
        index.set_equivalences(vocabulary.equivalences(), vocabulary.related())
        index.set_concepts(concepts_from(vocabulary.themes))
        sync_index(get_catalogue(), index)
    return index


def get_finder() -> Finder:
    return Finder(
        get_catalogue(),
        get_index(),
        theme_labels=get_vocabulary().vocabulary.labels(),
        availability=get_availability,
        value_label=facet_label,
    )


def get_availability() -> Mapping[int, tuple[str, ...]]:
    """Copies' availability for search facets, read again only when a record, a copy or a loan
    changed (reading it costs ~20 ms at 20,000 records; the stamp well under 1 ms)."""
    state = current_app.extensions["fonds"]
    catalogue = get_catalogue()
    stamp = catalogue.availability_stamp()
    cached = state.get("availability")
    if cached is not None and cached[0] == stamp:
        return cached[1]
    value = catalogue.availability()
    state["availability"] = (stamp, value)  # one assignment: threads see old or new, whole
    return value


def reindex_records(*record_ids: int) -> None:
    """After a write to the catalogue: make the index show it now (no stale result)."""
    sync_index(get_catalogue(), get_index())


def theme_labels() -> dict[str, str]:
    """The thematics' labels; read once per request (a results page asks for one per badge)."""
    if not has_request_context():
        return get_vocabulary().vocabulary.labels()
    labels = getattr(request, "_fonds_theme_labels", None)
    if labels is None:
        labels = get_vocabulary().vocabulary.labels()
        request._fonds_theme_labels = labels  # type: ignore[attr-defined]  # per-request cache
    return labels


def extension_state() -> dict[str, Any]:
    return current_app.extensions["fonds"]
