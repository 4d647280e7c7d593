"""The benchmark's baseline: the same texts in SQLite FTS5, searched the plain way.

One FTS5 table (title, meta, body) with the unicode61 tokenizer and remove_diacritics (accents
and case folded, no stemming) and prefix indexes for 3 to 5 characters; BM25 ranking with the
same field weights as ours; snippet() for the hits of the page; facet counts by GROUP BY over
the matching rowids. Written for the benchmark only: no stemming, no acronyms, no relaxed
fallback, no suggestion, and every facet counted over the final hits (ours counts a selected
facet over the other filters).
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from library import Catalogue

SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(title, meta, body, tokenize = 'unicode61 remove_diacritics 2',
                                     prefix = '3 4 5');
CREATE TABLE facets (id INTEGER PRIMARY KEY, type TEXT, support TEXT, year INTEGER, lang TEXT,
                     online INTEGER, shelf INTEGER);
CREATE TABLE doc_themes (id INTEGER, theme TEXT);
CREATE TABLE doc_authors (id INTEGER, author TEXT);
CREATE INDEX doc_themes_id ON doc_themes (id);
CREATE INDEX doc_themes_theme ON doc_themes (theme, id);
CREATE INDEX doc_authors_id ON doc_authors (id);
"""
FACET_COLUMNS = {"type": "type", "support": "support", "lang": "lang"}
PAGE = 20


VERSION = 2  # bump to rebuild the cached databases


def build(instance: Path, target: Path, stamp: str) -> Path:
    """Copy the instance's records and texts into an FTS5 database (kept while `stamp` holds)."""
    stamp = f"{VERSION}:{stamp}"
    stamp_file = target.with_suffix(".stamp")
    if target.is_file() and stamp_file.is_file() and stamp_file.read_text() == stamp:
        return target
    target.unlink(missing_ok=True)
    conn = sqlite3.connect(target)
    conn.executescript(SCHEMA)
    with Catalogue.in_instance(instance) as catalogue:
        ids = catalogue.ids()
        availability = catalogue.availability()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            records = catalogue.get_many(chunk)
            texts = catalogue.texts(chunk)
            for record_id in chunk:
                r = records[record_id]
                parts = [
                    r.subtitle,
                    " ".join(a.display for a in r.authors),
                    r.abstract,
                    " ".join(r.keywords),
                    " ".join(r.territories),
                    r.publisher,
                ]
                meta = " ".join(parts)
                conn.execute(
                    "INSERT INTO docs (rowid, title, meta, body) VALUES (?, ?, ?, ?)",
                    (record_id, r.title, meta, texts.get(record_id, "")),
                )
                conn.execute(
                    "INSERT INTO facets VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        record_id,
                        r.doc_type.value,
                        r.support.value,
                        r.year,
                        r.language,
                        int(r.file is not None),
                        int("en-rayon" in availability.get(record_id, ())),
                    ),
                )
                conn.executemany(
                    "INSERT INTO doc_themes VALUES (?, ?)", [(record_id, t.slug) for t in r.themes]
                )
                conn.executemany(
                    "INSERT INTO doc_authors VALUES (?, ?)",
                    [(record_id, a.name) for a in r.authors],
                )
    conn.commit()
    conn.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    conn.commit()
    conn.close()
    stamp_file.write_text(stamp)
    return target


def fts_query(q: str) -> str:
    """Our query syntax in FTS5's: words ANDed, "phrases", OU, -exclusions, prefix*."""
    positive: list[str] = []
    negative: list[str] = []
    join_next = False
    for token in re.findall(r'-?"[^"]*"|\S+', q):
        if token in ("OU", "OR", "|"):
            join_next = bool(positive)
            continue
        negated = token.startswith("-") and len(token) > 1
        body = token[1:] if negated else token
        prefix = body.endswith("*")
        words = re.findall(r"\w+", body)
        if not words:
            continue
        term = '"' + " ".join(words) + '"' + ("*" if prefix else "")
        if negated:
            negative.append(term)
        elif join_next and positive:
            positive[-1] = f"{positive[-1]} OR {term}"
        else:
            positive.append(term)
        join_next = False
    if not positive:
        return ""
    expression = " AND ".join(f"({p})" for p in positive)
    if negative:
        expression = f"({expression}) NOT ({' OR '.join(negative)})"
    return expression


class Baseline:
    def __init__(self, path: Path, cap_seconds: float = 3.0) -> None:
        self.conn = sqlite3.connect(path, check_same_thread=False)
        self.conn.execute("CREATE TEMP TABLE m (id INTEGER PRIMARY KEY)")
        # A few FTS5 phrases on very common words run for minutes: stop them at the cap and
        # count them, so that `make bench` stays short (their time is then a lower bound).
        self.cap = cap_seconds
        self._deadline = float("inf")
        self.conn.set_progress_handler(lambda: int(time.perf_counter() > self._deadline), 10_000)

    def close(self) -> None:
        self.conn.close()

    def search(self, params: dict[str, Any]) -> dict[str, Any]:
        """Total, one page of hits with snippets, and every facet's counts; as JSON text."""
        started = time.perf_counter()
        self._deadline = started + self.cap
        try:
            return self._search(params, started)
        except sqlite3.OperationalError as exc:
            if "interrupt" not in str(exc):
                raise
            return {"total": -1, "ms": self.cap * 1000, "bytes": 0, "stopped": True}
        finally:
            self._deadline = float("inf")

    def _search(self, params: dict[str, Any], started: float) -> dict[str, Any]:
        expression = fts_query(str(params.get("q", "")))
        where, args = self._filters(params)
        conn = self.conn
        conn.execute("DELETE FROM m")
        if expression:
            conn.execute(
                "INSERT INTO m SELECT docs.rowid FROM docs JOIN facets f ON f.id = docs.rowid"
                f" WHERE docs MATCH ? {where}",
                (expression, *args),
            )
        else:
            conn.execute(f"INSERT INTO m SELECT f.id FROM facets f WHERE 1 {where}", args)
        total = conn.execute("SELECT count(*) FROM m").fetchone()[0]
        if expression:
            # ranked ids first (the MATCH drives the scan; `rowid IN (matches)` would make
            # SQLite look every match up again, seconds at 20,000), then snippets for the page
            top = [
                r[0]
                for r in conn.execute(
                    "SELECT docs.rowid FROM docs JOIN facets f ON f.id = docs.rowid"
                    f" WHERE docs MATCH ? {where} ORDER BY bm25(docs, 4.0, 2.0, 1.0) LIMIT ?",
                    (expression, *args, PAGE),
                )
            ]
            marks = ",".join("?" * len(top))
            rows = (
                conn.execute(
                    "SELECT docs.rowid, docs.title, snippet(docs, 2, '<mark>', '</mark>', '…', 32)"
                    f" FROM docs WHERE docs MATCH ? AND docs.rowid IN ({marks})",
                    (expression, *top),
                ).fetchall()
                if top
                else []
            )
        else:
            rows = conn.execute(
                "SELECT d.rowid, d.title, substr(d.body, 1, 260) FROM facets f"
                " JOIN docs d ON d.rowid = f.id WHERE f.id IN (SELECT id FROM m)"
                " ORDER BY f.year DESC, f.id DESC LIMIT ?",
                (PAGE,),
            ).fetchall()
        facets: dict[str, list[tuple[Any, int]]] = {}
        for name, column in (*FACET_COLUMNS.items(), ("year", "year")):
            facets[name] = conn.execute(
                f"SELECT f.{column}, count(*) FROM facets f JOIN m ON m.id = f.id"
                f" GROUP BY f.{column} ORDER BY 2 DESC"
            ).fetchall()
        facets["theme"] = conn.execute(
            "SELECT t.theme, count(*) FROM doc_themes t JOIN m ON m.id = t.id"
            " GROUP BY t.theme ORDER BY 2 DESC"
        ).fetchall()
        facets["author"] = conn.execute(
            "SELECT a.author, count(*) FROM doc_authors a JOIN m ON m.id = a.id"
            " GROUP BY a.author ORDER BY 2 DESC LIMIT 30"
        ).fetchall()
        facets["available"] = conn.execute(
            "SELECT sum(f.online), sum(f.shelf) FROM facets f JOIN m ON m.id = f.id"
        ).fetchall()
        body = json.dumps({"total": total, "hits": rows, "facets": facets}, ensure_ascii=False)
        return {"total": total, "ms": (time.perf_counter() - started) * 1000, "bytes": len(body)}

    def _filters(self, params: dict[str, Any]) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        args: list[Any] = []
        for name, column in FACET_COLUMNS.items():
            values = params.get(name) or []
            if values:
                clauses.append(f"f.{column} IN ({','.join('?' * len(values))})")
                args.extend(values)
        if params.get("theme"):
            themes = params["theme"]
            clauses.append(
                "f.id IN (SELECT id FROM doc_themes WHERE theme IN"
                f" ({','.join('?' * len(themes))}))"
            )
            args.extend(themes)
        years = []
        for value in params.get("year") or []:
            low, _, high = str(value).partition("-")
            years.append("f.year BETWEEN ? AND ?")
            args.extend((int(low), int(high or low)))
        if years:
            clauses.append("(" + " OR ".join(years) + ")")
        available = params.get("available") or []
        if available:
            parts = [
                {"en-ligne": "f.online = 1", "en-rayon": "f.shelf = 1"}.get(v, "0")
                for v in available
            ]
            clauses.append("(" + " OR ".join(parts) + ")")
        return "".join(f" AND {c}" for c in clauses), args
