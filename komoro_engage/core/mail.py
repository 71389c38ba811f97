"""Sending mail over SMTP: :func:`send_mail`, called by the outbox's sender only.

Features never send in a request: they write to the outbox (``core/outbox.py``)
and ``flask komoro send-mail`` calls this. With no ``MAIL_HOST`` configured
(development) the message is printed to the console instead, so sign-up and
reset links can be followed locally.
"""

from __future__ import annotations

import smtplib
import sys
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

SMTP_TIMEOUT_SECONDS = 10
# Extra headers are written exactly as given: a long List-Unsubscribe <URL> must not be
# folded into RFC 2047 encoded-words, which mail clients would not read as a URL.
MAIL_POLICY = policy.default.clone(refold_source="none")


def build_message(to: str, subject: str, body: str,
                  headers: dict[str, str] | None = None) -> EmailMessage:
    """A plain-text UTF-8 message from the configured sender, with any extra ``headers``."""
    config = current_app.config
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="komoro-engage")
    for name, value in (headers or {}).items():
        message.set_raw(name, value)
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
