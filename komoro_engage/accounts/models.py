"""People who use the platform. (Organisations and memberships join this module.)"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from komoro_engage.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


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
    age_band: Mapped[str | None] = mapped_column(String(20))
    # Bumped on sign-out-everywhere and password change: old session cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.status == UserStatus.ACTIVE

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN
