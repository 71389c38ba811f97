"""Who may do what with accounts and organisations. Used by views and templates alike."""

from __future__ import annotations

from komoro_engage.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    User,
)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_view_users(user) -> bool:
    """Staff and admins look up accounts (seeing personal data is audit-logged)."""
    return _signed_in(user) and user.is_staff


def can_manage_users(user) -> bool:
    """Only admins change roles and suspend accounts."""
    return _signed_in(user) and user.is_admin


def can_change_account(user, target: User) -> bool:
    """An admin may change another account's role or status, never their own."""
    return can_manage_users(user) and user.id != target.id


def can_view_audit_log(user) -> bool:
    """Staff and admins read the audit log."""
    return _signed_in(user) and user.is_staff


def can_register_organisation(user) -> bool:
    """Any signed-in person may register an organisation."""
    return _signed_in(user)


def can_verify_organisation(user, organisation: Organisation | None = None) -> bool:
    """Staff confirm that an organisation is real."""
    return _signed_in(user) and user.is_staff


def is_manager(user, organisation: Organisation, membership: Membership | None) -> bool:
    """``membership`` is ``user``'s own membership of ``organisation`` (or None)."""
    return (_signed_in(user) and membership is not None
            and membership.user_id == user.id
            and membership.organisation_id == organisation.id
            and membership.role == MembershipRole.MANAGER
            and membership.status == MembershipStatus.ACTIVE)


def can_manage_organisation(user, organisation: Organisation,
                            membership: Membership | None) -> bool:
    """Managers edit the profile, invite, approve requests and manage members."""
    return is_manager(user, organisation, membership)


def can_request_to_join(user, organisation: Organisation, membership: Membership | None) -> bool:
    """Signed-in people who are not yet members (or applicants)."""
    return _signed_in(user) and membership is None


def can_leave(user, organisation: Organisation, membership: Membership | None) -> bool:
    """Members and applicants may leave (the last manager is refused later)."""
    return _signed_in(user) and membership is not None
