"""The query's words rewritten into the vocabulary's equivalent expressions read only the
equivalences that can apply to them (compiler._expand_equivalences with `by_start`): the same
rewriting as reading every equivalence, for queries of every shape over the packaged
vocabulary's acronyms, expansions and their words."""

from __future__ import annotations

import random

from indexer.analysis import analyze
from indexer.search.compiler import _by_start, _expand_equivalences
from indexer.search.query import parse
from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary


def test_reading_only_the_equivalences_that_may_apply_rewrites_alike() -> None:
    vocabulary = load_vocabulary(PACKAGED_VOCABULARY)
    groups = [list(group) for group in vocabulary.equivalences()]
    equivalences = [
        forms
        for forms in (tuple(dict.fromkeys(tuple(analyze(e)) for e in g if analyze(e))) for g in groups)
        if len(forms) > 1
    ]  # fmt: skip
    assert len(equivalences) > 50
    expressions = [e for g in groups for e in g]
    words = [w for e in expressions for w in e.split()] + ["emploi", "jeunes", "logement"]
    rng = random.Random(12)
    queries = []
    for _ in range(400):
        parts = []
        for _ in range(rng.randrange(1, 5)):
            kind = rng.random()
            if kind < 0.4:
                parts.append(rng.choice(expressions))
            elif kind < 0.6:
                parts.append(f'"{rng.choice(expressions)}"')
            elif kind < 0.8:
                parts.append(f"{rng.choice(expressions)} OU {rng.choice(words)}")
            else:
                parts.append(rng.choice(words))
        queries.append(" ".join(parts))
    by_start = _by_start(equivalences)
    rewritten = 0
    for q in queries:
        required = parse(q).required
        every = _expand_equivalences(required, equivalences)
        assert _expand_equivalences(required, equivalences, by_start) == every, q
        rewritten += every != [list(g.options) for g in required]
    assert rewritten > 200
