"""Scans made from known text, for OCR tests and the OCR benchmark: a page rendered at a given
resolution, turned by a small angle and sprinkled with noise, as a photocopier would.

Fonts: the first of a few common system fonts with accents (DejaVu, Liberation, the URW fonts
Ghostscript brings); Pillow's own font has no accented letters, so without one of them
`find_font()` returns None and callers skip."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path
from typing import Any

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/opentype/urw-base35/NimbusRoman-Regular.otf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
A4_INCHES = (8.27, 11.69)


def find_font() -> Path | None:
    """A font with French accents on this machine, or None."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    return None


def render_page(
    text: str,
    *,
    dpi: int = 200,
    angle: float = 0.0,
    noise: float = 0.0,
    seed: int = 0,
    point_size: float = 12.0,
    size_inches: tuple[float, float] = A4_INCHES,
    font: Path | None = None,
) -> Any:
    """One greyscale page image of `text` (PIL.Image), margins of one inch."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = font or find_font()
    if font_path is None:
        raise RuntimeError("no font with accents found for rendering scans")
    width, height = int(size_inches[0] * dpi), int(size_inches[1] * dpi)
    pixels = round(point_size / 72 * dpi)
    face = ImageFont.truetype(str(font_path), pixels)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    margin = dpi
    chars_per_line = max(20, int((width - 2 * margin) / (pixels * 0.5)))
    y = margin
    for paragraph in text.split("\n"):
        for line in textwrap.wrap(paragraph, chars_per_line) or [""]:
            if y + pixels > height - margin:
                break
            draw.text((margin, y), line, fill=0, font=face)
            y += int(pixels * 1.45)
    if angle:
        page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if noise:
        rng = random.Random(seed)
        data = page.load()
        for _ in range(int(width * height * noise)):
            data[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 96, 255))
    page.info["dpi"] = (dpi, dpi)
    return page


def write_scan(path: Path, pages: list[Any], *, dpi: int = 200) -> Path:
    """Page images written as a scan: PDF (image-only), multi-page TIFF, PNG or JPEG by suffix."""
    suffix = path.suffix.lower()
    first, rest = pages[0], pages[1:]
    if suffix == ".pdf":
        first.save(path, save_all=True, append_images=rest, resolution=float(dpi))
    elif suffix in (".tif", ".tiff"):
        first.save(path, save_all=True, append_images=rest, dpi=(dpi, dpi), compression="tiff_lzw")
    elif suffix in (".jpg", ".jpeg"):
        first.save(path, dpi=(dpi, dpi), quality=85)
    else:
        first.save(path, dpi=(dpi, dpi))
    return path
