"""`fonds check`: do the catalogue, the index and the file store agree? And what can be mended.

Problems and repairs are codes with their facts; the edge (`webapp.messages`) words them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from library import Catalogue
from library.store import FileStore, sha256_of

from .search import SearchIndex, rebuild_index, sync_index


@dataclass(frozen=True, slots=True)
class Problem:
    """kind, with its params: catalogue-corrupt (detail); index-missing, index-stale,
    index-orphan, index-duplicate (ids); store-missing, store-corrupt (store_path,
    original_name); store-stray (names)."""

    kind: str  # stable code, e.g. "index-missing"
    params: Mapping[str, Any] = field(default_factory=dict)
    repairable: bool = True


@dataclass(frozen=True, slots=True)
class Repair:
    """What `repair` did: index-rebuilt (indexed); index-synced (indexed, deleted);
    file-restored (name, source); strays-removed (count)."""

    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Checkup:
    """What `fonds check` found, and mended when asked."""

    problems: tuple[Problem, ...]  # what is still wrong (after the repairs, if any)
    repairs: tuple[Repair, ...] = ()
    segments: int = 0  # of the index
    live_records: int = 0  # when all agree: the live records, each indexed once
    files: int = 0  # when all agree: the files of the store, all intact

    @property
    def ok(self) -> bool:
        return not self.problems


def checkup(
    catalogue: Catalogue,
    index: SearchIndex,
    store: FileStore,
    *,
    mend: bool = False,
    rebuild: bool = False,
) -> Checkup:
    """Compare the catalogue, the index and the store; with `mend`, repair what can be and
    compare again. With `rebuild` (a restored instance), the index is first rebuilt from the
    catalogue alone."""
    if rebuild:
        rebuild_index(catalogue, index)
    problems = check(catalogue, index, store)
    repairs: list[Repair] = []
    if mend and problems:
        repairs = repair(catalogue, index, store, problems)
        problems = check(catalogue, index, store)
    if problems:
        return Checkup(tuple(problems), tuple(repairs), index.segment_count())
    return Checkup(
        (),
        tuple(repairs),
        index.segment_count(),
        catalogue.stats().live,
        len(catalogue.files()),
    )


def check(catalogue: Catalogue, index: SearchIndex, store: FileStore) -> list[Problem]:
    problems: list[Problem] = []
    for message in catalogue.integrity_problems():
        problems.append(Problem("catalogue-corrupt", {"detail": message}, False))

    revisions = catalogue.revisions()
    indexed = index.indexed_revisions()
    live = {i for i, (_, deleted) in revisions.items() if not deleted}
    missing = sorted(live - indexed.keys())
    stale = sorted(i for i in live & indexed.keys() if indexed[i] != revisions[i][0])
    orphans = sorted(indexed.keys() - live)
    duplicates = index.duplicate_ids()
    for kind, ids in (
        ("index-missing", missing),
        ("index-stale", stale),
        ("index-orphan", orphans),
        ("index-duplicate", duplicates),
    ):
        if ids:
            problems.append(Problem(kind, {"ids": list(ids)}))

    known = set()
    for source in catalogue.files():
        known.add(source.store_path)
        wrong = store.verify(source)
        if wrong == "missing":
            problems.append(
                Problem(
                    "store-missing",
                    _where(source.store_path, source.original_name),
                    _original_for(catalogue, source.sha256) is not None,
                )
            )
        elif wrong:
            problems.append(
                Problem(
                    "store-corrupt",
                    _where(source.store_path, source.original_name),
                    _original_for(catalogue, source.sha256) is not None,
                )
            )
    strays = store.stray_files(known)
    if strays:
        problems.append(Problem("store-stray", {"names": [p.name for p in strays]}))
    return problems


def repair(
    catalogue: Catalogue, index: SearchIndex, store: FileStore, problems: list[Problem]
) -> list[Repair]:
    """Mend what can be mended; return what was done."""
    done: list[Repair] = []
    kinds = {p.kind for p in problems}
    if "index-duplicate" in kinds:
        report = rebuild_index(catalogue, index)
        done.append(Repair("index-rebuilt", {"indexed": report.indexed}))
    elif kinds & {"index-missing", "index-stale", "index-orphan"}:
        report = sync_index(catalogue, index)
        done.append(Repair("index-synced", {"indexed": report.indexed, "deleted": report.deleted}))
    if kinds & {"store-missing", "store-corrupt"}:
        for source in catalogue.files():
            if store.verify(source) is None:
                continue
            original = _original_for(catalogue, source.sha256)
            if original is not None:
                target = store.path(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(original, target)
                done.append(
                    Repair(
                        "file-restored",
                        {"name": source.original_name, "source": os.fsdecode(original)},
                    )
                )
    if "store-stray" in kinds:
        known = {s.store_path for s in catalogue.files()}
        strays = store.stray_files(known)
        for path in strays:
            path.unlink(missing_ok=True)
        done.append(Repair("strays-removed", {"count": len(strays)}))
    return done


def _original_for(catalogue: Catalogue, sha256: str) -> Path | None:
    """A path the file was indexed from that still holds the same content."""
    for raw in catalogue.paths_with_content(sha256):
        path = Path(os.fsdecode(raw))
        try:
            if path.is_file() and sha256_of(path) == sha256:
                return path
        except OSError:
            continue
    return None


def _where(store_path: str, original_name: str) -> dict[str, str]:
    return {"store_path": store_path, "original_name": original_name}
