"""Veille by e-mail: subscribers and what they follow, and the ledger of what was sent.

A subscriber is an e-mail address with its consent's origin. They follow thematics, saved
searches (a query string of the search page) or the monthly bulletin; each subscription starts
when the address's owner confirms it (double opt-in).

Sending goes in two steps, both safe to interrupt and to run twice at once:
1. `plan_digests` looks, per subscriber and in one transaction, at the records that entered
   the fund since their watermark, queues one digest delivery with the matching ones, and moves
   the watermark. A record is queued or known not to match: never skipped; and a record is in
   at most one digest per subscriber (a UNIQUE index): never sent twice.
2. `claim_next` hands one queued delivery to one sender (BEGIN IMMEDIATE); the sender reports
   `mark_sent` or `mark_failed`. A failed delivery is retried by a later run, up to
   `max_attempts`, then `abandoned` (the workspace lists those). A claim whose sender died
   (kill -9, power cut) is taken back once its process is gone or its lease ran out.

Matching a search needs the index, which `library` does not know: the caller passes a matcher.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import socket
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from . import db
from .catalogue import Catalogue, utc_now
from .errors import CatalogueError
from .models import Record

TOKEN_HOURS = 72  # a confirmation link is valid this long; unconfirmed requests then go
MAX_ATTEMPTS = 5  # tries of one delivery before it is abandoned and reported
CLAIM_LEASE = timedelta(hours=1)  # a claim older than this is taken back, whoever holds it
# A record catalogued late still counts as news when it entered the fund this long before the
# subscriber's previous digest (a document bought in May and catalogued in June is news).
ENTRY_GRACE = timedelta(days=31)

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
    r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class SubscriptionKind(StrEnum):
    THEME = "theme"
    SEARCH = "search"
    BULLETIN = "bulletin"


class AlertProblem(StrEnum):
    """Why a subscription request or a link was refused (the edges say it in French)."""

    INVALID_EMAIL = "invalid-email"
    NOTHING_TO_FOLLOW = "nothing-to-follow"
    INVALID_SUBSCRIPTION = "invalid-subscription"
    NO_CONSENT = "no-consent"
    UNKNOWN_TOKEN = "unknown-token"
    TOKEN_EXPIRED = "token-expired"
    ALREADY_CONFIRMED = "already-confirmed"
    BAD_UNSUBSCRIBE = "bad-unsubscribe"
    NOT_SUBSCRIBED = "not-subscribed"
    BAD_MONTH = "bad-month"
    NEWSLETTER_SENT = "newsletter-sent"


class AlertError(CatalogueError):
    def __init__(self, problem: AlertProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    kind: SubscriptionKind
    value: str
    created_at: str
    confirmed_at: str | None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


@dataclass(frozen=True, slots=True)
class Subscriber:
    id: int
    email: str
    consent_origin: str
    created_at: str
    confirmed_at: str | None
    unsubscribe_key: str
    last_record_id: int
    last_digest_at: str | None
    subscriptions: tuple[Subscription, ...] = ()

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    def active(self) -> tuple[Subscription, ...]:
        return tuple(s for s in self.subscriptions if s.confirmed)


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    subscriber_id: int
    email: str
    unsubscribe_key: str
    kind: str  # digest | newsletter
    newsletter_id: int | None
    status: str
    attempts: int
    last_error: str
    created_at: str
    sent_at: str | None


@dataclass(frozen=True, slots=True)
class Newsletter:
    id: int
    month: str  # YYYY-MM
    introduction: str
    created_at: str
    updated_at: str
    sent_at: str | None
    sent_by: str | None

    @property
    def sent(self) -> bool:
        return self.sent_at is not None


# A matcher says which of `records` (new in the fund) a confirmed subscription wants.
Matcher = Callable[[Subscription, Sequence[Record]], Collection[int]]


def normalise_email(raw: str) -> str:
    """The address as stored (trimmed, domain in lower case); AlertError when it is not one."""
    email = (raw or "").strip()
    if "@" in email:
        local, _, domain = email.rpartition("@")
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise AlertError(AlertProblem.INVALID_EMAIL, email[:80]) from None
        email = f"{local}@{domain.lower()}"
    if len(email) > 254 or not _EMAIL.match(email) or ".." in email:
        raise AlertError(AlertProblem.INVALID_EMAIL, email[:80])
    return email


def entered_the_fund(record: Record) -> str:
    """The day a record entered the fund (ISO date): its acquisition date when the catalogue
    has one, else the day it was catalogued. The one place that decides it."""
    if record.acquired_on:
        return record.acquired_on[:10]
    return record.created_at[:10]


def theme_matches(subscription: Subscription, records: Sequence[Record]) -> set[int]:
    """Records whose effective thematics include the subscription's."""
    return {r.id for r in records if r.id is not None and subscription.value in r.theme_slugs}


def month_of(value: str) -> str:
    """A month as YYYY-MM; AlertError(BAD_MONTH) otherwise."""
    value = (value or "").strip()
    if not _MONTH.match(value) or not 1000 <= int(value[:4]) <= 2999:
        raise AlertError(AlertProblem.BAD_MONTH, value[:20])
    return value


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def sender_id() -> str:
    """Who holds a claim: host, process and a nonce (a reused pid is not the same sender)."""
    return f"{socket.gethostname()}|{os.getpid()}|{secrets.token_hex(4)}"


def _sender_gone(owner: str | None) -> bool:
    """The claim's process is known dead (same host and no such process any more)."""
    if not owner:
        return True
    host, _, rest = owner.partition("|")
    pid_text = rest.partition("|")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine: only the lease can tell
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


class Alerts:
    """Subscribers, newsletters and the send ledger of one catalogue (shares its connection)."""

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        token_hours: int = TOKEN_HOURS,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.catalogue = catalogue
        self.conn = catalogue.conn
        self.token_hours = token_hours
        self.max_attempts = max_attempts

    # -- subscribers ------------------------------------------------------------------------

    def request(
        self,
        email: str,
        wanted: Iterable[tuple[SubscriptionKind, str]],
        *,
        origin: str,
        now: datetime | None = None,
    ) -> tuple[Subscriber, str]:
        """Ask for subscriptions on behalf of `email`: they wait for confirmation. Returns the
        subscriber and the secret of a new confirmation link (the database keeps its hash)."""
        email = normalise_email(email)
        origin = " ".join((origin or "").split())[:300]
        if not origin:
            raise AlertError(AlertProblem.NO_CONSENT)
        wanted = list(dict.fromkeys(_checked(kind, value) for kind, value in wanted))
        if not wanted:
            raise AlertError(AlertProblem.NOTHING_TO_FOLLOW)
        moment = now or datetime.now(UTC)
        stamp = _stamp(moment)
        token = secrets.token_urlsafe(24)
        expires = _stamp(moment + timedelta(hours=self.token_hours))
        with db.transaction(self.conn):
            row = self.conn.execute(
                "SELECT id FROM subscribers WHERE email = ?", (email,)
            ).fetchone()
            if row is None:
                cur = self.conn.execute(
                    "INSERT INTO subscribers (email, consent_origin, created_at, token_hash,"
                    " token_expires_at, unsubscribe_key) VALUES (?, ?, ?, ?, ?, ?)",
                    (email, origin, stamp, _hash(token), expires, secrets.token_urlsafe(24)),
                )
                subscriber_id = int(cur.lastrowid or 0)
            else:
                subscriber_id = int(row[0])
                self.conn.execute(
                    "UPDATE subscribers SET token_hash = ?, token_expires_at = ?,"
                    " consent_origin = CASE WHEN confirmed_at IS NULL THEN ? ELSE consent_origin"
                    " END WHERE id = ?",
                    (_hash(token), expires, origin, subscriber_id),
                )
            for kind, value in wanted:
                self.conn.execute(
                    "INSERT OR IGNORE INTO subscriptions (subscriber_id, kind, value, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    (subscriber_id, kind.value, value, stamp),
                )
        return self.subscriber(subscriber_id), token

    def by_token(self, token: str, *, now: datetime | None = None) -> Subscriber:
        """The subscriber a confirmation link is for (nothing changes); AlertError otherwise."""
        row = self._token_row(token)
        if row["token_expires_at"] is None:
            raise AlertError(AlertProblem.ALREADY_CONFIRMED)
        if _parse(row["token_expires_at"]) < (now or datetime.now(UTC)):
            raise AlertError(AlertProblem.TOKEN_EXPIRED)
        return self.subscriber(int(row["id"]))

    def confirm(self, token: str, *, now: datetime | None = None) -> Subscriber:
        """The owner of the address said yes: their waiting subscriptions start now, and the
        records already in the fund are not news to them."""
        moment = now or datetime.now(UTC)
        stamp = _stamp(moment)
        with db.transaction(self.conn):
            subscriber = self.by_token(token, now=moment)
            newest = self.conn.execute("SELECT coalesce(max(id), 0) FROM records").fetchone()[0]
            first = subscriber.confirmed_at is None
            self.conn.execute(
                "UPDATE subscribers SET token_expires_at = NULL,"
                " confirmed_at = coalesce(confirmed_at, ?),"
                " last_record_id = CASE WHEN ? THEN ? ELSE last_record_id END,"
                " last_digest_at = coalesce(last_digest_at, ?) WHERE id = ?",
                (stamp, first, newest, stamp, subscriber.id),
            )
            self.conn.execute(
                "UPDATE subscriptions SET confirmed_at = ? WHERE subscriber_id = ?"
                " AND confirmed_at IS NULL",
                (stamp, subscriber.id),
            )
        return self.subscriber(subscriber.id)

    def subscriber(self, subscriber_id: int) -> Subscriber:
        row = self.conn.execute(
            "SELECT * FROM subscribers WHERE id = ?", (subscriber_id,)
        ).fetchone()
        if row is None:
            raise AlertError(AlertProblem.NOT_SUBSCRIBED, str(subscriber_id))
        return self._subscriber(row)

    def by_email(self, email: str) -> Subscriber:
        email = normalise_email(email)
        row = self.conn.execute("SELECT * FROM subscribers WHERE email = ?", (email,)).fetchone()
        if row is None:
            raise AlertError(AlertProblem.NOT_SUBSCRIBED, email)
        return self._subscriber(row)

    def subscribers(self) -> list[Subscriber]:
        rows = self.conn.execute("SELECT * FROM subscribers ORDER BY email").fetchall()
        subs = self._subscriptions_of([r["id"] for r in rows])
        return [self._subscriber(r, subs.get(r["id"], ())) for r in rows]

    def by_unsubscribe_key(self, subscriber_id: int, key: str) -> Subscriber:
        """The subscriber an unsubscribe link names, when its secret is theirs."""
        row = self.conn.execute(
            "SELECT * FROM subscribers WHERE id = ?", (subscriber_id,)
        ).fetchone()
        if (
            row is None
            or not key
            or not hmac.compare_digest(row["unsubscribe_key"].encode(), key.encode()[:200])
        ):
            raise AlertError(AlertProblem.BAD_UNSUBSCRIBE)
        return self._subscriber(row)

    def unsubscribe(self, subscriber_id: int, key: str) -> Subscriber:
        """One-click unsubscribe: the subscriber and all they follow are gone, at once."""
        subscriber = self.by_unsubscribe_key(subscriber_id, key)
        self.erase(subscriber.id)
        return subscriber

    def erase(self, subscriber_id: int) -> None:
        """GDPR erasure (and unsubscribing): nothing about the address stays, queued digests
        included, so a send in progress finds nothing more to send them."""
        self.conn.execute("DELETE FROM subscribers WHERE id = ?", (subscriber_id,))

    def export(self, subscriber_id: int) -> dict[str, Any]:
        """Everything held about a subscriber (GDPR right of access), as JSON-able data."""
        subscriber = self.subscriber(subscriber_id)
        data = asdict(subscriber)
        data.pop("unsubscribe_key")
        data["subscriptions"] = [
            {
                "kind": s.kind.value,
                "value": s.value,
                "created_at": s.created_at,
                "confirmed_at": s.confirmed_at,
            }
            for s in subscriber.subscriptions
        ]
        data["deliveries"] = [
            {
                "kind": d.kind,
                "status": d.status,
                "created_at": d.created_at,
                "sent_at": d.sent_at,
                "records": [record_id for record_id, _ in self.items(d.id)],
            }
            for d in self._deliveries("d.subscriber_id = ?", (subscriber_id,))
        ]
        return data

    def purge_unconfirmed(self, *, now: datetime | None = None) -> int:
        """Requests never confirmed are forgotten once their link expired (data minimisation)."""
        stamp = _stamp(now or datetime.now(UTC))
        with db.transaction(self.conn):
            cur = self.conn.execute(
                "DELETE FROM subscribers WHERE confirmed_at IS NULL AND token_expires_at < ?",
                (stamp,),
            )
            self.conn.execute(
                "DELETE FROM subscriptions WHERE confirmed_at IS NULL AND subscriber_id IN"
                " (SELECT id FROM subscribers WHERE token_expires_at IS NOT NULL"
                " AND token_expires_at < ?)",
                (stamp,),
            )
        return cur.rowcount

    # -- planning the digests ---------------------------------------------------------------

    def newest_record_id(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM records").fetchone()[0])

    def plan_digests(
        self, match: Matcher, *, up_to: int | None = None, now: datetime | None = None
    ) -> int:
        """Queue one digest per confirmed subscriber with the records (id <= up_to) that
        entered the fund since their watermark and match what they follow. Returns digests
        queued. Each subscriber is one transaction: a crash leaves them all-or-nothing."""
        return len(self._plan(match, up_to, now, write=True))

    def preview_digests(self, match: Matcher, *, up_to: int | None = None) -> list[dict[str, Any]]:
        """What plan_digests would queue now ({email, kind, records}), changing nothing."""
        return self._plan(match, up_to, None, write=False)

    def queued(self) -> list[Delivery]:
        """Deliveries waiting to be sent (new, or failed and to be retried)."""
        return self._deliveries("d.status IN ('pending', 'failed', 'sending')", ())

    def _plan(
        self, match: Matcher, up_to: int | None, now: datetime | None, *, write: bool
    ) -> list[dict[str, Any]]:
        stamp = _stamp(now or datetime.now(UTC))
        limit = self.newest_record_id() if up_to is None else up_to
        cache: dict[int, Record] = {}
        planned: list[dict[str, Any]] = []
        ids = [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM subscribers WHERE confirmed_at IS NOT NULL AND last_record_id < ?"
                " ORDER BY id",
                (limit,),
            )
        ]
        for subscriber_id in ids:
            with db.transaction(self.conn) if write else _nothing():
                row = self.conn.execute(
                    "SELECT * FROM subscribers WHERE id = ?", (subscriber_id,)
                ).fetchone()
                if row is None or row["last_record_id"] >= limit:
                    continue  # erased, or another sender planned them meanwhile
                subscriber = self._subscriber(row)
                follows = [
                    s
                    for s in subscriber.active()
                    if s.kind in (SubscriptionKind.THEME, SubscriptionKind.SEARCH)
                ]
                records = self._new_records(subscriber, limit, cache) if follows else []
                chosen: dict[int, int] = {}  # record id -> first subscription that wants it
                for subscription in follows:
                    if not records:
                        break
                    for record_id in match(subscription, records):
                        chosen.setdefault(record_id, subscription.id)
                already = {
                    r[0]
                    for r in self.conn.execute(
                        "SELECT record_id FROM delivery_items WHERE subscriber_id = ?",
                        (subscriber_id,),
                    )
                }
                order = [r.id for r in records if r.id in chosen and r.id not in already]
                if order:
                    planned.append({"email": subscriber.email, "kind": "digest", "records": order})
                if not write:
                    continue
                if order:
                    cur = self.conn.execute(
                        "INSERT INTO deliveries (subscriber_id, kind, created_at)"
                        " VALUES (?, 'digest', ?)",
                        (subscriber_id, stamp),
                    )
                    delivery_id = int(cur.lastrowid or 0)
                    self.conn.executemany(
                        "INSERT INTO delivery_items (delivery_id, subscriber_id, record_id,"
                        " subscription_id) VALUES (?, ?, ?, ?)",
                        [(delivery_id, subscriber_id, i, chosen[i]) for i in order],
                    )
                self.conn.execute(
                    "UPDATE subscribers SET last_record_id = ?, last_digest_at = ? WHERE id = ?",
                    (limit, stamp, subscriber_id),
                )
        return planned

    def _new_records(
        self, subscriber: Subscriber, limit: int, cache: dict[int, Record]
    ) -> list[Record]:
        """Live records with last_record_id < id <= limit that entered the fund lately."""
        ids = [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM records WHERE id > ? AND id <= ? AND deleted = 0 ORDER BY id",
                (subscriber.last_record_id, limit),
            )
        ]
        missing = [i for i in ids if i not in cache]
        if missing:
            cache.update(self.catalogue.get_many(missing))
        since = subscriber.last_digest_at or subscriber.confirmed_at or subscriber.created_at
        earliest = (_parse(since) - ENTRY_GRACE).date().isoformat()
        return [cache[i] for i in ids if i in cache and entered_the_fund(cache[i]) >= earliest]

    # -- the send ledger --------------------------------------------------------------------

    def claim_next(
        self, owner: str, *, now: datetime | None = None, kinds: Collection[str] = ()
    ) -> Delivery | None:
        """Hand the next delivery due to `owner` (one sender per delivery), or None. A failed
        delivery is not retried by the run that failed it; one tried max_attempts times is
        abandoned; one held by a dead sender is taken back."""
        moment = now or datetime.now(UTC)
        stamp = _stamp(moment)
        stale_before = _stamp(moment - CLAIM_LEASE)
        kind_clause = ""
        params: list[Any] = [owner]
        if kinds:
            kind_clause = f" AND d.kind IN ({', '.join('?' * len(kinds))})"
            params += list(kinds)
        with db.transaction(self.conn):
            # Claims of other senders: taken back when their sender is gone or the lease ran out
            # (a handful of rows: each live sender holds one delivery at a time).
            held = self.conn.execute(
                "SELECT d.id, d.attempts, d.claimed_by, d.claimed_at FROM deliveries d"
                f" WHERE d.status = 'sending' AND coalesce(d.claimed_by, '') != ?{kind_clause}"
                " ORDER BY d.id",
                params,
            ).fetchall()
            stale = [
                r
                for r in held
                if (r["claimed_at"] or "") < stale_before or _sender_gone(r["claimed_by"])
            ]
            while True:
                if stale:
                    row = stale.pop(0)
                else:
                    row = self.conn.execute(
                        "SELECT d.id, d.attempts FROM deliveries d WHERE (d.status = 'pending'"
                        " OR (d.status = 'failed' AND coalesce(d.claimed_by, '') != ?))"
                        f"{kind_clause} ORDER BY d.id LIMIT 1",
                        params,
                    ).fetchone()
                if row is None:
                    return None
                if row["attempts"] >= self.max_attempts:
                    self.conn.execute(
                        "UPDATE deliveries SET status = 'abandoned', claimed_by = NULL"
                        " WHERE id = ?",
                        (row["id"],),
                    )
                    continue
                self.conn.execute(
                    "UPDATE deliveries SET status = 'sending', claimed_by = ?, claimed_at = ?,"
                    " attempts = attempts + 1 WHERE id = ?",
                    (owner, stamp, row["id"]),
                )
                return self.delivery(row["id"])

    def delivery(self, delivery_id: int) -> Delivery | None:
        found = self._deliveries("d.id = ?", (delivery_id,))
        return found[0] if found else None

    def still_claimed(self, delivery_id: int, owner: str) -> bool:
        """The delivery is still ours to send (its subscriber was not erased meanwhile)."""
        row = self.conn.execute(
            "SELECT 1 FROM deliveries WHERE id = ? AND status = 'sending' AND claimed_by = ?",
            (delivery_id, owner),
        ).fetchone()
        return row is not None

    def items(self, delivery_id: int) -> list[tuple[int, int | None]]:
        """(record id, subscription id) of a digest, in the order they entered the fund."""
        return [
            (r[0], r[1])
            for r in self.conn.execute(
                "SELECT record_id, subscription_id FROM delivery_items WHERE delivery_id = ?"
                " ORDER BY record_id",
                (delivery_id,),
            )
        ]

    def mark_sent(self, delivery_id: int, owner: str, *, now: datetime | None = None) -> None:
        self.conn.execute(
            "UPDATE deliveries SET status = 'sent', sent_at = ?, last_error = ''"
            " WHERE id = ? AND claimed_by = ?",
            (_stamp(now or datetime.now(UTC)), delivery_id, owner),
        )

    def mark_failed(self, delivery_id: int, owner: str, error: str, *, retry: bool = True) -> None:
        """Refused or not sent: retried by a later run (until max_attempts), or abandoned."""
        self.conn.execute(
            "UPDATE deliveries SET status = CASE WHEN ? AND attempts < ? THEN 'failed'"
            " ELSE 'abandoned' END, last_error = ? WHERE id = ? AND claimed_by = ?",
            (retry, self.max_attempts, error[:500], delivery_id, owner),
        )

    def release(self, delivery_id: int, owner: str) -> None:
        """Give a claimed delivery back untried (the sender stops before sending it)."""
        self.conn.execute(
            "UPDATE deliveries SET status = CASE WHEN attempts > 1 THEN 'failed' ELSE 'pending'"
            " END, attempts = attempts - 1, claimed_by = NULL WHERE id = ? AND claimed_by = ?",
            (delivery_id, owner),
        )

    def problems(self) -> list[Delivery]:
        """Deliveries that failed (to be retried) or were abandoned, the latest first."""
        return self._deliveries("d.status IN ('failed', 'abandoned')", (), order="d.id DESC")

    def counts(self) -> dict[str, int]:
        counts = {"subscribers": 0, "confirmed": 0, "pending": 0, "failed": 0, "abandoned": 0}
        row = self.conn.execute("SELECT count(*), count(confirmed_at) FROM subscribers").fetchone()
        counts["subscribers"], counts["confirmed"] = int(row[0]), int(row[1])
        for status, n in self.conn.execute(
            "SELECT status, count(*) FROM deliveries GROUP BY status"
        ):
            if status in ("pending", "failed", "abandoned"):
                counts[status] = int(n)
        return counts

    def dismiss(self, delivery_id: int) -> None:
        """The documentalist saw an abandoned delivery: it leaves the list (records stay
        counted as sent to that subscriber, so they are not sent again)."""
        self.conn.execute(
            "UPDATE deliveries SET status = 'sent', last_error = 'abandonné'"
            " WHERE id = ? AND status = 'abandoned'",
            (delivery_id,),
        )

    # -- the monthly newsletter -------------------------------------------------------------

    def newsletter(self, month: str) -> Newsletter | None:
        row = self.conn.execute(
            "SELECT * FROM newsletters WHERE month = ?", (month_of(month),)
        ).fetchone()
        return Newsletter(**dict(row)) if row else None

    def newsletter_by_id(self, newsletter_id: int) -> Newsletter | None:
        row = self.conn.execute(
            "SELECT * FROM newsletters WHERE id = ?", (newsletter_id,)
        ).fetchone()
        return Newsletter(**dict(row)) if row else None

    def newsletters(self) -> list[Newsletter]:
        rows = self.conn.execute("SELECT * FROM newsletters ORDER BY month DESC")
        return [Newsletter(**dict(r)) for r in rows]

    def save_newsletter(
        self, month: str, introduction: str, *, now: str | None = None
    ) -> Newsletter:
        """Write the editorial introduction of a month's letter (refused once it is sent)."""
        month = month_of(month)
        stamp = now or utc_now()
        with db.transaction(self.conn):
            current = self.newsletter(month)
            if current is not None and current.sent:
                raise AlertError(AlertProblem.NEWSLETTER_SENT, month)
            self.conn.execute(
                "INSERT INTO newsletters (month, introduction, created_at, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (month) DO UPDATE SET"
                " introduction = excluded.introduction, updated_at = excluded.updated_at",
                (month, introduction.strip()[:20_000], stamp, stamp),
            )
        result = self.newsletter(month)
        assert result is not None
        return result

    def queue_newsletter(self, month: str, actor: str, *, now: str | None = None) -> int:
        """Send a month's letter to the confirmed bulletin subscribers, once: the letter is
        frozen and one delivery per subscriber is queued. Returns deliveries queued."""
        month = month_of(month)
        stamp = now or utc_now()
        with db.transaction(self.conn):
            current = self.newsletter(month)
            if current is None:
                current = self.save_newsletter(month, "", now=stamp)
            if current.sent:
                raise AlertError(AlertProblem.NEWSLETTER_SENT, month)
            self.conn.execute(
                "UPDATE newsletters SET sent_at = ?, sent_by = ? WHERE id = ?",
                (stamp, actor, current.id),
            )
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO deliveries (subscriber_id, kind, newsletter_id, created_at)"
                " SELECT DISTINCT s.id, 'newsletter', ?, ? FROM subscribers s"
                " JOIN subscriptions b ON b.subscriber_id = s.id"
                " WHERE s.confirmed_at IS NOT NULL AND b.kind = 'bulletin'"
                " AND b.confirmed_at IS NOT NULL",
                (current.id, stamp),
            )
        return cur.rowcount

    def bulletin_subscribers(self) -> int:
        return int(
            self.conn.execute(
                "SELECT count(DISTINCT subscriber_id) FROM subscriptions"
                " WHERE kind = 'bulletin' AND confirmed_at IS NOT NULL"
            ).fetchone()[0]
        )

    # -- rows -------------------------------------------------------------------------------

    def _token_row(self, token: str) -> sqlite3.Row:
        if not token or len(token) > 200:
            raise AlertError(AlertProblem.UNKNOWN_TOKEN)
        row = self.conn.execute(
            "SELECT id, token_expires_at FROM subscribers WHERE token_hash = ?", (_hash(token),)
        ).fetchone()
        if row is None:
            raise AlertError(AlertProblem.UNKNOWN_TOKEN)
        return row

    def _subscriber(
        self, row: sqlite3.Row, subscriptions: tuple[Subscription, ...] | None = None
    ) -> Subscriber:
        if subscriptions is None:
            subscriptions = self._subscriptions_of([row["id"]]).get(row["id"], ())
        return Subscriber(
            id=row["id"],
            email=row["email"],
            consent_origin=row["consent_origin"],
            created_at=row["created_at"],
            confirmed_at=row["confirmed_at"],
            unsubscribe_key=row["unsubscribe_key"],
            last_record_id=row["last_record_id"],
            last_digest_at=row["last_digest_at"],
            subscriptions=subscriptions,
        )

    def _subscriptions_of(self, ids: Sequence[int]) -> dict[int, tuple[Subscription, ...]]:
        found: dict[int, list[Subscription]] = {}
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            rows = self.conn.execute(
                f"SELECT * FROM subscriptions WHERE subscriber_id IN ({', '.join('?' * len(chunk))})"
                " ORDER BY kind, value",
                list(chunk),
            )
            for r in rows:
                found.setdefault(r["subscriber_id"], []).append(
                    Subscription(
                        r["id"],
                        SubscriptionKind(r["kind"]),
                        r["value"],
                        r["created_at"],
                        r["confirmed_at"],
                    )
                )
        return {k: tuple(v) for k, v in found.items()}

    def _deliveries(
        self, where: str, params: Sequence[Any], *, order: str = "d.id"
    ) -> list[Delivery]:
        rows = self.conn.execute(
            "SELECT d.*, s.email, s.unsubscribe_key FROM deliveries d"
            f" JOIN subscribers s ON s.id = d.subscriber_id WHERE {where} ORDER BY {order}",
            list(params),
        )
        return [
            Delivery(
                id=r["id"],
                subscriber_id=r["subscriber_id"],
                email=r["email"],
                unsubscribe_key=r["unsubscribe_key"],
                kind=r["kind"],
                newsletter_id=r["newsletter_id"],
                status=r["status"],
                attempts=r["attempts"],
                last_error=r["last_error"],
                created_at=r["created_at"],
                sent_at=r["sent_at"],
            )
            for r in rows
        ]


def _checked(kind: SubscriptionKind | str, value: str) -> tuple[SubscriptionKind, str]:
    """A well-formed subscription (the caller checks a thematic exists in its vocabulary)."""
    try:
        kind = SubscriptionKind(kind)
    except ValueError:
        raise AlertError(AlertProblem.INVALID_SUBSCRIPTION, str(kind)) from None
    value = (value or "").strip()
    if kind is SubscriptionKind.BULLETIN:
        return kind, ""
    if kind is SubscriptionKind.THEME and not _SLUG.match(value):
        raise AlertError(AlertProblem.INVALID_SUBSCRIPTION, value[:80])
    if kind is SubscriptionKind.SEARCH and not 0 < len(value) <= 2000:
        raise AlertError(AlertProblem.INVALID_SUBSCRIPTION, value[:80])
    return kind, value


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def month_bounds(month: str) -> tuple[date, date]:
    """First day of the month and first day of the next one."""
    month = month_of(month)
    year, number = int(month[:4]), int(month[5:])
    following = date(year + (number == 12), number % 12 + 1, 1)
    return date(year, number, 1), following
