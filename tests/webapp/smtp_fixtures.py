"""A real SMTP server for the mail tests (aiosmtpd on a free port), and what arrived in it.
The `smtp` and `smtp_auth` fixtures that start it live in `tests/webapp/conftest.py`.

    def test_x(smtp):                  # smtp.config: the SMTP_* settings that point at it
        ...
        assert smtp.to("ana@example.org")[0]["Subject"] == "..."

`smtp.refuse` holds recipients answered 550; `smtp.on_message(message)` may return an SMTP
reply to refuse a message (after doing something, like killing the sender)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "fonds", "mot-de-passe-smtp"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self.on_message: Callable[[EmailMessage], str | None] | None = None
        self.lock = threading.Lock()
        self.config: dict[str, Any] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        if self.on_message is not None:
            reply = self.on_message(message)  # type: ignore[arg-type]
            if reply:
                return reply
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)  # the server answers 535 on a failure


def start_server(*, auth: bool = False) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    port = free_port()
    kwargs: dict[str, Any] = {}
    if auth:
        # AUTH offered without TLS (a test on localhost); a wrong password gets 535
        kwargs = {"authenticator": _authenticator, "auth_require_tls": False}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    inbox.config = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_SECURITY": "none",
        "MAIL_FROM": "Centre de ressources <documentation@crpv-martinique.fr>",
        "BASE_URL": "https://fonds.example.org",
    }
    if auth:
        inbox.config.update(SMTP_USER=USER, SMTP_PASSWORD=PASSWORD)
    return controller, inbox


def body(message: EmailMessage, kind: str = "plain") -> str:
    part = message.get_body((kind,))
    assert part is not None, f"no {kind} part"
    return str(part.get_content())
