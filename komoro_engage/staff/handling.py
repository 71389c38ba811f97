"""A proposal's handling inside the city hall: routing it to a department (担当課) with
a due date, and internal notes on proposals and projects.

Services flush, never commit. Each assignment and each note is audit-logged; a note's
audit entry names the note, never its text. Assignments also leave a staff-only step
in the proposal's timeline (``proposals.lifecycle.history.record_step``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from komoro_engage.accounts.models import User
from komoro_engage.accounts.permissions import is_staff
from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.plan.departments import Department, DepartmentMembership
from komoro_engage.projects.models import Project
from komoro_engage.proposals.lifecycle.history import record_step
from komoro_engage.proposals.lifecycle.models import ProposalAnswer
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.staff.handling_models import NOTE_LENGTH, InternalNote, ProposalAssignment

# A proposal is routed once it is public and until the city has answered it.
ASSIGNABLE = (ProposalStatus.PUBLISHED, ProposalStatus.UNDER_REVIEW)


class HandlingError(ValueError):
    """The assignment or note cannot be made (the message says why, for the log)."""


def current_assignment(proposal_id: int) -> ProposalAssignment | None:
    """The proposal's current assignment, with its department and people (one statement)."""
    return db.session.scalar(
        select(ProposalAssignment)
        .where(ProposalAssignment.proposal_id == proposal_id, ProposalAssignment.is_current)
        .options(joinedload(ProposalAssignment.department),
                 joinedload(ProposalAssignment.assignee)))


def assignment_history(proposal_id: int) -> list[ProposalAssignment]:
    """Every assignment of the proposal, newest first (one statement)."""
    return list(db.session.scalars(
        select(ProposalAssignment).where(ProposalAssignment.proposal_id == proposal_id)
        .options(joinedload(ProposalAssignment.department),
                 joinedload(ProposalAssignment.assignee),
                 joinedload(ProposalAssignment.assigned_by))
        .order_by(ProposalAssignment.assigned_at.desc(), ProposalAssignment.id.desc())))


def default_due(proposal: Proposal) -> datetime | None:
    """The answer deadline (proposals.lifecycle.answers), when review has started."""
    return db.session.scalar(select(ProposalAnswer.deadline_at)
                             .where(ProposalAnswer.proposal_id == proposal.id))


def is_member(user: User, department: Department) -> bool:
    """Whether ``user`` belongs to ``department``."""
    return db.session.scalar(select(DepartmentMembership.id).where(
        DepartmentMembership.user_id == user.id,
        DepartmentMembership.department_id == department.id)) is not None


def _summary(assignment: ProposalAssignment | None) -> dict | None:
    if assignment is None:
        return None
    return {"department": assignment.department.name, "assignee_id": assignment.assignee_id,
            "due_at": clock.as_utc(assignment.due_at).isoformat() if assignment.due_at else None}


def assign_proposal(staff: User, proposal: Proposal, department: Department,
                    assignee: User | None = None, due_at: datetime | None = None,
                    reason: str = "") -> ProposalAssignment:
    """Route ``proposal`` to ``department`` (and ``assignee``, a member of it), due at
    ``due_at`` or else the answer deadline. A reassignment keeps the earlier row as
    history; both are audit-logged and leave a staff-only step in the timeline."""
    if proposal.status not in ASSIGNABLE:
        raise HandlingError(f"a proposal at {proposal.status} is not routed")
    if not department.active:
        raise HandlingError("the department is inactive")
    if assignee is not None and not (is_staff(assignee) and is_member(assignee, department)):
        raise HandlingError("the assignee is not staff of that department")
    before = current_assignment(proposal.id)
    if before is not None:
        db.session.execute(update(ProposalAssignment).where(
            ProposalAssignment.proposal_id == proposal.id, ProposalAssignment.is_current)
            .values(is_current=False))
    assignment = ProposalAssignment(
        proposal_id=proposal.id, department=department, assignee=assignee,
        due_at=due_at or default_due(proposal), reason=reason.strip(), is_current=True,
        assigned_by_id=staff.id, assigned_at=clock.now())
    db.session.add(assignment)
    db.session.flush()
    action = "proposal.reassigned" if before is not None else "proposal.assigned"
    record_audit(staff, action, proposal, reason.strip(), before=_summary(before),
                 after=_summary(assignment))
    record_step(proposal, action.removeprefix("proposal."), staff, staff_only=True)
    return assignment


def notes_of(subject: Proposal | Project) -> list[InternalNote]:
    """The internal notes of a proposal or project, newest first (one statement)."""
    column = InternalNote.proposal_id if isinstance(subject, Proposal) else InternalNote.project_id
    return list(db.session.scalars(select(InternalNote).where(column == subject.id)
                                   .options(joinedload(InternalNote.author))
                                   .order_by(InternalNote.created_at.desc(),
                                             InternalNote.id.desc())))


def add_note(staff: User, subject: Proposal | Project, body: str) -> InternalNote:
    """Add an internal note (staff only) to a proposal or project; the audit entry records
    that a note was written and its length, never its text."""
    body = body.strip()
    if not body or len(body) > NOTE_LENGTH:
        raise HandlingError("a note has 1 to 2,000 characters")
    if not is_staff(staff):
        raise HandlingError("only staff write internal notes")
    is_proposal = isinstance(subject, Proposal)
    note = InternalNote(proposal_id=subject.id if is_proposal else None,
                        project_id=None if is_proposal else subject.id,
                        author_id=staff.id, body=body, created_at=clock.now())
    db.session.add(note)
    db.session.flush()
    kind = "proposal" if is_proposal else "project"
    record_audit(staff, f"{kind}.note_added", subject,
                 after={"note_id": note.id, "length": len(body)})
    return note
