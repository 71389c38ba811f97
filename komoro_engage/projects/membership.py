"""Joining and leaving a project, the waiting list, RSVPs to activity days and attendance.

Capacity holds under concurrency because a place is taken by one conditional
``UPDATE project SET member_count = member_count + 1 WHERE member_count < capacity``:
PostgreSQL re-checks the condition after waiting for the row lock, SQLite runs
writers one at a time (BEGIN IMMEDIATE). The unique constraints on
(project, user) and (activity day, user) decide a double tap.
"""

from __future__ import annotations

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from komoro_engage.accounts.models import User
from komoro_engage.core import clock, events
from komoro_engage.core.audit import record_audit
from komoro_engage.core.request_facts import known
from komoro_engage.core.sql import insert_or_ignore
from komoro_engage.extensions import db
from komoro_engage.projects.activities import DayNotBegun
from komoro_engage.projects.models import (
    ActivityDay,
    MemberRole,
    MemberStatus,
    Project,
    ProjectMember,
    Rsvp,
)


def _take_place(project: Project) -> bool:
    """Take one place if one is free; the stored count comes back into ``project``."""
    taken = db.session.execute(
        update(Project).where(Project.id == project.id, or_(
            Project.capacity.is_(None), Project.member_count < Project.capacity))
        .values(member_count=Project.member_count + 1).returning(Project.member_count)
        .execution_options(synchronize_session=False)
    ).first()
    if taken is not None:
        set_committed_value(project, "member_count", taken[0])
    return taken is not None


def _free_place(project: Project) -> None:
    stored = db.session.execute(
        update(Project).where(Project.id == project.id)
        .values(member_count=Project.member_count - 1).returning(Project.member_count)
        .execution_options(synchronize_session=False)
    ).one()
    set_committed_value(project, "member_count", stored[0])


# Built once: the project page asks for every signed-in reader (issue 16).
_MEMBERSHIP = select(ProjectMember).where(ProjectMember.project_id == bindparam("project_id"),
                                          ProjectMember.user_id == bindparam("user_id"))


def member_key(project_id: int, user_id: int) -> tuple:
    """The fact ``membership`` answers, as the project page's statement reads it
    (projects/reader.py)."""
    return ("project_member", project_id, user_id)


def membership(user: User | None, project: Project) -> ProjectMember | None:
    if user is None or not user.is_authenticated:
        return None
    return known(member_key(project.id, user.id), lambda: db.session.scalar(
        _MEMBERSHIP, {"project_id": project.id, "user_id": user.id}))


def join_project(user: User, project: Project, role: str = MemberRole.PARTICIPANT,
                 message: str = "") -> MemberStatus | None:
    """Join, or queue on the waiting list when full; None when already in or waiting."""
    now = clock.now()
    inserted = db.session.execute(
        insert_or_ignore(ProjectMember).values(
            project_id=project.id, user_id=user.id, role=MemberRole(role),
            status=MemberStatus.WAITING, message=message.strip(), created_at=now)
        .on_conflict_do_nothing(index_elements=["project_id", "user_id"])
        .returning(ProjectMember.id)
    ).first()
    if inserted is None:
        return None
    events.took_part.send(user, target_type="project", target_id=project.id)
    if not _take_place(project):
        return MemberStatus.WAITING
    db.session.execute(update(ProjectMember).where(ProjectMember.id == inserted[0])
                       .values(status=MemberStatus.JOINED, joined_at=now)
                       .execution_options(synchronize_session=False))
    return MemberStatus.JOINED


def leave_project(user: User, project: Project) -> int | None:
    """Leave (or leave the waiting list); a freed place goes to the first in line.

    Returns the id of the person moved up from the waiting list, if any.
    """
    gone = db.session.execute(
        delete(ProjectMember).where(ProjectMember.project_id == project.id,
                                    ProjectMember.user_id == user.id)
        .returning(ProjectMember.status).execution_options(synchronize_session=False)
    ).first()
    if gone is None or gone[0] != MemberStatus.JOINED:
        return None
    _free_place(project)
    return promote_waiting(project)


def promote_waiting(project: Project) -> int | None:
    """Give a free place to the longest-waiting person; their user id, or None."""
    first = (select(ProjectMember.id).where(ProjectMember.project_id == project.id,
                                            ProjectMember.status == MemberStatus.WAITING)
             .order_by(ProjectMember.created_at, ProjectMember.id).limit(1).scalar_subquery())
    if db.session.scalar(select(first)) is None or not _take_place(project):
        return None
    # The project row is locked by _take_place: no other promotion runs for it now.
    promoted = db.session.execute(
        update(ProjectMember).where(ProjectMember.id == first,
                                    ProjectMember.status == MemberStatus.WAITING)
        .values(status=MemberStatus.JOINED, joined_at=clock.now())
        .returning(ProjectMember.user_id).execution_options(synchronize_session=False)
    ).first()
    if promoted is None:
        _free_place(project)
        return None
    return promoted[0]


def _take_seat(day: ActivityDay, delta: int) -> bool:
    condition = [ActivityDay.id == day.id]
    if delta > 0:
        condition.append(or_(ActivityDay.capacity.is_(None),
                             ActivityDay.rsvp_count < ActivityDay.capacity))
    stored = db.session.execute(
        update(ActivityDay).where(*condition)
        .values(rsvp_count=ActivityDay.rsvp_count + delta).returning(ActivityDay.rsvp_count)
        .execution_options(synchronize_session=False)
    ).first()
    if stored is not None:
        set_committed_value(day, "rsvp_count", stored[0])
    return stored is not None


class DayFull(Exception):
    """The activity day has no seat left."""


def rsvp(user: User, day: ActivityDay) -> bool:
    """Say 参加します; False when already said; :class:`DayFull` when no seat is left."""
    inserted = db.session.execute(
        insert_or_ignore(Rsvp).values(activity_day_id=day.id, user_id=user.id,
                                      created_at=clock.now())
        .on_conflict_do_nothing(index_elements=["activity_day_id", "user_id"])
        .returning(Rsvp.id)
    ).first()
    if inserted is None:
        return False
    if not _take_seat(day, 1):
        db.session.execute(delete(Rsvp).where(Rsvp.id == inserted[0]))
        raise DayFull
    return True


def cancel_rsvp(user: User, day: ActivityDay) -> bool:
    gone = db.session.execute(
        delete(Rsvp).where(Rsvp.activity_day_id == day.id, Rsvp.user_id == user.id)
        .returning(Rsvp.id).execution_options(synchronize_session=False)
    ).first()
    if gone is not None:
        _take_seat(day, -1)
    return gone is not None


def record_attendance(actor: User, day: ActivityDay, attended_user_ids: list[int],
                      count: int | None) -> None:
    """Organisers tick who came; ``count`` (with walk-ins) defaults to the ticked RSVPs."""
    if not day.has_begun:
        raise DayNotBegun(day)
    rsvps = list(db.session.scalars(select(Rsvp).where(Rsvp.activity_day_id == day.id)))
    wanted = set(attended_user_ids)
    for row in rsvps:
        row.attended = row.user_id in wanted
    day.attendance_count = count if count is not None else sum(1 for r in rsvps if r.attended)
    db.session.flush()
    record_audit(actor, "project.attendance_recorded", day.project,
                 after={"activity_day_id": day.id, "attendance": day.attendance_count})
