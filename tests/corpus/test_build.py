"""The sample fund's build: deterministic, strict about its sources, and its files open."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from corpus import build, sources
from corpus.render import ZIP_DATE

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "corpus" / "src"
SOURCES = sorted(SRC.glob("*.md"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The real sources built once into a temporary corpus folder."""
    root = tmp_path_factory.mktemp("corpus")
    build.build(SRC, root / "documents", root / "labels.csv")
    return root


def test_the_sources_cover_every_format_language_thematic_and_metadata_mode():
    parsed = [sources.parse_source(p) for p in SOURCES]
    assert {s.suffix for s in parsed} == sources.FORMATS
    assert {s.meta["language"] for s in parsed} == sources.LANGUAGES
    assert {t for s in parsed for t in s.meta["themes"]} == sources.THEMES
    assert {s.mode for s in parsed} == sources.METADATA_MODES


def test_the_committed_sample_fund_is_what_its_sources_render(built: Path):
    """`corpus/documents` and `corpus/labels.csv` are the build's output, byte for byte: a
    source edited without re-running `corpus/build.py` (or a writer that drifts) shows here."""
    committed = REPO / "corpus"
    assert _snapshot(built / "documents") == _snapshot(committed / "documents")
    assert (built / "labels.csv").read_text(encoding="utf-8").splitlines() == [
        line
        for line in (committed / "labels.csv").read_text(encoding="utf-8").splitlines()
        if not line.startswith("barcode:")  # the paper holdings come from catalogue-labels.csv
    ]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_source_front_matter_is_valid(path: Path):
    source = sources.parse_source(path)
    meta = source.meta
    assert meta["type"] in sources.DOC_TYPES
    assert 1 <= len(meta["themes"]) <= 3
    assert set(meta["themes"]) <= sources.THEMES
    assert 2005 <= meta["year"] <= 2013
    assert meta["language"] in {"fr", "en", "es"}
    assert source.blocks[0].kind == "title"


def test_build_is_deterministic(tmp_path: Path, built: Path):
    again = tmp_path / "again"
    build.build(SRC, again / "documents", again / "labels.csv")
    first, second = _snapshot(built), _snapshot(again)
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_every_source_is_rendered_and_labelled(built: Path):
    files = {sources.parse_source(p).file for p in SOURCES}
    assert {p.name for p in (built / "documents").iterdir()} == files
    lines = (built / "labels.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "ref;themes"
    refs = {line.split(";")[0] for line in lines[1:]}
    assert {f"documents/{f}" for f in files} <= refs


@pytest.mark.parametrize(
    "path",
    [p for p in SOURCES if sources.parse_source(p).suffix in (".pdf", ".docx")],
    ids=lambda p: p.name,
)
def test_pdf_and_docx_open_and_show_their_title(path: Path, built: Path):
    source = sources.parse_source(path)
    target = built / "documents" / source.file
    if source.suffix == ".pdf":
        reader = PdfReader(target)
        text = "\n".join(page.extract_text() for page in reader.pages)
        title = reader.metadata.title if reader.metadata else None
    else:
        document = docx.Document(target)
        text = "\n".join(p.text for p in document.paragraphs)
        title = document.core_properties.title or None
    printed = sources.plain(source.blocks[0].text)
    assert _squash(printed) in _squash(text)
    expected_title = {"full": source.meta["title"], "junk": source.junk_title, "none": None}
    assert title == expected_title[source.mode]


def test_docx_without_metadata_has_no_author_or_title(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text(
        '+++\nfile = "a.docx"\ntitle = "Note"\nauthors = ["Dupont, Jean"]\nyear = 2010\n'
        'type = "autre"\nlanguage = "fr"\nthemes = ["sante"]\nmetadata = "none"\n+++\n'
        "# Note de service\n\nUn paragraphe.\n",
        encoding="utf-8",
    )
    build.build(src, tmp_path / "documents", tmp_path / "labels.csv")
    document = docx.Document(tmp_path / "documents" / "a.docx")
    props = document.core_properties
    assert (props.title, props.author, props.created) == ("", "", None)
    with zipfile.ZipFile(tmp_path / "documents" / "a.docx") as archive:
        assert {i.date_time for i in archive.infolist()} == {ZIP_DATE}


def test_build_removes_stale_files_and_merges_catalogue_labels(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "b.md").write_text(
        '+++\nfile = "b.txt"\ntitle = "Fiche"\nauthors = ["Ville du Lamentin"]\nyear = 2008\n'
        'type = "fiche-experience"\nlanguage = "fr"\nthemes = ["culture", "jeunesse"]\n'
        'encoding = "cp1252"\n+++\n# Fiche : un atelier théâtre à Bas-Mission\n\nÉté 2008.\n',
        encoding="utf-8",
    )
    out = tmp_path / "documents"
    out.mkdir()
    (out / "old.pdf").write_bytes(b"%PDF-1.4 stale")
    (tmp_path / "catalogue-labels.csv").write_text(
        "ref;themes\nbarcode:CRPV000123;logement\n", encoding="utf-8"
    )
    build.build(src, out, tmp_path / "labels.csv")
    assert [p.name for p in out.iterdir()] == ["b.txt"]
    assert "Été 2008.".encode("cp1252") in (out / "b.txt").read_bytes()
    assert (tmp_path / "labels.csv").read_text(encoding="utf-8").splitlines() == [
        "ref;themes",
        "barcode:CRPV000123;logement",
        "documents/b.txt;culture|jeunesse",
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('type = "roman"', "unknown type"),
        ('type = "rapport"\nthemes2 = 1', "unknown front-matter fields"),
    ],
)
def test_invalid_front_matter_is_refused_with_its_reason(tmp_path: Path, line: str, reason: str):
    path = tmp_path / "c.md"
    path.write_text(
        f'+++\nfile = "c.pdf"\ntitle = "T"\nauthors = ["X"]\nyear = 2008\n{line}\n'
        'language = "fr"\nthemes = ["sante"]\n+++\n# T\n',
        encoding="utf-8",
    )
    with pytest.raises(sources.SourceError, match=reason):
        sources.parse_source(path)


def test_themes_outside_the_fourteen_are_refused(tmp_path: Path):
    path = tmp_path / "d.md"
    path.write_text(
        '+++\nfile = "d.pdf"\ntitle = "T"\nauthors = ["X"]\nyear = 2008\ntype = "rapport"\n'
        'language = "fr"\nthemes = ["sport"]\n+++\n# T\n',
        encoding="utf-8",
    )
    with pytest.raises(sources.SourceError, match="unknown themes: sport"):
        sources.parse_source(path)


def test_catalogue_labels_with_unknown_themes_stop_the_build(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    (tmp_path / "catalogue-labels.csv").write_text(
        "ref;themes\nbarcode:CRPV000124;jeunesse|sports\n", encoding="utf-8"
    )
    with pytest.raises(sources.SourceError, match="CRPV000124 needs 1 to 3 known themes"):
        build.build(src, tmp_path / "documents", tmp_path / "labels.csv")
