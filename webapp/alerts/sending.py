"""The send run: queue the digests, then send what is queued (digests and newsletters), one
claimed delivery at a time. `fonds alert send` runs it from cron; the workspace runs it for
a newsletter. Safe to kill at any moment and to run twice at once (see library.alerts)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from library import Catalogue, Record
from library.alerts import (
    Alerts,
    Delivery,
    Subscription,
    SubscriptionKind,
    sender_id,
    theme_matches,
)

from ..mail import Mailer, MailError, MailFailure, MailSettings
from .compose import (
    bulletin_sections,
    digest_message,
    digest_sections,
    newsletter_message,
)
from .core import search_request

log = logging.getLogger(__name__)


@dataclass
class SendReport:
    queued: int = 0  # digests queued by this run
    sent: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)
    empty: int = 0  # digests whose records were all deleted meanwhile: nothing to send
    stopped: str = ""  # a MailFailure code when the run stopped early (server down, auth)
    stopped_detail: str = ""
    dry_run: bool = False
    planned: list[dict[str, Any]] = field(default_factory=list)  # --dry-run: what would go

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "queued": self.queued,
            "sent": self.sent,
            "failed": self.failed,
            "empty": self.empty,
            "stopped": self.stopped or None,
            "planned": self.planned,
        }


class SearchMatcher:
    """Which new records a subscription wants: thematics from the catalogue, searches through
    the search facade (each distinct search is run once per send)."""

    def __init__(self, finder_factory: Callable[[], Any], theme_slugs: Collection[str]) -> None:
        self.finder_factory = finder_factory
        self.theme_slugs = theme_slugs
        self._finder: Any = None
        self._found: dict[str, set[int]] = {}

    def __call__(self, subscription: Subscription, records: Sequence[Record]) -> set[int]:
        if subscription.kind is SubscriptionKind.THEME:
            return theme_matches(subscription, records)
        if subscription.kind is not SubscriptionKind.SEARCH:
            return set()
        if subscription.value not in self._found:
            if self._finder is None:
                self._finder = self.finder_factory()
            request = search_request(subscription.value, self.theme_slugs)
            self._found[subscription.value] = set(self._finder.all_ids(request))
        wanted = self._found[subscription.value]
        return {r.id for r in records if r.id in wanted}


def plan(
    alerts: Alerts,
    matcher: Callable[[Subscription, Sequence[Record]], Collection[int]],
    *,
    up_to: int,
    now: datetime | None = None,
) -> int:
    return alerts.plan_digests(matcher, up_to=up_to, now=now)


def dry_run(
    alerts: Alerts,
    matcher: Callable[[Subscription, Sequence[Record]], Collection[int]],
    *,
    up_to: int,
) -> SendReport:
    """What a run would send now, changing nothing."""
    report = SendReport(dry_run=True)
    for planned in alerts.preview_digests(matcher, up_to=up_to):
        report.planned.append(planned)
    for delivery in alerts.queued():
        report.planned.append(
            {
                "email": delivery.email,
                "kind": delivery.kind,
                "records": [i for i, _ in alerts.items(delivery.id)],
                "attempts": delivery.attempts,
                "queued": True,
            }
        )
    return report


def send_run(
    catalogue: Catalogue,
    alerts: Alerts,
    matcher: Callable[[Subscription, Sequence[Record]], Collection[int]],
    settings: MailSettings,
    *,
    base: str,
    config: Mapping[str, Any],
    labels: Mapping[str, str],
) -> SendReport:
    """The whole run of `fonds alert send`: forget the requests never confirmed, queue the
    digests of the records catalogued so far, then send everything queued."""
    alerts.purge_unconfirmed()
    up_to = alerts.newest_record_id()  # the caller's index is synced: it knows all of these
    queued = alerts.plan_digests(matcher, up_to=up_to)
    report = dispatch(catalogue, alerts, settings, base=base, config=config, labels=labels)
    report.queued = queued
    return report


def dispatch(
    catalogue: Catalogue,
    alerts: Alerts,
    settings: MailSettings,
    *,
    base: str,
    config: Mapping[str, Any],
    labels: Mapping[str, str],
    kinds: Collection[str] = (),
    report: SendReport | None = None,
    mailer: Mailer | None = None,
) -> SendReport:
    """Send every queued delivery this run may take; stops at the first failure that would
    repeat for every message (server down, authentication refused), leaving the rest queued."""
    report = report or SendReport()
    owner = sender_id()
    bulletins: dict[int, Any] = {}
    own_mailer = mailer is None
    mailer = mailer or Mailer(settings)
    try:
        while True:
            delivery = alerts.claim_next(owner, kinds=kinds)
            if delivery is None:
                break
            try:
                message = _message(catalogue, alerts, delivery, base, config, labels, bulletins)
            except Exception:
                alerts.release(delivery.id, owner)
                raise
            if message is None:
                alerts.mark_sent(delivery.id, owner)
                report.empty += 1
                continue
            if not alerts.still_claimed(delivery.id, owner):
                continue  # the subscriber was erased or unsubscribed meanwhile
            try:
                mailer.send(message)
            except MailError as exc:
                if exc.failure.stops_the_run:
                    alerts.release(delivery.id, owner)
                    report.stopped, report.stopped_detail = exc.failure.value, exc.detail
                    log.warning("mail run stopped: %s", exc)
                    break
                alerts.mark_failed(delivery.id, owner, str(exc))
                report.failed.append(
                    {
                        "email": delivery.email,
                        "kind": delivery.kind,
                        "reason": exc.failure.value,
                        "detail": exc.detail,
                    }
                )
                continue
            alerts.mark_sent(delivery.id, owner)
            report.sent.append({"email": delivery.email, "kind": delivery.kind})
    finally:
        if own_mailer:
            mailer.close()
    return report


def _message(
    catalogue: Catalogue,
    alerts: Alerts,
    delivery: Delivery,
    base: str,
    config: Mapping[str, Any],
    labels: Mapping[str, str],
    bulletins: dict[int, Any],
) -> Any:
    try:
        subscriber = alerts.subscriber(delivery.subscriber_id)
    except Exception:  # erased since the claim: the delivery went with them
        return None
    if delivery.kind == "digest":
        sections = digest_sections(
            catalogue, alerts, delivery, subscriber, base=base, labels=labels
        )
        if not any(s.records for s in sections):
            return None
        return digest_message(
            subscriber, sections, delivery_id=delivery.id, config=config, base=base, labels=labels
        )
    assert delivery.newsletter_id is not None
    if delivery.newsletter_id not in bulletins:
        newsletter = alerts.newsletter_by_id(delivery.newsletter_id)
        assert newsletter is not None
        sections = bulletin_sections(catalogue, newsletter.month, base=base, labels=labels)
        bulletins[delivery.newsletter_id] = (newsletter, sections)
    newsletter, sections = bulletins[delivery.newsletter_id]
    return newsletter_message(
        newsletter,
        sections,
        to=subscriber.email,
        subscriber_id=subscriber.id,
        unsubscribe_key=subscriber.unsubscribe_key,
        delivery_id=delivery.id,
        config=config,
        base=base,
    )


__all__ = ["MailFailure", "SearchMatcher", "SendReport", "dispatch", "dry_run", "plan"]
