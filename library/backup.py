"""Backups of an instance as one zip, and their restoration.

What goes in: a consistent snapshot of the catalogue taken with SQLite's online backup API
(safe while the web app and `fonds index` write), the stored files the snapshot refers to,
the instance's vocabulary and config.py, and a manifest with the SHA-256 of every member.
What stays out: the search index (derived: rebuilt from the catalogue after a restore), the
secret key (a restored instance makes a new one: sessions simply end), upload staging.

A restore checks everything before touching the target: known member names only (no path
from the archive is ever trusted), sizes and hashes as the manifest says, a catalogue that
passes SQLite's integrity check. It refuses a non-empty instance unless `force` is given.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalogue import CATALOGUE_FILE, utc_now
from .errors import CatalogueError

FORMAT = "fonds-backup/1"
MANIFEST = "manifest.json"
STORE = "files"
EXTRA_FILES = (
    "vocabulary.toml",
    "vocabulary.last-good.json",
    "tagging-model.json",  # what the tagger learnt from the documentalist
    "config.py",
)
_STORE_MEMBER = re.compile(r"^files/[0-9a-f]{2}/[0-9a-f]{64}(\.[A-Za-z0-9]{1,7})?$")
_CHUNK = 1 << 20
# Left in place by a forced restore: the secret key; everything else of an instance goes.
_KEPT_ON_FORCE = {"secret_key"}


class BackupError(CatalogueError):
    """A backup that cannot be made or restored; `reason` is a stable code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}{': ' + detail if detail else ''}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class BackupReport:
    path: Path
    records: int
    files: int
    size: int  # bytes of the archive
    schema_version: int
    missing_files: tuple[str, ...] = field(default=())  # referenced but absent from the store


@dataclass(frozen=True, slots=True)
class RestoreReport:
    instance: Path
    records: int
    files: int
    created_at: str


def create_backup(instance: Path, out: Path, *, now: str | None = None) -> BackupReport:
    """Write `out` (a zip) from the instance folder; the archive appears only when complete."""
    catalogue = instance / CATALOGUE_FILE
    if not catalogue.is_file():
        raise BackupError("no-catalogue", str(instance))
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".fonds-backup-", dir=out.parent) as work:
        snapshot = Path(work) / CATALOGUE_FILE
        _snapshot(catalogue, snapshot)
        records, schema, store_paths = _describe(snapshot)
        members: dict[str, dict[str, object]] = {}
        missing: list[str] = []
        partial = Path(work) / "backup.zip"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            members[CATALOGUE_FILE] = _add(zf, snapshot, CATALOGUE_FILE)
            for relative in store_paths:
                source = instance / STORE / relative
                name = f"{STORE}/{relative}"
                if not _STORE_MEMBER.match(name):
                    raise BackupError("bad-store-path", relative)
                if not source.is_file():
                    missing.append(relative)
                    continue
                # Stored documents are mostly compressed already (PDF, DOCX): store them as is.
                members[name] = _add(zf, source, name, zipfile.ZIP_STORED)
            for extra in EXTRA_FILES:
                if (instance / extra).is_file():
                    members[extra] = _add(zf, instance / extra, extra)
            manifest = {
                "format": FORMAT,
                "created_at": now or utc_now(),
                "schema_version": schema,
                "records": records,
                "files": len(store_paths) - len(missing),
                "missing_files": missing,
                "members": members,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        os.replace(partial, out)
    return BackupReport(
        out, records, len(store_paths) - len(missing), out.stat().st_size, schema, tuple(missing)
    )


def restore_backup(archive: Path, instance: Path, *, force: bool = False) -> RestoreReport:
    """Unpack a backup into `instance` (empty, or replaced when `force`). The caller rebuilds
    the search index afterwards (`fonds restore` does)."""
    instance = instance.resolve()
    if instance.exists() and not instance.is_dir():
        raise BackupError("instance-not-a-folder", str(instance))
    if _occupied(instance) and not force:
        raise BackupError("instance-not-empty", str(instance))
    try:
        zf = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError("not-a-backup", str(archive)) from exc
    with zf:
        manifest = _manifest(zf)
        instance.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=instance))
        try:
            for name, info in manifest["members"].items():
                _extract(zf, name, info, staging)
            _check_catalogue(staging / CATALOGUE_FILE)
            _clear(instance, keep={staging.name})
            for entry in staging.iterdir():
                os.replace(entry, instance / entry.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    (instance / STORE).mkdir(exist_ok=True)
    return RestoreReport(
        instance,
        int(manifest.get("records", 0)),
        int(manifest.get("files", 0)),
        str(manifest.get("created_at", "")),
    )


# -- creating -------------------------------------------------------------------------------


def _snapshot(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API, as one self-contained file."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.execute("PRAGMA busy_timeout = 30000")
        src.backup(dst)  # one step: a read transaction sees one state of the database
        dst.execute("PRAGMA journal_mode = DELETE")
        problem = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise BackupError("catalogue-corrupt", problem)
    finally:
        dst.close()
        src.close()


def _describe(snapshot: Path) -> tuple[int, int, list[str]]:
    conn = sqlite3.connect(snapshot)
    try:
        records = conn.execute("SELECT count(*) FROM records").fetchone()[0]
        schema = conn.execute("PRAGMA user_version").fetchone()[0]
        paths = [r[0] for r in conn.execute("SELECT store_path FROM files ORDER BY store_path")]
    finally:
        conn.close()
    return records, schema, paths


def _add(
    zf: zipfile.ZipFile, source: Path, name: str, compression: int | None = None
) -> dict[str, object]:
    digest = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zf.compression if compression is None else compression
    info.external_attr = 0o600 << 16
    with open(source, "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


# -- restoring ------------------------------------------------------------------------------


def _manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError("not-a-backup", "manifest.json missing or unreadable") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            "unknown-format", str(manifest.get("format") if isinstance(manifest, dict) else "")
        )
    members = manifest.get("members")
    if not isinstance(members, dict) or CATALOGUE_FILE not in members:
        raise BackupError("not-a-backup", "no catalogue in the archive")
    allowed = {CATALOGUE_FILE, *EXTRA_FILES}
    for name in (*members, *(i.filename for i in zf.infolist())):
        if name != MANIFEST and name not in allowed and not _STORE_MEMBER.match(name):
            raise BackupError("unexpected-member", name)
    for info in zf.infolist():
        if info.filename != MANIFEST and info.filename not in members:
            raise BackupError("unexpected-member", info.filename)
    return manifest


def _extract(zf: zipfile.ZipFile, name: str, info: object, staging: Path) -> None:
    if not isinstance(info, dict):
        raise BackupError("not-a-backup", name)
    expected_size = int(info.get("size", -1))
    expected_hash = str(info.get("sha256", ""))
    target = staging.joinpath(*name.split("/"))  # names were checked against a strict pattern
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    try:
        with zf.open(name) as src, open(target, "wb") as dst:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                if size > expected_size:  # also bounds a decompression bomb
                    raise BackupError("damaged-member", name)
                digest.update(chunk)
                dst.write(chunk)
    except (KeyError, zipfile.BadZipFile, OSError) as exc:
        raise BackupError("damaged-member", name) from exc
    if size != expected_size or digest.hexdigest() != expected_hash:
        raise BackupError("damaged-member", name)


def _check_catalogue(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        problem = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError("catalogue-corrupt", str(exc)) from exc
    finally:
        conn.close()
    if problem != "ok":
        raise BackupError("catalogue-corrupt", problem)


def _occupied(instance: Path) -> bool:
    if not instance.is_dir():
        return False
    return any(e.name not in _KEPT_ON_FORCE for e in instance.iterdir())


def _clear(instance: Path, keep: set[str]) -> None:
    for entry in instance.iterdir():
        if entry.name in keep or entry.name in _KEPT_ON_FORCE:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
