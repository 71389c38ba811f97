"""Writing projects: create (directly or from an adopted proposal), edit, lifecycle, partners.

Functions flush but never commit: the request (or CLI command) commits once.
Every change by organisers or staff goes to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from komoro_engage.accounts.models import Organisation, User
from komoro_engage.accounts.permissions import is_staff
from komoro_engage.core import clock, events
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure, PolicyArea, PriorityItem
from komoro_engage.plan.place_models import Landmark, PlacePrecision
from komoro_engage.plan.places import place_district, set_place
from komoro_engage.projects.models import (
    MemberStatus,
    PartnerRole,
    PartnerStatus,
    Project,
    ProjectMember,
    ProjectPartner,
    ProjectStatus,
    ProjectStatusChange,
)
from komoro_engage.projects.queries import index_for_search
from komoro_engage.projects.review import review_after_edit, review_for_new
from komoro_engage.projects.states import OPEN_AFTER, target_of
from komoro_engage.proposals.models import Proposal, ProposalStatus

# What organisers write about a project; the audit log names them when they change.
TEXT_FIELDS = ("title", "summary", "description", "help_wanted")


class ProjectError(ValueError):
    """A request that cannot be honoured, with a message for the person."""


@dataclass
class ProjectData:
    """What the project form holds; the form, the demo and tests build it."""

    title: str
    summary: str = ""
    description: str = ""
    lead_user_id: int | None = None
    lead_organisation_id: int | None = None
    district_id: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    help_wanted: str = ""
    capacity: int | None = None
    measure_ids: list[int] = field(default_factory=list)
    policy_area_ids: list[int] = field(default_factory=list)
    priority_item_ids: list[int] = field(default_factory=list)
    # A tapped point (exact, private) or a landmark id; see plan/places.py.
    point: tuple[float, float] | None = None
    landmark_id: int | None = None


def data_from_proposal(proposal: Proposal, lead: User) -> ProjectData:
    """A project form filled from an adopted proposal: its text, places and plan links."""
    return ProjectData(
        title=proposal.title, summary=proposal.body.split("\n", 1)[0][:200],
        description=proposal.body, lead_user_id=None if proposal.organisation_id else lead.id,
        lead_organisation_id=proposal.organisation_id, district_id=proposal.district_id,
        # The proposal's public place only: its exact point is its author's, not the lead's.
        landmark_id=proposal.landmark_id,
        point=((proposal.public_latitude, proposal.public_longitude)
               if proposal.place_precision == PlacePrecision.MESH else None),
        measure_ids=[m.id for m in proposal.measures],
        policy_area_ids=[a.id for a in proposal.policy_areas],
        priority_item_ids=[i.id for i in proposal.priority_items],
    )


def _rows(model, ids: list[int]) -> list:
    return list(db.session.scalars(select(model).where(model.id.in_(ids)))) if ids else []


def _apply(project: Project, data: ProjectData) -> None:
    if data.lead_user_id is None and data.lead_organisation_id is None:
        raise ProjectError("a project needs a lead person or organisation")
    project.title = data.title.strip()
    project.summary = data.summary.strip()
    project.description = data.description.strip()
    project.lead_user_id = data.lead_user_id
    project.lead_organisation_id = data.lead_organisation_id
    project.district_id = data.district_id
    landmark = db.session.get(Landmark, data.landmark_id) if data.landmark_id else None
    set_place(project, data.point, landmark)
    if project.district_id is None:  # 市全域 chosen: the place, if any, says where
        project.district_id = place_district(data.point, landmark)[0]
    project.starts_on, project.ends_on = data.starts_on, data.ends_on
    project.help_wanted = "\n".join(
        line.strip() for line in data.help_wanted.splitlines() if line.strip())
    project.capacity = data.capacity
    project.measures = _rows(Measure, data.measure_ids)
    project.policy_areas = _rows(PolicyArea, data.policy_area_ids)
    project.priority_items = _rows(PriorityItem, data.priority_item_ids)
    project.updated_at = clock.now()


def create_project(actor: User, data: ProjectData, proposal: Proposal | None = None) -> Project:
    """A new project in 準備中; from ``proposal`` it keeps the link (the proposal must be 採用).
    It is public at once, or waits for staff (projects/review.py)."""
    if proposal is not None and proposal.status != ProposalStatus.ADOPTED:
        raise ProjectError("only an adopted proposal becomes a project")
    now = clock.now()
    project = Project(created_by_id=actor.id, status=ProjectStatus.PLANNING,
                      proposal_id=proposal.id if proposal else None, created_at=now,
                      status_changed_at=now,
                      review=review_for_new(actor, data.lead_organisation_id))
    _apply(project, data)
    if data.lead_organisation_id:
        project.partners.append(ProjectPartner(
            organisation_id=data.lead_organisation_id, role=PartnerRole.HOST,
            status=PartnerStatus.ACCEPTED, requested_by_id=actor.id, decided_at=now))
    db.session.add(project)
    db.session.flush()
    db.session.add(ProjectStatusChange(project_id=project.id, actor_id=actor.id, before=None,
                                       after=ProjectStatus.PLANNING, changed_at=now))
    index_for_search(project)
    record_audit(actor, "project.created", project,
                 after={"status": "planning", "proposal_id": project.proposal_id,
                        "review": str(project.review)})
    events.took_part.send(actor, target_type="project", target_id=project.id)
    return project


def update_project(actor: User, project: Project, data: ProjectData) -> None:
    """Organisers or staff change what the project says (not its status).

    The audit entry names the texts that changed, never their words: the log is
    append-only and must hold nothing an account deletion would have to erase.
    """
    texts = {name: getattr(project, name) for name in TEXT_FIELDS}
    before = {"capacity": project.capacity}
    lead_before = project.lead_organisation_id
    _apply(project, data)
    db.session.flush()
    index_for_search(project)
    changed = [name for name in TEXT_FIELDS if getattr(project, name) != texts[name]]
    record_audit(actor, "project.updated", project, before=before,
                 after={"capacity": project.capacity, "changed": changed})
    review_after_edit(actor, project, lead_before)


def change_status(actor: User | None, project: Project, action: str, reason: str = "") -> None:
    """Move along the lifecycle, timestamped in the timeline and the audit log."""
    before = project.status
    after = target_of(action, project.status)
    now = clock.now()
    project.status = after
    project.status_changed_at = now
    project.updated_at = now
    if after in OPEN_AFTER and project.opened_at is None:
        project.opened_at = now
    if after in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED):
        project.closed_at = now
    change = ProjectStatusChange(project_id=project.id, actor_id=actor.id if actor else None,
                                 before=before, after=after, reason=reason.strip(),
                                 changed_at=now)
    db.session.add(change)
    db.session.flush()
    # An organiser's reason is their own writing: it stays in the timeline (erasable), and
    # the append-only log points to it. A staff reason is the city's record.
    record_audit(actor, f"project.{action}", project, reason if is_staff(actor) else "",
                 before={"status": str(before)},
                 after={"status": str(after), "status_change_id": change.id})
    # Members and the waiting list hear of it, with the notice written for them.
    events.project_status_changed.send(project, actor=actor, after=str(after),
                                       reason=change.reason, people=_members_to_tell(project))


def _members_to_tell(project: Project) -> list[User]:
    return list(db.session.scalars(select(User).join(
        ProjectMember, ProjectMember.user_id == User.id).where(
        ProjectMember.project_id == project.id,
        ProjectMember.status.in_((MemberStatus.JOINED, MemberStatus.WAITING)))))


def add_partner(actor: User, project: Project, role: str, organisation: Organisation | None,
                department: str = "") -> ProjectPartner:
    """Organisers name a partner (accepted at once); a city department needs its name."""
    role = PartnerRole(role)
    if role == PartnerRole.CITY_DEPARTMENT:
        if not department.strip():
            raise ProjectError("a city department partner needs the department name")
        organisation = None
    elif organisation is None:
        raise ProjectError("choose an organisation")
    if organisation is not None and _partner_row(project, organisation) is not None:
        raise ProjectError("already a partner")
    partner = ProjectPartner(project_id=project.id, role=role, department=department.strip(),
                             organisation_id=organisation.id if organisation else None,
                             status=PartnerStatus.ACCEPTED, requested_by_id=actor.id,
                             decided_at=clock.now())
    db.session.add(partner)
    db.session.flush()
    record_audit(actor, "project.partner_added", project,
                 after={"organisation_id": partner.organisation_id, "role": str(role),
                        "department": partner.department})
    return partner


def _partner_row(project: Project, organisation: Organisation) -> ProjectPartner | None:
    return db.session.scalar(select(ProjectPartner).where(
        ProjectPartner.project_id == project.id,
        ProjectPartner.organisation_id == organisation.id))


def request_partnership(user: User, project: Project, organisation: Organisation, role: str,
                        message: str = "") -> ProjectPartner:
    """An organisation's manager asks to partner; the lead decides."""
    if PartnerRole(role) == PartnerRole.CITY_DEPARTMENT:
        raise ProjectError("city departments are added by the organisers")
    if _partner_row(project, organisation) is not None:
        raise ProjectError("already asked")
    partner = ProjectPartner(project_id=project.id, organisation_id=organisation.id,
                             role=PartnerRole(role), status=PartnerStatus.REQUESTED,
                             message=message.strip(), requested_by_id=user.id,
                             created_at=clock.now())
    db.session.add(partner)
    db.session.flush()
    return partner


def decide_partnership(actor: User, partner: ProjectPartner, accept: bool) -> None:
    """The lead accepts a partnership request or declines it (the request is removed)."""
    if partner.status != PartnerStatus.REQUESTED:
        raise ProjectError("already decided")
    detail = {"organisation_id": partner.organisation_id, "role": str(partner.role)}
    if accept:
        partner.status = PartnerStatus.ACCEPTED
        partner.decided_at = clock.now()
        record_audit(actor, "project.partner_accepted", partner.project, after=detail)
    else:
        record_audit(actor, "project.partner_declined", partner.project, before=detail)
        db.session.delete(partner)
    db.session.flush()


def remove_partner(actor: User, partner: ProjectPartner) -> None:
    record_audit(actor, "project.partner_removed", partner.project,
                 before={"organisation_id": partner.organisation_id,
                         "role": str(partner.role), "department": partner.department})
    db.session.delete(partner)
    db.session.flush()
