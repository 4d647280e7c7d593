"""The benchmark's funds made as a new user makes one: `fonds corpus generate`, `fonds index`
of its documents, `fonds import` of its catalogue (the index is what those commands leave, its
segments included). Kept in bench/out/ between runs while the code that makes them is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STAMP = "bench-stamp.json"
SEED = 0
# The synthetic fund's generator and file writers: a change to them makes new funds.
GENERATORS = ("corpus/synth", "corpus/files")


def _stamp(n: int) -> dict[str, object]:
    """What a cached fund was made from: the generator, the index schema and the analysis."""
    from indexer.analysis import analysis_stamp
    from indexer.search.engine import SCHEMA_VERSION

    digest = hashlib.sha256()
    for folder in GENERATORS:
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and path.suffix != ".pyc":
                digest.update(path.relative_to(REPO).as_posix().encode())
                digest.update(path.read_bytes())
    return {
        "documents": n,
        "seed": SEED,
        "generator": digest.hexdigest()[:16],
        "index": [SCHEMA_VERSION, analysis_stamp()],
        "version": 1,
    }


def fonds_command() -> list[str]:
    fonds = Path(sys.executable).with_name("fonds")
    return [str(fonds)] if fonds.exists() else [sys.executable, "-m", "webapp.cli"]


def prepare(folder: Path, n: int, log: Callable[[str], None] = print) -> Path:
    """folder/instance: n documents generated, indexed and imported by the `fonds` commands."""
    root = folder / "instance"
    stamp_file = folder / STAMP
    wanted = _stamp(n)
    if stamp_file.is_file() and root.is_dir():
        kept = json.loads(stamp_file.read_text())
        kept.pop("timings", None)
        if kept == wanted:
            return root
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = folder / "source"
    steps = [
        ("corpus generate", ["corpus", "generate", "--documents", str(n), "--seed", str(SEED), str(source)]),
        ("index", ["--instance", str(root), "index", str(source / "documents")]),
        ("import", ["--instance", str(root), "import", str(source / "catalogue.csv")]),
    ]  # fmt: skip
    timings = {}
    for name, args in steps:
        started = time.perf_counter()
        done = subprocess.run(
            [*fonds_command(), *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"fonds {name}: exit {done.returncode}\n{done.stderr[-2000:]}")
        timings[name] = round(time.perf_counter() - started, 1)
    log(
        f"  {n} documents : fonds corpus generate {timings['corpus generate']} s, "
        f"index {timings['index']} s, import {timings['import']} s"
    )
    shutil.rmtree(source / "documents")  # the catalogue keeps the texts; the files are copied
    stamp_file.write_text(json.dumps({**wanted, "timings": timings}))
    return root


def stamp_of(folder: Path) -> str:
    return (folder / STAMP).read_text()
