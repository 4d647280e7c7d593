"""Pooling (as TREC does it): the documents to grade for each judged query, blind.

For every query of a judgements file, the pool is the union of the first `depth` hits of Fonds
(the finder `fonds relevance` uses) and of an independent plain baseline (SQLite FTS5, the
query's words OR'ed over title, description and text, BM25), minus the titles already judged.
The candidates are printed sorted by title, never by rank and never saying which system found
them, with what a judge needs to grade them; the titles already judged are printed first, with
their grades, as calibration.

    .venv/bin/python -m bench.pool --instance I --judgements corpus/relevance.toml \
        --depth 5 --out /tmp/pool.md
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path

from indexer.relevance import Judged, load_judgements
from indexer.search import SearchRequest
from library import Catalogue, Record, Support

from .search_fts5 import build

TEXT_HEAD = 600  # characters of an electronic document's text shown to the judge


def fts_or_query(q: str) -> str:
    """Every word of the query, quoted, OR'ed: the plainest query FTS5 can run."""
    words = re.findall(r"\w+", q)
    return " OR ".join(f'"{w}"' for w in words)


def baseline_hits(conn: sqlite3.Connection, q: str, depth: int) -> list[int]:
    expression = fts_or_query(q)
    if not expression:
        return []
    rows = conn.execute(
        "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 4.0, 2.0, 1.0) LIMIT ?",
        (expression, depth),
    )
    return [r[0] for r in rows]


def pool(judged: Judged, *runs: Sequence[int], titles: dict[int, str]) -> list[int]:
    """The ids some run put in its first hits, not judged yet, by title (ranks forgotten)."""
    seen: dict[str, int] = {}
    for run in runs:
        for record_id in run:
            title = titles.get(record_id)
            if title and title not in judged.relevant:
                seen.setdefault(title, record_id)
    return [seen[t] for t in sorted(seen, key=str.casefold)]


def describe(record: Record, text: str) -> list[str]:
    facts = [record.doc_type.value, str(record.year or "s.d."), record.support.value]
    lines = [f"#### {record.title}", f"- {' · '.join(facts)}"]
    if record.subtitle:
        lines.append(f"- sous-titre : {record.subtitle}")
    if record.keywords:
        lines.append(f"- mots-clés : {' | '.join(record.keywords)}")
    if record.abstract:
        lines.append(f"- résumé : {record.abstract}")
    if record.support is Support.ELECTRONIQUE and text:
        head = " ".join(text.split())[:TEXT_HEAD]
        lines.append(f"- début du texte : {head}…")
    return [*lines, ""]


def write_pool(instance: Path, judgements: Path, depth: int, out: Path) -> dict[str, int]:
    from webapp.cli.env import Env  # the finder `fonds relevance` uses, built the same way

    judged = load_judgements(judgements)
    env = Env(instance)
    try:
        catalogue: Catalogue = env.catalogue()
        finder = env.finder()
        records = {i: r for i, r in catalogue.get_many(catalogue.ids()).items() if not r.deleted}
        titles = {i: r.title for i, r in records.items()}
        texts = catalogue.texts(list(records))
        with tempfile.TemporaryDirectory() as folder:
            fts = sqlite3.connect(build(instance, Path(folder) / "pool.db", "pool"))
            lines = [
                f"# Pool de jugement : {judgements.name}, profondeur {depth}",
                "",
                "Candidats triés par titre ; grader 2 / 1 / 0 selon les critères du fichier.",
                "",
            ]
            counts = {"queries": 0, "candidates": 0}
            for n, item in enumerate(judged, start=1):
                ours = [h.id for h in finder.search(SearchRequest(q=item.q, per_page=depth)).hits]
                candidates = pool(
                    item, ours[:depth], baseline_hits(fts, item.q, depth), titles=titles
                )
                counts["queries"] += 1
                counts["candidates"] += len(candidates)
                lines += [f"## {n}. « {item.q} »", "", "Déjà jugés :"]
                for title, grade in sorted(item.relevant.items(), key=lambda tg: (-tg[1], tg[0])):
                    lines.append(f"- {grade} · {title}")
                lines += ["", f"### À juger ({len(candidates)})", ""]
                for record_id in candidates:
                    lines += describe(records[record_id], texts.get(record_id, ""))
            fts.close()
    finally:
        env.close()
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.pool", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--instance", type=Path, required=True)
    parser.add_argument("--judgements", type=Path, required=True)
    parser.add_argument("--depth", type=int, default=5)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    counts = write_pool(args.instance, args.judgements, args.depth, args.out)
    print(f"{counts['queries']} requêtes, {counts['candidates']} candidats -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
