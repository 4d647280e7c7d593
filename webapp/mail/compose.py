"""Messages from templates: a plain-text part and an HTML part (templates/mail/<name>.txt and
.html), French, readable on a phone, with no remote image. Works outside a request (cron)."""

from __future__ import annotations

from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("webapp", "templates/mail"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render(name: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """The text and HTML bodies of template `name`."""
    env = environment()
    return (
        env.get_template(f"{name}.txt").render(context),
        env.get_template(f"{name}.html").render(context),
    )


def build_message(
    to: str,
    subject: str,
    text: str,
    html: str,
    *,
    sender: str = "",
    unsubscribe_url: str = "",
    message_id: str = "",
    domain: str | None = None,
) -> EmailMessage:
    """A multipart/alternative message. With `unsubscribe_url` (HTTPS), the RFC 8058 one-click
    headers (List-Unsubscribe and List-Unsubscribe-Post)."""
    message = EmailMessage()
    if sender:
        message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id or make_msgid("fonds", domain=domain)
    message["Content-Language"] = "fr"
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message
