"""The one zip writer of sample files (DOCX, OpenDocument, EPUB): deterministic, never the clock."""

from __future__ import annotations

import zipfile
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import IO

# The date stamped on every entry unless told otherwise: zip tools would stamp the build time.
FIXED_DATE = (2013, 12, 31, 0, 0, 0)


def write_zip(
    target: Path | IO[bytes],
    members: Iterable[tuple[str, str | bytes]],
    *,
    date_time: tuple[int, int, int, int, int, int] = FIXED_DATE,
    stored: Collection[str] = (),
    unix_mode: int | None = None,
) -> None:
    """Write `members` (name, content) in their order, every entry stamped `date_time` and
    deflated except the names in `stored` (an OpenDocument's or EPUB's `mimetype`, which their
    specifications want first and uncompressed).

    `unix_mode` None writes entries as Word does (made on "MS-DOS", no attributes); a mode
    (0o644) writes them as Unix zip tools do, with those permissions."""
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in members:
            entry = zipfile.ZipInfo(name, date_time=date_time)
            entry.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            if unix_mode is None:
                entry.create_system = 0
            else:
                entry.create_system = 3
                entry.external_attr = unix_mode << 16
            archive.writestr(entry, content)
