"""Is OCR possible on this machine? Tesseract, its language packs and OCRmyPDF, checked cheaply."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from dataclasses import dataclass

APT_PACKAGES = "tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng tesseract-ocr-spa ghostscript"
APT_LINE = f"sudo apt install {APT_PACKAGES}"


@dataclass(frozen=True, slots=True)
class Missing:
    """What prevents OCR: `code` in ('tesseract', 'ocrmypdf', 'language'), `detail` names it."""

    code: str
    detail: str = ""


def languages_of(setting: str) -> list[str]:
    """'fra+eng+spa' -> ['fra', 'eng', 'spa'] (spaces and commas accepted too)."""
    return [part for part in setting.replace(",", "+").replace(" ", "+").split("+") if part]


def missing_tools(languages: str) -> Missing | None:
    """None when OCR can run with these languages, else the first thing missing."""
    if importlib.util.find_spec("ocrmypdf") is None:
        return Missing("ocrmypdf")
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return Missing("tesseract")
    try:
        listed = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return Missing("tesseract")
    if listed.returncode != 0:
        return Missing("tesseract")
    installed = {line.strip() for line in listed.stdout.splitlines()[1:]}
    absent = [lang for lang in languages_of(languages) if lang not in installed]
    if absent:
        return Missing("language", "+".join(absent))
    return None
