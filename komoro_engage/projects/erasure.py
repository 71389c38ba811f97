"""A person's project participation and writing when they delete their account, and in
their data export.

Leaving frees their places (the waiting list moves up), their RSVPs go, and their
calendar-feed address stops working. Reports they filed stay with the project,
anonymised; if they chose to remove their posts, the words go: the projects they
created (with their activity days' titles and places), their reports and photos,
the reasons they gave for status changes, their partnership messages and the messages
they sent to a project's people (主催者からのお知らせ; the copies in the recipients'
notifications and mails go with them, as the words the erasure returns).
"""

from __future__ import annotations

from sqlalchemy import delete, select

from komoro_engage.accounts.erasure import register_export_section, register_post_handler
from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.media.services import delete_photo
from komoro_engage.projects.membership import cancel_rsvp, leave_project
from komoro_engage.projects.message_models import ProjectMessage
from komoro_engage.projects.models import (
    ActivityDay,
    CalendarToken,
    ProgressReport,
    Project,
    ProjectMember,
    ProjectPartner,
    ProjectStatusChange,
    Rsvp,
)
from komoro_engage.projects.queries import index_for_search

REMOVED_PROJECT_TITLE = "（作成者の退会により削除されました）"
REMOVED_REPORT = "この報告の内容は、投稿者の退会にあたり本人の希望で削除されました。"
REMOVED_MESSAGE = "（送信者の退会により削除されました）"


def leave_everything(user: User, remove: bool) -> list[str]:
    for project in db.session.scalars(select(Project).join(
            ProjectMember, ProjectMember.project_id == Project.id)
            .where(ProjectMember.user_id == user.id)):
        leave_project(user, project)
    for day in db.session.scalars(select(ActivityDay).join(Rsvp, Rsvp.activity_day_id ==
                                                           ActivityDay.id)
                                  .where(Rsvp.user_id == user.id)):
        cancel_rsvp(user, day)
    db.session.execute(delete(CalendarToken).where(CalendarToken.user_id == user.id))
    if not remove:
        return []
    return [*_erase_projects(user), *_erase_reports(user), *_erase_notes(user)]


def _erase_projects(user: User) -> list[str]:
    """The projects ``user`` created keep their rows (members, days, partners) but not
    their words; organisers who remain can write new ones."""
    removed: list[str] = []
    for project in db.session.scalars(select(Project).where(Project.created_by_id == user.id)):
        removed += [project.title, project.summary, project.description, project.help_wanted,
                    project.outcomes]
        project.title = REMOVED_PROJECT_TITLE
        project.summary = project.description = project.help_wanted = project.outcomes = ""
        for day in db.session.scalars(select(ActivityDay).where(
                ActivityDay.project_id == project.id)):
            removed += [day.title, day.place]
            day.title = day.place = ""
        db.session.flush()
        index_for_search(project)
    return removed


def _erase_reports(user: User) -> list[str]:
    removed: list[str] = []
    for report in db.session.scalars(select(ProgressReport).where(
            ProgressReport.author_id == user.id)):
        removed += [report.body, report.outcomes]
        project = db.session.get(Project, report.project_id)
        if report.is_completion and report.outcomes and project.outcomes == report.outcomes:
            project.outcomes = ""  # copied there when the project was completed
        for link in list(report.photo_links):
            db.session.delete(link)
            delete_photo(link.photo)
        report.body, report.outcomes = REMOVED_REPORT, ""
    db.session.flush()
    return removed


def _erase_notes(user: User) -> list[str]:
    """Reasons given for status changes, messages asking to partner, organisers' messages."""
    removed: list[str] = []
    for change in db.session.scalars(select(ProjectStatusChange).where(
            ProjectStatusChange.actor_id == user.id, ProjectStatusChange.reason != "")):
        removed.append(change.reason)
        change.reason = ""
    for partner in db.session.scalars(select(ProjectPartner).where(
            ProjectPartner.requested_by_id == user.id, ProjectPartner.message != "")):
        removed.append(partner.message)
        partner.message = ""
    for message in db.session.scalars(select(ProjectMessage).where(
            ProjectMessage.author_id == user.id)):
        removed += [message.subject, message.body]
        message.subject, message.body = REMOVED_MESSAGE, ""
    db.session.flush()
    return removed


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
