"""Who may do what with accounts and organisations. Used by views and templates alike."""

from __future__ import annotations

import functools

from flask_login import current_user
from sqlalchemy import and_, bindparam, exists, select

from komoro_engage.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    Role,
    User,
)
from komoro_engage.core.request_facts import known
from komoro_engage.extensions import db

STAFF_ROLES = (Role.STAFF, Role.ADMIN)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_active_user(user) -> bool:
    """Signed in with an account that is not suspended or deleted."""
    return _signed_in(user) and user.is_active


def is_staff(user) -> bool:
    """City staff or an admin, with an active account: the one staff check of the app."""
    return is_active_user(user) and user.role in STAFF_ROLES


def is_admin(user) -> bool:
    """An admin with an active account."""
    return is_active_user(user) and user.role == Role.ADMIN


def active_manager(user_id):
    """A membership's condition: ``user_id`` (a value, a bound parameter or a column)
    manages its organisation, and the membership is active."""
    return and_(Membership.user_id == user_id, Membership.role == MembershipRole.MANAGER,
                Membership.status == MembershipStatus.ACTIVE)


@functools.cache
def _managed_statement():
    """Built once, at first use (its join needs the mappers configured): the forms and
    pages that offer posting for an organisation ask on every request (issue 16)."""
    return (select(Organisation).join(Membership)
            .where(active_manager(bindparam("user_id"))).order_by(Organisation.name))


def managed_organisations(user) -> list[Organisation]:
    """Organisations ``user`` may post for: active manager memberships."""
    if not is_active_user(user):
        return []
    return list(db.session.scalars(_managed_statement(), {"user_id": user.id}))


MANAGES_FACT = "manages_organisations"  # core/request_facts.py


def manages_column(person_id):
    """Whether the person manages an organisation, as a column of the person's statement:
    the project list's プロジェクトをつくる link and the project page's partnership link ask
    it of every signed-in reader, and needed no list of organisations for it (issue 16)."""
    return exists().where(active_manager(person_id))


_MANAGES = select(manages_column(bindparam("user_id")))


def manages_an_organisation(user) -> bool:
    """Whether ``user`` manages an organisation (may post or act for one)."""
    if not is_active_user(user):
        return False

    def ask() -> bool:
        return bool(db.session.scalar(_MANAGES, {"user_id": user.id}))
    if user.id != getattr(current_user, "id", None):
        return ask()
    # The signed-in person's, as read with them on a read request; else asked each time.
    return known(MANAGES_FACT, ask)


def can_view_users(user) -> bool:
    """Staff and admins look up accounts (seeing personal data is audit-logged)."""
    return is_staff(user)


def can_manage_users(user) -> bool:
    """Only admins change roles and suspend accounts."""
    return is_admin(user)


def can_change_account(user, target: User) -> bool:
    """An admin may change another account's role or status, never their own."""
    return can_manage_users(user) and user.id != target.id


def can_view_audit_log(user) -> bool:
    """Staff and admins read the audit log."""
    return is_staff(user)


def can_register_organisation(user) -> bool:
    """Any signed-in person may register an organisation."""
    return _signed_in(user)


def can_verify_organisation(user, organisation: Organisation | None = None) -> bool:
    """Staff confirm that an organisation is real."""
    return is_staff(user)


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
