"""ISBN and ISSN: checked by their check digit and written one way, so duplicates compare."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—.]")


def _clean(raw: str) -> str:
    text = _SEPARATORS.sub("", raw.strip().upper())
    return text.removeprefix("ISBN").removeprefix("ISSN").lstrip(":")


def isbn10_ok(digits: str) -> bool:
    if not re.fullmatch(r"\d{9}[\dX]", digits):
        return False
    total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
    return total % 11 == 0


def isbn13_ok(digits: str) -> bool:
    """An ISBN-13 is an EAN-13 of the 'Bookland' prefixes 978 and 979: a 977 (ISSN) or any
    other barcode passes the checksum but is no ISBN."""
    if not re.fullmatch(r"97[89]\d{10}", digits):
        return False
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
    return total % 10 == 0


def normalise_isbn(raw: str) -> str:
    """The ISBN-13 of an ISBN-10 or ISBN-13, digits only; ValueError when the check digit is wrong."""
    digits = _clean(raw)
    if isbn13_ok(digits):
        return digits
    if isbn10_ok(digits):
        body = "978" + digits[:9]
        check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
        return body + str(check)
    raise ValueError(f"ISBN invalide : {raw.strip()}")


def normalise_issn(raw: str) -> str:
    """ISSN as NNNN-NNNC; ValueError when the check digit is wrong."""
    digits = _clean(raw)
    if not re.fullmatch(r"\d{7}[\dX]", digits):
        raise ValueError(f"ISSN invalide : {raw.strip()}")
    total = sum((8 - i) * int(c) for i, c in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    if ("X" if check == 10 else str(check)) != digits[7]:
        raise ValueError(f"ISSN invalide : {raw.strip()}")
    return f"{digits[:4]}-{digits[4:]}"
