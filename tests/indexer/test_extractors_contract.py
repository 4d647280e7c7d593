"""The contract every extractor keeps, checked the same way for each format of the registry:
a good file gives its text and a title, an empty file or garbage gives a clear error, and a
file whose name lies about its format is read by its content."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from corpus.files import (
    make_docx,
    make_epub,
    make_html,
    make_odt,
    make_pdf,
    make_png_scan,
    make_rtf,
    make_txt,
)
from indexer.extractors import (
    ExtractionError,
    ExtractionLimits,
    UnsupportedFormat,
    default_registry,
)
from indexer.metadata import clean_title
from webapp.messages import reason_text

PHRASE = "Le quartier de Trénelle-Citron œuvre pour l’égalité « réelle » des habitants."
TITLE = "Évaluation du contrat de ville"

GOOD: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "pdf": (".pdf", lambda p: make_pdf(p, PHRASE, title=TITLE)),
    "docx": (".docx", lambda p: make_docx(p, [PHRASE], title=TITLE)),
    "odt": (".odt", lambda p: make_odt(p, [PHRASE], title=TITLE)),
    "epub": (".epub", lambda p: make_epub(p, [PHRASE], title=TITLE)),
    "rtf": (".rtf", lambda p: make_rtf(p, PHRASE, title=TITLE)),
    "html": (".html", lambda p: make_html(p, f"<p>{PHRASE}</p>", title=TITLE)),
    "text": (".txt", lambda p: make_txt(p, f"{TITLE}\n\n{PHRASE}\n")),
    "image": (".png", lambda p: make_png_scan(p, PHRASE)),
}
# Formats whose text is recognised later by OCR (tests/indexer/test_ocr.py): the extractor
# checks the file and counts its pages; the text is empty and the title is the file name's.
SCANS = {"image"}
REGISTRY = default_registry()
NAMES = REGISTRY.names()


def test_every_extractor_of_the_registry_has_a_good_sample_here():
    assert set(NAMES) == set(GOOD), "a new extractor needs a good file in GOOD"


@pytest.fixture(params=NAMES)
def good_file(request, tmp_path) -> tuple[str, Path]:
    suffix, make = GOOD[request.param]
    return request.param, make(tmp_path / f"sample{suffix}")


def test_a_good_file_gives_its_text_title_and_format(good_file):
    name, path = good_file
    extraction = REGISTRY.extract(path)
    if name in SCANS:
        assert (extraction.text, extraction.page_count, extraction.title) == ("", 1, "sample")
        return
    assert PHRASE in " ".join(extraction.text.split())
    assert extraction.title == TITLE
    extractor = next(e for e in REGISTRY if e.name == name)
    assert extraction.media_type == extractor.media_type


def test_a_good_file_renamed_with_a_lying_suffix_is_read_by_its_content(good_file, tmp_path):
    name, path = good_file
    liar = tmp_path / ("renamed.pdf" if name != "pdf" else "renamed.docx")
    liar.write_bytes(path.read_bytes())
    assert REGISTRY.recognise(liar).name == name
    if name in SCANS:
        return
    assert PHRASE in " ".join(REGISTRY.extract(liar).text.split())


def test_a_good_file_without_suffix_is_read_by_its_content(good_file, tmp_path):
    name, path = good_file
    bare = tmp_path / "sans-extension"
    bare.write_bytes(path.read_bytes())
    assert REGISTRY.recognise(bare).name == name


@pytest.mark.parametrize("name", NAMES)
def test_each_extractor_refuses_an_empty_file_with_a_french_reason(name, tmp_path):
    suffix, _ = GOOD[name]
    empty = tmp_path / f"vide{suffix}"
    empty.write_bytes(b"")
    extractor = next(e for e in REGISTRY if e.name == name)
    with pytest.raises(ExtractionError) as through_registry:
        REGISTRY.extract(empty)
    with pytest.raises(ExtractionError) as called_directly:
        extractor.extract(empty, ExtractionLimits())
    assert (
        reason_text(through_registry.value.reason)
        == reason_text(called_directly.value.reason)
        == "fichier vide (0 octet)"
    )


@pytest.mark.parametrize("name", NAMES)
def test_each_extractor_turns_garbage_into_an_extraction_error(name, tmp_path):
    suffix, _ = GOOD[name]
    garbage = tmp_path / f"garbage{suffix}"
    rng = random.Random(name)
    garbage.write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    with pytest.raises(UnsupportedFormat) as caught:
        REGISTRY.extract(garbage)
    assert reason_text(caught.value.reason).startswith("format non pris en charge")
    # Called directly on bytes it does not understand, the extractor still only raises
    # ExtractionError, with one line of French.
    extractor = next(e for e in REGISTRY if e.name == name)
    try:
        extractor.extract(garbage, ExtractionLimits())
    except ExtractionError as error:
        assert reason_text(error.reason) and "\n" not in reason_text(error.reason)
    # (text-like formats may read garbage as text; that is not an escape)


@pytest.mark.parametrize("name", NAMES)
def test_each_extractor_signature_with_damaged_content_is_an_extraction_error(name, tmp_path):
    suffix, make = GOOD[name]
    good = make(tmp_path / f"good{suffix}")
    data = good.read_bytes()
    damaged = tmp_path / f"damaged{suffix}"
    damaged.write_bytes(data[: len(data) // 3])
    try:
        extraction = REGISTRY.extract(damaged)
    except ExtractionError as error:
        assert reason_text(error.reason) and "\n" not in reason_text(error.reason)
    else:  # text-like formats survive a cut: what is left is still text
        assert name in ("text", "html", "rtf")
        assert clean_title(extraction.title) == extraction.title


def test_titles_are_never_none_on_success(good_file, tmp_path):
    name, path = good_file
    untitled = {
        "pdf": lambda p: make_pdf(p, "Texte court."),
        "docx": lambda p: make_docx(p, ["Texte court."]),
        "odt": lambda p: make_odt(p, ["Texte court."]),
        "epub": lambda p: make_epub(p, ["Texte court."], title=None),
        "rtf": lambda p: make_rtf(p, "Texte court."),
        "html": lambda p: make_html(p, "<p>Texte court.</p>"),
        "text": lambda p: make_txt(p, "Texte court."),
        "image": lambda p: make_png_scan(p, "Texte court."),
    }[name](tmp_path / f"2009_evaluation-CUCS_v2{path.suffix}")
    assert REGISTRY.extract(untitled).title == "2009 evaluation CUCS"
