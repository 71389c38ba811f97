"""Labels and permission predicates for templates of every feature."""

from __future__ import annotations

from flask import Blueprint

from komoro_engage.accounts import permissions
from komoro_engage.accounts.forms import (
    AGE_BAND_LABELS,
    MEMBERSHIP_ROLE_LABELS,
    ORGANISATION_KIND_LABELS,
    ROLE_LABELS,
)
from komoro_engage.accounts.models import Membership, MembershipStatus, User, UserStatus


def _status_label(status: str) -> str:
    from flask_babel import gettext as _

    return {UserStatus.ACTIVE: _("利用中"), UserStatus.SUSPENDED: _("利用停止"),
            UserStatus.DELETED: _("退会")}.get(status, status)


def _membership_label(membership: Membership) -> str:
    from flask_babel import gettext as _

    label = str(MEMBERSHIP_ROLE_LABELS.get(membership.role, membership.role))
    if membership.status == MembershipStatus.REQUESTED:
        return _("%(role)s・承認待ち", role=label)
    return label



def display_name(user: User | None) -> str:
    """The public name of ``user``: their nickname, or 「退会したユーザー」."""
    from flask_babel import gettext as _

    if user is None or user.status == UserStatus.DELETED:
        return _("退会したユーザー")
    return user.nickname


def register(bp: Blueprint) -> None:
    """Make labels and permission predicates available to every template."""
    helpers = {
        "role_label": lambda role: str(ROLE_LABELS.get(role, role)),
        "status_label": _status_label,
        "kind_label": lambda kind: str(ORGANISATION_KIND_LABELS.get(kind, kind)),
        "age_band_label": lambda band: str(AGE_BAND_LABELS.get(band, "—")),
        "membership_label": _membership_label,
        "display_name": display_name,
    }
    for name in ("is_staff", "is_admin", "can_view_users", "can_manage_users", "can_change_account",
                 "can_view_audit_log", "can_register_organisation", "can_verify_organisation",
                 "can_manage_organisation", "can_request_to_join", "can_leave"):
        helpers[name] = getattr(permissions, name)
    for name, helper in helpers.items():
        bp.add_app_template_global(helper, name)
