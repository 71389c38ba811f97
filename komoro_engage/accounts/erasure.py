"""Personal data under APPI: export everything we hold, and erase it on account deletion.

Features that hold a user's content register here, so this module never needs
to know about them:

- ``register_post_handler(fn)``: ``fn(user, remove)`` is called when ``user``
  deletes their account; ``remove`` is True if they chose to remove their
  public posts, False to keep them under 「退会したユーザー」. It returns the
  texts it removed (or None), so that copies of them elsewhere go too.
- ``register_copy_scrubber(fn)``: ``fn(user, replacements)`` rewrites the copies a
  feature keeps of other people's words (a nickname in a notification, a title
  in a mail): each key of ``replacements`` found becomes its value.
- ``register_export_section(name, fn)``: ``fn(user)`` returns JSON-ready data
  included under ``name`` in the user's download.

The audit log is append-only, so it must never hold such copies: entries name
people and items by id (see core/audit.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import delete, or_, select

from komoro_engage.accounts.models import Membership, Organisation, User, UserStatus
from komoro_engage.accounts.services import end_all_sessions
from komoro_engage.accounts.stewardship import erase_own_organisations
from komoro_engage.core import clock
from komoro_engage.core.audit import AuditEntry, record_audit
from komoro_engage.extensions import db

DELETED_NICKNAME = "退会したユーザー"
# What a copy of a removed text becomes (in someone else's notification or mail).
REMOVED_TEXT = "（削除されました）"
# Shorter strings are too likely to be a part of other words to be replaced blindly.
SHORTEST_COPY = 2

PostHandler = Callable[[User, bool], Iterable[str] | None]
CopyScrubber = Callable[[User, dict[str, str]], None]

_post_handlers: list[tuple[int, PostHandler]] = []
_copy_scrubbers: list[CopyScrubber] = []
_export_sections: dict[str, Callable[[User], Any]] = {}


def register_post_handler(handler: PostHandler, *, order: int = 50) -> PostHandler:
    """Call ``handler(user, remove)`` when an account is deleted, lower ``order`` first."""
    if all(registered != handler for _order, registered in _post_handlers):
        _post_handlers.append((order, handler))
        _post_handlers.sort(key=lambda entry: entry[0])
    return handler


def unregister_post_handler(handler: PostHandler) -> None:
    """Remove a handler (tests)."""
    _post_handlers[:] = [entry for entry in _post_handlers if entry[1] != handler]


def register_copy_scrubber(scrubber: CopyScrubber) -> None:
    """Call ``scrubber(user, replacements)`` after the features erased the originals."""
    if scrubber not in _copy_scrubbers:
        _copy_scrubbers.append(scrubber)


def scrub_text(text: str, replacements: dict[str, str]) -> str:
    """``text`` with every key of ``replacements`` replaced, longest first (a title that
    holds the nickname goes whole). Keys shorter than ``SHORTEST_COPY`` are left alone:
    inside free text they would hit other words."""
    for old in sorted(replacements, key=len, reverse=True):
        if len(old) >= SHORTEST_COPY and old in text:
            text = text.replace(old, replacements[old])
    return text


def scrub_value(value: Any, replacements: dict[str, str]) -> Any:
    """Structured copies (JSON parameters): a string that *is* a key is replaced, at any
    length, since it is a whole field (a nickname, a title) rather than part of a text."""
    if isinstance(value, str):
        return replacements.get(value.strip(), value)
    if isinstance(value, dict):
        return {key: scrub_value(item, replacements) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub_value(item, replacements) for item in value]
    return value


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


def _replacements(user: User, removed: Iterable[str]) -> dict[str, str]:
    """What copies of this person's data become: removed texts, then name and addresses."""
    replacements = dict.fromkeys(removed, REMOVED_TEXT)
    replacements[user.nickname] = DELETED_NICKNAME
    replacements.update(dict.fromkeys(
        (user.email, user.pending_email, user.real_name), DELETED_NICKNAME))
    return {old.strip(): new for old, new in replacements.items() if old and old.strip()}


def delete_account(user: User, remove_posts: bool) -> None:
    """Erase ``user``'s personal data now; their posts stay (anonymised) or go, as they chose.

    Features erase their rows first (returning the texts they removed), then every
    copy of those texts, the nickname and the addresses is rewritten.
    """
    removed: list[str] = []
    for _order, handler in list(_post_handlers):
        removed.extend(handler(user, remove_posts) or ())
    removed.extend(erase_own_organisations(user, remove_posts))
    replacements = _replacements(user, removed)
    for scrubber in list(_copy_scrubbers):
        scrubber(user, replacements)
    db.session.execute(delete(Membership).where(Membership.user_id == user.id))
    user.email = None
    user.pending_email = None
    user.real_name = None
    user.age_band = None
    user.district_id = None
    user.ku_id = None
    user.suspended_reason = ""
    user.password_hash = None
    user.nickname = DELETED_NICKNAME
    # Frees the nickname for others; longer than any typed nickname, so it never collides.
    user.nickname_key = f"~deleted-account~{user.id:020d}"
    user.status = UserStatus.DELETED
    user.deleted_at = clock.now()
    end_all_sessions(user)
    record_audit(user, "user.deleted", user, "",
                 after={"posts": "removed" if remove_posts else "kept"})
