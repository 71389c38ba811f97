"""The outbox: every mail the site sends is first a row here, written in the request's
transaction, and sent afterwards by ``flask komoro send-mail`` (notifications/outbox.py).

So a request never waits for SMTP nor fails with it, whether a registered address
gets a mail or an unknown one does not; and a mail leaves only if the change that
caused it was committed. Accounts (verification, reset, email change, invitations)
and notifications both write here, which is why it lives in core.

The sender wakes within seconds of a new row: on PostgreSQL :func:`queue_mail` also
sends ``NOTIFY`` in the same transaction, so the notice arrives when it commits
and the sender, waiting on ``LISTEN`` (:class:`NewMailListener`), sends at once; on
SQLite, which has no notices, the sender looks for due mail every few seconds.

Secret links (verification, invitation) rest in ``body`` only until the mail is sent
or given up: the sender then blanks the body, keeping who, what and when.

Some mails are written by the sender, not the request (:func:`queue_to_compose`): a
password reset is queued for whatever address was typed, registered or not, so the
request does the same work either way; when sending, the composer accounts registered
(:func:`register_composer`) finds the account, mints a fresh link and writes the mail,
or answers None and the row is deleted unsent. Its link is never stored at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

import psycopg
from sqlalchemy import DateTime, Engine, ForeignKey, String, Text, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, mapped_column

from komoro_engage.core import clock
from komoro_engage.core.i18n import current_language
from komoro_engage.extensions import db

# The PostgreSQL channel a new row is announced on.
CHANNEL = "komoro_outbox"


class OutboxMail(db.Model):
    """A mail waiting to be sent, sent, or given up after too many failures."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # Account erasure scrubs a person's mail by this address as well as by ``user_id``.
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(Text)
    # Blanked once the mail is sent or given up (it may hold a secret link).
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    # The one-click unsubscribe address for the List-Unsubscribe header (RFC 8058).
    unsubscribe_url: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    attempts: Mapped[int] = mapped_column(default=0)
    # When a sender may (re)try it; NULL once sent or given up, so the index holds
    # only the rows still to do.
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                             index=True)
    # The run that claimed it: only that run records the outcome.
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")
    # The language to write a mail the sender composes in (the requester's).
    locale: Mapped[str | None] = mapped_column(String(10))


# ``compose(to_address, locale)`` → (subject, body) to send, or None: not to be sent.
Composer = Callable[[str, str | None], tuple[str, str] | None]
_composers: dict[str, Composer] = {}


def register_composer(kind: str, compose: Composer) -> None:
    """Let the sender write the mails of ``kind`` (see :func:`queue_to_compose`)."""
    _composers[kind] = compose


def content(kind: str, to_address: str, locale: str | None, subject: str,
            body: str) -> tuple[str, str] | None:
    """What to send for a row: its own subject and body, or what its composer writes now."""
    compose = _composers.get(kind)
    return (subject, body) if compose is None else compose(to_address, locale)


def queue_mail(to: str, subject: str, body: str, *, kind: str, user_id: int | None = None,
               unsubscribe_url: str | None = None) -> OutboxMail:
    """Write a plain-text mail to the outbox; it is sent once the transaction commits.

    ``kind`` says what it is (``verify_email``, a notification's kind …); ``user_id``
    the account it is about, if any (its data download lists it, deletion removes it).
    """
    return _queue(to_address=to, subject=subject, body=body, kind=kind, user_id=user_id,
                  unsubscribe_url=unsubscribe_url)


def queue_to_compose(to: str, kind: str) -> OutboxMail:
    """Queue a mail of ``kind`` that its registered composer writes when it is sent,
    in the current language; the composer may decide then that nothing is to be sent."""
    return _queue(to_address=to, subject="", body="", kind=kind, locale=current_language())


def _queue(**fields) -> OutboxMail:
    now = clock.now()
    mail = OutboxMail(created_at=now, next_attempt_at=now, **fields)
    db.session.add(mail)
    if db.session.get_bind().dialect.name == "postgresql":
        # Delivered to listeners at COMMIT, never for a transaction rolled back.
        db.session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
    return mail


class NewMailListener:
    """Lets the sender sleep until a mail is queued, or at most ``timeout`` seconds.

    On PostgreSQL it holds a connection of its own, listening on the channel (notices
    that arrive while the sender is busy wait in that connection until the next
    :meth:`wait`); elsewhere :meth:`wait` just sleeps: a short poll.
    """

    def __init__(self, engine: Engine):
        self._listens = engine.dialect.name == "postgresql"
        self._engine = engine
        self._connection: psycopg.Connection | None = None

    def start(self) -> None:
        """Listen from now on: call before the first look at the outbox, so nothing slips by."""
        if self._listens:
            raw = self._engine.raw_connection()
            self._connection = raw.driver_connection
            raw.detach()  # held for good and closed by us, never returned to the pool
            self._connection.rollback()  # whatever the pool's first-connect checks began
            self._connection.autocommit = True
            self._connection.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> None:
        """Return when a new mail was committed, or after ``timeout`` seconds."""
        if not self._listens:
            time.sleep(timeout)
            return
        try:
            if self._connection is None:
                self.start()  # listening again after a lost connection: look at once
                return
            for _notice in self._connection.notifies(timeout=timeout, stop_after=1):
                pass
        except (psycopg.Error, DBAPIError):
            # The database went away: the sender's own queries report it; listening
            # starts again with the next wait.
            self.close()
            time.sleep(timeout)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
