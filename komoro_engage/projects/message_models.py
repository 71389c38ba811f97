"""Messages a project's organisers send to its people (主催者からのお知らせ), kept as an archive.

Recipients are not stored: each got a notification (and a mail if they wanted it); the row
keeps which audiences were chosen and how many people that reached when it was sent.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.projects.models import Project

SUBJECT_MAX = 100
BODY_MAX = 2000


class Audience(StrEnum):
    MEMBERS = "members"  # joined participants and volunteers
    WAITING = "waiting"  # キャンセル待ち
    PARTNERS = "partners"  # managers of the accepted partner organisations


class ProjectMessage(db.Model):
    """One message, sent once: ``submission_key`` (from the form) makes a resubmission a no-op."""

    __table_args__ = (Index("ix_project_message_project_created", "project_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    # Comma-separated Audience values, in their fixed order.
    audiences: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    body: Mapped[str] = mapped_column(Text)
    recipient_count: Mapped[int] = mapped_column(default=0)
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    project: Mapped[Project] = relationship()
    author: Mapped[User] = relationship()

    @property
    def audience_list(self) -> list[Audience]:
        return [Audience(value) for value in self.audiences.split(",") if value]
