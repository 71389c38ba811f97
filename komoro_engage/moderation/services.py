"""Writing the audit log."""

from __future__ import annotations

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.moderation.models import AuditEntry


def record_audit(
    actor: User | None,
    action: str,
    target: db.Model | None,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Append one entry for ``actor`` doing ``action`` (e.g. "user.role_changed") to ``target``."""
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
