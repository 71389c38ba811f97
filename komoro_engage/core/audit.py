"""The audit log: every staff and admin action, with its reason. Append-only.

It lives in core because accounts and every feature write to it; the staff
console's audit screens (komoro_engage/staff/views/audit.py) read it.

Because nothing here can be changed, an entry holds no copy of personal data:
people and items are named by id (shown by their current name when read, so an
erased account reads 「退会したユーザー」), and ``before``/``after`` hold states,
counts and ids, never names, addresses or what a resident wrote. Reasons are the
staff's own. Account deletion relies on this (accounts/erasure.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, JSON, DateTime, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from komoro_engage.core import clock
from komoro_engage.extensions import db


class AuditEntry(db.Model):
    """Who did what to which item, why, and what changed (before → after)."""

    __tablename__ = "audit_entry"

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

    # By name: core sits below accounts and imports none of it.
    actor: Mapped[User | None] = relationship("User")  # noqa: F821


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


def record_audit(
    actor: db.Model | None,
    action: str,
    target: db.Model | None,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Append one entry for ``actor`` (a User, None for the system) doing ``action``
    (e.g. "user.role_changed") to ``target``."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target.__tablename__ if target is not None else "",
        target_id=getattr(target, "id", None),
        reason=reason,
        before=before,
        after=after,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
