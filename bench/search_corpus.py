"""The search benchmark's queries (make_queries, url_params). The funds it searches are made by
the `fonds` commands (bench/user_fund.py); `prepare` here is the earlier way, synthetic records
put straight into a catalogue, which the benchmark no longer uses."""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

from corpus.synth.records import SyntheticDocument, generate_records
from indexer.analysis import analysis_stamp, analyze, normalise_language
from indexer.search import SearchIndex, build_document
from indexer.search.engine import SCHEMA_VERSION
from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary
from library import Catalogue, Record, SourceFile, ThemeAssignment, ThemeSource
from library.instance import InstancePaths

SEED = 20_13
FORMAT_TYPES = {
    "pdf": "application/pdf",
    "txt": "text/plain",
    "md": "text/markdown",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
STAMP = "bench-stamp.json"
BATCH = 400


def _stamp(n: int) -> dict[str, object]:
    """What the cached fund was made from: rebuild when the generator or the analysis changes."""
    synth = Path(__file__).resolve().parents[1] / "corpus" / "synth"
    digest = hashlib.sha256()
    for path in sorted(synth.rglob("*")):
        if path.suffix in (".py", ".json"):  # the generator and its prose banks
            digest.update(path.read_bytes())
    return {
        "documents": n,
        "seed": SEED,
        "synth": digest.hexdigest()[:16],
        "version": 1,
        "index": [SCHEMA_VERSION, analysis_stamp()],
    }


def prepare(root: Path, n: int, log=print) -> Path:  # type: ignore[no-untyped-def]
    """An instance with n synthetic documents, catalogued and indexed (reused when unchanged)."""
    stamp_file = root / STAMP
    wanted = _stamp(n)
    if stamp_file.is_file() and json.loads(stamp_file.read_text()) == wanted:
        return root
    if root.exists():
        import shutil

        shutil.rmtree(root)
    root.mkdir(parents=True)
    started = time.perf_counter()
    chars = 0
    with (
        Catalogue.in_instance(root) as catalogue,
        SearchIndex.open(InstancePaths(root).index_dir, write_timeout=600) as index,
        ProcessPoolExecutor(max_workers=2) as pool,
    ):
        for batch in _batches(generate_records(n, SEED), BATCH):
            with catalogue.transaction():
                records = [catalogue.add(_record(d, catalogue), text=d.text) for d in batch]
            # the analysis runs on both cores, as `fonds index` does; the index writer in here
            terms = pool.map(_analyse, [(d.text, d.language) for d in batch], chunksize=20)
            index.write(
                [build_document(r, "", text_terms=t) for r, t in zip(records, terms, strict=True)]
            )
            chars += sum(len(d.text) for d in batch)
    log(
        f"  {n} notices ({chars / 1e6:.0f} Mo de texte) cataloguées et indexées "
        f"en {time.perf_counter() - started:.0f} s"
    )
    stamp_file.write_text(json.dumps(wanted))
    return root


def _analyse(item: tuple[str, str]) -> str:
    text, language = item
    return " ".join(analyze(text, normalise_language(language)))


def _batches(items: Iterator, size: int) -> Iterator[list]:  # type: ignore[type-arg]
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _record(document: SyntheticDocument, catalogue: Catalogue) -> Record:
    """The generator's record, with its intended thematics (as the tagger would score them) and,
    for electronic documents, a file entry so that « en ligne » is a real facet value."""
    record = document.to_record()
    themes = tuple(
        ThemeAssignment(slug, ThemeSource.AUTO, round(0.9 - 0.15 * i, 2))
        for i, slug in enumerate(document.themes)
    )
    file = None
    if document.file_format:
        sha = hashlib.sha256(f"{SEED}:{document.number}".encode()).hexdigest()
        file = SourceFile(
            sha,
            document.file_name or f"{document.number}.{document.file_format}",
            FORMAT_TYPES[document.file_format],
            len(document.text.encode()),
            f"{sha[:2]}/{sha}.{document.file_format}",
        )
        catalogue.add_file(file)
    return replace(record, themes=themes, file=file)


# -- queries ----------------------------------------------------------------------------------

THEMES = tuple(load_vocabulary(PACKAGED_VOCABULARY).labels())
TYPES = ("rapport", "etude", "guide", "actes", "compte-rendu", "ouvrage")
ACRONYMS = ("CUCS", "ZFU", "PRE", "ANRU", "CLSPD", "GUP", "ESS", "PLIE", "REAAP", "ASV")
_WORD = re.compile(r"[^\W\d_]{4,}")


def make_queries(n_documents: int, count: int = 240) -> list[dict[str, object]]:
    """A fixed mix of what people type: words, several words, phrases, prefixes, acronyms, OU,
    exclusions; a third of them with facet filters, some browsing with filters only."""
    rng = random.Random(SEED)
    sample = list(generate_records(min(n_documents, 300), SEED))
    words: Counter[str] = Counter()
    titles = []
    for document in sample:
        titles.append(document.title)
        words.update(w.lower() for w in _WORD.findall(document.title + " " + document.text[:4000]))
    common = [w for w, _ in words.most_common(600) if len(w) >= 5]
    frequent, middle = common[:120], common[120:]

    def word() -> str:
        return rng.choice(frequent if rng.random() < 0.5 else middle)

    def phrase() -> str:
        title_words = [w for w in re.findall(r"[^\W\d_]+", rng.choice(titles)) if len(w) > 2]
        if len(title_words) < 2:
            return word()
        start = rng.randrange(len(title_words) - 1)
        return '"' + " ".join(title_words[start : start + rng.choice((2, 2, 3))]) + '"'

    def prefix() -> str:
        base = word()
        return base[: rng.choice((3, 4, 4, 5, 6))] + "*"

    kinds = (
        [("mot", lambda: word())] * 50
        + [("mots", lambda: " ".join(word() for _ in range(rng.choice((2, 2, 3)))))] * 40
        + [("expression", phrase)] * 35
        + [("préfixe", prefix)] * 35
        + [("sigle", lambda: rng.choice(ACRONYMS))] * 8
        + [("OU", lambda: f"{word()} OU {word()}")] * 6
        + [("exclusion", lambda: f"{word()} -{word()}")] * 6
    )
    queries: list[dict[str, object]] = []
    for kind, make in kinds:
        queries.append({"kind": kind, "q": make()})
    # a third of them again with one or two facet filters, and some browsing by facets only
    for query in rng.sample(queries, 50):
        queries.append({**query, "kind": f"{query['kind']}+filtres", **_filters(rng)})
    while len(queries) < count:
        queries.append({"kind": "filtres seuls", "q": "", **_filters(rng)})
    return queries


def professional_queries() -> list[dict[str, object]]:
    """The queries of corpus/relevance.toml, as professionals of the centre type them (French
    expressions, acronyms, word families, English and Spanish queries over French documents),
    each with its first tag as its kind."""
    from indexer.relevance import load_judgements

    path = Path(__file__).resolve().parents[1] / "corpus" / "relevance.toml"
    return [
        {"kind": judged.tags[0] if judged.tags else "autre", "q": judged.q}
        for judged in load_judgements(path)
    ]


def _filters(rng: random.Random) -> dict[str, object]:
    chosen: dict[str, object] = {}
    for _ in range(rng.choice((1, 1, 2))):
        facet = rng.choice(("theme", "type", "year", "support", "lang", "available"))
        if facet == "theme":
            chosen["theme"] = rng.sample(THEMES, rng.choice((1, 1, 2)))
        elif facet == "type":
            chosen["type"] = [rng.choice(TYPES)]
        elif facet == "year":
            chosen["year"] = [rng.choice(("2000-2009", "2010-2019", str(rng.randint(2005, 2013))))]
        elif facet == "support":
            chosen["support"] = [rng.choice(("papier", "electronique"))]
        elif facet == "lang":
            chosen["lang"] = [rng.choice(("fr", "fr", "en", "es"))]
        else:
            chosen["available"] = [rng.choice(("en-rayon", "en-ligne"))]
    return chosen


def url_params(query: dict[str, object]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in query.items():
        if key == "kind":
            continue
        if isinstance(value, list):
            pairs.extend((key, str(v)) for v in value)
        elif value:
            pairs.append((key, str(value)))
    return pairs


_PREFIXES = (
    "qua pol éva con coh urb emp log ent rec bil hab rén pro soc ter mai édu jeu séc pré méd "
    "san cul"
).split()
_COMMON = (
    "quartier politique ville contrat social habitants jeunes emploi logement projet rénovation "
    "urbaine cohésion prioritaire santé école association sécurité prévention médiation "
    "insertion formation culture centre famille"
).split()


_ACRONYMS = (
    "CUCS DIV CIV SGCIV DSU DSQ CNV CGET ANCT INSEE ONZUS SIG IRIS ABS ZUS DREES QPV VVV MJC "
    "PIJ BIJ CRIJ CLSH ALSH"
).split()  # of the vocabulary: each an OR of its expansions' phrases


def hostile_queries() -> list[tuple[str, list[tuple[str, str]]]]:
    """The costliest requests we know how to build, as (label, parameters): none may take more
    than a second (issue 11). Each is asked of the page, which adds the help shown when
    nothing is found."""
    anyof = " OU ".join(f"{p}*" for p in _PREFIXES)
    worst = (anyof + ' "' + "la politique de la ville en quartier prioritaire " * 8)[:498] + '"'
    filters = [
        ("theme", "sante"),
        ("type", "rapport"),
        ("support", "papier"),
        ("year", "1990-1999"),
        ("lang", "en"),
        ("available", "en-pret"),
    ]
    phrases = " OU ".join(f'"{a} {b}"' for a, b in pairwise(_COMMON))
    return [
        ("24 préfixes OU et une expression, 6 filtres", [("q", worst), *filters]),
        # no document holds the expression: every document is ranked on the prefixes
        ("24 préfixes OU et une expression", [("q", worst)]),
        ("24 préfixes OU", [("q", anyof)]),
        ("24 expressions de mots courants OU", [("q", phrases)]),
        ("24 mots courants", [("q", " ".join(_COMMON))]),
        ("24 mots courants OU", [("q", " OU ".join(_COMMON))]),
        ("24 sigles", [("q", " ".join(_ACRONYMS))]),
        ("un mot 1 250 fois", [("q", "quartier " * 1250)]),
        ("1 000 mots inconnus", [("q", " ".join(f"zz{n:03d}qq" for n in range(1000)))]),
        ("24 mots mal orthographiés", [("q", " ".join(w + "x" for w in _COMMON))]),
        ("*", [("q", "*")]),
        ("page 10^20", [("q", "quartier"), ("page", "9" * 20)]),
    ]
