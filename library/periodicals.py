"""Periodicals (issue 10, PMB's "bulletinage"): titles, their issues, the articles analysed
from an issue, and the copies of an issue.

A periodical title is a record of type 'revue' (its title, ISSN and publisher are the
record's: it is searched, tagged and exported like any record) with a frequency. Its issues
have a number, a date and a state: expected (generated from the frequency, or announced) or
received; an expected issue whose date has passed is late. An article is an ordinary record
whose `host` names its issue and its pages; a copy of an issue is a copy of the periodical's
record that names the issue.

Refusals are `PeriodicalRefusal`s (an `InvalidRecord`): the field, a code and its facts, put
into French words at the edge (webapp/workspace/periodicals.py, `refusal_text`).
"""

from __future__ import annotations

import calendar
import datetime
import re
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from .db import utc_now
from .errors import InvalidRecord, NotFound
from .identifiers import normalise_issn
from .keys import title_key
from .models import Copy, DocType, Host, Record, Support
from .text import clean_line

MAX_GENERATED = 60  # expected issues generated at once


class PeriodicalRefusal(InvalidRecord):
    """What the catalogue refuses about a periodical, an issue or an article's host: the field,
    a code and its facts (`reason` is the code, for logs and the generic handlers).

    Codes: issn-check-digit (issn), issn-taken (issn, title), title-has-issues (title, count),
    number-missing, number-too-long (limit), number-taken (number), date-unreadable (value),
    pages-unreadable (pages), pages-reversed (pages), frequency-irregular, number-not-counted
    (number), no-start-date (number), count-out-of-range (limit), no-dated-issue,
    issue-in-use (number, articles, copies), host-is-itself, host-without-title."""

    def __init__(self, field: str, code: str, **facts: object) -> None:
        super().__init__(field, code)
        self.code = code
        self.facts = facts


@dataclass(frozen=True, slots=True)
class Problem:
    """A value refused before anything is written: its code and facts (see PeriodicalRefusal)."""

    code: str
    facts: dict[str, object]

    def refusal(self, field: str) -> PeriodicalRefusal:
        return PeriodicalRefusal(field, self.code, **self.facts)


class Frequency(StrEnum):
    QUOTIDIEN = "quotidien"
    HEBDOMADAIRE = "hebdomadaire"
    BIMENSUEL = "bimensuel"
    MENSUEL = "mensuel"
    BIMESTRIEL = "bimestriel"
    TRIMESTRIEL = "trimestriel"
    SEMESTRIEL = "semestriel"
    ANNUEL = "annuel"
    IRREGULIER = "irregulier"

    @property
    def label(self) -> str:
        return FREQUENCY_LABELS[self]


FREQUENCY_LABELS: dict[Frequency, str] = {
    Frequency.QUOTIDIEN: "Quotidien",
    Frequency.HEBDOMADAIRE: "Hebdomadaire",
    Frequency.BIMENSUEL: "Bimensuel (deux par mois)",
    Frequency.MENSUEL: "Mensuel",
    Frequency.BIMESTRIEL: "Bimestriel",
    Frequency.TRIMESTRIEL: "Trimestriel",
    Frequency.SEMESTRIEL: "Semestriel",
    Frequency.ANNUEL: "Annuel",
    Frequency.IRREGULIER: "Irrégulier",
}

# The step from one issue to the next: (days, months).
_STEPS: dict[Frequency, tuple[int, int]] = {
    Frequency.QUOTIDIEN: (1, 0),
    Frequency.HEBDOMADAIRE: (7, 0),
    Frequency.BIMENSUEL: (15, 0),
    Frequency.MENSUEL: (0, 1),
    Frequency.BIMESTRIEL: (0, 2),
    Frequency.TRIMESTRIEL: (0, 3),
    Frequency.SEMESTRIEL: (0, 6),
    Frequency.ANNUEL: (0, 12),
}


class IssueStatus(StrEnum):
    EXPECTED = "expected"
    RECEIVED = "received"


@dataclass(frozen=True, slots=True)
class Periodical:
    """A periodical title: its record (title, ISSN, publisher) and its frequency."""

    record: Record
    frequency: Frequency = Frequency.IRREGULIER
    issue_count: int = 0

    @property
    def id(self) -> int:
        assert self.record.id is not None
        return self.record.id

    @property
    def title(self) -> str:
        return self.record.title


@dataclass(frozen=True, slots=True)
class Issue:
    periodical_id: int
    number: str
    date: str = ""  # ISO 8601, possibly partial
    status: IssueStatus = IssueStatus.EXPECTED
    received_on: str = ""
    id: int | None = None

    def late(self, today: datetime.date) -> bool:
        """Expected and the whole of its date (day, month or year) is past."""
        end = period_end(self.date)
        return self.status is IssueStatus.EXPECTED and end is not None and end < today


@dataclass(frozen=True, slots=True)
class LateIssue:
    issue: Issue
    periodical_title: str


def period_end(value: str) -> date | None:
    """The last day an ISO date, possibly partial, covers ("2010-12" -> 2010-12-31)."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            return date(year, int(m.group(2)), int(m.group(3)))
        if m.group(2):
            month = int(m.group(2))
            return date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 12, 31)
    except ValueError:
        return None


def pages_problem(pages: str) -> Problem | None:
    """Why an article's pages cannot be kept (None when they can): one page ("7") or a range
    whose first page comes first ("12-25"); roman numerals are accepted for front matter."""
    if not pages:
        return None
    m = re.fullmatch(r"(\d{1,6}|[ivxlcdm]{1,8})(?:-(\d{1,6}|[ivxlcdm]{1,8}))?", pages, re.I)
    if not m:
        return Problem("pages-unreadable", {"pages": pages})
    first, last = m.group(1), m.group(2)
    if last and first.isdigit() and last.isdigit() and int(last) < int(first):
        return Problem("pages-reversed", {"pages": pages})
    return None


def clean_pages(raw: str) -> str:
    """Pages as typed or imported ("p. 12–25", "pp.12 - 25") written one way: "12-25"."""
    text = clean_line(raw).replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"^(?:pp?\.?|pages?)\s*", "", text, flags=re.I)
    return re.sub(r"\s*-+\s*", "-", text).strip()


NUMBER_LIMIT = 50


def number_problem(number: str) -> Problem | None:
    if not number:
        return Problem("number-missing", {})
    if len(number) > NUMBER_LIMIT:
        return Problem("number-too-long", {"limit": NUMBER_LIMIT})
    return None


def date_problem(value: str) -> Problem | None:
    if value and period_end(value) is None:
        return Problem("date-unreadable", {"value": value})
    return None


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_issue(frequency: Frequency, number: str, when: str) -> tuple[str, str]:
    """The number and date of the issue after (`number`, `when`) at this frequency. Raises
    InvalidRecord when it cannot be told: irregular frequency, number not a number, no date."""
    if frequency not in _STEPS:
        raise PeriodicalRefusal("frequency", "frequency-irregular")
    m = re.fullmatch(r"(.*?)(\d+)", number)
    if not m:
        raise PeriodicalRefusal("number", "number-not-counted", number=number)
    m_date = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", when or "")
    if not m_date or period_end(when) is None:
        raise PeriodicalRefusal("date", "no-start-date", number=number)
    days, months = _STEPS[frequency]
    start = date(int(m_date.group(1)), int(m_date.group(2) or 1), int(m_date.group(3) or 1))
    following = start + timedelta(days=days) if days else _add_months(start, months)
    if days or m_date.group(3):
        text = following.isoformat()
    elif m_date.group(2) or months % 12:
        text = following.isoformat()[:7]
    else:
        text = following.isoformat()[:4]
    width = len(m.group(2))
    return f"{m.group(1)}{int(m.group(2)) + 1:0{width}d}", text


class Periodicals:
    """Periodical titles, issues, articles' hosts and issue copies; mixed into Catalogue."""

    conn: sqlite3.Connection

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[object]: ...
        def add(
            self, record: Record, *, text: str | None = None, now: str | None = None
        ) -> Record: ...
        def save(
            self, record: Record, *, text: str | None = None, now: str | None = None
        ) -> Record: ...
        def get(self, record_id: int) -> Record: ...
        def get_many(self, ids: Iterable[int]) -> dict[int, Record]: ...
        def delete(self, record_id: int, now: str | None = None) -> None: ...
        def _touch_record(self, record_id: int, now: str | None) -> None: ...
        def _insert_copy(self, record_id: int, copy: Copy, now: str) -> int: ...

    # -- titles --------------------------------------------------------------------------

    def add_periodical(
        self, record: Record, frequency: Frequency = Frequency.IRREGULIER, now: str | None = None
    ) -> Periodical:
        """Store a periodical title: its record (made a 'revue') and its frequency."""
        record = replace(record, doc_type=DocType.REVUE, issn=_checked_issn(record.issn), host=None)
        with self.transaction():
            self._refuse_same_issn(record.issn, None)
            stored = self.add(record, now=now)
            assert stored.id is not None
            self.conn.execute(
                "INSERT INTO periodicals (record_id, frequency) VALUES (?, ?)",
                (stored.id, Frequency(frequency).value),
            )
        return self.periodical(stored.id)

    def save_periodical(
        self, record: Record, frequency: Frequency, now: str | None = None
    ) -> Periodical:
        if record.id is None:
            raise NotFound("periodical", None)
        periodical_id = record.id
        record = replace(record, doc_type=DocType.REVUE, issn=_checked_issn(record.issn))
        with self.transaction():
            self.periodical(periodical_id)
            self._refuse_same_issn(record.issn, periodical_id)
            self.save(record, now=now)
            self.conn.execute(
                "UPDATE periodicals SET frequency = ? WHERE record_id = ?",
                (Frequency(frequency).value, record.id),
            )
            # The articles' exports name the periodical: they change with it.
            for (article_id,) in self.conn.execute(
                "SELECT h.record_id FROM article_hosts h JOIN issues i ON i.id = h.issue_id"
                " WHERE i.periodical_id = ?",
                (periodical_id,),
            ).fetchall():
                self._touch_record(article_id, now)
        return self.periodical(periodical_id)

    def delete_periodical(self, periodical_id: int, now: str | None = None) -> None:
        """Remove a title that has no issue (its record goes to the trash)."""
        with self.transaction():
            found = self.periodical(periodical_id)
            if found.issue_count:
                raise PeriodicalRefusal(
                    "issues", "title-has-issues", title=found.title, count=found.issue_count
                )
            self.conn.execute("DELETE FROM periodicals WHERE record_id = ?", (periodical_id,))
            self.delete(periodical_id, now)

    def periodical(self, periodical_id: int) -> Periodical:
        found = self._periodicals("WHERE p.record_id = ?", (periodical_id,))
        if not found:
            raise NotFound("periodical", periodical_id)
        return found[0]

    def periodicals(self) -> list[Periodical]:
        """Every live periodical title, by title."""
        found = self._periodicals("WHERE r.deleted = 0", ())
        return sorted(found, key=lambda p: title_key(p.title))

    def periodical_for_record(self, record_id: int) -> Periodical | None:
        try:
            return self.periodical(record_id)
        except NotFound:
            return None

    def _periodicals(self, where: str, params: Sequence[object]) -> list[Periodical]:
        rows = self.conn.execute(
            "SELECT p.record_id, p.frequency,"
            " (SELECT count(*) FROM issues i WHERE i.periodical_id = p.record_id)"
            f" FROM periodicals p JOIN records r ON r.id = p.record_id {where}",
            tuple(params),
        ).fetchall()
        records = self.get_many(r[0] for r in rows)
        return [Periodical(records[rid], Frequency(freq), count) for rid, freq, count in rows]

    def _refuse_same_issn(self, issn: str, own_id: int | None) -> None:
        if not issn:
            return
        row = self.conn.execute(
            "SELECT r.title FROM periodicals p JOIN records r ON r.id = p.record_id"
            " WHERE r.issn = ? AND r.deleted = 0 AND p.record_id IS NOT ?",
            (issn, own_id),
        ).fetchone()
        if row:
            raise PeriodicalRefusal("issn", "issn-taken", issn=issn, title=row[0])

    # -- issues --------------------------------------------------------------------------

    def add_issue(self, issue: Issue, now: str | None = None) -> Issue:
        number = clean_line(issue.number)
        problem = number_problem(number)
        if problem:
            raise problem.refusal("number")
        problem = date_problem(issue.date)
        if problem:
            raise problem.refusal("date")
        now = now or utc_now()
        received_on = issue.received_on or (
            now[:10] if issue.status is IssueStatus.RECEIVED else ""
        )
        with self.transaction():
            self.periodical(issue.periodical_id)
            if self._issue_by_number(issue.periodical_id, number) is not None:
                raise PeriodicalRefusal("number", "number-taken", number=number)
            cur = self.conn.execute(
                "INSERT INTO issues (periodical_id, number, date, status, received_on,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    issue.periodical_id,
                    number,
                    issue.date,
                    IssueStatus(issue.status).value,
                    received_on,
                    now,
                ),
            )
        return self.issue(int(cur.lastrowid or 0))

    def receive_issue(self, issue_id: int, on: str | None = None) -> Issue:
        """Mark an issue received (today unless `on` says when)."""
        with self.transaction():
            self.issue(issue_id)
            self.conn.execute(
                "UPDATE issues SET status = 'received', received_on = ? WHERE id = ?",
                ((on or utc_now())[:10], issue_id),
            )
        return self.issue(issue_id)

    def delete_issue(self, issue_id: int) -> None:
        """Remove an issue that has neither article nor copy."""
        with self.transaction():
            found = self.issue(issue_id)
            articles = self.conn.execute(
                "SELECT count(*) FROM article_hosts WHERE issue_id = ?", (issue_id,)
            ).fetchone()[0]
            copies = self.conn.execute(
                "SELECT count(*) FROM copies WHERE issue_id = ?", (issue_id,)
            ).fetchone()[0]
            if articles or copies:
                raise PeriodicalRefusal(
                    "issue", "issue-in-use", number=found.number, articles=articles, copies=copies
                )
            self.conn.execute("DELETE FROM issues WHERE id = ?", (issue_id,))

    def issue(self, issue_id: int) -> Issue:
        row = self.conn.execute("SELECT * FROM issues WHERE id = ?", (issue_id,)).fetchone()
        if row is None:
            raise NotFound("issue", issue_id)
        return _issue(row)

    def issues(self, periodical_id: int) -> list[Issue]:
        """The issues of a periodical, latest first."""
        rows = self.conn.execute(
            "SELECT * FROM issues WHERE periodical_id = ? ORDER BY date DESC, id DESC",
            (periodical_id,),
        )
        return [_issue(r) for r in rows]

    def expect_issues(self, periodical_id: int, count: int, now: str | None = None) -> list[Issue]:
        """Generate the `count` issues that follow the latest one, from the frequency, as
        expected issues (PMB's bulletinage)."""
        if not 1 <= count <= MAX_GENERATED:
            raise PeriodicalRefusal("count", "count-out-of-range", limit=MAX_GENERATED)
        with self.transaction():
            found = self.periodical(periodical_id)
            latest = self.conn.execute(
                "SELECT number, date FROM issues WHERE periodical_id = ? AND date != ''"
                " ORDER BY date DESC, id DESC LIMIT 1",
                (periodical_id,),
            ).fetchone()
            if latest is None:
                raise PeriodicalRefusal("issues", "no-dated-issue")
            number, when = latest
            created = []
            for _ in range(count):
                number, when = next_issue(found.frequency, number, when)
                if self._issue_by_number(periodical_id, number) is None:
                    created.append(self.add_issue(Issue(periodical_id, number, when), now))
        return created

    def late_issues(self, today: date) -> list[LateIssue]:
        """Expected issues whose date is past, the oldest first."""
        rows = self.conn.execute(
            "SELECT i.*, r.title AS periodical_title FROM issues i"
            " JOIN records r ON r.id = i.periodical_id"
            " WHERE i.status = 'expected' AND i.date != '' AND r.deleted = 0"
            " ORDER BY i.date, r.title",
        ).fetchall()
        out = [LateIssue(_issue(r), r["periodical_title"]) for r in rows]
        return [late for late in out if late.issue.late(today)]

    def articles(self, issue_ids: Sequence[int]) -> dict[int, list[Record]]:
        """The live articles of each issue, in page order."""
        if not issue_ids:
            return {}
        marks = ",".join("?" * len(issue_ids))
        rows = self.conn.execute(
            "SELECT h.issue_id, h.record_id FROM article_hosts h"
            " JOIN records r ON r.id = h.record_id"
            f" WHERE h.issue_id IN ({marks}) AND r.deleted = 0",
            list(issue_ids),
        ).fetchall()
        records = self.get_many(r[1] for r in rows)
        out: dict[int, list[Record]] = {}
        for issue_id, record_id in rows:
            out.setdefault(issue_id, []).append(records[record_id])
        for found in out.values():
            found.sort(key=_page_order)
        return out

    def add_issue_copy(self, issue_id: int, copy: Copy, now: str | None = None) -> Copy:
        """A copy of an issue: a copy of the periodical's record that names the issue."""
        with self.transaction():
            found = self.issue(issue_id)
            record_id = found.periodical_id
            copy_id = self._insert_copy(record_id, copy, now or utc_now())
            self.conn.execute("UPDATE copies SET issue_id = ? WHERE id = ?", (issue_id, copy_id))
            self._touch_record(record_id, now)
        return next(c for c in self.get(record_id).copies if c.id == copy_id)

    def _issue_by_number(self, periodical_id: int, number: str) -> Issue | None:
        row = self.conn.execute(
            "SELECT * FROM issues WHERE periodical_id = ? AND number = ?",
            (periodical_id, number),
        ).fetchone()
        return _issue(row) if row else None

    # -- articles' hosts (called by Catalogue.add and save) -------------------------------

    def _write_host(self, record_id: int, host: Host | None, now: str) -> None:
        if host is None:
            self.conn.execute("DELETE FROM article_hosts WHERE record_id = ?", (record_id,))
            return
        pages = clean_pages(host.pages)
        problem = pages_problem(pages)
        if problem:
            raise problem.refusal("host")
        issue_id = host.issue_id
        if issue_id is None:
            issue_id = self._issue_for(host, now)
        else:
            self.issue(issue_id)
        if self.conn.execute(
            "SELECT 1 FROM periodicals p JOIN issues i ON i.periodical_id = p.record_id"
            " WHERE i.id = ? AND p.record_id = ?",
            (issue_id, record_id),
        ).fetchone():
            raise PeriodicalRefusal("host", "host-is-itself")
        self.conn.execute(
            "INSERT INTO article_hosts (record_id, issue_id, pages) VALUES (?, ?, ?)"
            " ON CONFLICT (record_id) DO UPDATE SET issue_id = excluded.issue_id,"
            " pages = excluded.pages",
            (record_id, issue_id, pages),
        )

    def _issue_for(self, host: Host, now: str) -> int:
        """The issue a host read from a file names: the periodical found by its ISSN, else
        its title, else created; the issue found by its number, else created (received: the
        article is in hand)."""
        periodical_id = host.periodical_id
        issn = _checked_issn(host.issn, strict=False)
        title = clean_line(host.title)
        if periodical_id is None and issn:
            row = self.conn.execute(
                "SELECT p.record_id FROM periodicals p JOIN records r ON r.id = p.record_id"
                " WHERE r.issn = ? AND r.deleted = 0 ORDER BY p.record_id LIMIT 1",
                (issn,),
            ).fetchone()
            periodical_id = row[0] if row else None
        if periodical_id is None and title:
            row = self.conn.execute(
                "SELECT p.record_id FROM periodicals p JOIN records r ON r.id = p.record_id"
                " WHERE r.title_key = ? AND r.deleted = 0 ORDER BY p.record_id LIMIT 1",
                (title_key(title),),
            ).fetchone()
            periodical_id = row[0] if row else None
        if periodical_id is None:
            # A record typed 'revue' of that ISSN or title (our own export re-imported, a
            # title catalogued before periodicals were) becomes the periodical.
            row = self.conn.execute(
                "SELECT id FROM records WHERE doc_type = 'revue' AND deleted = 0"
                " AND ((issn = ? AND issn != '') OR title_key = ?) ORDER BY issn = ? DESC, id"
                " LIMIT 1",
                (issn, title_key(title) if title else None, issn),
            ).fetchone()
            if row is not None:
                periodical_id = row[0]
                self.conn.execute("INSERT INTO periodicals (record_id) VALUES (?)", (row[0],))
        if periodical_id is None:
            if not title:
                raise PeriodicalRefusal("host", "host-without-title")
            periodical_id = self.add_periodical(
                Record(title=title, issn=issn, support=Support.PAPIER, source="periodique"),
                now=now,
            ).id
        number = clean_line(host.number) or (host.date if date_problem(host.date) is None else "")
        number = number or "s.n."
        found = self._issue_by_number(periodical_id, number)
        if found is not None:
            assert found.id is not None
            return found.id
        when = host.date if date_problem(host.date) is None else ""
        added = self.add_issue(Issue(periodical_id, number, when, IssueStatus.RECEIVED), now=now)
        assert added.id is not None
        return added.id

    def _hosts_of(self, ids: Sequence[int]) -> dict[int, Host]:
        marks = ",".join("?" * len(ids))
        out: dict[int, Host] = {}
        for row in self.conn.execute(
            "SELECT h.record_id, h.pages, i.id AS issue_id, i.number, i.date,"
            " i.periodical_id, r.title, r.issn FROM article_hosts h"
            " JOIN issues i ON i.id = h.issue_id JOIN records r ON r.id = i.periodical_id"
            f" WHERE h.record_id IN ({marks})",
            list(ids),
        ):
            out[row["record_id"]] = Host(
                title=row["title"],
                issn=row["issn"],
                number=row["number"],
                date=row["date"],
                pages=row["pages"],
                periodical_id=row["periodical_id"],
                issue_id=row["issue_id"],
            )
        return out


def _issue(row: sqlite3.Row) -> Issue:
    return Issue(
        periodical_id=row["periodical_id"],
        number=row["number"],
        date=row["date"],
        status=IssueStatus(row["status"]),
        received_on=row["received_on"],
        id=row["id"],
    )


def _page_order(record: Record) -> tuple[int, str]:
    first = record.host.first_page if record.host else ""
    return (int(first) if first.isdigit() else 0, record.title)


def _checked_issn(raw: str, *, strict: bool = True) -> str:
    raw = clean_line(raw or "")
    if not raw:
        return ""
    try:
        return normalise_issn(raw)
    except ValueError:
        if not strict:
            return ""
        raise PeriodicalRefusal("issn", "issn-check-digit", issn=raw) from None
