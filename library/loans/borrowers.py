"""Borrowers and what the law lets them ask: their personal data, its export and erasure."""

from __future__ import annotations

import re
import secrets
import sqlite3
from typing import TYPE_CHECKING, Any

from .. import db
from ..catalogue import utc_now
from ..errors import NotFound
from ..names import split_person_name
from ..text import fold, xml_safe
from .models import Borrower, Loan, Reservation
from .refusals import LoanRefusal, LoanRefused, refusals

DEFAULT_CATEGORIES: dict[str, str] = {
    "etat": "Agent de l'État",
    "collectivite": "Collectivité territoriale",
    "association": "Association",
    "etudiant": "Étudiant·e",
    "autre": "Autre",
}
_BORROWER_REF = re.compile(r"^(\d{1,9})$|\(n°\s*(\d{1,9})\)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# What a borrower's record holds (the form's fields); `name`, the display name, is derived.
BORROWER_FIELDS = (
    "family_name",
    "given_names",
    "card_barcode",
    "organisation",
    "category",
    "email",
    "phone",
    "address",
    "notes",
)
_STORED_FIELDS = ("name", *BORROWER_FIELDS)


class BorrowerBook:
    """The borrowers of the desk (mixed into `Loans`, which gives `conn` and the loan reads)."""

    conn: sqlite3.Connection

    if TYPE_CHECKING:  # given by Loans

        def borrower_history(self, borrower_id: int) -> list[Loan]: ...
        def reservations_of(
            self, borrower_id: int, *, include_closed: bool = False
        ) -> list[Reservation]: ...

    def add_borrower(
        self,
        name: str = "",
        *,
        family_name: str = "",
        given_names: str = "",
        card_barcode: str = "",
        organisation: str = "",
        category: str = "autre",
        email: str = "",
        phone: str = "",
        address: str = "",
        notes: str = "",
        now: str | None = None,
    ) -> Borrower:
        """Register a borrower: family and given names apart, or one `name` split as written."""
        if name and not (family_name or given_names):
            family_name, given_names = split_person_name(name)
        values = _borrower_values(
            family_name=family_name,
            given_names=given_names,
            card_barcode=card_barcode,
            organisation=organisation,
            category=category,
            email=email,
            phone=phone,
            address=address,
            notes=notes,
        )
        now = now or utc_now()
        with refusals():
            cur = self.conn.execute(
                f"INSERT INTO borrowers ({', '.join(_STORED_FIELDS)}, created_at, updated_at)"
                f" VALUES ({', '.join('?' * (len(_STORED_FIELDS) + 2))})",
                (*values, now, now),
            )
        return self.borrower(int(cur.lastrowid or 0))

    def update_borrower(self, borrower_id: int, now: str | None = None, **fields: str) -> Borrower:
        current = self.borrower(borrower_id)
        merged = {name: fields.get(name, getattr(current, name)) for name in BORROWER_FIELDS}
        if fields.get("name") and not (fields.get("family_name") or fields.get("given_names")):
            merged["family_name"], merged["given_names"] = split_person_name(fields["name"])
        values = _borrower_values(**merged)
        assignments = ", ".join(f"{name} = ?" for name in _STORED_FIELDS)
        with refusals():
            self.conn.execute(
                f"UPDATE borrowers SET {assignments}, updated_at = ? WHERE id = ?",
                (*values, now or utc_now(), borrower_id),
            )
        return self.borrower(borrower_id)

    def find_borrowers(self, typed: str, *, limit: int = 20) -> list[Borrower]:
        """The borrowers a desk entry may mean: a card barcode or a number matches exactly
        ("12", "Marie Joseph (n° 12)" from the suggestions); else every word typed must
        begin a word of the name (accents and case ignored), family name first in the list."""
        typed = " ".join(typed.split())
        if not typed:
            return []
        card = self.conn.execute(
            "SELECT id FROM borrowers WHERE card_barcode = ?", (typed,)
        ).fetchone()
        if card is not None:
            return [self.borrower(card[0])]
        ref = _BORROWER_REF.search(typed)
        if ref is not None:
            try:
                return [self.borrower(int(ref.group(1) or ref.group(2)))]
            except NotFound:
                return []
        words = fold(typed.replace(",", " ")).split()
        found = []
        rows = self.conn.execute(
            "SELECT id, given_names, family_name FROM borrowers"
            " ORDER BY family_name COLLATE NOCASE, given_names COLLATE NOCASE, id"
        )
        for borrower_id, given, family in rows:
            have = fold(f"{given} {family}").replace("-", " ").split()
            if all(any(h.startswith(w) for h in have) for w in words):
                found.append(self.borrower(borrower_id))
                if len(found) >= limit:
                    break
        return found

    def borrower(self, borrower_id: int) -> Borrower:
        row = self.conn.execute(
            "SELECT b.*, (SELECT count(*) FROM loans l WHERE l.borrower_id = b.id"
            " AND l.return_date IS NULL) AS active_loans FROM borrowers b WHERE b.id = ?",
            (borrower_id,),
        ).fetchone()
        if row is None:
            raise NotFound("borrower", borrower_id)
        return borrower_from_row(row)

    def borrowers(self, query: str = "", *, limit: int = 500) -> list[Borrower]:
        """Borrowers by family name, filtered by a part of their name, organisation, email or
        card."""
        like = f"%{query.strip()}%"
        rows = self.conn.execute(
            "SELECT b.*, (SELECT count(*) FROM loans l WHERE l.borrower_id = b.id"
            " AND l.return_date IS NULL) AS active_loans FROM borrowers b"
            " WHERE b.name LIKE ? OR b.organisation LIKE ? OR b.email LIKE ?"
            " OR b.card_barcode LIKE ?"
            " ORDER BY b.family_name COLLATE NOCASE, b.given_names COLLATE NOCASE, b.id LIMIT ?",
            (like, like, like, like, limit),
        )
        return [borrower_from_row(r) for r in rows]

    def set_suspended(
        self, borrower_id: int, suspended: bool, reason: str = "", now: str | None = None
    ) -> Borrower:
        self.borrower(borrower_id)
        self.conn.execute(
            "UPDATE borrowers SET suspended = ?, suspended_reason = ?, updated_at = ? WHERE id = ?",
            (int(suspended), reason.strip() if suspended else "", now or utc_now(), borrower_id),
        )
        return self.borrower(borrower_id)

    def erase_borrower(self, borrower_id: int) -> int:
        """GDPR erasure: the person disappears; their past loans stay, anonymised (category and
        dates only), for statistics. Refused while they hold copies. Returns loans anonymised."""
        self.borrower(borrower_id)
        with db.transaction(self.conn), refusals():
            kept = self.conn.execute(
                "SELECT count(*) FROM loans WHERE borrower_id = ?", (borrower_id,)
            ).fetchone()[0]
            self.conn.execute("DELETE FROM borrowers WHERE id = ?", (borrower_id,))
        return int(kept)

    def export_borrower(self, borrower_id: int) -> dict[str, Any]:
        """Everything held about a borrower (GDPR right of access), as JSON-able data."""
        borrower = self.borrower(borrower_id)
        data = borrower.as_dict()
        data.pop("active_loans")
        data.pop("calendar_token")
        data["loans"] = [
            {
                "barcode": loan.barcode,
                "record_id": loan.record_id,
                "title": loan.title,
                "loan_date": loan.loan_date.isoformat(),
                "due_date": loan.due_date.isoformat(),
                "return_date": loan.return_date.isoformat() if loan.return_date else None,
                "renewals": loan.renewals,
            }
            for loan in self.borrower_history(borrower_id)
        ]
        data["reservations"] = [
            {
                "record_id": r.record_id,
                "title": r.title,
                "reserved_on": r.reserved_on.isoformat(),
                "status": r.status,
            }
            for r in self.reservations_of(borrower_id, include_closed=True)
        ]
        return data

    def calendar_token(self, borrower_id: int, *, renew: bool = False) -> str:
        """The secret of the borrower's due-dates calendar feed (created on first use)."""
        borrower = self.borrower(borrower_id)
        if borrower.calendar_token and not renew:
            return borrower.calendar_token
        token = secrets.token_urlsafe(24)
        self.conn.execute(
            "UPDATE borrowers SET calendar_token = ? WHERE id = ?", (token, borrower_id)
        )
        return token

    def borrower_by_token(self, token: str) -> Borrower | None:
        if not token or len(token) > 100:
            return None
        row = self.conn.execute(
            "SELECT id FROM borrowers WHERE calendar_token = ?", (token,)
        ).fetchone()
        return self.borrower(row[0]) if row else None


def _borrower_values(
    *,
    family_name: str,
    given_names: str,
    card_barcode: str,
    organisation: str,
    category: str,
    email: str,
    phone: str,
    address: str,
    notes: str,
) -> tuple[str | None, ...]:
    """The stored values, display name first, checked and tidied; LoanRefused when invalid."""
    family_name, given_names, card_barcode, organisation, category, email, phone, address, notes = (
        xml_safe(v)
        for v in (
            family_name,
            given_names,
            card_barcode,
            organisation,
            category,
            email,
            phone,
            address,
            notes,
        )
    )
    family = " ".join(family_name.split())
    given = " ".join(given_names.split())
    email = email.strip()
    card = "".join(card_barcode.split())
    if not family and not given:
        raise LoanRefused(LoanRefusal.INVALID_BORROWER, "name")
    if not family:
        family, given = given, ""
    if email and not _EMAIL.match(email):
        raise LoanRefused(LoanRefusal.INVALID_BORROWER, "email")
    if (
        len(family) > 200
        or len(given) > 200
        or len(organisation) > 200
        or len(card) > 64
        or len(address) > 500
        or len(notes) > 2000
    ):
        raise LoanRefused(LoanRefusal.INVALID_BORROWER, "length")
    address_lines = [" ".join(line.split()) for line in address.splitlines()]
    return (
        f"{given} {family}".strip(),
        family,
        given,
        card or None,
        " ".join(organisation.split()),
        (category or "autre").strip(),
        email,
        " ".join(phone.split()),
        "\n".join(line for line in address_lines if line),
        notes.strip(),
    )


def borrower_from_row(row: sqlite3.Row) -> Borrower:
    return Borrower(
        id=row["id"],
        name=row["name"],
        organisation=row["organisation"],
        category=row["category"],
        email=row["email"],
        phone=row["phone"],
        notes=row["notes"],
        suspended=bool(row["suspended"]),
        suspended_reason=row["suspended_reason"],
        calendar_token=row["calendar_token"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        active_loans=row["active_loans"],
        family_name=row["family_name"],
        given_names=row["given_names"],
        card_barcode=row["card_barcode"] or "",
        address=row["address"],
    )
