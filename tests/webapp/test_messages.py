"""Every code raised deep inside has its French line at the edge."""

from __future__ import annotations

import pytest

from indexer.reasons import OsError, Reason, ReasonCode, UnsupportedKind
from indexer.tag_model import ModelError, ModelProblem
from indexer.vocabulary import VocabularyError, VocabularyProblem
from webapp.messages import model_problem, reason_text, vocabulary_problem

SAMPLE_PARAMS = {
    "error": OsError.PERMISSION,
    "format": "PDF",
    "size_mb": 120.44,
    "limit_mb": 100,
    "seconds": 120,
    "chars": 5_000_000,
    "page": 2,
    "pages": 2000,
    "record": 12,
    "path": "rapports/cucs.pdf",
    "text": "une phrase d'autrefois",
    "part": "word/document.xml",
}


@pytest.mark.parametrize("code", list(ReasonCode))
def test_every_reason_code_reads_as_french(code):
    text = reason_text(Reason.of(code, **SAMPLE_PARAMS))
    assert text and "\n" not in text
    assert code.value not in text and "=" not in text  # never the raw code


@pytest.mark.parametrize("kind", list(UnsupportedKind))
def test_every_unsupported_format_is_named_in_french(kind):
    text = reason_text(Reason.of(ReasonCode.UNSUPPORTED, format=kind))
    assert text != f"format non pris en charge ({kind.value})"  # not the fallback
    assert any(word in text for word in ("charge", "mot de passe", "corrompue", "non acceptée"))


def test_the_facts_of_a_reason_are_worded_the_french_way():
    too_large = Reason.of(ReasonCode.TOO_LARGE, size_mb=120.44, limit_mb=100)
    assert reason_text(too_large) == "fichier trop volumineux : 120.4 Mo (limite : 100 Mo)"
    cut = Reason.of(ReasonCode.TEXT_CUT, chars=5_000_000)
    assert reason_text(cut) == "texte tronqué à 5 000 000 caractères"
    denied = Reason.of(ReasonCode.FILE_UNREADABLE, error=OsError.PERMISSION)
    assert reason_text(denied) == "fichier illisible (permission refusée)"


def test_a_stored_reason_round_trips_and_old_french_text_is_kept():
    reason = Reason.of(ReasonCode.MOVED, path="a/b.pdf")
    assert Reason.decode(reason.encode()) == reason
    old = Reason.decode("fichier vide (0 octet)")
    assert old is not None and reason_text(old) == "fichier vide (0 octet)"
    assert Reason.decode("") is None


def test_the_problems_of_a_check_read_as_the_sentences_users_know():
    from indexer.consistency import Problem, Repair
    from webapp.messages import check_problem, repair_text

    ids = list(range(1, 13))
    assert check_problem(Problem("index-stale", {"ids": ids})) == (
        "12 notices périmées dans l'index : 1, 2, 3, 4, 5, 6, 7, 8, 9, 10…"
    )
    assert check_problem(Problem("index-orphan", {"ids": [4]})) == (
        "1 entrées d'index sans notice vivante : 4"
    )
    where = {"store_path": "ab/abcd.pdf", "original_name": "cucs.pdf"}
    assert check_problem(Problem("store-missing", where)) == (
        "fichier absent du dépôt : ab/abcd.pdf (cucs.pdf)"
    )
    names = [f"f{i}" for i in range(6)]
    assert check_problem(Problem("store-stray", {"names": names})) == (
        "6 fichiers du dépôt sans notice : f0, f1, f2, f3, f4…"
    )
    assert check_problem(Problem("catalogue-corrupt", {"detail": "page 3"}, False)) == (
        "catalogue abîmé : page 3"
    )
    assert repair_text(Repair("file-restored", {"name": "cucs.pdf", "source": "/d/cucs.pdf"})) == (
        "fichier cucs.pdf recopié depuis /d/cucs.pdf"
    )
    assert repair_text(Repair("strays-removed", {"count": 2})) == (
        "2 fichiers orphelins retirés du dépôt"
    )


def test_the_reasons_of_an_import_plan_read_as_french():
    from indexer.importing import PlannedRow
    from library import Record
    from webapp.messages import import_reason

    record = Record(title="Le livre")

    def reason(code: str, **params: object) -> str:
        return import_reason(PlannedRow(1, record, "skip", code, params))

    assert reason("probable-duplicate", record_id=7, match="isbn") == (
        "doublon probable de la notice n° 7 (même ISBN)"
    )
    assert reason("same-identifier-in-file", line=3) == (
        "même identifiant que l'entrée 3 du fichier"
    )
    assert reason("barcode-known", barcode="B001") == "code-barres B001 déjà au catalogue"
    assert reason("up-to-date", record_id=2) == "notice n° 2 déjà à jour"
    assert reason("update", record_id=2) == "mise à jour de la notice n° 2"
    assert import_reason(PlannedRow(1, record, "create")) == ""


def test_the_query_parser_hands_up_notes_the_edge_words():
    from indexer.search.query import parse
    from webapp.messages import query_note

    notes = parse('de* "quartier ! ?').notes
    assert [(n.code, dict(n.params)) for n in notes] == [
        ("unclosed-quote", {}),
        ("short-prefix", {"typed": "de*", "min": 3}),
        ("ignored", {"tokens": ["!", "?"]}),
    ]
    assert [query_note(n) for n in notes] == [
        "Guillemet non fermé : il a été ignoré.",
        "Préfixe « de* » trop court (au moins 3 lettres) : cherché comme un mot.",
        "Ignoré : « ! », « ? ».",
    ]
    assert query_note(parse("x " * 400).notes[0]) == (
        "Requête trop longue : seuls les 500 premiers caractères sont pris en compte."
    )


VOCABULARY_FACTS = {
    "error": "Permission denied",
    "limit_mb": 50,
    "format": "json-ld",
    "detail": "bad syntax",
    "syntax": "unclosed-array",
    "key": "termse",
    "table": "thematique",
    "allowed": ("slug", "libelle"),
    "slug": "sante",
    "first_line": 4,
    "term": "de la",
    "acronym": "ZFU",
    "kind": "mot",
    "column": 6,
}


@pytest.mark.parametrize("code", list(VocabularyProblem))
def test_every_vocabulary_problem_reads_as_one_french_line_with_its_place(code):
    error = VocabularyError(code, path="vocabulary.toml", line=12, **VOCABULARY_FACTS)
    text = vocabulary_problem(error)
    assert text.startswith("vocabulary.toml, ligne 12") and "\n" not in text
    assert code.value not in text and "{" not in text  # never the raw code, every fact worded


@pytest.mark.parametrize("code", list(ModelProblem))
def test_every_model_problem_reads_as_french(code):
    text = model_problem(
        ModelError(code, error="OSError", format="2", names=("ratio",), documents=8, needed=30)
    )
    assert text and code.value not in text and "{" not in text
