"""Labels: layouts as data checked against the page, call numbers split on the spine, and
Code 128 barcodes that a scanner reads (decoded from the rendered PDF by zxing-cpp)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from library.labels import (
    LAYOUTS,
    LabelCopy,
    LabelError,
    LabelLayout,
    labels_pdf,
    spine_lines,
)


def test_the_standard_layouts_fit_an_a4_page():
    for layout in LAYOUTS.values():
        layout.check()
    assert LAYOUTS["3x8"].per_sheet == 24 and LAYOUTS["4x10"].per_sheet == 40


@pytest.mark.parametrize(
    ("layout", "reason"),
    [
        (LabelLayout("x", "x", 3, 8, 70, 40, 0, 0, 70, 40), "layout-overflow"),  # 320 mm tall
        (LabelLayout("x", "x", 4, 10, 48.5, 25.4, 20, 21.5, 48.5, 25.4), "layout-overflow"),
        (LabelLayout("x", "x", 3, 8, 70, 36, 0, 4.5, 60, 36), "layout-overlap"),
        (LabelLayout("x", "x", 0, 8, 70, 36, 0, 4.5, 70, 36), "layout-empty"),
    ],
)
def test_a_layout_that_does_not_fit_is_refused_before_printing(layout, reason):
    with pytest.raises(LabelError) as refused:
        labels_pdf([LabelCopy("CRPV0001", "307.76 MED", "Guide", "")], layout)
    assert refused.value.reason == reason


def test_call_numbers_split_on_the_spine_as_libraries_write_them():
    assert spine_lines("307.76 MED") == ["307.76", "MED"]
    assert spine_lines("R  711.4 URB") == ["R", "711.4", "URB"]
    assert spine_lines("307.760972 MAR") == ["307.", "760972", "MAR"]
    assert spine_lines("") == []


def test_a_sheet_with_used_labels_and_more_copies_than_labels_goes_on_two_pages():
    copies = [LabelCopy(f"CRPV{n:04d}", "307.76 MED", "Guide", "") for n in range(30)]
    pdf = labels_pdf(copies, LAYOUTS["3x8"], skip=2)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2  # 2 blank + 30 labels > 24 per sheet
    with pytest.raises(LabelError):
        labels_pdf([], LAYOUTS["3x8"])


def _decoder():
    """zxing-cpp and Ghostscript, to read the barcodes as a scanner would."""
    try:
        import zxingcpp
    except ImportError:
        zxingcpp = None
    gs = shutil.which("gs")
    if zxingcpp is None or gs is None:
        message = "zxing-cpp (PyPI) or Ghostscript (apt: ghostscript) missing to decode barcodes"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{message}; CI=true requires them")
        pytest.skip(message)
    return zxingcpp, gs


@pytest.mark.parametrize("name", ["3x8", "4x10", "5x13"])
def test_every_barcode_label_decodes_as_code_128_with_its_barcode(name, tmp_path: Path):
    zxingcpp, gs = _decoder()
    from PIL import Image

    layout = LAYOUTS[name]
    barcodes = [f"CRPV{n:04d}" if n % 3 else f"ACQ-2013/{n}" for n in range(layout.per_sheet)]
    copies = [LabelCopy(b, "307.76 MED", "Guide de la médiation sociale", "") for b in barcodes]
    (tmp_path / "labels.pdf").write_bytes(labels_pdf(copies, layout, kind="barcode"))
    subprocess.run(
        [
            gs,
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dSAFER",
            "-sDEVICE=pnggray",
            "-r300",
            f"-sOutputFile={tmp_path / 'page.png'}",
            str(tmp_path / "labels.pdf"),
        ],
        check=True,
        timeout=120,
    )
    page = Image.open(tmp_path / "page.png")
    px = 300 / 25.4
    read = []
    for i in range(layout.per_sheet):
        left, top = layout.position(i)
        box = (left * px, top * px, (left + layout.width) * px, (top + layout.height) * px)
        found = zxingcpp.read_barcodes(page.crop(tuple(int(v) for v in box)))
        read.append([(r.text, str(r.format)) for r in found])
    assert read == [[(b, "Code 128")] for b in barcodes]
