"""Creating projects and moving them through 準備中 → 参加者募集中 → 実施中 → 完了 / 中止."""

import pytest
from sqlalchemy import select

from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.projects import permissions
from komoro_engage.projects.models import PartnerStatus, ProjectStatus, ProjectStatusChange
from komoro_engage.projects.services import (
    ProjectError,
    add_partner,
    change_status,
    create_project,
    data_from_proposal,
    decide_partnership,
    request_partnership,
)
from komoro_engage.projects.states import TransitionNotAllowed
from komoro_engage.proposals.models import ProposalStatus
from tests.factories import make_organisation, make_user
from tests.projects.helpers import make_project, staff_user
from tests.proposals.helpers import make_proposal


def _audit(action):
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_an_adopted_proposal_becomes_a_project_keeping_link_and_measures(ctx):
    staff = staff_user()
    measures = list(db.session.scalars(select(Measure).order_by(Measure.sort_key).limit(2)))
    proposal = make_proposal(status=ProposalStatus.ADOPTED)
    proposal.measures = measures
    db.session.flush()
    project = create_project(staff, data_from_proposal(proposal, staff), proposal)
    assert project.proposal_id == proposal.id
    assert [m.id for m in project.measures] == [m.id for m in measures]
    assert project.title == proposal.title
    assert project.status == ProjectStatus.PLANNING
    assert _audit("project.created")[-1].target_id == project.id


def test_a_proposal_not_yet_adopted_cannot_become_a_project(ctx):
    staff = staff_user()
    proposal = make_proposal(status=ProposalStatus.UNDER_REVIEW)
    with pytest.raises(ProjectError):
        create_project(staff, data_from_proposal(proposal, staff), proposal)


def test_lifecycle_is_timestamped_and_audited(ctx):
    lead = make_user()
    project = make_project(lead, ProjectStatus.PLANNING)
    change_status(lead, project, "open_recruiting")
    assert project.opened_at is not None and project.closed_at is None
    change_status(lead, project, "start")
    change_status(lead, project, "complete", "無事に終わりました")
    assert project.status == ProjectStatus.COMPLETED and project.closed_at is not None
    steps = list(db.session.scalars(select(ProjectStatusChange).where(
        ProjectStatusChange.project_id == project.id).order_by(ProjectStatusChange.id)))
    assert [(s.before, s.after) for s in steps] == [
        (None, "planning"), ("planning", "recruiting"), ("recruiting", "active"),
        ("active", "completed")]
    assert all(s.changed_at is not None for s in steps)
    complete = _audit("project.complete")[-1]
    # The organiser's reason is theirs (erasable): the append-only log points to the step.
    assert complete.reason == "" and steps[-1].reason == "無事に終わりました"
    assert complete.before == {"status": "active"}
    assert complete.after == {"status": "completed", "status_change_id": steps[-1].id}
    change_status(staff_user(), make_project(lead), "cancel", "安全上の理由")
    assert _audit("project.cancel")[-1].reason == "安全上の理由"  # the city's own record
    with pytest.raises(TransitionNotAllowed):
        change_status(lead, project, "cancel")


def test_cancel_from_planning_and_no_way_back(ctx):
    lead = make_user()
    project = make_project(lead, ProjectStatus.PLANNING)
    change_status(lead, project, "cancel")
    assert project.status == ProjectStatus.CANCELLED
    with pytest.raises(TransitionNotAllowed):
        change_status(lead, project, "open_recruiting")


def test_organisers_members_and_others(ctx):
    lead = make_user()
    manager = make_user()
    organisation = make_organisation(manager)
    by_org = make_project(lead, organisation=organisation)
    by_person = make_project(lead)
    other = make_user()
    staff = staff_user()
    assert permissions.can_manage(lead, by_person) and permissions.can_manage(manager, by_org)
    assert permissions.can_manage(lead, by_org)  # the creator stays an organiser
    assert not permissions.can_manage(other, by_person)
    assert not permissions.can_manage(manager, by_person)
    assert permissions.can_manage(staff, by_person)
    assert permissions.can_change_status(lead, by_person, "start")
    assert not permissions.can_change_status(other, by_person, "start")
    assert not permissions.can_change_status(lead, by_person, "complete")  # not active yet
    assert permissions.can_create(manager) and permissions.can_create(staff)
    assert not permissions.can_create(other)


def test_partners_with_roles_and_requests_decided_by_the_lead(ctx):
    lead = make_user()
    project = make_project(lead)
    city = add_partner(lead, project, "city_department", None, "市民協働課")
    assert city.organisation_id is None and city.department == "市民協働課"
    with pytest.raises(ProjectError):
        add_partner(lead, project, "city_department", None, "")
    asking_manager = make_user()
    business = make_organisation(asking_manager, kind="business")
    request = request_partnership(asking_manager, project, business, "cooperation",
                                  "物品を提供します")
    assert request.status == PartnerStatus.REQUESTED
    with pytest.raises(ProjectError):
        request_partnership(asking_manager, project, business, "co_host")
    decide_partnership(lead, request, accept=True)
    assert request.status == PartnerStatus.ACCEPTED
    assert _audit("project.partner_accepted")[-1].target_id == project.id
