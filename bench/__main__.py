"""`make bench`: every benchmark, one after the other, figures printed and saved in bench/out/."""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def main(argv: list[str]) -> int:
    from . import alerts, imports, ingest, ocr, relevance, search, units

    OUT.mkdir(parents=True, exist_ok=True)
    wanted = set(argv) or {"ingest", "imports", "search", "relevance", "ocr", "alerts", "units"}
    results = {}
    if "ingest" in wanted:
        results["ingest"] = ingest.run(OUT)
    if "imports" in wanted:
        results["imports"] = imports.run(OUT)
    if "search" in wanted:
        results["search"] = search.run(OUT)
    if "relevance" in wanted:
        results["relevance"] = relevance.run(OUT)
    if "ocr" in wanted:  # skipped, with a line, on a machine without Tesseract
        results["ocr"] = ocr.run(OUT)
    if "alerts" in wanted:
        results["alerts"] = alerts.run(OUT)
    if "units" in wanted:
        results["units"] = units.run(OUT)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nrésultats enregistrés dans {OUT / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
