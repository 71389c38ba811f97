"""Evaluation records (施策評価): one per measure per fiscal year, and their amendments.

A draft record is worked on by staff; finalising stores a snapshot of the
participation figures, the item list and the indicator results, so the public
record never changes afterwards. A correction is an :class:`EvaluationAmendment`
with a reason, kept beside the original.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure, RatingLevel


class RecordStatus(StrEnum):
    DRAFT = "draft"  # 作成中
    SUBMITTED = "submitted"  # 決裁待ち: waiting for a second staff member's approval
    FINALISED = "finalised"  # 確定


class EvaluationRecord(db.Model):
    """施策評価 of one measure for one fiscal year."""

    __table_args__ = (
        UniqueConstraint("measure_id", "fiscal_year"),
        Index("ix_evaluation_record_year_status", "fiscal_year", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"), index=True)
    fiscal_year: Mapped[int]
    status: Mapped[RecordStatus] = mapped_column(String(20), default=RecordStatus.DRAFT)
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("rating_level.id"))
    check_text: Mapped[str] = mapped_column(Text, default="")  # 評価 (Check)
    act_text: Mapped[str] = mapped_column(Text, default="")  # 今後の方向性 (Act)
    # Frozen at finalising: participation figures, item list, indicator results.
    figures: Mapped[dict | None] = mapped_column(JSON)
    items: Mapped[list | None] = mapped_column(JSON)
    indicators: Mapped[list | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    # Who saved the draft last: with approval on, neither they nor the submitter approve it.
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Raised by every save: approving or finalising names the version that was previewed.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The approver's reason when they sent it back (shown to staff on the draft).
    return_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    measure: Mapped[Measure] = relationship()
    rating: Mapped[RatingLevel | None] = relationship()
    finalised_by: Mapped[User | None] = relationship(foreign_keys=[finalised_by_id])
    amendments: Mapped[list[EvaluationAmendment]] = relationship(
        back_populates="record", order_by="EvaluationAmendment.number")

    @property
    def is_final(self) -> bool:
        return self.status == RecordStatus.FINALISED

    @property
    def is_submitted(self) -> bool:
        return self.status == RecordStatus.SUBMITTED

    @property
    def latest_amendment(self) -> EvaluationAmendment | None:
        return self.amendments[-1] if self.amendments else None

    @property
    def current_rating(self) -> RatingLevel | None:
        """The rating in force: the latest amendment's, else the original's."""
        latest = self.latest_amendment
        return latest.rating if latest is not None else self.rating


class EvaluationAmendment(db.Model):
    """A correction to a finalised record: new rating and texts, with the reason."""

    __table_args__ = (UniqueConstraint("record_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("evaluation_record.id"))
    number: Mapped[int]  # 1, 2, … in the order they were made
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("rating_level.id"))
    check_text: Mapped[str] = mapped_column(Text, default="")
    act_text: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    record: Mapped[EvaluationRecord] = relationship(back_populates="amendments")
    rating: Mapped[RatingLevel | None] = relationship()
