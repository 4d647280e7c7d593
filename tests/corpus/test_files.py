"""The one writer of sample files: same arguments, same bytes, and containers as specified."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from corpus import files

MAKERS = {
    "pdf": files.make_pdf,
    "docx": files.make_docx,
    "odt": files.make_odt,
    "epub": files.make_epub,
    "rtf": files.make_rtf,
    "html": files.make_html,
    "txt": files.make_txt,
}


@pytest.mark.parametrize("suffix", sorted(MAKERS))
def test_the_same_arguments_write_the_same_bytes(tmp_path: Path, suffix: str):
    first = MAKERS[suffix](tmp_path / f"a.{suffix}").read_bytes()
    second = MAKERS[suffix](tmp_path / f"b.{suffix}").read_bytes()
    assert first == second


@pytest.mark.parametrize(
    ("maker", "mimetype"),
    [
        (files.make_odt, b"application/vnd.oasis.opendocument.text"),
        (files.make_epub, b"application/epub+zip"),
    ],
)
def test_opendocument_and_epub_open_with_a_stored_mimetype(tmp_path: Path, maker, mimetype):
    with zipfile.ZipFile(maker(tmp_path / "f.zip")) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == mimetype
        assert {i.date_time for i in archive.infolist()} == {files.FIXED_DATE}


def test_a_docx_carries_the_date_it_is_given_never_the_clock(tmp_path: Path):
    path = files.write_docx(tmp_path / "d.docx", ["Texte"], date_time=(2009, 5, 4, 10, 30, 0))
    with zipfile.ZipFile(path) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2009, 5, 4, 10, 30, 0)}
        assert {i.create_system for i in archive.infolist()} == {0}  # as Word writes them
