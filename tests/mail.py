"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for mail tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller

from tests.live import free_port


class Mailbox:
    """The aiosmtpd handler: every delivered message, parsed.

    ``deliver`` runs before each look at the messages: the ``mailbox`` fixture passes
    the outbox's real sender, as the ``send-mail`` service would run it.
    """

    def __init__(self, deliver: Callable[[], None] = lambda: None):
        self._messages: list[EmailMessage] = []
        self.deliver = deliver

    @property
    def messages(self) -> list[EmailMessage]:
        self.deliver()
        return self._messages

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.original_content or envelope.content,
                                     policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self._messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    def last_to(self, address: str) -> EmailMessage:
        received = self.to(address)
        assert received, f"no mail arrived for {address}; got {[m['To'] for m in self.messages]}"
        return received[-1]

    @staticmethod
    def body(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def link_to(self, address: str, path_part: str) -> str:
        """The path of the last link containing ``path_part`` mailed to ``address``."""
        body = self.body(self.last_to(address))
        for url in re.findall(r"https?://\S+", body):
            if path_part in url:
                return urlsplit(url).path
        raise AssertionError(f"no link with {path_part!r} in mail to {address}:\n{body}")


class SmtpServer:
    def __init__(self, deliver: Callable[[], None] = lambda: None):
        self.mailbox = Mailbox(deliver)
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.controller.stop()
