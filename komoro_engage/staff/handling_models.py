"""Rows of a proposal's handling inside the city hall, never shown to the public:
which department (and optionally which person) answers it by when, and internal notes
on a proposal or a 協働 project.

Every assignment is a row; the current one has ``is_current`` set (one per proposal, a
partial unique index), earlier ones are the history.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.core import clock
from komoro_engage.extensions import db

if TYPE_CHECKING:
    from komoro_engage.accounts.models import User
    from komoro_engage.plan.departments import Department

NOTE_LENGTH = 2000


class ProposalAssignment(db.Model):
    """A proposal routed to a department (and optionally a person), due by ``due_at``."""

    __tablename__ = "proposal_assignment"
    __table_args__ = (
        Index("uq_proposal_assignment_current", "proposal_id", unique=True,
              sqlite_where=text("is_current"), postgresql_where=text("is_current")),
        # 自分の課: the current assignments of a department, by due date.
        Index("ix_proposal_assignment_department", "department_id", "is_current", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"),
                                             index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text, default="")
    is_current: Mapped[bool] = mapped_column(default=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    department: Mapped[Department] = relationship("Department")
    assignee: Mapped[User | None] = relationship("User", foreign_keys=[assignee_id])
    assigned_by: Mapped[User | None] = relationship("User", foreign_keys=[assigned_by_id])


class InternalNote(db.Model):
    """A staff member's note on a proposal or a project: staff only, never exported."""

    __tablename__ = "internal_note"
    __table_args__ = (
        CheckConstraint("(proposal_id IS NULL) <> (project_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)

    author: Mapped[User | None] = relationship("User")
