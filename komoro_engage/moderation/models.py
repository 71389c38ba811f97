"""Reports (通報): residents' flags on anything reportable (see reports.py).

Staff decide on them in the console's report queue; enough reports hide an item
until they do.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from komoro_engage.core import clock
from komoro_engage.extensions import db


class ReportReason(StrEnum):
    SPAM = "spam"  # スパム
    ABUSE = "abuse"  # 誹謗中傷
    PERSONAL_INFO = "personal_info"  # 個人情報
    INAPPROPRIATE = "inappropriate"  # 不適切
    OTHER = "other"  # その他


class ReportTarget(StrEnum):
    """The kinds of item people report: the reported row's table name (see reports.py)."""

    PROPOSAL = "proposal"
    COMMENT = "comment"
    STATEMENT = "statement"  # a consultation's statement (consultations/models.py)


class Report(db.Model):
    """通報: one per reporter and item; distinct reporters hide the item at a threshold."""

    __table_args__ = (
        UniqueConstraint("target_type", "target_id", "reporter_id"),
        # The report queue's tab counts the items with open reports from the index alone
        # (100,000 proposals: 0.75 → 0.43 ms on SQLite, issue 16); its page asks it for an
        # item's earlier open report.
        Index("ix_report_open", "resolved_at", "target_type", "target_id", "created_at"),
        # The queue's page walks the open reports oldest first and keeps each item's first
        # (staff/reported.py): grouping all of them came before the first row, 0.87–1.1 ms
        # for 2,783 open reports at 100,000 proposals on SQLite, 0.04 ms walked (issue 16).
        Index("ix_report_waiting", "resolved_at", "created_at", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    # Set when staff have decided on it in the console's report queue.
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
