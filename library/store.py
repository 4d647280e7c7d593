"""The file store: originals kept by content hash, so the fund does not depend on where
files came from. Writes go to a temporary name then are renamed: a crash never leaves a
half-written file under a real name."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from .models import SourceFile

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def relative_path(self, sha256: str, suffix: str) -> str:
        suffix = suffix.lower() if _safe_suffix(suffix) else ""
        return f"{sha256[:2]}/{sha256}{suffix}"

    def path(self, source: SourceFile) -> Path:
        return self.root / source.store_path

    def put(self, path: Path, sha256: str, *, original_name: str, media_type: str) -> SourceFile:
        """Copy a file in (once: the same content is stored once) and describe it."""
        relative = self.relative_path(sha256, Path(original_name).suffix)
        target = self.root / relative
        if not (target.exists() and target.stat().st_size == path.stat().st_size):
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                # No fsync: like the catalogue (WAL, synchronous=NORMAL) the store survives a
                # killed process; after a power cut `fonds check` spots a damaged copy by its
                # hash and `--repair` copies it again from the original.
                with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
                    shutil.copyfileobj(src, out, CHUNK)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return SourceFile(sha256, original_name, media_type, target.stat().st_size, relative)

    def put_bytes(self, data: bytes, *, original_name: str, media_type: str) -> SourceFile:
        """Store uploaded content (the web workspace) the same way."""
        sha = hashlib.sha256(data).hexdigest()
        fd, tmp = tempfile.mkstemp(prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            return self.put(Path(tmp), sha, original_name=original_name, media_type=media_type)
        finally:
            Path(tmp).unlink(missing_ok=True)

    def verify(self, source: SourceFile) -> str | None:
        """None when the stored file is present with the right content, else what is wrong."""
        target = self.path(source)
        if not target.is_file():
            return "missing"
        if sha256_of(target) != source.sha256:
            return "content does not match its hash"
        return None

    def stray_files(self, known: set[str]) -> list[Path]:
        """Files in the store that no catalogue entry names (left by an interrupted run)."""
        if not self.root.is_dir():
            return []
        return sorted(
            p
            for p in self.root.rglob("*")
            if p.is_file() and p.relative_to(self.root).as_posix() not in known
        )


def _safe_suffix(suffix: str) -> bool:
    return 1 < len(suffix) <= 8 and suffix[1:].isalnum()
