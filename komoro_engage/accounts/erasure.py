"""Personal data under APPI: export everything we hold, and erase it on account deletion.

Features that hold a user's content register here, so this module never needs
to know about them:

- ``register_post_handler(fn)``: ``fn(user, remove)`` is called when ``user``
  deletes their account; ``remove`` is True if they chose to remove their
  public posts, False to keep them under 「退会したユーザー」.
- ``register_export_section(name, fn)``: ``fn(user)`` returns JSON-ready data
  included under ``name`` in the user's download.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, or_, select

from komoro_engage.accounts.models import Membership, Organisation, User, UserStatus
from komoro_engage.accounts.services import end_all_sessions
from komoro_engage.core import clock
from komoro_engage.core.audit import AuditEntry, record_audit
from komoro_engage.extensions import db

DELETED_NICKNAME = "退会したユーザー"

_post_handlers: list[Callable[[User, bool], None]] = []
_export_sections: dict[str, Callable[[User], Any]] = {}


def register_post_handler(handler: Callable[[User, bool], None]) -> Callable[[User, bool], None]:
    """Call ``handler(user, remove)`` when an account is deleted. Usable as a decorator."""
    if handler not in _post_handlers:
        _post_handlers.append(handler)
    return handler


def unregister_post_handler(handler: Callable[[User, bool], None]) -> None:
    """Remove a handler (tests)."""
    if handler in _post_handlers:
        _post_handlers.remove(handler)


def register_export_section(name: str, section: Callable[[User], Any]) -> None:
    """Include ``section(user)`` under ``name`` in the personal data download."""
    _export_sections[name] = section


def unregister_export_section(name: str) -> None:
    """Remove an export section (tests)."""
    _export_sections.pop(name, None)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_user_data(user: User) -> dict:
    """Everything held about ``user``, as JSON-ready data."""
    memberships = db.session.execute(
        select(Membership, Organisation).join(Organisation)
        .where(Membership.user_id == user.id).order_by(Membership.id)
    ).all()
    audit = db.session.scalars(
        select(AuditEntry).where(or_(
            AuditEntry.actor_id == user.id,
            (AuditEntry.target_type == User.__tablename__) & (AuditEntry.target_id == user.id),
        )).order_by(AuditEntry.id)
    ).all()
    data = {
        "account": {
            "id": user.id, "email": user.email, "email_verified_at": _iso(user.email_verified_at),
            "pending_email": user.pending_email, "nickname": user.nickname,
            "real_name": user.real_name, "role": str(user.role), "status": str(user.status),
            "district_id": user.district_id, "ku_id": user.ku_id, "age_band": user.age_band,
            "terms_version": user.terms_version,
            "terms_accepted_at": _iso(user.terms_accepted_at),
            "created_at": _iso(user.created_at), "last_sign_in_at": _iso(user.last_sign_in_at),
        },
        "memberships": [
            {"organisation_id": org.id, "organisation": org.name, "role": str(m.role),
             "status": str(m.status), "since": _iso(m.created_at)}
            for m, org in memberships
        ],
        "audit_log": [
            {"at": _iso(e.created_at), "action": e.action, "by_you": e.actor_id == user.id,
             "reason": e.reason}
            for e in audit
        ],
    }
    for name, section in _export_sections.items():
        data[name] = section(user)
    return data


def delete_account(user: User, remove_posts: bool) -> None:
    """Erase ``user``'s personal data now; their posts stay (anonymised) or go, as they chose."""
    for handler in list(_post_handlers):
        handler(user, remove_posts)
    db.session.execute(delete(Membership).where(Membership.user_id == user.id))
    user.email = None
    user.pending_email = None
    user.real_name = None
    user.age_band = None
    user.district_id = None
    user.ku_id = None
    user.password_hash = None
    user.nickname = DELETED_NICKNAME
    # Frees the nickname for others; longer than any typed nickname, so it never collides.
    user.nickname_key = f"~deleted-account~{user.id:020d}"
    user.status = UserStatus.DELETED
    user.deleted_at = clock.now()
    end_all_sessions(user)
    record_audit(user, "user.deleted", user, "",
                 after={"posts": "removed" if remove_posts else "kept"})
