"""The three messages of the veille: the confirmation of a subscription, the digest of new
records, and the monthly newsletter. Links are absolute, on BASE_URL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from library import Catalogue, Record, Support
from library.alerts import (
    Alerts,
    Delivery,
    Newsletter,
    Subscriber,
    entered_the_fund,
    month_bounds,
)
from library.formats.citation import by_theme
from library.formats.common import full_title
from library.harvest import newest_first
from library.text import FRENCH_MONTHS

from ..mail.compose import build_message, render
from .core import describe

ABSTRACT_CHARS = 320
# Past this many records a message lists the others without their abstract: every record is
# there, and the message stays under the size at which webmails clip it (~100 KB).
ABSTRACTS_SHOWN = 20


@dataclass(frozen=True, slots=True)
class RecordLines:
    """A record as a message shows it."""

    title: str
    authors: str
    year: str
    doc_type: str
    abstract: str
    url: str
    file_url: str
    online_url: str


@dataclass(frozen=True, slots=True)
class Section:
    label: str
    records: tuple[RecordLines, ...]


def record_lines(record: Record, base: str) -> RecordLines:
    abstract = " ".join(record.abstract.split())
    if len(abstract) > ABSTRACT_CHARS:
        abstract = abstract[:ABSTRACT_CHARS].rsplit(" ", 1)[0] + " …"
    electronic = record.support is Support.ELECTRONIQUE
    return RecordLines(
        title=full_title(record),
        authors=", ".join(a.display for a in record.authors[:4])
        + (" et al." if len(record.authors) > 4 else ""),
        year=str(record.year or ""),
        doc_type=record.doc_type.label,
        abstract=abstract,
        url=f"{base}/notice/{record.id}",
        file_url=f"{base}/notice/{record.id}/fichier" if electronic and record.file else "",
        online_url=record.url
        if electronic and record.url.startswith(("http://", "https://"))
        else "",
    )


def _trimmed(sections: list[Section]) -> list[Section]:
    """Sections whose records after the first ABSTRACTS_SHOWN go without their abstract."""
    shown, result = 0, []
    for section in sections:
        rows = []
        for row in section.records:
            rows.append(row if shown < ABSTRACTS_SHOWN else replace(row, abstract=""))
            shown += 1
        result.append(Section(section.label, tuple(rows)))
    return result


def unsubscribe_url(base: str, subscriber_id: int, key: str) -> str:
    return f"{base}/alertes/desabonnement/{subscriber_id}/{key}"


def _domain(base: str) -> str:
    return urlsplit(base).hostname or "fonds.local"


def _common(config: Mapping[str, Any], base: str) -> dict[str, Any]:
    return {"site": str(config.get("SITE_NAME") or "Fonds"), "base": base}


def confirmation_message(
    subscriber: Subscriber,
    token: str,
    *,
    config: Mapping[str, Any],
    base: str,
    labels: Mapping[str, str],
) -> EmailMessage:
    waiting = [describe(s, labels) for s in subscriber.subscriptions if not s.confirmed]
    context = {
        **_common(config, base),
        "email": subscriber.email,
        "follows": waiting or [describe(s, labels) for s in subscriber.subscriptions],
        "confirm_url": f"{base}/alertes/confirmer/{token}",
        "hours": int(config.get("ALERT_CONFIRM_HOURS") or 72),
    }
    text, html = render("confirmation", context)
    return build_message(
        subscriber.email,
        f"Confirmez votre abonnement — {context['site']}",
        text,
        html,
        domain=_domain(base),
    )


def digest_sections(
    catalogue: Catalogue,
    alerts: Alerts,
    delivery: Delivery,
    subscriber: Subscriber,
    *,
    base: str,
    labels: Mapping[str, str],
) -> list[Section]:
    """The digest's records grouped by the subscription that brought them (deleted ones go)."""
    items = alerts.items(delivery.id)
    found = catalogue.get_many([record_id for record_id, _ in items])
    by_subscription: dict[int | None, list[RecordLines]] = {}
    for record_id, subscription_id in items:
        record = found.get(record_id)
        if record is None or record.deleted:
            continue
        by_subscription.setdefault(subscription_id, []).append(record_lines(record, base))
    described = {s.id: describe(s, labels) for s in subscriber.subscriptions}
    return _trimmed(
        [
            Section(
                described.get(key, "Vos abonnements") if key else "Vos abonnements", tuple(rows)
            )
            for key, rows in by_subscription.items()
        ]
    )


def digest_message(
    subscriber: Subscriber,
    sections: Sequence[Section],
    *,
    delivery_id: int,
    config: Mapping[str, Any],
    base: str,
    labels: Mapping[str, str],
) -> EmailMessage:
    count = sum(len(s.records) for s in sections)
    unsubscribe = unsubscribe_url(base, subscriber.id, subscriber.unsubscribe_key)
    context = {
        **_common(config, base),
        "sections": sections,
        "count": count,
        "follows": [describe(s, labels) for s in subscriber.active()],
        "unsubscribe_url": unsubscribe,
    }
    text, html = render("digest", context)
    plural = "s" if count > 1 else ""
    return build_message(
        subscriber.email,
        f"{count} nouveauté{plural} dans le fonds — {context['site']}",
        text,
        html,
        unsubscribe_url=unsubscribe,
        message_id=f"<digest.{delivery_id}.{subscriber.id}@{_domain(base)}>",
    )


def month_label(month: str) -> str:
    return f"{FRENCH_MONTHS[int(month[5:7]) - 1]} {month[:4]}"


def bulletin_sections(
    catalogue: Catalogue, month: str, *, base: str, labels: Mapping[str, str]
) -> list[Section]:
    """The bulletin des nouveautés of a month, by thematic, as the /nouveautes page shows it."""
    first, following = month_bounds(month)
    ids = newest_first(
        catalogue,
        since=f"{first.isoformat()}T00:00:00Z",
        before=f"{following.isoformat()}T00:00:00Z",
    )
    found = catalogue.get_many(ids)
    records = [found[i] for i in ids if i in found]
    sections = []
    for section in by_theme(records, labels):
        ordered = sorted(section.records, key=entered_the_fund, reverse=True)
        section = replace(section, records=tuple(ordered))
        sections.append(
            Section(section.label, tuple(record_lines(r, base) for r in section.records))
        )
    return _trimmed(sections)


def newsletter_message(
    newsletter: Newsletter,
    sections: Sequence[Section],
    *,
    to: str,
    subscriber_id: int,
    unsubscribe_key: str,
    delivery_id: int,
    config: Mapping[str, Any],
    base: str,
) -> EmailMessage:
    unsubscribe = unsubscribe_url(base, subscriber_id, unsubscribe_key) if subscriber_id else ""
    context = {
        **_common(config, base),
        "month": month_label(newsletter.month),
        "month_value": newsletter.month,
        "paragraphs": [p.strip() for p in newsletter.introduction.split("\n\n") if p.strip()],
        "sections": sections,
        "count": sum(len(s.records) for s in sections),
        "unsubscribe_url": unsubscribe or f"{base}/alertes/abonnement",
    }
    text, html = render("newsletter", context)
    return build_message(
        to,
        f"Lettre d'information — {context['month']} — {context['site']}",
        text,
        html,
        unsubscribe_url=unsubscribe,
        message_id=f"<lettre.{newsletter.id}.{delivery_id}@{_domain(base)}>",
    )


def newsletter_preview(
    catalogue: Catalogue,
    newsletter: Newsletter,
    *,
    config: Mapping[str, Any],
    base: str,
    labels: Mapping[str, str],
) -> tuple[str, str]:
    """Text and HTML of the letter as subscribers will read it (with a sample unsubscribe)."""
    sections = bulletin_sections(catalogue, newsletter.month, base=base, labels=labels)
    message = newsletter_message(
        newsletter,
        sections,
        to="abonne@example.org",
        subscriber_id=0,
        unsubscribe_key="",
        delivery_id=0,
        config=config,
        base=base,
    )
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()
