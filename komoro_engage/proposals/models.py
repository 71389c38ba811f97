"""Proposals (提案) and their supports (賛同).

Comments live in komoro_engage/comments, reports in komoro_engage/moderation.

``support_count``, ``comment_count`` and ``last_activity_at`` are denormalised so
that lists sort and page on indexed columns; services keep them exact in the
same transaction as the row they count.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.accounts.models import Organisation, User
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.media.models import Photo, PhotoLink
from komoro_engage.plan.models import (
    District,
    Ku,
    Measure,
    PolicyArea,
    PriorityItem,
    plan_link_table,
)
from komoro_engage.plan.place_models import PlaceColumns


class ProposalKind(StrEnum):
    IDEA = "idea"  # アイデア
    COLLABORATION = "collaboration"  # 協働提案


class ProposalStatus(StrEnum):
    DRAFT = "draft"  # 下書き
    PENDING = "pending"  # 審査待ち
    PUBLISHED = "published"  # 賛同募集中
    UNDER_REVIEW = "under_review"  # 検討中
    ADOPTED = "adopted"  # 採用
    NOT_ADOPTED = "not_adopted"  # 見送り
    WITHDRAWN = "withdrawn"  # 取り下げ
    HIDDEN = "hidden"  # 非表示


# What anyone may read, list and download.
PUBLIC_STATUSES = (
    ProposalStatus.PUBLISHED,
    ProposalStatus.UNDER_REVIEW,
    ProposalStatus.ADOPTED,
    ProposalStatus.NOT_ADOPTED,
)
# The same set as SQL, for the partial indexes of the public list.
PUBLIC_PREDICATE = text(
    "status IN (" + ", ".join(f"'{status.value}'" for status in PUBLIC_STATUSES) + ")")


class HiddenCause(StrEnum):
    MODERATOR = "moderator"  # a staff decision, with a public reason
    REPORTS = "reports"  # enough distinct reports; waits for staff review


proposal_policy_area = plan_link_table("proposal", "policy_area")
proposal_priority_item = plan_link_table("proposal", "priority_item")
# Links to measures (施策) are made by staff, with history: see lifecycle/models.py.


class Proposal(PlaceColumns, db.Model):
    """A resident's or organisation's idea or 協働 proposal."""

    __table_args__ = (
        # One index per sort, holding only the public proposals: the list walks it in
        # order, checks the other filters row by row and stops after a page, at any size.
        # (Queries must spell the statuses as literals, see queries.public_condition,
        # so that SQLite and PostgreSQL can prove the partial index applies.)
        *(Index(f"ix_proposal_public_{column}", column, "id",
                sqlite_where=PUBLIC_PREDICATE, postgresql_where=PUBLIC_PREDICATE)
          for column in ("published_at", "support_count", "comment_count", "last_activity_at")),
        # The staff console's review queue: one status, oldest submission first, a page
        # at a time (100,000 proposals: 59 ms sorting every pending one → 0.3 ms).
        Index("ix_proposal_status_submitted_at", "status", "submitted_at", "id"),
        # The staff console's search (staff/find.py) lists every status: by date (its
        # range and the newest/oldest sorts) and by supports, where the indexes above
        # hold only the public proposals.
        Index("ix_proposal_created_at", "created_at", "id"),
        Index("ix_proposal_support_count", "support_count", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), index=True
    )
    # Text: 80 characters as people count them can be many code points (emoji sequences).
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[ProposalKind] = mapped_column(String(20), index=True)
    status: Mapped[ProposalStatus] = mapped_column(String(20), default=ProposalStatus.DRAFT,
                                                   index=True)
    # NULL district means 市全域 (the whole city).
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), index=True)
    ku_id: Mapped[int | None] = mapped_column(ForeignKey("ku.id"), index=True)
    # Why staff sent it back; shown to the author until they resubmit.
    moderation_note: Mapped[str] = mapped_column(Text, default="")
    hidden_cause: Mapped[str | None] = mapped_column(String(20))
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    # Where a hidden proposal goes back to when staff restore it.
    status_before_hidden: Mapped[str | None] = mapped_column(String(20))
    support_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_activity_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    author: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    district: Mapped[District | None] = relationship()
    ku: Mapped[Ku | None] = relationship()
    policy_areas: Mapped[list[PolicyArea]] = relationship(
        secondary=proposal_policy_area, order_by="PolicyArea.number"
    )
    priority_items: Mapped[list[PriorityItem]] = relationship(
        secondary=proposal_priority_item, order_by="PriorityItem.number"
    )
    # The measures staff linked it to and have not unlinked (read-only here).
    measures: Mapped[list[Measure]] = relationship(
        secondary="proposal_measure_link",
        primaryjoin="Proposal.id == ProposalMeasureLink.proposal_id",
        secondaryjoin="and_(Measure.id == ProposalMeasureLink.measure_id, "
                      "ProposalMeasureLink.unlinked_at.is_(None))",
        order_by="Measure.sort_key", viewonly=True,
    )

    photo_links: Mapped[list[ProposalPhoto]] = relationship(
        order_by="ProposalPhoto.position", cascade="all, delete-orphan",
        back_populates="proposal",
    )

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def photos(self) -> list[Photo]:
        return [link.photo for link in self.photo_links]


class ProposalPhoto(PhotoLink, db.Model):
    """A photo of a proposal, in the order the author gave (up to four)."""

    __table_args__ = (UniqueConstraint("proposal_id", "position"),)

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True)

    proposal: Mapped[Proposal] = relationship(back_populates="photo_links")


class Support(db.Model):
    """賛同: one per person per proposal, enforced by the database."""

    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
