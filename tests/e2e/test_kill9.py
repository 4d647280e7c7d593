"""`fonds index` killed with SIGKILL at any moment leaves an instance that a rerun completes,
that `fonds check` finds consistent, and that holds no duplicate."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.files import Heading, PageBreak, write_pdf

PARAGRAPH = (
    "Le contrat urbain de cohésion sociale de la ville finance des actions de prévention, "
    "de réussite éducative et d'insertion professionnelle dans les quartiers prioritaires. "
)


def fonds(instance: Path, *args: str) -> list[str]:
    script = Path(sys.executable).with_name("fonds")
    base = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from webapp.cli import main; main()"]
    )
    return [*base, "--instance", str(instance), *args]


@pytest.mark.slow
def test_kill_minus_nine_during_index_leaves_a_consistent_instance(tmp_path):
    # GIVEN a folder of 40 multi-page reports
    folder = tmp_path / "documents"
    folder.mkdir()
    for n in range(40):
        blocks = [Heading(f"Rapport d'activité numéro {n}", 0)]
        for page in range(12):
            blocks += [PARAGRAPH * 12 + f"Page {page} du rapport {n}.", PageBreak()]
        write_pdf(folder / f"rapport-{n:02d}.pdf", blocks, title=f"Rapport d'activité numéro {n}")
    instance = tmp_path / "instance"
    rng = random.Random(20261125)
    # WHEN indexing is killed with SIGKILL at random moments, four times
    for _ in range(4):
        process = subprocess.Popen(
            fonds(instance, "index", str(folder), "--jobs", "2"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.4, 2.5))
        os.killpg(process.pid, signal.SIGKILL)  # the extraction workers die with it
        process.wait()
    # THEN a rerun finishes the job
    done = subprocess.run(
        fonds(instance, "index", str(folder), "--json"), capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)["counts"]
    assert counts["failed"] == 0 and counts["indexed"] + counts["unchanged"] == 40
    # AND the instance is consistent, with one record per file
    check = subprocess.run(fonds(instance, "check"), capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    stats = json.loads(
        subprocess.run(
            fonds(instance, "stats", "--json"), capture_output=True, text=True, timeout=120
        ).stdout
    )
    assert stats["live"] == 40
    search = subprocess.run(
        fonds(instance, "search", "réussite éducative", "--json", "--limit", "100"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    hits = json.loads(search.stdout)["hits"]
    assert len(hits) == 40 and len({h["id"] for h in hits}) == 40
