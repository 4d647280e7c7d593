"""Sending e-mail: the settings (SMTP_* and MAIL_FROM), and a mailer over smtplib.

    settings = MailSettings.from_config(app.config)   # None when mail is not configured
    with Mailer(settings) as mailer:                    # one connection for many messages
        mailer.send(message)                            # MailError(MailFailure.X) on refusal

Digests, the newsletter and loan reminders all go through `Mailer.send`. A refusal or an
unreachable server raises `MailError` whose `failure` says which; the caller decides whether
to retry (a refused recipient) or to stop (the server is down, the password is wrong).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from enum import StrEnum
from typing import Any

SECURITY_MODES = ("none", "starttls", "tls")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}


class MailFailure(StrEnum):
    NOT_CONFIGURED = "not-configured"
    UNAVAILABLE = "unavailable"  # cannot connect, connection lost, TLS impossible
    AUTH_REFUSED = "auth-refused"
    RECIPIENT_REFUSED = "recipient-refused"
    REFUSED = "refused"  # sender or content refused

    @property
    def stops_the_run(self) -> bool:
        """Every next message would fail the same way: stop, and try again at the next run."""
        return self in (
            MailFailure.NOT_CONFIGURED,
            MailFailure.UNAVAILABLE,
            MailFailure.AUTH_REFUSED,
        )


class MailError(Exception):
    def __init__(self, failure: MailFailure, detail: str = "") -> None:
        super().__init__(f"{failure.value}: {detail}" if detail else failure.value)
        self.failure = failure
        self.detail = detail


@dataclass(frozen=True, slots=True)
class MailSettings:
    host: str
    port: int
    sender: str
    security: str = "none"
    user: str = ""
    password: str = ""
    timeout: float = 30.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings | None:
        """The configured SMTP server, or None when SMTP_HOST or MAIL_FROM is missing."""
        host = str(config.get("SMTP_HOST") or "").strip()
        sender = str(config.get("MAIL_FROM") or "").strip()
        if not host or not sender:
            return None
        security = str(config.get("SMTP_SECURITY") or "none").strip().lower()
        if security not in SECURITY_MODES:
            raise MailError(
                MailFailure.NOT_CONFIGURED, f"SMTP_SECURITY={security!r} (none, starttls, tls)"
            )
        port = int(config.get("SMTP_PORT") or 0) or DEFAULT_PORTS[security]
        return cls(
            host=host,
            port=port,
            sender=sender,
            security=security,
            user=str(config.get("SMTP_USER") or ""),
            password=str(config.get("SMTP_PASSWORD") or ""),
        )


class Mailer:
    """An SMTP client that opens its connection on the first message and keeps it."""

    def __init__(self, settings: MailSettings | None) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server; MailError when it is not accepted."""
        if self.settings is None:
            raise MailError(MailFailure.NOT_CONFIGURED)
        if "From" not in message:
            message["From"] = self.settings.sender
        smtp = self._connection()
        try:
            refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailError(MailFailure.RECIPIENT_REFUSED, _reason(exc.recipients)) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            self._drop()
            raise MailError(MailFailure.REFUSED, _text(exc.smtp_code, exc.smtp_error)) from None
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            raise MailError(MailFailure.UNAVAILABLE, str(exc) or type(exc).__name__) from None
        except smtplib.SMTPException as exc:
            self._drop()
            raise MailError(MailFailure.REFUSED, str(exc)) from None
        if refused:  # several recipients, some refused: the message did not reach them all
            raise MailError(MailFailure.RECIPIENT_REFUSED, _reason(refused))

    def check(self) -> None:
        """Connect (and log in) now: MailError when the settings do not work."""
        if self.settings is None:
            raise MailError(MailFailure.NOT_CONFIGURED)
        self._connection()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        s = self.settings
        assert s is not None
        try:
            if s.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            try:
                if s.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if s.user:
                    smtp.login(s.user, s.password)
            except BaseException:
                smtp.close()
                raise
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(
                MailFailure.AUTH_REFUSED, _text(exc.smtp_code, exc.smtp_error)
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise MailError(MailFailure.UNAVAILABLE, str(exc)) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(MailFailure.UNAVAILABLE, str(exc) or type(exc).__name__) from None
        self._smtp = smtp
        return smtp


def _text(code: int, error: bytes | str) -> str:
    message = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
    return f"{code} {message}".strip()


def _reason(refused: Mapping[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{address}: {_text(code, text)}" for address, (code, text) in refused.items())
