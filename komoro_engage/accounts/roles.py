"""Admin actions on accounts: roles and suspension. Each one needs a reason and is audited."""

from __future__ import annotations

from komoro_engage.accounts.models import Role, User, UserStatus
from komoro_engage.accounts.services import end_all_sessions
from komoro_engage.core.audit import record_audit


class NotAllowed(Exception):
    """The action would harm the platform (e.g. an admin locking themselves out)."""


def change_role(actor: User, user: User, role: Role, reason: str) -> None:
    """Give ``user`` a new role; recorded with ``reason``."""
    if user.id == actor.id:
        raise NotAllowed("admins cannot change their own role")
    before = {"role": str(user.role)}
    user.role = Role(role)
    record_audit(actor, "user.role_changed", user, reason, before, {"role": str(user.role)})


def suspend_user(actor: User, user: User, reason: str) -> None:
    """Stop ``user`` from signing in and end their sessions at once."""
    if user.id == actor.id:
        raise NotAllowed("admins cannot suspend themselves")
    if user.status == UserStatus.DELETED:
        raise NotAllowed("a deleted account cannot be suspended")
    before = {"status": str(user.status)}
    user.status = UserStatus.SUSPENDED
    user.suspended_reason = reason
    end_all_sessions(user)
    record_audit(actor, "user.suspended", user, reason, before, {"status": str(user.status)})


def unsuspend_user(actor: User, user: User, reason: str) -> None:
    """Let a suspended ``user`` sign in again."""
    if user.status != UserStatus.SUSPENDED:
        raise NotAllowed("only a suspended account can be reinstated")
    user.status = UserStatus.ACTIVE
    user.suspended_reason = ""
    record_audit(actor, "user.unsuspended", user, reason, {"status": "suspended"},
                 {"status": str(user.status)})


def record_personal_data_view(actor: User, user: User) -> None:
    """Staff saw ``user``'s email and other personal data: APPI wants that traceable."""
    record_audit(actor, "user.personal_data_viewed", user)


def create_or_promote(email: str, password: str | None, role: Role, nickname: str | None) -> tuple:
    """For the CLI: the account for ``email`` with ``role``; created (verified) if missing.

    Returns ``(user, created)``.
    """
    from komoro_engage.accounts.services import register_user, user_by_email
    from komoro_engage.core import clock

    user = user_by_email(email)
    if user is None:
        user = register_user(email=email, password=password or "",
                             nickname=nickname or email.split("@")[0])
        user.email_verified_at = clock.now()
        created = True
    else:
        created = False
    before = {"role": str(user.role)}
    user.role = Role(role)
    record_audit(None, "user.role_changed", user, "flask komoro create-user", before,
                 {"role": str(user.role)})
    return user, created
