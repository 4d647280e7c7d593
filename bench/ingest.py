"""Ingest benchmark (issue 2): a generated 2,000-document fund through `fonds index`, against a
bare single-process loop that only extracts text with pypdf/python-docx, in the same run.

Printed: files/s, MB of text/s, wall time and peak RSS of `fonds index`; the bare loop's wall
time and the ratio; an unchanged re-run; one new 20-page PDF from `fonds index` to searchable.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

DOCUMENTS = int(os.environ.get("FONDS_BENCH_DOCUMENTS", "2000"))
SEED = 7
RUNNER = Path(__file__).with_name("_run_fonds.py")
TARGETS = {"ratio": 1.5, "unchanged_s": 3.0, "new_document_s": 2.0, "peak_rss_mb": 500}


def fonds(*args: str) -> dict:
    """Run the CLI in a fresh session; return its wall time, output and memory: its own peak
    RSS, and the peak of the whole process tree (the extraction pool hangs off a forkserver,
    outside rusage's reach, so the tree is sampled from /proc)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(RUNNER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    sampler = _TreeSampler(process.pid)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    if process.returncode != 0:
        raise RuntimeError(f"fonds {' '.join(args)} failed: {stderr[-2000:]}")
    usage = json.loads(stderr.strip().splitlines()[-1])
    return {
        "wall": wall,
        "stdout": stdout,
        "tree_peak_mb": sampler.peak_total_mb,
        "worker_peak_mb": sampler.peak_other_mb,
        **usage,
    }


class _TreeSampler(threading.Thread):
    """Every 50 ms, the memory (PSS) of every process of a session (the CLI and all it
    started): the peak of their sum, and the largest process other than the CLI itself."""

    def __init__(self, session: int) -> None:
        super().__init__(daemon=True)
        self.session = session
        self.peak_total_mb = 0.0
        self.peak_other_mb = 0.0
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.wait(0.05):
            total, other = 0.0, 0.0
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry}/stat") as stat:
                        fields = stat.read().rsplit(")", 1)[1].split()
                    if int(fields[3]) != self.session:  # field 6 of stat: session id
                        continue
                    # PSS: shared pages (the preloaded parsers) counted once across processes.
                    with open(f"/proc/{entry}/smaps_rollup") as smaps:
                        rollup = smaps.read()
                except OSError:
                    continue
                pss = int(rollup.split("Pss:", 1)[1].split()[0]) / 1024
                total += pss
                if int(entry) != self.session:
                    other = max(other, pss)
            self.peak_total_mb = max(self.peak_total_mb, total)
            self.peak_other_mb = max(self.peak_other_mb, other)

    def stop(self) -> None:
        self._stopping.set()
        self.join()


def corpus(out: Path) -> Path:
    """The generated fund, made once and kept between runs (deterministic: same seed)."""
    folder = out / f"corpus-{DOCUMENTS}-{SEED}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"génération d'un fonds de {DOCUMENTS} documents…", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(RUNNER),
                "corpus",
                "generate",
                str(folder),
                "--documents",
                str(DOCUMENTS),
                "--seed",
                str(SEED),
            ],
            check=True,
            capture_output=True,
        )
        (folder / ".complete").touch()
    return folder


def bare_extraction(folder: Path) -> tuple[float, int]:
    """The baseline: one process, text only, no catalogue, no index, no language, no tags."""
    import docx
    import pypdf

    started = time.perf_counter()
    chars = 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            reader = pypdf.PdfReader(path)
            chars += sum(len(page.extract_text() or "") for page in reader.pages)
        elif suffix == ".docx":
            document = docx.Document(str(path))
            chars += sum(len(p.text) for p in document.paragraphs)
            chars += sum(len(c.text) for t in document.tables for r in t.rows for c in r.cells)
        else:
            chars += len(path.read_bytes().decode("utf-8", errors="replace"))
    return time.perf_counter() - started, chars


def run(out: Path) -> dict:
    from corpus.files import Heading, PageBreak, write_pdf

    folder = corpus(out)
    documents = folder / "documents"
    files = sum(1 for p in documents.rglob("*") if p.is_file())
    size_mb = sum(p.stat().st_size for p in documents.rglob("*") if p.is_file()) / 2**20
    print(f"\n== Ingestion : {files} fichiers ({size_mb:.0f} Mo) + catalogue papier ==", flush=True)

    baseline, chars = bare_extraction(documents)
    print(f"boucle d'extraction nue (1 processus)   : {baseline:7.1f} s", flush=True)

    instance = out / "instance-ingest"
    shutil.rmtree(instance, ignore_errors=True)
    full = fonds("--instance", str(instance), "index", str(documents), "--json")
    counts = json.loads(full["stdout"])["counts"]
    text_mb = chars / 2**20
    ratio = full["wall"] / baseline
    print(
        f"fonds index (complet)                   : {full['wall']:7.1f} s  "
        f"({counts['indexed']} indexés, {counts['empty']} vides, {counts['failed']} en échec)"
    )
    print(
        f"  débit                                 : {files / full['wall']:7.1f} fichiers/s, "
        f"{text_mb / full['wall']:.2f} Mo de texte/s ({text_mb:.1f} Mo)"
    )
    print(
        f"  RSS max : processus principal {full['maxrss_self_mb']:.0f} Mo, plus gros processus "
        f"d'extraction {full['worker_peak_mb']:.0f} Mo (PSS), tous ensemble {full['tree_peak_mb']:.0f} Mo (PSS) "
        f"(cible ≤ {TARGETS['peak_rss_mb']} Mo)"
    )
    print(f"  rapport à la boucle nue               : {ratio:7.2f}  (cible ≤ {TARGETS['ratio']})")

    unchanged = [
        fonds("--instance", str(instance), "index", str(documents))["wall"] for _ in range(3)
    ]
    print(
        f"fonds index (rien n'a changé), médiane  : {statistics.median(unchanged):7.2f} s  "
        f"(cible ≤ {TARGETS['unchanged_s']} s)"
    )

    fresh = out / "nouveau"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    samples = []
    for n in range(3):
        blocks: list = [Heading(f"Rapport de mesure {n} : diagnostic zéphyrin{n} du quartier", 0)]
        for _page in range(20):
            blocks += [
                "Le diagnostic partagé du quartier prioritaire mobilise les habitants. " * 30,
                PageBreak(),
            ]
        path = fresh / f"nouveau-{n}.pdf"
        write_pdf(path, blocks, title=f"Rapport de mesure {n}")
        added = fonds("--instance", str(instance), "index", str(path))
        found = fonds("--instance", str(instance), "search", f"zéphyrin{n}", "--json")
        assert json.loads(found["stdout"])["total"] == 1, "the new document is not searchable"
        samples.append(added["wall"])
    print(
        f"un nouveau PDF de 20 pages → cherchable : {statistics.median(samples):7.2f} s  "
        f"(cible ≤ {TARGETS['new_document_s']} s)"
    )

    peak = full["tree_peak_mb"]
    return {
        "files": files,
        "text_mb": round(text_mb, 2),
        "bare_extraction_s": round(baseline, 2),
        "index_s": round(full["wall"], 2),
        "ratio": round(ratio, 3),
        "files_per_s": round(files / full["wall"], 1),
        "text_mb_per_s": round(text_mb / full["wall"], 3),
        "peak_rss_main_mb": round(full["maxrss_self_mb"]),
        "peak_rss_worker_mb": round(full["worker_peak_mb"]),
        "peak_rss_mb": round(peak),
        "unchanged_s": round(statistics.median(unchanged), 2),
        "new_document_s": round(statistics.median(samples), 2),
        "counts": counts,
        "targets": TARGETS,
    }
