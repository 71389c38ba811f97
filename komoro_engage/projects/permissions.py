"""Who may do what with a project. Views and templates both ask these.

Organisers are the lead person, the project's creator and the active managers of
the lead organisation; staff may do everything organisers do. A project waiting for
staff review (projects/review.py) is theirs alone: nobody else sees, joins or
comments on it, and it stays 準備中 (only cancelling moves it).
"""

from __future__ import annotations

from sqlalchemy import bindparam, exists, select

from komoro_engage.accounts.models import Membership, User
from komoro_engage.accounts.permissions import (
    active_manager,
    is_staff,
    manages_an_organisation,
)
from komoro_engage.core.request_facts import known
from komoro_engage.extensions import db
from komoro_engage.projects.message_models import ProjectMessage
from komoro_engage.projects.messages import audiences_of
from komoro_engage.projects.models import Project, ProjectStatus
from komoro_engage.projects.states import CLOSED_STATUSES, JOINABLE_STATUSES, can_apply
from komoro_engage.proposals.models import Proposal, ProposalStatus


def _active(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def manager_key(organisation_id: int, user_id: int) -> tuple:
    """Whether the person is an active manager of the organisation, as the project page's
    statement reads it for the lead organisation (projects/reader.py)."""
    return ("manages_organisation", organisation_id, user_id)


def manages_organisation(organisation_id, user_id):
    """The condition of :func:`manager_key`'s fact (values, bound parameters or columns)."""
    return exists().where(Membership.organisation_id == organisation_id,
                          active_manager(user_id))


# Built once: a request that writes asks it of its person (issue 16).
_MANAGES_ORGANISATION = select(manages_organisation(bindparam("organisation_id"),
                                                   bindparam("user_id")))


def is_organiser(user: User | None, project: Project) -> bool:
    """The lead, the creator, or an active manager of the lead organisation."""
    if not _active(user):
        return False
    if user.id in (project.lead_user_id, project.created_by_id):
        return True
    if project.lead_organisation_id is None:
        return False
    organisation_id = project.lead_organisation_id
    return known(manager_key(organisation_id, user.id), lambda: bool(db.session.scalar(
        _MANAGES_ORGANISATION, {"organisation_id": organisation_id, "user_id": user.id})))


def can_manage(user: User | None, project: Project) -> bool:
    """Edit, change status, add activity days and partners, file reports, record attendance."""
    return is_staff(user) or is_organiser(user, project)


def can_view(user: User | None, project: Project) -> bool:
    """Everyone sees an approved project; organisers and staff one under review."""
    return project.is_public or can_manage(user, project)


def can_create(user: User | None) -> bool:
    """Staff, and managers of an organisation (for their organisation)."""
    return is_staff(user) or manages_an_organisation(user)


def can_create_from(user: User | None, proposal: Proposal) -> bool:
    return is_staff(user) and proposal.status == ProposalStatus.ADOPTED


def action_open(project: Project, action: str) -> bool:
    """The lifecycle action applies now (under review, only cancelling does)."""
    return (project.is_public or action == "cancel") and can_apply(action, project.status)


def can_change_status(user: User | None, project: Project, action: str) -> bool:
    return action_open(project, action) and can_manage(user, project)


def can_join(user: User | None, project: Project) -> bool:
    return _active(user) and project.is_public and project.status in JOINABLE_STATUSES


def can_rsvp(user: User | None, project: Project, joined: bool) -> bool:
    """Joined members (and organisers) say whether they come to an activity day."""
    return (_active(user) and project.is_public and project.status in JOINABLE_STATUSES
            and joined)


def can_request_partnership(user: User | None, project: Project) -> bool:
    return (project.is_public and project.status not in CLOSED_STATUSES
            and manages_an_organisation(user))


def can_report(user: User | None, project: Project) -> bool:
    return project.status != ProjectStatus.PLANNING and can_manage(user, project)


def can_comment(user: User | None, project: Project) -> bool:
    """Comments stay open on a public project, except a cancelled one."""
    return _active(user) and project.is_public and project.status != ProjectStatus.CANCELLED


def can_send_message(user: User | None, project: Project) -> bool:
    """Organisers (and staff) write to the people of a public project."""
    return project.is_public and can_manage(user, project)


def can_read_messages(user: User | None, project: Project, managing: bool | None = None,
                      member_status=...) -> bool:
    """The archive: organisers and staff, and whoever is in one of its audiences now.

    ``managing`` (``can_manage``) and ``member_status`` (see ``audiences_of``) when the
    caller knows them already: the project page asks for both itself."""
    if managing is None:
        managing = can_manage(user, project)
    return managing or (_active(user) and project.is_public
                        and bool(audiences_of(user, project, member_status)))


def can_read_message(user: User | None, message: ProjectMessage) -> bool:
    """One message: organisers and staff, or a person in an audience it was sent to."""
    project = message.project
    if can_manage(user, project):
        return True
    return (_active(user) and project.is_public
            and bool(set(audiences_of(user, project)) & set(message.audience_list)))
