"""Relevance on the project's judged queries (corpus/relevance.toml) over the sample fund built
as `make run` builds it, reported beside the previous run's figures (bench/out/relevance.json).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from .user_fund import REPO, fonds_command

JUDGEMENTS = REPO / "corpus" / "relevance.toml"
TARGETS = {"ndcg@5": 0.95, "mrr": 0.95}
CROSS_LANGUAGE_MRR = 0.85


def _stamp() -> str:
    from indexer.analysis import analysis_stamp
    from indexer.search.engine import SCHEMA_VERSION

    digest = hashlib.sha256()
    for path in sorted((REPO / "corpus" / "documents").iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    digest.update((REPO / "corpus" / "catalogue.csv").read_bytes())
    digest.update((REPO / "corpus" / "labels.csv").read_bytes())
    # the thematics are tagged at index time: a vocabulary change must rebuild the instance
    digest.update((REPO / "indexer" / "data" / "vocabulary.toml").read_bytes())
    return json.dumps([digest.hexdigest()[:16], SCHEMA_VERSION, analysis_stamp()])


def sample_instance(out_dir: Path) -> Path:
    folder = out_dir / "sample"
    root = folder / "instance"
    stamp = folder / "stamp.json"
    if stamp.is_file() and stamp.read_text() == _stamp() and root.is_dir():
        return root
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # as `make run` builds it: the tagger trained on the sample's labels, every record re-tagged
    for args in (
        ["index", str(REPO / "corpus" / "documents")],
        ["import", str(REPO / "corpus" / "catalogue.csv")],
        ["tags", "train", "--labels", str(REPO / "corpus" / "labels.csv")],
        ["retag", "--all"],
    ):
        subprocess.run(
            [*fonds_command(), "--instance", str(root), *args], check=True, capture_output=True
        )
    stamp.write_text(_stamp())
    return root


def run(out_dir: Path) -> dict[str, Any]:
    print("\n== Pertinence : requêtes jugées (corpus/relevance.toml) sur le fonds d'exemple ==")
    root = sample_instance(out_dir)
    done = subprocess.run(
        [*fonds_command(), "--instance", str(root), "relevance", "--judgements", str(JUDGEMENTS)]
        + ["--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    groups = json.loads(done.stdout)["groups"]
    previous_file = out_dir / "relevance.json"
    previous = json.loads(previous_file.read_text())["groups"] if previous_file.is_file() else {}
    for name, figures in groups.items():
        before = previous.get(name, {})
        cells = []
        for key in ("ndcg@5", "mrr", "recall@10"):
            was = before.get(key)
            change = "" if was is None else f" (avant {was:.3f})"
            cells.append(f"{key} {figures[key]:.3f}{change}")
        print(f"  {name:<12} " + ", ".join(cells) + f" — {figures['queries']} requêtes")
    overall, cross = groups["ensemble"], groups.get("langue", {})
    verdicts = [f"{k} ≥ {v} {'✓' if overall[k] >= v else '✗'}" for k, v in TARGETS.items()]
    if cross:
        mark = "✓" if cross["mrr"] >= CROSS_LANGUAGE_MRR else "✗"
        verdicts.append(f"MRR langues ≥ {CROSS_LANGUAGE_MRR} {mark}")
    print("  cibles : " + ", ".join(verdicts))
    result = {"groups": groups, "previous": previous}
    previous_file.write_text(json.dumps({"groups": groups}, indent=2, ensure_ascii=False))
    return result
