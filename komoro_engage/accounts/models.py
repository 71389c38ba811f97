"""People who use the platform, their organisations and memberships."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.core import clock
from komoro_engage.extensions import db


class Role(StrEnum):
    RESIDENT = "resident"
    STAFF = "staff"
    ADMIN = "admin"


class UserStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DELETED = "deleted"


class User(UserMixin, db.Model):
    """An account. ``nickname`` is the only thing shown publicly."""

    # "user" is reserved in PostgreSQL.
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL once the account is deleted: the row stays for the posts it keeps.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    nickname: Mapped[str] = mapped_column(String(40))
    # NFKC + casefold of the nickname: uniqueness ignoring case and width.
    nickname_key: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(String(20), default=Role.RESIDENT, index=True)
    status: Mapped[UserStatus] = mapped_column(String(20), default=UserStatus.ACTIVE, index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), index=True)
    ku_id: Mapped[int | None] = mapped_column(ForeignKey("ku.id"))
    # Indexed for the staff console's search by the author's age band (staff/find.py).
    age_band: Mapped[str | None] = mapped_column(String(20), index=True)
    # Optional, never public: only for staff contact where a resident gives it.
    real_name: Mapped[str | None] = mapped_column(String(100))
    # The version of the terms and privacy policy the user accepted, and when.
    terms_version: Mapped[str | None] = mapped_column(String(20))
    terms_accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A new address waiting for its confirmation link to be followed.
    pending_email: Mapped[str | None] = mapped_column(String(254))
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    suspended_reason: Mapped[str] = mapped_column(Text, default="")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped on sign-out-everywhere and password change: old session cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.status == UserStatus.ACTIVE


class OrganisationKind(StrEnum):
    COMMUNITY_GROUP = "community_group"  # 団体・サークル
    NPO = "npo"  # NPO法人
    KU_ASSOCIATION = "ku_association"  # 区・自治会
    BUSINESS = "business"  # 事業者


class Organisation(db.Model):
    """団体 or 事業者. Anyone may register one; it stays unverified until staff verify it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # NFKC + casefold of the name, so two registrations of one group collide.
    name_key: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(String(20), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    # Set when staff close an organisation left without a manager (accounts/stewardship.py).
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    memberships: Mapped[list[Membership]] = relationship(back_populates="organisation")

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class MembershipRole(StrEnum):
    MANAGER = "manager"
    MEMBER = "member"


class MembershipStatus(StrEnum):
    ACTIVE = "active"
    REQUESTED = "requested"  # the person asked to join; a manager decides
    INVITED = "invited"  # a manager invited by email; the person accepts


class Membership(db.Model):
    """A person's place in an organisation: one row per person and organisation."""

    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[MembershipRole] = mapped_column(String(20), default=MembershipRole.MEMBER)
    status: Mapped[MembershipStatus] = mapped_column(
        String(20), default=MembershipStatus.ACTIVE, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()
