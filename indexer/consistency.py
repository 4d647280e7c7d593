"""`fonds check`: do the catalogue, the index and the file store agree? And what can be mended."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from library import Catalogue
from library.store import FileStore, sha256_of

from .search import SearchIndex, rebuild_index, sync_index


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # stable code, e.g. "index-missing"
    message: str  # French, for the user
    repairable: bool = True


def check(catalogue: Catalogue, index: SearchIndex, store: FileStore) -> list[Problem]:
    problems: list[Problem] = []
    for message in catalogue.integrity_problems():
        problems.append(Problem("catalogue-corrupt", f"catalogue abîmé : {message}", False))

    revisions = catalogue.revisions()
    indexed = index.indexed_revisions()
    live = {i for i, (_, deleted) in revisions.items() if not deleted}
    missing = sorted(live - indexed.keys())
    stale = sorted(i for i in live & indexed.keys() if indexed[i] != revisions[i][0])
    orphans = sorted(indexed.keys() - live)
    duplicates = index.duplicate_ids()
    if missing:
        problems.append(
            Problem(
                "index-missing", f"{len(missing)} notices absentes de l'index : {_ids(missing)}"
            )
        )
    if stale:
        problems.append(
            Problem("index-stale", f"{len(stale)} notices périmées dans l'index : {_ids(stale)}")
        )
    if orphans:
        problems.append(
            Problem(
                "index-orphan",
                f"{len(orphans)} entrées d'index sans notice vivante : {_ids(orphans)}",
            )
        )
    if duplicates:
        problems.append(
            Problem(
                "index-duplicate",
                f"{len(duplicates)} notices indexées plusieurs fois : {_ids(duplicates)}",
            )
        )

    known = set()
    for source in catalogue.files():
        known.add(source.store_path)
        wrong = store.verify(source)
        if wrong == "missing":
            problems.append(
                Problem(
                    "store-missing",
                    f"fichier absent du dépôt : {source.store_path} ({source.original_name})",
                    _original_for(catalogue, source.sha256) is not None,
                )
            )
        elif wrong:
            problems.append(
                Problem(
                    "store-corrupt",
                    f"fichier altéré dans le dépôt : {source.store_path} ({source.original_name})",
                    _original_for(catalogue, source.sha256) is not None,
                )
            )
    strays = store.stray_files(known)
    if strays:
        names = ", ".join(p.name for p in strays[:5]) + ("…" if len(strays) > 5 else "")
        problems.append(
            Problem("store-stray", f"{len(strays)} fichiers du dépôt sans notice : {names}")
        )
    return problems


def repair(
    catalogue: Catalogue, index: SearchIndex, store: FileStore, problems: list[Problem]
) -> list[str]:
    """Mend what can be mended; return what was done (French lines)."""
    done: list[str] = []
    kinds = {p.kind for p in problems}
    if "index-duplicate" in kinds:
        report = rebuild_index(catalogue, index)
        done.append(f"index reconstruit ({report.indexed} notices)")
    elif kinds & {"index-missing", "index-stale", "index-orphan"}:
        report = sync_index(catalogue, index)
        done.append(
            f"index mis à jour ({report.indexed} notices indexées, {report.deleted} retirées)"
        )
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
                    f"fichier {source.original_name} recopié depuis {os.fsdecode(original)}"
                )
    if "store-stray" in kinds:
        known = {s.store_path for s in catalogue.files()}
        strays = store.stray_files(known)
        for path in strays:
            path.unlink(missing_ok=True)
        done.append(f"{len(strays)} fichiers orphelins retirés du dépôt")
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


def _ids(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:10])
    return shown + ("…" if len(ids) > 10 else "")
