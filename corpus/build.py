"""Render the sample fund: every `corpus/src/*.md` source becomes a file in `corpus/documents/`.

Usage: `.venv/bin/python -m corpus.build` (or `corpus/build.py`) from the checkout. The build is
deterministic: the same sources give the same bytes. It also writes `corpus/labels.csv`, the
documentalist's thematics for every source plus the rows of `corpus/catalogue-labels.csv`
(paper holdings) when that file exists. Sources are read by `corpus.sources`, rendered by
`corpus.render` through the one writer of sample files, `corpus.files`.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
if __package__ in (None, ""):  # run as a script: the checkout's root holds the packages
    sys.path.insert(0, str(CORPUS.parent))

from corpus.render import RENDERERS  # noqa: E402
from corpus.sources import THEMES, Source, SourceError, load_sources  # noqa: E402
from library.formats.spreadsheet import csv_text  # noqa: E402


def build(src_dir: Path, out_dir: Path, labels_path: Path) -> list[Path]:
    """Render every source of `src_dir` into `out_dir` (its other files are removed) and write
    the labels file; return the rendered paths."""
    sources = load_sources(src_dir)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = {s.file for s in sources}
    for stale in out_dir.iterdir():
        if stale.is_file() and stale.name not in wanted:
            stale.unlink()
    written = []
    for source in sources:
        target = out_dir / source.file
        RENDERERS[source.suffix](source, target)
        written.append(target)
    write_labels(sources, Path(labels_path), out_dir)
    return written


def write_labels(sources: list[Source], labels_path: Path, out_dir: Path) -> None:
    """`ref;themes` rows for the sources, then the paper catalogue's rows, sorted."""
    try:
        prefix = out_dir.resolve().relative_to(labels_path.parent.resolve()).as_posix()
    except ValueError:
        prefix = out_dir.resolve().as_posix()
    rows = {(f"{prefix}/{s.file}", "|".join(s.meta["themes"])) for s in sources}
    extra = labels_path.parent / "catalogue-labels.csv"
    if extra.is_file():
        with extra.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.reader(handle, delimiter=";"), start=1):
                if not row or not row[0].strip() or row[0].strip() == "ref":
                    continue
                ref, themes = row[0].strip(), (row[1].strip() if len(row) > 1 else "")
                slugs = themes.split("|")
                if not (1 <= len(slugs) <= 3 and set(slugs) <= THEMES):
                    raise SourceError(extra, f"line {number}: {ref} needs 1 to 3 known themes")
                rows.add((ref, themes))
    table = csv_text(["ref", "themes"], sorted(rows), lineterminator="\n")
    labels_path.write_text(table, encoding="utf-8")


def main() -> int:
    try:
        written = build(CORPUS / "src", CORPUS / "documents", CORPUS / "labels.csv")
    except SourceError as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in written)
    print(f"{len(written)} documents écrits dans {CORPUS / 'documents'} ({size / 1024:.0f} Ko)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
