"""Due dates of a borrower's loans as an iCalendar feed (RFC 5545), one all-day event per loan.

Only what the borrower needs is in it (titles, barcodes, due dates): the feed is reachable by
a secret URL, without a session, so it carries no name, e-mail or phone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from library.loans import Loan


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF + space, never splitting a character."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def due_dates_calendar(
    loans: Iterable[Loan], *, calendar_name: str, domain: str, now: datetime | None = None
) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Fonds//Prêts//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(calendar_name)}",
    ]
    for loan in loans:
        if not loan.active:
            continue
        end = loan.due_date + timedelta(days=1)
        lines += [
            "BEGIN:VEVENT",
            f"UID:pret-{loan.id}@{domain}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{loan.due_date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end:%Y%m%d}",
            f"SUMMARY:{escape_text('À rendre : ' + loan.title)}",
            "DESCRIPTION:"
            + escape_text(
                f"Exemplaire {loan.barcode}"
                + (f", cote {loan.call_number}" if loan.call_number else "")
                + f", emprunté le {loan.loan_date:%d/%m/%Y}."
            ),
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:-P2D",
            f"DESCRIPTION:{escape_text('Document à rendre dans deux jours')}",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
