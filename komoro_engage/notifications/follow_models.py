"""What each person follows (フォロー): a proposal, a project, a measure, a policy area
or a district.

A follow is who hears about an item's progress besides its author. People who take
part (authors, supporters, commenters, members) follow automatically; when they stop
following, the row stays with ``stopped_at`` set so that taking part again does not
sign them up a second time. Choosing to follow again clears it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from komoro_engage.core import clock
from komoro_engage.extensions import db


class FollowTarget(StrEnum):
    PROPOSAL = "proposal"
    PROJECT = "project"
    MEASURE = "measure"
    POLICY_AREA = "policy_area"
    DISTRICT = "district"


class Follow(db.Model):
    """One person following one item: one row per person and item (the unique constraint)."""

    __table_args__ = (
        UniqueConstraint("user_id", "target_type", "target_id"),
        # Who follows this item, when something happens to it (only active follows).
        Index("ix_follow_target", "target_type", "target_id", "stopped_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    target_type: Mapped[FollowTarget] = mapped_column(String(20))
    target_id: Mapped[int]
    # True when taking part signed them up, False when they chose to follow.
    automatic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def is_active(self) -> bool:
        return self.stopped_at is None
