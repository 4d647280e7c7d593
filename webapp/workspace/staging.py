"""Uploads waiting for the documentalist's confirmation, in the instance's `staging/` folder.

An upload is staged only after every check passed (name, size, type by content, extraction).
Each lives in its own folder named by a random token; the file inside is `file`, whatever the
client called it, next to `meta.json` (what the indexer proposes) and `text.txt`. Nothing from
the client names a path here. Unconfirmed uploads are discarded after UPLOAD_STAGING_HOURS.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
# What we keep of a client's file name, for display and for the title fallback: letters,
# digits and a little punctuation; never a separator, never a leading dot.
_UNSAFE = re.compile(r"[^\w\s().,'’«»&+-]", re.UNICODE)


def refuse_name(name: str) -> str | None:
    """Why a client file name is refused (French), or None. Checked before anything is read."""
    if not name or not name.strip():
        return "Fichier sans nom : choisissez un fichier à déposer."
    if "/" in name or "\\" in name or ".." in name:
        return (
            f"Nom de fichier refusé (« {name[:80]} ») : il ne doit contenir ni « / », "
            "ni « \\ », ni « .. »."
        )
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "Nom de fichier refusé : il contient des caractères de contrôle."
    if len(name) > 255:
        return "Nom de fichier refusé : plus de 255 caractères."
    return None


def display_name(name: str) -> str:
    """A client file name made harmless (kept for display and the download name only)."""
    cleaned = _UNSAFE.sub("_", name).strip(" ._") or "document"
    stem, dot, suffix = cleaned.rpartition(".")
    if dot and re.fullmatch(r"[A-Za-z0-9]{1,8}", suffix):
        return f"{stem[:150].strip(' ._') or 'document'}.{suffix.lower()}"
    return cleaned[:160]


@dataclass(frozen=True, slots=True)
class StagedUpload:
    token: str
    folder: Path
    meta: dict[str, Any]

    @property
    def file(self) -> Path:
        return self.folder / "file"

    @property
    def original_name(self) -> str:
        return str(self.meta["original_name"])

    @property
    def uploaded_at(self) -> float:
        return float(self.meta.get("uploaded_at", 0))

    def text(self) -> str:
        return (self.folder / "text.txt").read_text(encoding="utf-8")


class Staging:
    def __init__(self, root: Path, max_age_hours: float = 24) -> None:
        self.root = root
        self.max_age = max_age_hours * 3600

    def workspace(self) -> Path:
        """A private folder for one incoming file (removed by the caller)."""
        self.root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".incoming-", dir=self.root))

    def add(self, incoming: Path, meta: dict[str, Any], text: str) -> StagedUpload:
        """Stage a checked file: moved in, never copied under a client-chosen name."""
        token = secrets.token_urlsafe(24)
        partial = self.root / f".{token}.partial"
        partial.mkdir(parents=True)
        os.replace(incoming, partial / "file")
        (partial / "text.txt").write_text(text, encoding="utf-8")
        (partial / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self.root / token)  # appears complete or not at all
        return StagedUpload(token, self.root / token, meta)

    def get(self, token: str) -> StagedUpload | None:
        if not _TOKEN.match(token or ""):
            return None
        folder = self.root / token
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return StagedUpload(token, folder, meta)

    def items(self, now: float | None = None) -> list[StagedUpload]:
        """Staged uploads, oldest first; expired ones and leftovers are discarded on the way."""
        self.purge(now)
        if not self.root.is_dir():
            return []
        found = [self.get(p.name) for p in self.root.iterdir() if p.is_dir()]
        return sorted((s for s in found if s is not None), key=lambda s: s.uploaded_at)

    def discard(self, token: str) -> None:
        if _TOKEN.match(token or ""):
            shutil.rmtree(self.root / token, ignore_errors=True)

    def purge(self, now: float | None = None) -> None:
        if not self.root.is_dir():
            return
        now = now or time.time()
        for entry in self.root.iterdir():
            try:
                age = now - entry.stat().st_mtime
            except OSError:
                continue
            leftover = entry.name.startswith(".") and age > 3600  # an interrupted upload
            if age > self.max_age or leftover:
                shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(
                    missing_ok=True
                )
