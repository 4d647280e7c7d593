"""The registry: recognition by content, clear French reasons for what it cannot read, and
nothing but ExtractionError leaving it."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.files import make_docx, make_html, make_pdf, make_txt, write_zip
from indexer.extractors import (
    ExtractionError,
    ExtractionLimits,
    ExtractorRegistry,
    UnsupportedFormat,
    default_registry,
)
from indexer.extractors.legacy import OLE2_MAGIC
from webapp.messages import reason_text

REGISTRY = default_registry()


def _ole2(path: Path, *streams: str) -> Path:
    """An OLE2 header followed by directory entry names, as Office 97-2003 files have."""
    names = b"".join(s.encode("utf-16-le") + b"\x00\x00" for s in streams)
    path.write_bytes(OLE2_MAGIC + b"\x00" * 504 + names + b"\x00" * 1024)
    return path


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "exécutable Windows"),
        (b"\x7fELF\x02\x01\x01\x00", "exécutable Linux"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00", "image GIF"),
    ],
)
def test_binary_formats_are_refused_with_what_they_look_like(tmp_path, head, what):
    path = tmp_path / "document.pdf"  # the name lies; the reason tells the truth
    path.write_bytes(head + bytes(range(256)) * 4)
    with pytest.raises(UnsupportedFormat) as caught:
        REGISTRY.extract(path)
    assert reason_text(caught.value.reason) == f"format non pris en charge ({what})"


def test_a_word_97_document_asks_to_be_saved_as_docx_or_pdf(tmp_path):
    path = _ole2(tmp_path / "rapport.doc", "Root Entry", "WordDocument", "1Table")
    with pytest.raises(UnsupportedFormat) as caught:
        REGISTRY.extract(path)
    assert reason_text(caught.value.reason) == (
        "Word 97-2003 (.doc) non pris en charge : enregistrez-le en DOCX ou PDF"
    )


def test_other_office_97_files_and_password_protected_office_files_are_named(tmp_path):
    cases = {
        ("Workbook",): "Excel 97-2003",
        ("PowerPoint Document",): "PowerPoint 97-2003",
        ("EncryptedPackage", "EncryptionInfo"): "protégé par un mot de passe",
    }
    for streams, expected in cases.items():
        with pytest.raises(UnsupportedFormat) as caught:
            REGISTRY.extract(_ole2(tmp_path / "fichier.doc", "Root Entry", *streams))
        assert expected in reason_text(caught.value.reason)


def test_a_zip_that_is_no_document_is_named_an_archive(tmp_path):
    path = tmp_path / "dossier.docx"
    write_zip(path, [("photos/quartier.jpg", b"\xff\xd8\xff" + b"\x00" * 100)])
    with pytest.raises(UnsupportedFormat) as caught:
        REGISTRY.extract(path)
    assert "archive ZIP" in reason_text(caught.value.reason)


def test_text_sniffing_never_takes_a_pdf_or_a_docx_for_text(tmp_path):
    pdf = make_pdf(tmp_path / "notes.txt", "Contenu du PDF.", title="Un PDF nommé .txt")
    docx = make_docx(tmp_path / "notes.md", ["Contenu du DOCX."])
    assert REGISTRY.recognise(pdf).name == "pdf"
    assert REGISTRY.recognise(docx).name == "docx"


def test_the_suffix_only_breaks_the_tie_between_text_and_html(tmp_path):
    fragment = "<p>Un <b>paragraphe</b> balisé.</p>\n"
    as_html = make_txt(tmp_path / "fragment.html", fragment)
    as_text = make_txt(tmp_path / "fragment.txt", fragment)
    full_page = make_html(tmp_path / "page.txt", "<p>Une page complète.</p>", title="Page")
    assert REGISTRY.recognise(as_html).name == "html"
    assert REGISTRY.recognise(as_text).name == "text"
    assert REGISTRY.recognise(full_page).name == "html"  # <!DOCTYPE html> decides


def test_high_bytes_without_structure_are_not_text(tmp_path):
    path = tmp_path / "donnees.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 32)
    with pytest.raises(UnsupportedFormat):
        REGISTRY.extract(path)


def test_missing_file_and_folder_are_extraction_errors(tmp_path):
    with pytest.raises(ExtractionError) as missing:
        REGISTRY.extract(tmp_path / "absent.pdf")
    assert reason_text(missing.value.reason) == "fichier introuvable"
    with pytest.raises(ExtractionError) as folder:
        REGISTRY.extract(tmp_path)
    assert "pas un fichier" in reason_text(folder.value.reason)


class _Exploding:
    """An extractor with a bug: the registry must still answer with an ExtractionError."""

    name = "exploding"
    media_type = "application/x-test"
    suffixes = (".boom",)

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def sniff(self, head: bytes, path: Path) -> bool:
        return True

    def extract(self, path: Path, limits: ExtractionLimits):  # type: ignore[no-untyped-def]
        raise self.error


def test_an_unexpected_library_error_becomes_a_reason_naming_its_class(tmp_path):
    path = make_txt(tmp_path / "x.boom", "contenu")
    registry = ExtractorRegistry([_Exploding(RuntimeError("bug in a library"))])
    with pytest.raises(ExtractionError) as caught:
        registry.extract(path)
    assert reason_text(caught.value.reason) == "erreur inattendue pendant la lecture (RuntimeError)"
    assert isinstance(caught.value.__cause__, RuntimeError)


@pytest.mark.parametrize("error", [MemoryError(), KeyboardInterrupt(), SystemExit(1)])
def test_memory_errors_and_interruptions_are_not_swallowed(tmp_path, error):
    path = make_txt(tmp_path / "x.boom", "contenu")
    registry = ExtractorRegistry([_Exploding(error)])
    with pytest.raises(type(error)):
        registry.extract(path)


def test_the_registry_is_an_object_listing_the_built_ins_in_recognition_order():
    assert default_registry() is not REGISTRY
    assert REGISTRY.names() == ("pdf", "docx", "odt", "epub", "rtf", "image", "html", "text")
