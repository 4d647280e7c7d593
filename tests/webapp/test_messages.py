"""Every code raised deep inside has its French line at the edge."""

from __future__ import annotations

import pytest

from indexer.reasons import OsError, Reason, ReasonCode, UnsupportedKind
from webapp.messages import reason_text

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
