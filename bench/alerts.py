"""Veille benchmark (issue 13): planning the digests of many subscribers, then sending them to
a local SMTP server (aiosmtpd, the test extra), in the same run.

Printed: subscribers, new records, seconds to plan the digests, messages per second sent
through one SMTP connection, and the size of one digest.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from pathlib import Path
from random import Random

SUBSCRIBERS = int(os.environ.get("FONDS_BENCH_SUBSCRIBERS", "1000"))
NEW_RECORDS = int(os.environ.get("FONDS_BENCH_NEW_RECORDS", "300"))
SEED = 13


def run(out: Path) -> dict:
    from aiosmtpd.controller import Controller

    from indexer.instance import load_for_instance
    from library import Catalogue, Record, ThemeAssignment, ThemeSource
    from library.alerts import Alerts, theme_matches
    from webapp.alerts.sending import dispatch
    from webapp.mail import MailSettings

    print(f"\n== Veille : {SUBSCRIBERS} abonnés, {NEW_RECORDS} nouvelles notices ==", flush=True)
    instance = out / "instance-alerts"
    shutil.rmtree(instance, ignore_errors=True)
    labels = load_for_instance(instance).vocabulary.labels()
    slugs = list(labels)
    rng = Random(SEED)

    class Sink:
        count = 0
        size = 0

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            Sink.count += 1
            Sink.size = len(envelope.content)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with Catalogue.in_instance(instance) as cat:
            alerts = Alerts(cat)
            for n in range(SUBSCRIBERS):
                wanted = [("theme", s) for s in rng.sample(slugs, rng.randint(1, 3))]
                _, token = alerts.request(f"abonne{n}@example.org", wanted, origin="bench")
                alerts.confirm(token)
            for n in range(NEW_RECORDS):
                themes = tuple(ThemeAssignment(s, ThemeSource.MANUAL) for s in rng.sample(slugs, 2))
                cat.add(Record(title=f"Nouveauté {n}", abstract="Résumé. " * 40, themes=themes))

            started = time.perf_counter()
            queued = alerts.plan_digests(theme_matches)
            plan_s = time.perf_counter() - started
            settings = MailSettings("127.0.0.1", port, "doc@example.org", security="none")
            started = time.perf_counter()
            report = dispatch(
                cat, alerts, settings, base="https://fonds.example.org", config={}, labels=labels
            )
            send_s = time.perf_counter() - started
    finally:
        controller.stop()
    rate = len(report.sent) / send_s if send_s else 0.0
    print(f"digests préparés : {queued} en {plan_s:.2f} s", flush=True)
    print(f"envoi : {len(report.sent)} courriels en {send_s:.1f} s ({rate:.0f}/s)", flush=True)
    print(f"taille d'un résumé : {Sink.size / 1024:.0f} Kio", flush=True)
    return {
        "subscribers": SUBSCRIBERS,
        "new_records": NEW_RECORDS,
        "plan_s": round(plan_s, 3),
        "sent": len(report.sent),
        "send_s": round(send_s, 2),
        "messages_per_s": round(rate, 1),
        "digest_kib": round(Sink.size / 1024, 1),
    }
