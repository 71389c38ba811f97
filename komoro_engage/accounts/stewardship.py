"""Organisations nobody runs any more: the staff's queue 「管理者のいない団体」.

An organisation loses its last manager when that person deletes their account
(a manager cannot simply leave, see organisations.remove_membership). It then
waits in the staff console until staff appoint one of its members as manager or
archive it; both are audit-logged. The queue is a query, not a flag, so it is
right however the organisation got there.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, and_, exists, select
from sqlalchemy.orm import contains_eager

from komoro_engage.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    User,
)
from komoro_engage.accounts.organisations import active_manager_count
from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db

# The name of an organisation whose only member removed what they wrote.
ERASED_NAME = "（退会により名称を削除した団体）"


class StewardshipError(Exception):
    """The organisation is no longer in the queue, or the person is not its member."""


def _has_active_manager():
    return exists().where(Membership.organisation_id == Organisation.id,
                          Membership.role == MembershipRole.MANAGER,
                          Membership.status == MembershipStatus.ACTIVE)


def managerless_organisations() -> Select:
    """Organisations not archived and without an active manager, oldest first."""
    return (select(Organisation)
            .where(Organisation.archived_at.is_(None), ~_has_active_manager())
            .order_by(Organisation.created_at, Organisation.id))


def is_managerless(organisation: Organisation) -> bool:
    return organisation.archived_at is None and active_manager_count(organisation) == 0


def active_members(organisation_ids: list[int]) -> dict[int, list[Membership]]:
    """The active members of each organisation (one query), by organisation id."""
    members: dict[int, list[Membership]] = {org_id: [] for org_id in organisation_ids}
    rows = db.session.scalars(
        select(Membership).join(Membership.user).options(contains_eager(Membership.user))
        .where(Membership.organisation_id.in_(organisation_ids),
               Membership.status == MembershipStatus.ACTIVE)
        .order_by(User.nickname_key))
    for membership in rows:
        members[membership.organisation_id].append(membership)
    return members


def _check_in_queue(organisation: Organisation) -> None:
    if not is_managerless(organisation):
        raise StewardshipError(_("この団体はすでに対応済みです。"))


def appoint_manager(staff: User, organisation: Organisation, user_id: int, reason: str) -> None:
    """Staff make an active member the manager of an organisation that has none."""
    _check_in_queue(organisation)
    membership = db.session.scalar(select(Membership).where(
        Membership.organisation_id == organisation.id, Membership.user_id == user_id,
        Membership.status == MembershipStatus.ACTIVE))
    if membership is None:
        raise StewardshipError(_("この団体のメンバーから選んでください。"))
    membership.role = MembershipRole.MANAGER
    db.session.flush()
    record_audit(staff, "organisation.manager_appointed", organisation, reason.strip(),
                 after={"user_id": user_id})


def archive_organisation(staff: User, organisation: Organisation, reason: str) -> None:
    """Staff close an organisation nobody runs: it leaves the queue and the public list."""
    _check_in_queue(organisation)
    organisation.archived_at = clock.now()
    db.session.flush()
    record_audit(staff, "organisation.archived", organisation, reason.strip(),
                 before={"archived": False}, after={"archived": True})


def erase_own_organisations(user: User, remove: bool) -> list[str]:
    """When ``user`` removes their posts, the profile of an organisation they registered
    and are the only active member of goes too; its texts are returned.

    An organisation with other members keeps its name and description: they are the
    group's, and the group goes on (it waits for staff if it has no manager left).
    """
    if not remove:
        return []
    others = exists().where(Membership.organisation_id == Organisation.id,
                            Membership.user_id != user.id,
                            Membership.status == MembershipStatus.ACTIVE)
    removed: list[str] = []
    for organisation in db.session.scalars(select(Organisation).where(
            and_(Organisation.created_by_id == user.id, ~others))):
        removed += [organisation.name, organisation.description]
        organisation.name = ERASED_NAME
        # Frees the name for others; no typed name folds to this key.
        organisation.name_key = f"~erased~{organisation.id:020d}"
        organisation.description = ""
    db.session.flush()
    return removed
