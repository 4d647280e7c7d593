"""A small PDF writer for sample documents and test fixtures.

It lays text out like a report (title page, headings, justified-looking paragraphs, running
header and page numbers) with the 14 standard fonts in WinAnsiEncoding, so French text
(accents, œ, « », ’, €) round-trips through pypdf's extraction. No images, no compression:
the files are small and deterministic (same input, same bytes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path

from .blocks import FRENCH_TEXT, Heading, PageBreak

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 62, 70, 64
BODY_SIZE, BODY_LEADING = 10.5, 14.5

# Average glyph widths (1/1000 em) of Helvetica, good enough to wrap lines inside the margins.
_NARROW = set("fijlrtI.,;:'!|()[] ")
_WIDE = set("mwMWQOGDCHNU%@")


Block = str | Heading | PageBreak  # what a PDF page holds: paragraphs, headings, page breaks


@cache
def _units(c: str) -> int:
    if c in _NARROW:
        return 280
    if c in _WIDE:
        return 830
    return 680 if c.isupper() else 540


def _wrap(text: str, size: float, width: float) -> list[str]:
    # Widths are sums over characters, so a line's width grows word by word (linear, not
    # quadratic, in the paragraph's length): the same breaks as measuring each candidate line.
    space = _units(" ")
    lines: list[str] = []
    current: list[str] = []
    current_units = 0
    for word in text.split():
        word_units = sum(map(_units, word))
        if current and (current_units + space + word_units) * size / 1000 > width:
            lines.append(" ".join(current))
            current, current_units = [word], word_units
        elif current:
            current.append(word)
            current_units += space + word_units
        else:
            current, current_units = [word], word_units
    if current:
        lines.append(" ".join(current))
    return lines


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    out = bytearray(b"(")
    for b in raw:
        if b in b"()\\":
            out += b"\\" + bytes([b])
        elif b < 32 or b > 126:
            out += f"\\{b:03o}".encode()
        else:
            out.append(b)
    return bytes(out + b")")


def _info_string(text: str) -> bytes:
    """Document-information strings as UTF-16BE with a BOM: any script survives."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


class _Layout:
    def __init__(self, header: str) -> None:
        self.header = header
        self.pages: list[list[bytes]] = []
        self.y = 0.0
        self._new_page()

    def _new_page(self) -> None:
        self.pages.append([])
        self.y = PAGE_HEIGHT - MARGIN_TOP

    def line(self, text: str, font: str, size: float, leading: float, x: float = MARGIN_X) -> None:
        if self.y - leading < MARGIN_BOTTOM:
            self._new_page()
        self.y -= leading
        self.pages[-1].append(
            b"BT /%s %.1f Tf %.1f %.1f Td %s Tj ET"
            % (font.encode(), size, x, self.y, _pdf_string(text))
        )

    def space(self, points: float) -> None:
        self.y -= points

    def page_break(self) -> None:
        if self.pages[-1]:
            self._new_page()

    def streams(self) -> list[bytes]:
        total = len(self.pages)
        out = []
        for number, ops in enumerate(self.pages, start=1):
            decor = []
            if number > 1 and self.header:
                decor.append(
                    b"BT /F3 8.0 Tf %d %d Td %s Tj ET"
                    % (MARGIN_X, PAGE_HEIGHT - 40, _pdf_string(self.header[:110]))
                )
            decor.append(
                b"BT /F1 8.0 Tf %d %d Td %s Tj ET"
                % (PAGE_WIDTH // 2 - 12, 36, _pdf_string(f"{number} / {total}"))
            )
            out.append(b"\n".join(ops + decor))
        return out


def write_pdf(
    path: Path,
    blocks: Iterable[Block],
    *,
    title: str | None = None,
    author: str | None = None,
    subject: str | None = None,
    keywords: Sequence[str] = (),
    created: datetime | None = None,
    producer: str = "Fonds (générateur d'exemples)",
    header: str | None = None,
) -> int:
    """Write blocks (paragraph strings, headings, page breaks) as a PDF; return its page count.

    `title`, `author`… go to the document information dictionary; pass None to leave a field
    out, as many real files do."""
    layout = _Layout(header if header is not None else (title or ""))
    text_width = PAGE_WIDTH - 2 * MARGIN_X
    for block in blocks:
        if isinstance(block, PageBreak):
            layout.page_break()
        elif isinstance(block, Heading):
            size = {0: 20.0, 1: 14.0, 2: 12.0}.get(block.level, 11.0)
            layout.space(size * 0.6)
            for line in _wrap(block.text, size, text_width):
                layout.line(line, "F2", size, size * 1.3)
            layout.space(4)
        else:
            for line in _wrap(block, BODY_SIZE, text_width):
                layout.line(line, "F1", BODY_SIZE, BODY_LEADING)
            layout.space(6)
    streams = layout.streams()

    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled once the page tree exists
    pages_id = add(b"")
    fonts = {
        "F1": add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
        ),
        "F2": add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
        ),
        "F3": add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Oblique /Encoding /WinAnsiEncoding >>"
        ),
    }
    font_dict = b" ".join(b"/%s %d 0 R" % (k.encode(), v) for k, v in fonts.items())
    page_ids = []
    for stream in streams:
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream) + 1, stream))
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources << /Font << %s >> >>"
                b" /Contents %d 0 R >>" % (pages_id, PAGE_WIDTH, PAGE_HEIGHT, font_dict, content)
            )
        )
    kids = b" ".join(b"%d 0 R" % p for p in page_ids)
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id

    info_fields = {
        "Producer": producer,
        "Title": title,
        "Author": author,
        "Subject": subject,
        "Keywords": ", ".join(keywords) if keywords else None,
    }
    info = b" ".join(b"/%s %s" % (k.encode(), _info_string(v)) for k, v in info_fields.items() if v)
    if created:
        info += b" /CreationDate (D:%s)" % created.strftime("%Y%m%d%H%M%S").encode()
    info_id = add(b"<< %s >>" % info)

    body = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    body += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        info_id,
        xref,
    )
    Path(path).write_bytes(bytes(body))
    return len(streams)


def _blocks(content: str | Iterable[Block]) -> list[Block]:
    """Text to blocks: blank lines separate paragraphs, a form feed starts a new page."""
    if not isinstance(content, str):
        return list(content)
    blocks: list[Block] = []
    for number, page in enumerate(content.split("\f")):
        if number:
            blocks.append(PageBreak())
        blocks.extend(p.strip() for p in page.split("\n\n") if p.strip())
    return blocks


def make_pdf(
    path: Path,
    content: str | Iterable[Block] = FRENCH_TEXT,
    *,
    title: str | None = None,
    author: str | None = None,
    subject: str | None = None,
    keywords: Sequence[str] = (),
    created: datetime | None = None,
) -> Path:
    """A text PDF: `content` is text or blocks (str, Heading, PageBreak)."""
    write_pdf(
        path,
        _blocks(content),
        title=title,
        author=author,
        subject=subject,
        keywords=keywords,
        created=created,
        header="",
    )
    return path
