"""Notifications (the bell) and each person's email choices.

A notification stores its kind and the parameters of its message, never the
translated text: it is rendered in the reader's language when shown. Its mail is
written to the outbox (``core/outbox.py``, shared with the account mails) in the
same transaction as the event that caused it and sent by ``flask komoro send-mail``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, UniqueConstraint
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


class EmailPreference(db.Model):
    """A person's choice for one category of mail; no row means the default."""

    __table_args__ = (UniqueConstraint("user_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(40))
    enabled: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
