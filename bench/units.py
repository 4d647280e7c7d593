"""Small costs, measured apart (they were wall-clock assertions inside unit tests, where a busy
machine made them fail for nothing; issue 17).

Each figure is the best of a few runs, printed beside its target:
- deciding among the rule scores with a learned model, per document;
- detecting the language of a 700,000-character document (profiles already loaded: the text
  is sampled, so its length must not matter);
- detecting the language of a paragraph five times once the profiles are loaded (loading them
  takes about 0.3 s: a second load would show here);
- tidying pathological titles (patterns that backtrack would show here);
- refusing a 300 MB zip bomb from its directory, without inflating it.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from pathlib import Path

REPEATS = 5
TARGETS = {
    "model_decide_ms_per_document": 1.0,
    "language_long_document_ms": 30.0,
    "language_five_paragraphs_ms": 50.0,
    "clean_title_pathological_ms": 100.0,
    "zip_bomb_refusal_ms": 500.0,
}

FRENCH = (
    "Le contrat urbain de cohésion sociale est le cadre de la politique de la ville dans les "
    "quartiers prioritaires. Il associe l’État, les communes et les habitants autour d’un "
    "projet de territoire : emploi, réussite éducative, santé, tranquillité publique."
)
ENGLISH = (
    "The urban social cohesion contract is the framework of urban policy in priority "
    "neighbourhoods. It brings together the State, the municipalities and the residents "
    "around a shared project: jobs, education, health and public safety."
)


def best_ms(work: Callable[[], object], repeats: int = REPEATS) -> float:
    """The fastest of `repeats` runs, in milliseconds."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def model_decide() -> float:
    from indexer.tag_training import Example, train
    from indexer.tagging import Tagger
    from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary
    from tests.indexer.labelled_fund import labelled_fund

    tagger = Tagger(load_vocabulary(PACKAGED_VOCABULARY))
    fund = labelled_fund()
    scores = [tagger.scores(doc) for doc, _ in fund]
    examples = [Example(tuple(s), themes) for s, (_, themes) in zip(scores, fund, strict=True)]
    model = train(examples, tagger.slugs, vocabulary=tagger.vocabulary)

    def decide_all() -> None:
        for _ in range(20):
            for s in scores:
                model.decide(s)

    return best_ms(decide_all) / (20 * len(scores))


def language_long_document() -> float:
    from indexer.language import detect_language, load_profiles

    load_profiles()
    long_text = (FRENCH + "\n") * 3000  # about 700,000 characters
    return best_ms(lambda: detect_language(long_text))


def language_five_paragraphs() -> float:
    from indexer.language import detect_language, load_profiles

    load_profiles()
    return best_ms(lambda: [detect_language(ENGLISH) for _ in range(5)])


def clean_title_pathological() -> float:
    from indexer.metadata import clean_title

    odd = ("Document" + "i" * 40 + "!", "Sans titre" + " 1" * 200 + "x", "_" * 5000)
    return best_ms(lambda: [clean_title(raw) for raw in odd])


def zip_bomb_refusal(out: Path) -> float:
    from indexer.extractors import ExtractionError, default_registry

    path = out / "bombe.docx"
    if not path.exists():  # 300 MB of zeros in about 300 KB
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            with archive.open("word/document.xml", "w", force_zip64=True) as member:
                chunk = b"\0" * (1 << 20)
                for _ in range(300):
                    member.write(chunk)
    registry = default_registry()

    def refuse() -> None:
        try:
            registry.extract(path)
        except ExtractionError:
            return
        raise AssertionError("the zip bomb was read")

    return best_ms(refuse)


def run(out: Path) -> dict[str, object]:
    figures = {
        "model_decide_ms_per_document": model_decide(),
        "language_long_document_ms": language_long_document(),
        "language_five_paragraphs_ms": language_five_paragraphs(),
        "clean_title_pathological_ms": clean_title_pathological(),
        "zip_bomb_refusal_ms": zip_bomb_refusal(out),
    }
    print("\n== petites mesures (meilleur de", REPEATS, "essais) ==")
    for name, value in figures.items():
        target = TARGETS[name]
        verdict = "ok" if value <= target else "AU-DESSUS DE LA CIBLE"
        print(f"  {name:32} {value:9.3f} ms   cible ≤ {target:g} ms   {verdict}")
    return {"figures": {k: round(v, 4) for k, v in figures.items()}, "targets": TARGETS}


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        run(Path(folder))
