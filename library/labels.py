"""Spine labels and barcode labels for paper copies, printed on A4 sheets of labels.

A sheet layout is data (`LabelLayout`: columns, rows, label size, margins and pitch, in
millimetres), checked against the page before anything is drawn. The call number is split on
the spine the way libraries write it ("307.76 MED" on two lines). Barcodes are Code 128, drawn
by reportlab (a well-kept PDF library that has the symbology, with its checksum, built in).
"""

from __future__ import annotations

import io
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .errors import CatalogueError

A4 = (210.0, 297.0)  # millimetres


class LabelError(CatalogueError):
    """A sheet that cannot be printed: `reason` is a code worded at the edge."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class LabelLayout:
    """A sheet of labels: `columns` × `rows` labels of `width` × `height` mm, the first one's
    top-left corner at (`left`, `top`) mm from the page's, the next ones every `pitch_x` /
    `pitch_y` mm (label plus gap)."""

    name: str
    label: str  # as the documentalist reads it in the list
    columns: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    pitch_x: float
    pitch_y: float
    page: tuple[float, float] = A4

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def check(self) -> None:
        """Refuse a layout whose labels overlap or leave the page (LabelError)."""
        page_w, page_h = self.page
        if min(self.columns, self.rows) < 1 or min(self.width, self.height) <= 0:
            raise LabelError("layout-empty", self.name)
        if self.pitch_x < self.width or self.pitch_y < self.height:
            raise LabelError("layout-overlap", self.name)
        right = self.left + (self.columns - 1) * self.pitch_x + self.width
        bottom = self.top + (self.rows - 1) * self.pitch_y + self.height
        if self.left < 0 or self.top < 0 or right > page_w + 0.01 or bottom > page_h + 0.01:
            raise LabelError("layout-overflow", f"{self.name}: {right:.1f} × {bottom:.1f} mm")

    def position(self, index: int) -> tuple[float, float]:
        """(left, top) in mm of the `index`-th label of a sheet, row by row."""
        row, column = divmod(index % self.per_sheet, self.columns)
        return self.left + column * self.pitch_x, self.top + row * self.pitch_y


# The common A4 sheets (the sizes printed on the boxes of labels).
LAYOUTS: dict[str, LabelLayout] = {
    layout.name: layout
    for layout in (
        LabelLayout("3x8", "3 × 8 (70 × 36 mm)", 3, 8, 70.0, 36.0, 0.0, 4.5, 70.0, 36.0),
        LabelLayout("3x7", "3 × 7 (70 × 42,3 mm)", 3, 7, 70.0, 42.3, 0.0, 0.0, 70.0, 42.3),
        LabelLayout("4x10", "4 × 10 (48,5 × 25,4 mm)", 4, 10, 48.5, 25.4, 8.0, 21.5, 48.5, 25.4),
        LabelLayout("5x13", "5 × 13 (38,1 × 21,2 mm)", 5, 13, 38.1, 21.2, 4.75, 10.7, 40.6, 21.2),
    )
}


@dataclass(frozen=True, slots=True)
class LabelCopy:
    barcode: str
    call_number: str
    title: str
    location: str


def spine_lines(call_number: str) -> list[str]:
    """A call number as it goes on a spine: one line per part ("307.76 MED" -> ["307.76",
    "MED"]; "R 711.4 URB" -> ["R", "711.4", "URB"]); a class number longer than 8 characters
    breaks after its first three digits and the point ("307.7609 -> 307.", "7609")."""
    lines: list[str] = []
    for part in call_number.split():
        if re.fullmatch(r"\d{3}\.\d{5,}", part):
            lines.extend((part[:4], part[4:]))
        else:
            lines.append(part)
    return lines


def shelf_locations(conn: sqlite3.Connection) -> list[str]:
    """The locations (shelves, rooms) copies are kept in."""
    rows = conn.execute("SELECT DISTINCT location FROM copies WHERE location != '' ORDER BY 1")
    return [row[0] for row in rows]


def copies_for_labels(
    conn: sqlite3.Connection,
    *,
    acquired_on: date | None = None,
    location: str = "",
    query: str = "",
    limit: int = 2000,
) -> list[LabelCopy]:
    """Paper copies to label: acquired on a day, on a shelf (location), and/or matching a text
    (a part of the title, call number or barcode), in call-number order."""
    where, args = ["r.deleted = 0"], []
    if acquired_on is not None:
        where.append("substr(c.created_at, 1, 10) = ?")
        args.append(acquired_on.isoformat())
    if location.strip():
        where.append("c.location = ?")
        args.append(location.strip())
    if query.strip():
        like = f"%{query.strip()}%"
        where.append("(r.title LIKE ? OR c.call_number LIKE ? OR c.barcode LIKE ?)")
        args += [like, like, like]
    rows = conn.execute(
        "SELECT c.barcode, c.call_number, r.title, c.location FROM copies c"
        " JOIN records r ON r.id = c.record_id WHERE "
        + " AND ".join(where)
        + " ORDER BY c.call_number COLLATE NOCASE, c.barcode LIMIT ?",
        (*args, limit),
    )
    return [LabelCopy(*row) for row in rows]


def labels_pdf(
    copies: Sequence[LabelCopy],
    layout: LabelLayout,
    *,
    kind: str = "spine",
    skip: int = 0,
    site_name: str = "",
) -> bytes:
    """The PDF: `kind` "spine" (the call number, split) or "barcode" (Code 128, the barcode
    in clear, the call number and the start of the title); `skip` labels left blank at the
    start of the first sheet (a sheet already partly used)."""
    from reportlab.graphics.barcode.code128 import Code128
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    layout.check()
    if kind not in ("spine", "barcode"):
        raise LabelError("unknown-kind", kind)
    if not 0 <= skip < layout.per_sheet:
        raise LabelError("bad-skip", str(skip))
    if not copies:
        raise LabelError("nothing-to-print")
    out = io.BytesIO()
    page_w, page_h = layout.page
    pdf = Canvas(out, pagesize=(page_w * mm, page_h * mm), invariant=True)
    pdf.setTitle("Étiquettes" + (f" — {site_name}" if site_name else ""))
    for n, copy in enumerate(_with_skip(copies, skip)):
        if n and n % layout.per_sheet == 0:
            pdf.showPage()
        if copy is None:
            continue
        left, top = layout.position(n)
        x, y = left * mm, (page_h - top - layout.height) * mm  # PDF origin: bottom-left
        w, h = layout.width * mm, layout.height * mm
        if kind == "spine":
            _spine(pdf, copy, x, y, w, h)
        else:
            _barcode(pdf, Code128, copy, x, y, w, h, mm)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _with_skip(copies: Iterable[LabelCopy], skip: int) -> Iterable[LabelCopy | None]:
    yield from [None] * skip
    yield from copies


def _spine(pdf, copy: LabelCopy, x: float, y: float, w: float, h: float) -> None:
    lines = spine_lines(copy.call_number) or [copy.barcode]
    size = min(h * 0.8 / max(len(lines), 1) / 1.2, 16.0)
    for line in lines:
        size = min(size, w * 0.9 / max(pdf.stringWidth(line, "Helvetica-Bold", 1), 1))
    leading = size * 1.2
    top = y + h / 2 + leading * len(lines) / 2 - size
    pdf.setFont("Helvetica-Bold", size)
    for i, line in enumerate(lines):
        pdf.drawCentredString(x + w / 2, top - i * leading, line)


def _barcode(pdf, code128, copy: LabelCopy, x, y, w, h, mm) -> None:
    quiet = 4 * mm  # the blank margin a scanner needs on each side
    symbol = code128(copy.barcode, barHeight=h * 0.45, humanReadable=False, quiet=0)
    # Widen the narrowest bar as far as the label allows (a scanner likes ≥ 0.25 mm).
    modules = symbol.width / symbol.barWidth
    bar = min((w - 2 * quiet) / modules, 0.5 * mm)
    symbol = code128(copy.barcode, barHeight=h * 0.45, barWidth=bar, humanReadable=False, quiet=0)
    symbol.drawOn(pdf, x + (w - symbol.width) / 2, y + h * 0.35)
    pdf.setFont("Helvetica", 8)
    pdf.drawCentredString(x + w / 2, y + h * 0.22, copy.barcode)
    pdf.setFont("Helvetica", 6.5)
    caption = " · ".join(p for p in (copy.call_number, copy.title) if p)
    while caption and pdf.stringWidth(caption, "Helvetica", 6.5) > w - 2 * mm:
        caption = caption[:-2].rstrip() + "…" if len(caption) > 2 else ""
        caption = caption.replace("……", "…")
    pdf.drawCentredString(x + w / 2, y + h * 0.08, caption)
