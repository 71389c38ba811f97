"""Sending mail: one entry point, :func:`send_mail`, over SMTP.

With no ``MAIL_HOST`` configured (development) the message is printed to the
console instead, so sign-up and reset links can be followed locally.
"""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

SMTP_TIMEOUT_SECONDS = 10


def build_message(to: str, subject: str, body: str,
                  headers: dict[str, str] | None = None) -> EmailMessage:
    """A plain-text UTF-8 message from the configured sender, with any extra ``headers``."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="komoro-engage")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body, charset="utf-8")
    return message


def send_mail(to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Send one plain-text mail to ``to``; print it when no SMTP host is configured."""
    message = build_message(to, subject, body, headers)
    config = current_app.config
    if not config["MAIL_HOST"]:
        print(f"--- mail (MAIL_HOST is empty: not sent) ---\n{message}", file=sys.stderr)
        return
    with smtplib.SMTP(config["MAIL_HOST"], int(config["MAIL_PORT"]),
                      timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
