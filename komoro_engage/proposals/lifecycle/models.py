"""The lifecycle's rows: measure links, the official answer and its draft, the status
history and the record of a proxy entry. Nothing here is deleted: an unlinked measure keeps
its row with who unlinked it and when."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Select,
    String,
    Text,
    false,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.core import clock
from komoro_engage.extensions import db

if TYPE_CHECKING:  # string references below keep this module free of import cycles
    from komoro_engage.accounts.models import User
    from komoro_engage.plan.models import Measure
    from komoro_engage.proposals.models import Proposal


class ProposalMeasureLink(db.Model):
    """A proposal linked to a measure for a fiscal year, with why; unlinking keeps the row."""

    __tablename__ = "proposal_measure_link"
    __table_args__ = (
        # One active link per proposal and measure; old, unlinked ones may pile up.
        Index("uq_proposal_measure_link_active", "proposal_id", "measure_id", unique=True,
              sqlite_where=text("unlinked_at IS NULL"),
              postgresql_where=text("unlinked_at IS NULL")),
        # The list's measure filter and the measure page look links up by measure.
        Index("ix_proposal_measure_link_measure", "measure_id", "unlinked_at", "proposal_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"),
                                             index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    fiscal_year: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    unlinked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    unlinked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    unlink_reason: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship("Proposal")
    measure: Mapped[Measure] = relationship("Measure")
    linked_by: Mapped[User | None] = relationship("User", foreign_keys=[linked_by_id])
    unlinked_by: Mapped[User | None] = relationship("User", foreign_keys=[unlinked_by_id])

    @property
    def is_active(self) -> bool:
        return self.unlinked_at is None


def active_links_to(measure_id: int) -> Select:
    """Ids of proposals with an active link to ``measure_id`` (for ``IN`` filters)."""
    return select(ProposalMeasureLink.proposal_id).where(
        ProposalMeasureLink.measure_id == measure_id, ProposalMeasureLink.unlinked_at.is_(None))


class AnswerStatus(StrEnum):
    """The statuses an official answer gives a proposal (same values as ProposalStatus)."""

    UNDER_REVIEW = "under_review"  # 検討中
    ADOPTED = "adopted"  # 採用
    NOT_ADOPTED = "not_adopted"  # 見送り


class ProposalAnswer(db.Model):
    """市の回答 and its deadline: one per proposal, created when review starts.

    ``answered_at`` stays NULL until staff publish a written answer; until then the
    proposal waits in the console, and past ``deadline_at`` it is overdue.
    """

    __tablename__ = "proposal_answer"
    __table_args__ = (
        # The staff's queues of answers not written yet, nearest deadline first (and past
        # it): read in deadline order from the index alone, each proposal's status probed
        # by its key, so a page stops at its twentieth row (100,000 proposals: 17 → 0.1 ms).
        Index("ix_proposal_answer_waiting", "answered_at", "deadline_at", "proposal_id"),
    )

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default=AnswerStatus.UNDER_REVIEW)
    body: Mapped[str] = mapped_column(Text, default="")
    # やさしい日本語 version staff may add; readers who chose it see it (core.i18n.localized_easy).
    body_easy: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(100), default="")
    answered_on: Mapped[date | None] = mapped_column(Date)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    proposal: Mapped[Proposal] = relationship("Proposal")

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class AnswerDraftState(StrEnum):
    """Where a draft of the city's answer stands (see lifecycle/drafts.py)."""

    DRAFT = "draft"  # 下書き: the author is writing it
    SUBMITTED = "submitted"  # 決裁待ち: waiting for a second staff member's approval
    RETURNED = "returned"  # 差し戻し: the approver sent it back with a reason


class ProposalAnswerDraft(db.Model):
    """The next version of 市の回答 while staff write it: never shown to the public.

    One per proposal (the primary key), so two staff writing at once edit the same
    draft. Publishing deletes it with a conditional DELETE on ``version``: of two
    publishing requests only one finds the row, so an answer is never published twice.
    """

    __tablename__ = "proposal_answer_draft"
    __table_args__ = (Index("ix_proposal_answer_draft_state", "state", "submitted_at"),)

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(20), default=AnswerDraftState.DRAFT)
    status: Mapped[str] = mapped_column(String(20), default=AnswerStatus.UNDER_REVIEW)
    body: Mapped[str] = mapped_column(Text, default="")
    body_easy: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(100), default="")
    answered_on: Mapped[date | None] = mapped_column(Date)
    # Raised by every save: an approval or publication names the version its author saw.
    version: Mapped[int] = mapped_column(default=1)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    return_reason: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship("Proposal")
    author: Mapped[User | None] = relationship("User", foreign_keys=[author_id])
    submitted_by: Mapped[User | None] = relationship("User", foreign_keys=[submitted_by_id])
    returned_by: Mapped[User | None] = relationship("User", foreign_keys=[returned_by_id])

    @property
    def is_submitted(self) -> bool:
        return self.state == AnswerDraftState.SUBMITTED


class ProposalStatusChange(db.Model):
    """One step of a proposal's timeline: from which status to which, by whom, why.

    ``staff_only`` steps (an answer's draft saved, submitted, returned, approved) are
    shown to staff alone; the public timeline reads the others (lifecycle/record.py).
    """

    __tablename__ = "proposal_status_change"
    __table_args__ = (Index("ix_proposal_status_change_proposal", "proposal_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    # NULL for automatic changes (the support threshold, reports).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # "threshold" when the support threshold moved it; otherwise empty.
    cause: Mapped[str] = mapped_column(String(20), default="")
    staff_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class ProxyOccasion(StrEnum):
    PAPER = "paper"  # 紙の提案用紙
    DISTRICT_MEETING = "district_meeting"  # 地区懇談会
    COUNTER = "counter"  # 窓口
    OTHER = "other"  # その他


class ProxyEntry(db.Model):
    """代理入力: staff typed in a proposal received on paper or at a meeting."""

    __tablename__ = "proposal_proxy_entry"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    occasion: Mapped[str] = mapped_column(String(20))
    # e.g. 「令和8年度 乙女地区懇談会」
    occasion_detail: Mapped[str] = mapped_column(String(200), default="")
    received_on: Mapped[date] = mapped_column(Date)
    anonymous: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
