"""Inventories (récolement) of a location: scan what is on the shelf, see what is on loan,
missing or misplaced, and close: the copies not seen become missing, with the date.

Scans are kept one row per barcode and inventory (a primary key), each in its own statement:
two documentalists scanning the same shelf at once lose no scan and count no copy twice.
Closing freezes the report (`inventory_report`), so it stays readable and exportable after
the copies move again."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from . import db
from .catalogue import Catalogue, utc_now
from .errors import CatalogueError
from .formats.spreadsheet import csv_bytes


class Outcome(StrEnum):
    """Where a copy stands in an inventory (and in its report)."""

    ON_SHELF = "en_rayon"  # scanned, belongs here
    ON_LOAN = "en_pret"  # not scanned, but lent: not missing
    MISSING = "manquant"  # not scanned, not lent
    MISPLACED = "mal_range"  # scanned here, belongs elsewhere
    UNKNOWN = "inconnu"  # scanned, no copy has this barcode
    WITHDRAWN = "retire"  # scanned, but withdrawn from the fund

    @property
    def label(self) -> str:
        return {
            "en_rayon": "En rayon",
            "en_pret": "En prêt",
            "manquant": "Manquant",
            "mal_range": "Mal rangé",
            "inconnu": "Code-barres inconnu",
            "retire": "Retiré du fonds",
        }[self.value]


class InventoryError(CatalogueError):
    """An inventory refused: `reason` is a code worded at the edge (webapp/messages.py)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Inventory:
    id: int
    location: str
    started_on: date
    closed_on: date | None

    @property
    def open(self) -> bool:
        return self.closed_on is None


@dataclass(frozen=True, slots=True)
class Line:
    """One copy (or unknown barcode) in an inventory's state or report."""

    barcode: str
    outcome: Outcome
    call_number: str = ""
    title: str = ""
    location: str = ""  # where the copy belongs
    copy_id: int | None = None


@dataclass(frozen=True, slots=True)
class Scan:
    """What one scan found, said at once at the shelf."""

    barcode: str
    outcome: Outcome
    already: bool  # scanned before (by this desk or another): counted once
    line: Line
    lent: bool = False  # on the shelf, yet on loan in the catalogue: a return not recorded


class Inventories:
    def __init__(self, catalogue: Catalogue) -> None:
        self.conn = catalogue.conn

    def start(self, location: str, *, today: date) -> Inventory:
        """Open the inventory of a location (or return the one already open there)."""
        location = " ".join(location.split())
        if not location:
            raise InventoryError("no-location")
        with db.transaction(self.conn):
            if not self.conn.execute(
                "SELECT 1 FROM copies WHERE location = ? LIMIT 1", (location,)
            ).fetchone():
                raise InventoryError("empty-location", location)
            self.conn.execute(
                "INSERT INTO inventories (location, started_on, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (location, today.isoformat(), utc_now()),
            )
            row = self.conn.execute(
                "SELECT id FROM inventories WHERE location = ? AND closed_on IS NULL",
                (location,),
            ).fetchone()
        return self.get(row[0])

    def get(self, inventory_id: int) -> Inventory:
        row = self.conn.execute(
            "SELECT id, location, started_on, closed_on FROM inventories WHERE id = ?",
            (inventory_id,),
        ).fetchone()
        if row is None:
            raise InventoryError("unknown-inventory", str(inventory_id))
        return _inventory(row)

    def all(self) -> list[Inventory]:
        rows = self.conn.execute(
            "SELECT id, location, started_on, closed_on FROM inventories"
            " ORDER BY closed_on IS NOT NULL, id DESC"
        )
        return [_inventory(r) for r in rows]

    def scan(self, inventory_id: int, barcode: str, *, now: str | None = None) -> Scan:
        """Record a barcode read on the shelf; say at once what it is. A barcode scanned twice
        (here or at another desk) is counted once; an unknown one is kept, for the report."""
        barcode = "".join(barcode.split())[:64]
        if not barcode:
            raise InventoryError("empty-scan")
        inventory = self.get(inventory_id)
        if inventory.closed_on is not None:  # the inventory is closed
            raise InventoryError("closed", inventory.closed_on.isoformat())
        copy = self.conn.execute("SELECT id FROM copies WHERE barcode = ?", (barcode,)).fetchone()
        cur = self.conn.execute(
            "INSERT INTO inventory_scans (inventory_id, barcode, copy_id, scanned_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (inventory_id, barcode, copy[0] if copy else None, now or utc_now()),
        )
        line = self._scanned_line(inventory, barcode)
        lent = (
            copy is not None
            and self.conn.execute(
                "SELECT 1 FROM loans WHERE copy_id = ? AND return_date IS NULL", (copy[0],)
            ).fetchone()
            is not None
        )
        return Scan(barcode, line.outcome, already=cur.rowcount == 0, line=line, lent=lent)

    def state(self, inventory_id: int) -> dict[Outcome, list[Line]]:
        """The inventory as it stands: for a closed one, its frozen report."""
        inventory = self.get(inventory_id)
        lines = self._report(inventory_id) if not inventory.open else self._compute(inventory)
        grouped: dict[Outcome, list[Line]] = {outcome: [] for outcome in Outcome}
        for line in lines:
            grouped[line.outcome].append(line)
        return grouped

    def close(self, inventory_id: int, *, today: date) -> dict[Outcome, list[Line]]:
        """Close: copies of the location neither seen nor lent become missing since today;
        missing copies seen again are back on the shelf; the report is kept."""
        with db.transaction(self.conn):
            inventory = self.get(inventory_id)
            if inventory.closed_on is not None:  # the inventory is closed
                raise InventoryError("closed", inventory.closed_on.isoformat())
            lines = self._compute(inventory)
            for line in lines:
                if line.outcome is Outcome.MISSING:
                    self.conn.execute(
                        "UPDATE copies SET status = 'missing', missing_since ="
                        " coalesce(missing_since, ?) WHERE id = ? AND status = 'available'",
                        (today.isoformat(), line.copy_id),
                    )
                elif line.outcome in (Outcome.ON_SHELF, Outcome.MISPLACED):
                    self.conn.execute(
                        "UPDATE copies SET status = 'available', missing_since = NULL"
                        " WHERE id = ? AND status = 'missing'",
                        (line.copy_id,),
                    )
            self.conn.executemany(
                "INSERT INTO inventory_report (inventory_id, copy_id, barcode, call_number,"
                " title, location, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        inventory_id,
                        x.copy_id,
                        x.barcode,
                        x.call_number,
                        x.title,
                        x.location,
                        x.outcome.value,
                    )
                    for x in lines
                ],
            )
            self.conn.execute(
                "UPDATE inventories SET closed_on = ? WHERE id = ?",
                (today.isoformat(), inventory_id),
            )
        return self.state(inventory_id)

    def report_csv(self, inventory_id: int) -> bytes:
        """The report as a spreadsheet, through the project's one CSV writer (UTF-8 with BOM,
        `;`, no cell read as a formula)."""
        inventory = self.get(inventory_id)
        when = (inventory.closed_on or inventory.started_on).isoformat()
        rows = [
            [x.barcode, x.call_number, x.title, x.location, x.outcome.label, when]
            for lines in self.state(inventory_id).values()
            for x in lines
        ]
        header = ["code_barres", "cote", "titre", "emplacement", "resultat", "date"]
        return csv_bytes(header, rows)

    # -- internals ----------------------------------------------------------------------------

    def _compute(self, inventory: Inventory) -> list[Line]:
        rows = self.conn.execute(
            """
            SELECT c.id, c.barcode, c.call_number, r.title, c.location, c.status,
                   s.barcode IS NOT NULL AS seen,
                   EXISTS (SELECT 1 FROM loans l WHERE l.copy_id = c.id
                           AND l.return_date IS NULL) AS lent
            FROM copies c JOIN records r ON r.id = c.record_id
            LEFT JOIN inventory_scans s ON s.inventory_id = ? AND s.copy_id = c.id
            WHERE (c.location = ? AND c.status != 'withdrawn') OR s.barcode IS NOT NULL
            ORDER BY c.call_number COLLATE NOCASE, c.barcode
            """,
            (inventory.id, inventory.location),
        ).fetchall()
        lines = [Line(r[1], _outcome(inventory, r), r[2], r[3], r[4], r[0]) for r in rows]
        unknown = self.conn.execute(
            "SELECT barcode FROM inventory_scans WHERE inventory_id = ? AND copy_id IS NULL"
            " ORDER BY scanned_at, barcode",
            (inventory.id,),
        )
        lines += [Line(r[0], Outcome.UNKNOWN) for r in unknown]
        return lines

    def _scanned_line(self, inventory: Inventory, barcode: str) -> Line:
        row = self.conn.execute(
            """
            SELECT c.id, c.barcode, c.call_number, r.title, c.location, c.status, 1,
                   EXISTS (SELECT 1 FROM loans l WHERE l.copy_id = c.id
                           AND l.return_date IS NULL)
            FROM copies c JOIN records r ON r.id = c.record_id WHERE c.barcode = ?
            """,
            (barcode,),
        ).fetchone()
        if row is None:
            return Line(barcode, Outcome.UNKNOWN)
        return Line(row[1], _outcome(inventory, row), row[2], row[3], row[4], row[0])

    def _report(self, inventory_id: int) -> list[Line]:
        rows = self.conn.execute(
            "SELECT barcode, outcome, call_number, title, location, copy_id FROM inventory_report"
            " WHERE inventory_id = ? ORDER BY call_number COLLATE NOCASE, barcode",
            (inventory_id,),
        )
        return [Line(r[0], Outcome(r[1]), r[2], r[3], r[4], r[5]) for r in rows]


def _outcome(inventory: Inventory, row: sqlite3.Row | tuple) -> Outcome:
    _, _, _, _, location, status, seen, lent = row
    if seen:
        if status == "withdrawn":
            return Outcome.WITHDRAWN
        return Outcome.ON_SHELF if location == inventory.location else Outcome.MISPLACED
    if lent:
        return Outcome.ON_LOAN
    return Outcome.MISSING


def _inventory(row: sqlite3.Row) -> Inventory:
    return Inventory(
        row[0],
        row[1],
        date.fromisoformat(row[2]),
        date.fromisoformat(row[3]) if row[3] else None,
    )
