"""Staff review of new 協働 projects, like the pre-moderation of proposals.

Anyone may register an organisation under any name, so a project is public at
once only when staff start it or a verified organisation leads it. Any other
(an unverified organisation's, or a person's) starts 審査待ち: only its
organisers and staff see it, in no list, search, feed, API or figure, until
staff approve it from the console's queue, or send it back with a reason, which
its organisers read on the page; their next edit sends it again. Moving an
approved project to a lead that would need review puts it back in the queue.
Decisions are audit-logged and tell the creator (core/events.py).
"""

from __future__ import annotations

from komoro_engage.accounts.models import Organisation, User
from komoro_engage.accounts.permissions import is_staff
from komoro_engage.core import clock, events
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.moderation.reports import ActionNotAllowed
from komoro_engage.projects.models import Project, ProjectReview

PUBLIC = Project.review == ProjectReview.APPROVED  # the SQL condition of a public project


def needs_review(actor: User, lead_organisation_id: int | None) -> bool:
    """Whether a project ``actor`` sets up for that lead waits for staff."""
    if is_staff(actor):
        return False
    lead = db.session.get(Organisation, lead_organisation_id) if lead_organisation_id else None
    return lead is None or not lead.is_verified


def review_for_new(actor: User, lead_organisation_id: int | None) -> ProjectReview:
    """The review state a new project starts in."""
    return (ProjectReview.PENDING if needs_review(actor, lead_organisation_id)
            else ProjectReview.APPROVED)


def review_after_edit(actor: User, project: Project, lead_before: int | None) -> None:
    """An edit sends a sent-back project again, and a new lead needing review re-queues it."""
    if project.review == ProjectReview.RETURNED or (
            project.lead_organisation_id != lead_before
            and needs_review(actor, project.lead_organisation_id)):
        _move(actor, project, ProjectReview.PENDING, "project.resubmitted", "")


def _move(actor: User, project: Project, after: ProjectReview, action: str, reason: str) -> None:
    before = project.review
    project.review = after
    project.review_reason = reason.strip() if after == ProjectReview.RETURNED else ""
    project.updated_at = clock.now()
    db.session.flush()
    record_audit(actor, action, project, reason, before={"review": str(before)},
                 after={"review": str(after)})


def approve_project(staff: User, project: Project, reason: str = "") -> None:
    """Publish a waiting project; its creator is told."""
    if project.review != ProjectReview.PENDING:
        raise ActionNotAllowed(f"approve on project {project.id} ({project.review})")
    _move(staff, project, ProjectReview.APPROVED, "project.approved", reason)
    events.project_approved.send(project, actor=staff)


def send_back_project(staff: User, project: Project, reason: str) -> None:
    """Return a waiting project to its organisers with a reason they read on its page."""
    if project.review != ProjectReview.PENDING or not reason.strip():
        raise ActionNotAllowed(f"send_back on project {project.id} ({project.review})")
    _move(staff, project, ProjectReview.RETURNED, "project.sent_back", reason)
    events.project_sent_back.send(project, actor=staff, reason=reason.strip())


def moderate_project(staff: User, action: str, project: Project, reason: str) -> None:
    """A console action on one project: approve or send back (others are refused)."""
    if not is_staff(staff):
        raise ActionNotAllowed("staff only")
    if action == "approve":
        approve_project(staff, project, reason)
    elif action == "send_back":
        send_back_project(staff, project, reason)
    else:
        raise ActionNotAllowed(f"{action} on project {project.id}")
