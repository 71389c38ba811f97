"""協働 projects: who leads and partners, who joins, activity days (活動日) and reports.

``member_count`` (joined participants and volunteers) and ``rsvp_count`` are denormalised
so one conditional ``UPDATE`` enforces capacity: the row that wins it gets the place."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.accounts.models import Organisation, User
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.media.models import Photo, PhotoLink
from komoro_engage.plan.models import District, Measure, PolicyArea, PriorityItem, plan_link_table
from komoro_engage.plan.place_models import PlaceColumns
from komoro_engage.proposals.models import Proposal


class ProjectStatus(StrEnum):
    PLANNING = "planning"  # 準備中
    RECRUITING = "recruiting"  # 参加者募集中
    ACTIVE = "active"  # 実施中
    COMPLETED = "completed"  # 完了
    CANCELLED = "cancelled"  # 中止


# An approved project is public from 準備中 on: it shows what is coming.
OPEN_STATUSES = (ProjectStatus.RECRUITING, ProjectStatus.ACTIVE)


class ProjectReview(StrEnum):
    """Whether staff let the project be public: see projects/review.py."""

    PENDING = "pending"  # 審査待ち: only its organisers and staff see it
    RETURNED = "returned"  # 差し戻し: organisers edit it, which sends it again
    APPROVED = "approved"  # public


class PartnerRole(StrEnum):
    HOST = "host"  # 主催
    CO_HOST = "co_host"  # 共催
    COOPERATION = "cooperation"  # 協力
    CITY_DEPARTMENT = "city_department"  # 市担当課 (with the department name)


class PartnerStatus(StrEnum):
    REQUESTED = "requested"  # the organisation asked; the lead decides
    ACCEPTED = "accepted"


class MemberRole(StrEnum):
    PARTICIPANT = "participant"  # 参加者
    VOLUNTEER = "volunteer"  # ボランティア


class MemberStatus(StrEnum):
    JOINED = "joined"
    WAITING = "waiting"  # キャンセル待ち: moves up when a place frees


project_policy_area = plan_link_table("project", "policy_area")
project_priority_item = plan_link_table("project", "priority_item")
project_measure = plan_link_table("project", "measure")


class Project(PlaceColumns, db.Model):
    """A 協働 project, led by a person or an organisation, perhaps born of a proposal."""

    __table_args__ = (
        Index("ix_project_created_at", "created_at", "id"),
        Index("ix_project_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ProjectStatus] = mapped_column(String(20), default=ProjectStatus.PLANNING,
                                                  index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The lead: a person, or an organisation whose managers organise it.
    lead_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    lead_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), index=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # One wanted kind of help per line (当日スタッフ, 講師, 物品提供 …).
    help_wanted: Mapped[str] = mapped_column(Text, default="")
    # Joined participants and volunteers together; NULL means no limit.
    capacity: Mapped[int | None]
    member_count: Mapped[int] = mapped_column(default=0)
    # Visible comments, kept exact by proposals.engagement like a proposal's.
    comment_count: Mapped[int] = mapped_column(default=0)
    outcomes: Mapped[str] = mapped_column(Text, default="")
    # Projects made before review existed were public, hence the default.
    review: Mapped[ProjectReview] = mapped_column(
        String(20), default=ProjectReview.APPROVED, server_default=ProjectReview.APPROVED.value,
        index=True)
    # Staff's reason when they sent it back, shown to the organisers.
    review_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                        default=clock.now)
    # Entered 募集中/実施中, and completed or cancelled: its running span, for the evaluation.
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    proposal: Mapped[Proposal | None] = relationship()
    lead_user: Mapped[User | None] = relationship(foreign_keys=[lead_user_id])
    lead_organisation: Mapped[Organisation | None] = relationship()
    district: Mapped[District | None] = relationship()
    policy_areas: Mapped[list[PolicyArea]] = relationship(
        secondary=project_policy_area, order_by="PolicyArea.number")
    priority_items: Mapped[list[PriorityItem]] = relationship(
        secondary=project_priority_item, order_by="PriorityItem.number")
    measures: Mapped[list[Measure]] = relationship(
        secondary=project_measure, order_by="Measure.sort_key")
    partners: Mapped[list[ProjectPartner]] = relationship(
        back_populates="project", order_by="ProjectPartner.id", cascade="all, delete-orphan")

    @property
    def help_items(self) -> list[str]:
        return [line.strip() for line in self.help_wanted.splitlines() if line.strip()]

    @property
    def is_public(self) -> bool:
        return self.review == ProjectReview.APPROVED

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.member_count)


class ProjectStatusChange(db.Model):
    """One step of a project's lifecycle: the public timeline."""

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"),
                                            index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    before: Mapped[str | None] = mapped_column(String(20))
    after: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class ProjectPartner(db.Model):
    """A partner organisation (or a city department) and its role in the project."""

    __table_args__ = (UniqueConstraint("project_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    # NULL for a city department (市担当課), named in ``department``.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"),
                                                        index=True)
    role: Mapped[PartnerRole] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[PartnerStatus] = mapped_column(String(20), default=PartnerStatus.ACCEPTED)
    message: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    project: Mapped[Project] = relationship(back_populates="partners")
    organisation: Mapped[Organisation | None] = relationship()


class ProjectMember(db.Model):
    """A person taking part: one row per person and project, joined or waiting."""

    __table_args__ = (
        UniqueConstraint("project_id", "user_id"),
        Index("ix_project_member_waiting", "project_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[MemberRole] = mapped_column(String(20), default=MemberRole.PARTICIPANT)
    status: Mapped[MemberStatus] = mapped_column(String(20), default=MemberStatus.JOINED)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    joined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class ActivityDay(PlaceColumns, db.Model):
    """活動日: a dated gathering of a project, with its own RSVPs and capacity."""

    __table_args__ = (Index("ix_activity_day_project_starts", "project_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(Text, default="")
    # Stored in UTC; entered and shown in Japan time.
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    place: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int | None]
    rsvp_count: Mapped[int] = mapped_column(default=0)
    # Recorded by the organisers afterwards.
    attendance_count: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    project: Mapped[Project] = relationship()

    @property
    def is_public(self) -> bool:
        return self.review == ProjectReview.APPROVED

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.rsvp_count)

    has_begun = property(lambda self: clock.as_utc(self.starts_at) <= clock.now(),
                         doc="Attendance and reports are recorded only once the day has begun.")


class Rsvp(db.Model):
    """参加予定: one per person per activity day."""

    __table_args__ = (UniqueConstraint("activity_day_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_day_id: Mapped[int] = mapped_column(
        ForeignKey("activity_day.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    # Set when the organisers record who came.
    attended: Mapped[bool | None]
    # The day-before reminder went out (send-reminders is idempotent on it).
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    activity_day: Mapped[ActivityDay] = relationship()
    user: Mapped[User] = relationship()


class CalendarToken(db.Model):
    """The secret in a person's calendar-feed URL: calendar apps cannot sign in."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class ProgressReport(db.Model):
    """活動報告 (or the completion report, with outcomes)."""

    __table_args__ = (Index("ix_progress_report_project_created", "project_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    activity_day_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity_day.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    attendance_count: Mapped[int | None]
    volunteer_hours: Mapped[float | None] = mapped_column(Float)
    is_completion: Mapped[bool] = mapped_column(default=False)
    outcomes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now,
                                                 index=True)

    author: Mapped[User] = relationship()
    activity_day: Mapped[ActivityDay | None] = relationship()
    photo_links: Mapped[list[ReportPhoto]] = relationship(
        order_by="ReportPhoto.position", cascade="all, delete-orphan")

    @property
    def photos(self) -> list[Photo]:
        return [link.photo for link in self.photo_links]


class ReportPhoto(PhotoLink, db.Model):
    """A photo of a progress report (up to four), in order."""

    __tablename__ = "progress_report_photo"
    __table_args__ = (UniqueConstraint("report_id", "position"),)

    report_id: Mapped[int] = mapped_column(
        ForeignKey("progress_report.id", ondelete="CASCADE"), primary_key=True)
