"""Images of pages, as a scanner writes them: the input of the OCR tests."""

from __future__ import annotations

from pathlib import Path


def make_png_scan(path: Path, text: str = "Politique de la ville") -> Path:
    """A small greyscale PNG with a line of text drawn in Pillow's own font, at 200 dpi.

    No OCR quality is intended (Pillow's font has no accents): for format and queue tests.
    Scans meant to be read back are rendered by `corpus.synth.scans`."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 80), 255)
    ImageDraw.Draw(image).text((10, 30), text, fill=0)
    image.save(path, dpi=(200, 200))
    return path
