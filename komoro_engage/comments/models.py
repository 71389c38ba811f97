"""Comments (コメント) and replies on any commentable subject (see commentable.py).

The table keeps one foreign key per commentable kind (``proposal_id``,
``project_id``); exactly one is set. The relationships name their models by
string, so this module imports no feature.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.accounts.models import User
from komoro_engage.comments import commentable
from komoro_engage.core import clock
from komoro_engage.extensions import db


class Stance(StrEnum):
    FOR = "for"  # 賛成
    AGAINST = "against"  # 反対
    QUESTION = "question"  # 質問


class Comment(db.Model):
    """A comment on a proposal or on a 協働 project, or a reply to one (one level deep).

    Exactly one of ``proposal_id`` and ``project_id`` is set; ``subject`` is that row.
    A top-level comment begins a thread and has the thread's number on its subject.
    """

    __table_args__ = (
        # A page of threads is a range of numbers, and the last number their count,
        # read from this index alone however many threads the subject has (issue 16).
        Index("uq_comment_proposal_thread", "proposal_id", "thread_number", unique=True),
        Index("uq_comment_project_thread", "project_id", "thread_number", unique=True),
        CheckConstraint("(proposal_id IS NULL) <> (project_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"), index=True)
    # 1, 2, 3 … in the order the subject's threads began; None on a reply (services.py).
    thread_number: Mapped[int | None]
    body: Mapped[str] = mapped_column(Text)
    stance: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Deleted comments keep their place in the thread and show a notice instead.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Hidden after enough reports, until staff decide.
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    author: Mapped[User] = relationship()
    proposal = relationship("Proposal")
    project = relationship("Project")

    @property
    def kind(self) -> commentable.Commentable:
        """What the comment is about: the registered commentable kind."""
        return commentable.kind_of_comment(self)

    @property
    def subject(self):
        """The proposal, project … the comment is about."""
        return getattr(self, self.kind.relation)

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None
