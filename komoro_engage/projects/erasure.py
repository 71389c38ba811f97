"""A person's project participation when they delete their account, and in their data export.

Leaving frees their places (the waiting list moves up), their RSVPs go, and their
calendar-feed address stops working. Reports they filed stay with the project.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from komoro_engage.accounts.erasure import register_export_section, register_post_handler
from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.projects.membership import cancel_rsvp, leave_project
from komoro_engage.projects.models import ActivityDay, CalendarToken, Project, ProjectMember, Rsvp


def leave_everything(user: User, _remove: bool) -> None:
    for project in db.session.scalars(select(Project).join(
            ProjectMember, ProjectMember.project_id == Project.id)
            .where(ProjectMember.user_id == user.id)):
        leave_project(user, project)
    for day in db.session.scalars(select(ActivityDay).join(Rsvp, Rsvp.activity_day_id ==
                                                           ActivityDay.id)
                                  .where(Rsvp.user_id == user.id)):
        cancel_rsvp(user, day)
    db.session.execute(delete(CalendarToken).where(CalendarToken.user_id == user.id))


def export_participation(user: User) -> dict:
    members = db.session.scalars(select(ProjectMember).where(ProjectMember.user_id == user.id))
    rsvps = db.session.scalars(select(Rsvp.activity_day_id).where(Rsvp.user_id == user.id))
    return {
        "memberships": [{"project_id": m.project_id, "role": str(m.role),
                         "status": str(m.status), "message": m.message,
                         "created_at": m.created_at.isoformat()} for m in members],
        "rsvp_activity_day_ids": list(rsvps),
    }


def register() -> None:
    register_post_handler(leave_everything)
    register_export_section("projects", export_participation)
