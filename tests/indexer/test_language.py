"""Language detection: right on real paragraphs, silent on scraps, the same answer every time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from indexer import language
from indexer.language import detect_language, load_profiles, normalise_language

REPO = Path(__file__).resolve().parents[2]

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
SPANISH = (
    "El contrato urbano de cohesión social es el marco de la política de la ciudad en los "
    "barrios prioritarios. Reúne al Estado, a los municipios y a los habitantes en torno a un "
    "proyecto compartido: empleo, educación, salud y seguridad pública."
)


@pytest.mark.parametrize(("text", "code"), [(FRENCH, "fr"), (ENGLISH, "en"), (SPANISH, "es")])
def test_paragraphs_are_recognised(text, code):
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["Sommaire", "Rapport final 2009", "", "12 / 40", "— — —"])
def test_a_single_line_is_undetermined(text):
    assert detect_language(text) == "und"


def test_the_files_own_language_answers_when_the_text_cannot():
    assert detect_language("Rapport final", hint="fr-FR") == "fr"
    assert detect_language("Rapport final", hint="x-none") == "und"  # not a language
    assert detect_language(ENGLISH, hint="fr") == "en"  # the text outranks a wrong template


def test_same_text_same_answer_twenty_times():
    borderline = "Bonjour, the quick brown fox et le renard brun rapide, hola amigos del barrio."
    answers = {detect_language(borderline * 2) for _ in range(20)}
    assert len(answers) == 1


def test_same_answer_in_another_process():
    borderline = "Bonjour, the quick brown fox et le renard brun rapide, hola amigos del barrio. "
    script = (
        "import sys; from indexer.language import detect_language; "
        f"print(detect_language({borderline * 2!r}))"
    )
    other = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.strip()
    assert other == detect_language(borderline * 2)


def test_long_documents_are_sampled():
    long_text = (FRENCH + "\n") * 3000  # about 700,000 characters (its cost: bench/units.py)
    assert language._sample(long_text) != long_text
    assert len(language._sample(long_text)) <= language.SAMPLE_CHARS + 3
    assert detect_language(long_text) == "fr"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("fr-FR", "fr"),
        ("FR", "fr"),
        ("fra", "fr"),
        ("zh-CN", "zh"),
        ("en_GB", "en"),
        ("x-none", None),
        ("Language", None),
        ("", None),
        (None, None),
    ],
)
def test_language_codes_from_metadata(raw, code):
    assert normalise_language(raw) == code


def test_profiles_are_loaded_once_per_process():
    load_profiles()
    factory = language._factory()
    load_profiles()
    for _ in range(5):
        assert detect_language(ENGLISH) == "en"
    assert language._factory() is factory and language._factory.cache_info().misses <= 1
