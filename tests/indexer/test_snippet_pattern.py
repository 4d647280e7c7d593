"""The snippets' regex written to skip ahead (snippets.match_pattern) marks exactly what its
plain form (reference_pattern: a word boundary, then every alternative in either case, with or
without accents) marks, on texts full of accents, capitals, ligatures, signs that fold to letters
and punctuation, for words, stems shared across languages and expressions; and what both mark
where a word is written with a ligature or a letter beyond Latin-1."""

from __future__ import annotations

import random

from indexer.search.snippets import make_snippet, match_pattern, matchable, reference_pattern

# letters as a text may write them: accents, capitals, ligatures, the Kelvin sign and the
# long s (which the index folds to k and s), circled letters (not word characters)
LETTERS = "aàâAÀeéèêëEÉÈcçCÇoôœŒuùûUiîïIsSſkKKnNtTrRlLdDpPgGⓒⒸ²1234"
SEPARATORS = [" ", " ", " ", ", ", "'", "’", "-", ". ", "\n", "  ", "(", ")"]
WORDS = [
    "contrat",
    "Contrats",
    "CUCS",
    "cohésion",
    "sociale",
    "urbain",
    "de",
    "ville",
    "ŒUVRE",
    "œuvres",
    "élève",
    "ÉLÈVES",
    "kit",
    "ſoin",
    "ⓒontrat",
    "2001",
    "²001",
    "𐐀AB",  # a letter beyond the Basic Multilingual Plane, with its small form
    "𐐨ab",
]
QUERIES = [
    ["contrat"],
    ["contrats", "ville"],
    ["CUCS", "contrat urbain de cohésion sociale", "contrat de ville"],
    ["oeuvre", "élève"],
    ["kit", "soin"],
    ["2001"],
    ["de"],
    ["de la ville", "ville"],
    ["𐐨ab", "ville"],
]


def _text(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randrange(20, 200)):
        if rng.random() < 0.6:
            out.append(rng.choice(WORDS))
        else:
            out.append("".join(rng.choice(LETTERS) for _ in range(rng.randrange(1, 9))))
        out.append(rng.choice(SEPARATORS))
    return "".join(out)


def _marks(pattern, text: str) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    return [m.span() for m in pattern.finditer(text)]


def test_the_skipping_regex_marks_what_the_plain_one_marks() -> None:
    rng = random.Random(17)
    texts = [_text(rng) for _ in range(300)]
    marked = 0
    for words in QUERIES:
        fast, plain = match_pattern(words), reference_pattern(words)
        assert fast is not None and plain is not None
        if "𐐨ab" not in words:
            assert fast.pattern != plain.pattern  # the skipping form, not the plain one again
        for text in texts:
            expected = _marks(plain, text)
            assert _marks(fast, text) == expected, (words, text)
            marked += len(expected)
    assert marked > 5000


def test_a_prefix_is_marked_alike() -> None:
    text = "Le contractant, les contrats, un CONTRÔLE, la contrée ; ⓒontre-pied."
    fast, plain = match_pattern([], ["contr"]), reference_pattern([], ["contr"])
    assert _marks(fast, text) == _marks(plain, text)
    assert [text[s:e] for s, e in _marks(fast, text)] == [
        "contractant",
        "contrats",
        "CONTRÔLE",
        "contrée",
    ]  # "ⓒ" is no word character: no word starts on it after a space


def test_a_window_without_runs_of_spaces_keeps_its_spans_as_the_general_way_moves_them(
    monkeypatch,
) -> None:
    """Most abstracts have no run of spaces to collapse: their window is only cut at its end,
    and the spans are those the general way (every run found and moved over) gives."""
    from indexer.search import snippets

    rng = random.Random(23)
    windows = [_text(rng).replace("\n", " ").replace("  ", " ").lstrip() + rng.choice(["", " "])
               for _ in range(200)]  # fmt: skip
    cases = []
    for window in windows:
        points = sorted(rng.sample(range(len(window) + 1), 6))
        spans = tuple(zip(points[::2], points[1::2], strict=True))
        cases.append((window, spans))
    quick = [snippets._collapse_spaces(w, spans) for w, spans in cases]
    clean = sum(1 for w, _ in cases if snippets._SPACES.search(w) is None)

    class EveryWindowHasRuns:  # the quick way never taken
        def search(self, window: str) -> bool:
            return True

        def finditer(self, window: str):  # type: ignore[no-untyped-def]
            return snippets.re.compile(r"^\s+|\s{2,}|[^\S ]").finditer(window)

    monkeypatch.setattr(snippets, "_SPACES", EveryWindowHasRuns())
    general = [snippets._collapse_spaces(w, spans) for w, spans in cases]
    assert quick == general
    assert clean > 100 and sum(1 for w, _ in cases if w.endswith(" ")) > 50


def _marked(words: list[str], text: str) -> list[str]:
    snippet, spans = make_snippet(text, match_pattern(words))
    return [snippet[s:e] for s, e in spans]


def test_a_word_written_with_a_ligature_is_marked() -> None:
    """The index folds œ to "oe" and æ to "ae": « Schœlcher » is found by « schoelcher » and
    « Schœlcher » alike, so its snippet must mark it both ways too."""
    text = "Le cœur de Schœlcher ; CŒUR et Œuvres ; le coeur de Schoelcher ; et cætera."
    assert _marked(["Schœlcher", "cœur", "oeuvre"], text) == [
        "cœur",
        "Schœlcher",
        "CŒUR",
        "Œuvres",
        "coeur",
        "Schoelcher",
    ]
    assert _marked(["caetera"], text) == ["cætera"]
    assert _marked(["oeuvres"], "Une manœuvre.") == []  # no word starts there


def test_letters_beyond_latin1_are_marked_where_they_stand() -> None:
    """Letters outside the regex's classes (Polish ł, a breve, the long s) are read through a
    one-for-one translation: the marks fall on the text as written."""
    text = "De Łódź à Brno : le ſoin des ĕlèves, les élèves."
    assert _marked(["lodz", "soin", "élève"], text) == ["Łódź", "ſoin", "ĕlèves", "élèves"]
    assert matchable("sans lettre rare : élève") == "sans lettre rare : élève"
    assert matchable(text) == "De lódz à Brno : le soin des elèves, les élèves."  # one for one
