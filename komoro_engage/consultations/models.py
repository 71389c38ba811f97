"""Consultations (広聴 テーマ): a question staff put to residents, the short statements
residents (and staff, by proxy) add to it, and everyone's 賛成 / 反対 / パス on them.

``Statement.vote_count`` is denormalised so that the next statement to show (least
voted first) comes from an index; it and the other vote counts (a statement's 賛成 /
反対 / パス, a consultation's votes and participants) are kept exact by the database in the
vote's own statement (``vote_counts.py``). ``ConsultationAnalysis`` holds the opinion map
computed outside requests.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.accounts.models import User
from komoro_engage.consultations.vote_counts import keep_counts
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure, PolicyArea, plan_link_table


class ConsultationStatus(StrEnum):
    DRAFT = "draft"  # 準備中: only staff see it
    OPEN = "open"  # 受付中 (between opens_at and closes_at)
    CLOSED = "closed"  # 終了: results only


class StatementStatus(StrEnum):
    PENDING = "pending"  # 確認待ち (pre-moderation)
    PUBLISHED = "published"  # 公開
    HIDDEN = "hidden"  # 非表示 (staff, or enough reports until staff decide)


class AnalysisKind(StrEnum):
    OPINION = "opinion"  # opinion groups (Polis's method)
    TEXT = "text"  # free-text map


AGREE, DISAGREE, PASS = 1, -1, 0  # Polis's signs, stored as they are
STATEMENT_MAX = 140

consultation_measure = plan_link_table("consultation", "measure")
consultation_policy_area = plan_link_table("consultation", "policy_area")


class Consultation(db.Model):
    """A question put to residents for a while, tied to measures and/or policy areas."""

    __table_args__ = (Index("ix_consultation_status_opens_at", "status", "opens_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ConsultationStatus] = mapped_column(
        String(20), default=ConsultationStatus.DRAFT, index=True)
    opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    # Kept by the votes' triggers (vote_counts.py): every vote, and the people who voted.
    vote_count: Mapped[int] = mapped_column(default=0, server_default="0")
    participant_count: Mapped[int] = mapped_column(default=0, server_default="0")

    created_by: Mapped[User | None] = relationship()
    measures: Mapped[list[Measure]] = relationship(
        secondary=consultation_measure, order_by="Measure.sort_key")
    policy_areas: Mapped[list[PolicyArea]] = relationship(
        secondary=consultation_policy_area, order_by="PolicyArea.number")

    def accepts_votes(self, now: datetime | None = None) -> bool:
        """Open, and within its dates: statements and votes are taken."""
        now = now or clock.now()
        return (self.status == ConsultationStatus.OPEN
                and clock.as_utc(self.opens_at) <= now < clock.as_utc(self.closes_at))


class Statement(db.Model):
    """A short statement (≤ 140 characters) people agree or disagree with."""

    __table_args__ = (
        # The next statement to vote on: published ones of a consultation, least voted,
        # then newest (queries.next_statement walks this index).
        Index("ix_statement_next", "consultation_id", "status", "vote_count",
              "created_at", "id"),
        # The staff queue: pending statements, oldest first.
        Index("ix_statement_status_created_at", "status", "created_at", "id"),
        # A double tap on "send" stores one statement (seeds and proxy entries, with no
        # author, may repeat: two people at a meeting can say the same).
        UniqueConstraint("consultation_id", "author_id", "text"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    # NULL for seed statements and proxy entries, and once an author erased their posts.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[StatementStatus] = mapped_column(String(20), default=StatementStatus.PENDING)
    hidden_by_reports: Mapped[bool] = mapped_column(default=False)
    is_seed: Mapped[bool] = mapped_column(default=False)
    # 代理入力: staff typed it in from paper or a meeting; the source says which.
    is_proxy: Mapped[bool] = mapped_column(default=False)
    proxy_source: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                      index=True)
    # Kept by the votes' triggers (vote_counts.py).
    vote_count: Mapped[int] = mapped_column(default=0)
    agree_count: Mapped[int] = mapped_column(default=0, server_default="0")
    disagree_count: Mapped[int] = mapped_column(default=0, server_default="0")
    pass_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    consultation: Mapped[Consultation] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class StatementVote(db.Model):
    """賛成 (+1) / 反対 (-1) / パス (0): one per person and statement, changeable."""

    __table_args__ = (
        UniqueConstraint("statement_id", "user_id"),
        # A person's votes in one consultation (the card's "not yet voted", "your votes").
        Index("ix_statement_vote_consultation_user", "consultation_id", "user_id"),
        CheckConstraint("value IN (-1, 0, 1)", name="value_sign"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The consultation again, so that a consultation's votes are read from one index.
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


keep_counts(StatementVote.__table__)


class ConsultationAnalysis(db.Model):
    """The latest analysis of one kind for a consultation, computed by a command."""

    __table_args__ = (UniqueConstraint("consultation_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Staff asked for a fresh analysis; the command clears it when done.
    requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
