"""Newsletters (お知らせメール): what the city writes to the people who asked for it.

A newsletter is a draft until staff send it; sending writes one delivery row per
recipient (unique per newsletter and person) from the audience chosen, then turns the
rows into outbox mails a batch at a time, so a run that stops half-way resumes where it
left off and nobody gets the same newsletter twice. Sent newsletters are public.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.extensions import db

SUBJECT_MAX = 100
BODY_MAX = 10000


class NewsletterStatus(StrEnum):
    DRAFT = "draft"
    SENDING = "sending"  # recipients chosen; mails being written to the outbox in batches
    SENT = "sent"


class Audience(StrEnum):
    ALL = "all"  # everyone who asked for newsletters
    DISTRICTS = "districts"  # ... and lives in one of the chosen districts
    POLICY_AREAS = "policy_areas"  # ... and follows one of the chosen policy areas
    PROJECT = "project"  # ... and is a member of the chosen project


class Newsletter(db.Model):
    """One newsletter: its text, who it is for, and how far sending has got."""

    __table_args__ = (Index("ix_newsletter_status_sent_at", "status", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    audience: Mapped[Audience] = mapped_column(String(20), default=Audience.ALL)
    # The districts, policy areas or (one) project the audience names.
    audience_ids: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[NewsletterStatus] = mapped_column(String(20), default=NewsletterStatus.DRAFT)
    recipient_count: Mapped[int] = mapped_column(default=0)
    mailed_count: Mapped[int] = mapped_column(default=0)
    # The check page's one-time key: a double tap on 送信する sends once.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    sending_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    author: Mapped[User | None] = relationship()

    @property
    def is_draft(self) -> bool:
        return self.status == NewsletterStatus.DRAFT


class NewsletterDelivery(db.Model):
    """One recipient of one newsletter; ``queued_at`` once its mail is in the outbox."""

    __table_args__ = (
        UniqueConstraint("newsletter_id", "user_id"),
        # The next batch: a newsletter's rows not yet queued.
        Index("ix_newsletter_delivery_pending", "newsletter_id", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsletter_id: Mapped[int] = mapped_column(ForeignKey("newsletter.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # True when, by the time its batch came, the person had stopped newsletters
    # (or their account): no mail was written.
    skipped: Mapped[bool] = mapped_column(default=False)
