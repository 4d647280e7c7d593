"""Import benchmark (issue 16): a whole-fund operation's cost must follow its own input, not
the size of the fund it lands in.

A 10,000-row holdings spreadsheet (the paper half of a generated 20,000-document fund) goes
through `fonds import` into an empty instance, then into an instance already holding 20,000
records (built once by importing another fund's spreadsheet, and kept in bench/out). Baseline
of the same run: the bare floor of the job — read the CSV and insert its rows into a plain
SQLite table, one process, no duplicate checks, no tagging, no index.

Printed: rows/s and peak RSS of each import, the full/empty ratio (1.0 = the fund's size costs
nothing), and each import against the bare floor. The target (≥ 500 rows/s) is on the wall
clock of a quiet machine; the import is one process, so there its rate on CPU time (user +
system seconds of the process, also printed) is the same figure, and on a shared machine the
CPU rate is the one that stays put: the wall clock then mostly measures the other loads."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

from .ingest import fonds

ROWS = int(os.environ.get("FONDS_BENCH_IMPORT_ROWS", "10000"))
FUND = int(os.environ.get("FONDS_BENCH_IMPORT_FUND", "20000"))
TARGETS = {"rows_per_s": 500, "peak_rss_mb": 300}


def spreadsheet(out: Path, rows: int, seed: int) -> Path:
    """The paper half of a generated fund as a holdings spreadsheet (no file rendered)."""
    from corpus.synth.fund import CATALOGUE_COLUMNS, catalogue_row
    from corpus.synth.records import generate_records
    from library import Support

    path = out / f"holdings-{rows}-{seed}.csv"
    if path.exists():
        return path
    partial = path.with_suffix(".part")
    written = 0
    with partial.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, CATALOGUE_COLUMNS, delimiter=";", lineterminator="\n")
        writer.writeheader()
        # About half of a generated fund is paper: ask for enough documents, keep `rows`.
        for document in generate_records(rows * 2 + 200, seed):
            if document.support is Support.PAPIER and written < rows:
                row = catalogue_row(document)
                # The generator numbers barcodes from the same start whatever the seed: give
                # each spreadsheet its own range, or a second fund would be all duplicates.
                row["code_barres"] = "|".join(
                    f"{810 + seed % 90}{code[3:]}" for code in row["code_barres"].split("|") if code
                )
                writer.writerow(row)
                written += 1
    partial.replace(path)
    return path


def full_instance(out: Path) -> Path:
    """An instance holding FUND records, built once and kept between runs."""
    folder = out / f"instance-{FUND}-records"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"constitution d'une instance de {FUND} notices (une fois)…", flush=True)
        fonds("--instance", str(folder), "import", str(spreadsheet(out, FUND, seed=101)))
        (folder / ".complete").touch()
    return folder


def bare_floor(path: Path) -> tuple[float, float]:
    """Seconds (wall, CPU) to read the spreadsheet and insert its rows into a plain SQLite
    table."""
    started, cpu = time.perf_counter(), time.process_time()
    conn = sqlite3.connect(":memory:")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=";")
        header = next(reader)
        columns = ", ".join(f'"{c}"' for c in header)
        conn.execute(f"CREATE TABLE rows ({columns})")
        marks = ", ".join("?" * len(header))
        conn.executemany(f"INSERT INTO rows VALUES ({marks})", reader)
    conn.commit()
    conn.close()
    return time.perf_counter() - started, time.process_time() - cpu


def _import(instance: Path, path: Path) -> dict:
    run = fonds("--instance", str(instance), "import", str(path), "--json")
    created = json.loads(run["stdout"])["created"]
    cpu = run["cpu_self_s"] + run["cpu_children_s"]
    return {
        "wall_s": round(run["wall"], 2),
        "cpu_s": round(cpu, 2),
        "created": created,
        "rows_per_s": round(ROWS / run["wall"], 1),
        "rows_per_cpu_s": round(ROWS / cpu, 1),
        "peak_rss_mb": round(max(run["maxrss_self_mb"], run["tree_peak_mb"]), 1),
    }


def run(out: Path) -> dict:
    print(f"\n== Import : tableur de {ROWS} lignes ==", flush=True)
    path = spreadsheet(out, ROWS, seed=202)
    full = full_instance(out)
    floor, floor_cpu = bare_floor(path)
    print(
        f"plancher (csv -> table SQLite nue)       : {floor:7.2f} s, {floor_cpu:.2f} s de CPU",
        flush=True,
    )

    empty_target = out / "instance-import-empty"
    shutil.rmtree(empty_target, ignore_errors=True)
    into_empty = _import(empty_target, path)

    full_target = out / "instance-import-full"
    shutil.rmtree(full_target, ignore_errors=True)
    shutil.copytree(full, full_target)
    into_full = _import(full_target, path)

    for label, result in (("instance vide", into_empty), (f"instance de {FUND}", into_full)):
        print(
            f"import dans une {label:<20}: {result['wall_s']:7.2f} s, "
            f"{result['rows_per_s']:7.1f} lignes/s (cible ≥ {TARGETS['rows_per_s']}), "
            f"pic {result['peak_rss_mb']:.0f} Mo (cible ≤ {TARGETS['peak_rss_mb']}), "
            f"× {result['wall_s'] / floor:.0f} le plancher",
            flush=True,
        )
        print(
            f"  en temps CPU {'':<25}: {result['cpu_s']:7.2f} s, "
            f"{result['rows_per_cpu_s']:7.1f} lignes/s de CPU, "
            f"× {result['cpu_s'] / max(floor_cpu, 1e-3):.0f} le plancher",
            flush=True,
        )
    growth = into_full["wall_s"] / into_empty["wall_s"]
    growth_cpu = into_full["cpu_s"] / into_empty["cpu_s"]
    print(
        f"rapport instance pleine / vide          : × {growth:.2f} "
        f"(CPU : × {growth_cpu:.2f} ; 1,0 = sans effet)"
    )
    return {
        "rows": ROWS,
        "fund": FUND,
        "floor_s": round(floor, 3),
        "floor_cpu_s": round(floor_cpu, 3),
        "into_empty": into_empty,
        "into_full": into_full,
        "full_over_empty": round(growth, 2),
        "full_over_empty_cpu": round(growth_cpu, 2),
        "targets": TARGETS,
    }
