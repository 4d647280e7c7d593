"""Relevance measured on judged queries: nDCG@5, MRR and recall@10, per query and overall.

A judgements file (TOML) lists queries as professionals type them and, for each, the documents
that answer it, graded 0-2 (2: what was asked for; 1: useful; 0 or absent: not relevant).
Documents are named by their title as catalogued, so one file serves every instance built from
the same fund. A query marked `held_out = true` is kept out of tuning: the figures are reported
for held-out and tuned queries apart (a change that helps only the tuned ones is overfitting).

    [[query]]
    q = "jeunes décrocheurs"
    tags = ["famille"]
    held_out = true
    relevant = { "Le décrochage scolaire en Martinique" = 2, "…" = 1 }
    pooled = { "Bilan du programme de réussite éducative de Fort-de-France" = 1, "…" = 0 }

`pooled` holds the grades of a pooling pass (as TREC does): the documents that the systems
compared put in their first k hits, which the first judges had not graded, graded afterwards
blind to the systems and the ranks. Its grades are merged with `relevant` for scoring, and a 0
there means "judged, not relevant" (kept so that the pass can be audited). A title graded in
both tables is refused: a document has one grade per query.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from library import Catalogue

from .search import SearchRequest

NDCG_AT = 5
RECALL_AT = 10
RELEVANT = 1  # the lowest grade that counts as relevant for MRR and recall


class JudgementError(ValueError):
    """A judgements file that cannot be used: `code` and `detail` say why (put in words at the
    edge: the CLI)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Judged:
    q: str
    relevant: Mapping[str, int]  # title -> grade, the pooled grades merged in
    tags: tuple[str, ...] = ()
    held_out: bool = False


@dataclass(frozen=True, slots=True)
class QueryScore:
    q: str
    ndcg: float
    rr: float
    recall: float
    tags: tuple[str, ...]
    held_out: bool
    ranked: tuple[str, ...]  # titles of the first RECALL_AT hits

    def to_json(self) -> dict[str, object]:
        return {
            "q": self.q,
            f"ndcg@{NDCG_AT}": round(self.ndcg, 4),
            "mrr": round(self.rr, 4),
            f"recall@{RECALL_AT}": round(self.recall, 4),
            "tags": list(self.tags),
            "held_out": self.held_out,
            "top": list(self.ranked[:NDCG_AT]),
        }


@dataclass(frozen=True, slots=True)
class Figures:
    queries: int
    ndcg: float
    mrr: float
    recall: float

    def to_json(self) -> dict[str, object]:
        return {
            "queries": self.queries,
            f"ndcg@{NDCG_AT}": round(self.ndcg, 4),
            "mrr": round(self.mrr, 4),
            f"recall@{RECALL_AT}": round(self.recall, 4),
        }


@dataclass(frozen=True, slots=True)
class RelevanceReport:
    scores: tuple[QueryScore, ...]
    groups: dict[str, Figures] = field(default_factory=dict)  # overall, held-out, tuned, tags

    def to_json(self) -> dict[str, object]:
        return {
            "queries": [s.to_json() for s in self.scores],
            "groups": {name: f.to_json() for name, f in self.groups.items()},
        }


def load_judgements(path: Path) -> list[Judged]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise JudgementError("unreadable", f"{path}: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise JudgementError("invalid", f"{path}: {exc}") from exc
    out = []
    for n, entry in enumerate(data.get("query", []), start=1):
        q = entry.get("q")
        if not isinstance(q, str) or not q.strip():
            raise JudgementError("no-query", str(n))  # the entry's number
        relevant = _grades(q, entry.get("relevant", {}))
        if not relevant:
            raise JudgementError("no-judgement", q)
        pooled = _grades(q, entry.get("pooled", {}))
        both = sorted(relevant.keys() & pooled.keys())
        if both:
            raise JudgementError("graded-twice", f"{q} : {' ; '.join(both)}")
        out.append(
            Judged(
                q=q,
                relevant=relevant | pooled,
                tags=tuple(entry.get("tags", ())),
                held_out=bool(entry.get("held_out", False)),
            )
        )
    if not out:
        raise JudgementError("empty", str(path))
    return out


def _grades(q: str, table: object) -> dict[str, int]:
    if not isinstance(table, dict):
        raise JudgementError("no-judgement", q)
    for title, grade in table.items():
        if not isinstance(grade, int) or isinstance(grade, bool) or not 0 <= grade <= 2:
            raise JudgementError("bad-grade", f"{q} : {title} = {grade!r}")
    return dict(table)


def evaluate(
    catalogue: Catalogue, search: Callable[[SearchRequest], Sequence[int]], judged: list[Judged]
) -> RelevanceReport:
    """Run every judged query (`search` returns the ranked record ids) and score it."""
    titles = _titles(catalogue)
    known = set(titles.values())
    missing = sorted({t for j in judged for t in j.relevant if t not in known})
    if missing:
        raise JudgementError("unknown-title", " ; ".join(missing[:5]))
    scores = []
    for item in judged:
        ids = search(SearchRequest(q=item.q, per_page=RECALL_AT))
        ranked = tuple(titles.get(i, "") for i in ids[:RECALL_AT])
        scores.append(_score(item, ranked))
    groups = {"ensemble": _figures(scores)}
    held = [s for s in scores if s.held_out]
    tuned = [s for s in scores if not s.held_out]
    if held and tuned:  # a file of held-out queries only is its own "ensemble"
        groups["réservées"] = _figures(held)
        groups["ajustées"] = _figures(tuned)
    for tag in sorted({t for s in scores for t in s.tags}):
        groups[tag] = _figures([s for s in scores if tag in s.tags])
    return RelevanceReport(tuple(scores), groups)


def _titles(catalogue: Catalogue) -> dict[int, str]:
    ids = catalogue.ids()
    records = catalogue.get_many(ids)
    return {i: r.title for i, r in records.items() if not r.deleted}


def _score(item: Judged, ranked: tuple[str, ...]) -> QueryScore:
    grades = [item.relevant.get(t, 0) for t in ranked]
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:NDCG_AT]))
    ideal_grades = sorted(item.relevant.values(), reverse=True)[:NDCG_AT]
    ideal = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal_grades))
    rr = next((1 / (i + 1) for i, g in enumerate(grades) if g >= RELEVANT), 0.0)
    wanted = {t for t, g in item.relevant.items() if g >= RELEVANT}
    found = wanted & set(ranked[:RECALL_AT])
    return QueryScore(
        q=item.q,
        ndcg=dcg / ideal if ideal else 0.0,
        rr=rr,
        recall=len(found) / len(wanted) if wanted else 0.0,
        tags=item.tags,
        held_out=item.held_out,
        ranked=ranked,
    )


def _figures(scores: list[QueryScore]) -> Figures:
    n = len(scores)
    return Figures(
        queries=n,
        ndcg=sum(s.ndcg for s in scores) / n,
        mrr=sum(s.rr for s in scores) / n,
        recall=sum(s.recall for s in scores) / n,
    )
