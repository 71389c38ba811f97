"""A real SMTP server on loopback that keeps what it receives, for mail journeys.

Start the app with ``MAIL_HOST="127.0.0.1", MAIL_PORT=mailbox.port`` (the
``mail_site`` fixture of tests/browser does) and read the verification or
notification mail the way a resident would: ``mailbox.wait_for(address)`` then
``links(message)`` to follow the link in it.
"""

from __future__ import annotations

import re
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.live import free_port

URL = re.compile(r"https?://[^\s<>\"']+")


class Mailbox:
    def __init__(self, port: int | None = None):
        """A server on ``port`` (a free one by default; pass the old port to "restart")."""
        self.messages: list[EmailMessage] = []
        self._arrived = threading.Condition()
        self.port = port or free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def start(self) -> Mailbox:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, address: str, timeout: float = 10) -> EmailMessage:
        """The first message to ``address``; waits for it to arrive."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for message in self.messages:
                    if address in message["X-Envelope-To"]:
                        return message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no mail to {address} within {timeout}s; "
                                         f"got {[m['X-Envelope-To'] for m in self.messages]}")
                self._arrived.wait(remaining)


def links(message: EmailMessage) -> list[str]:
    """The URLs in a message's plain-text body, in order."""
    body = message.get_body(preferencelist=("plain", "html"))
    return URL.findall(body.get_content() if body else "")
