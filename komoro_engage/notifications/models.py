"""Notifications (the bell), the mail outbox and each person's email choices.

A notification stores its kind and the parameters of its message, never the
translated text: it is rendered in the reader's language when shown. Mail rows
are written to the outbox in the same transaction as the event that caused
them and sent later by ``flask komoro send-mail``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from komoro_engage.core import clock
from komoro_engage.extensions import db


class Notification(db.Model):
    """One thing that happened which concerns ``user``, shown under the bell."""

    __table_args__ = (
        # The bell's unread count and the newest-first list both walk this index.
        Index("ix_notification_user_read_at", "user_id", "read_at"),
        Index("ix_notification_user_id_id", "user_id", "id"),
        # Once-only notifications (the daily staff digest) carry a key.
        UniqueConstraint("user_id", "dedupe_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    # What it is about ("proposal", "comment", "activity_day" …) and where to read it.
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None]
    link: Mapped[str] = mapped_column(String(500), default="")
    # Values the message of ``kind`` is filled with at display time (titles, counts …).
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class OutboxMail(db.Model):
    """A mail waiting to be sent, sent, or given up after too many failures."""

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(Text)
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


class EmailPreference(db.Model):
    """A person's choice for one category of mail; no row means the default."""

    __table_args__ = (UniqueConstraint("user_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(40))
    enabled: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
