"""The audit log (every staff and admin action, with its reason; append-only) and reports.

Reports (通報) are residents' flags on anything reportable (see reports.py); staff
decide on them in the console's report queue.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DDL, JSON, DateTime, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.extensions import db


class AuditEntry(db.Model):
    """Who did what to which item, why, and what changed (before → after)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now, index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str] = mapped_column(String(40), index=True)
    target_id: Mapped[int | None] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship()


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_changes(_mapper, _connection, entry: AuditEntry) -> None:
    raise AuditLogIsAppendOnly(f"audit entry {entry.id} cannot be changed or deleted")


# The database refuses too, so neither a Core statement nor a psql session can rewrite
# history. The same statements are in the staff console migration.
APPEND_ONLY_SQLITE = (
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END",
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END",
)
APPEND_ONLY_POSTGRESQL = (
    "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END $$",
    "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
)
for _statement in APPEND_ONLY_SQLITE:
    event.listen(AuditEntry.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="sqlite"))
for _statement in APPEND_ONLY_POSTGRESQL:
    event.listen(AuditEntry.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="postgresql"))


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


class Report(db.Model):
    """通報: one per reporter and item; distinct reporters hide the item at a threshold."""

    __table_args__ = (UniqueConstraint("target_type", "target_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    # Set when staff have decided on it in the console's report queue.
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
