"""Reading a project's activity: its days, reports, timeline, members and RSVPs, each a
fixed number of SQL statements whatever the data size (the project page, its days and
members pages, the API)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, bindparam, exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from komoro_engage.core.request_facts import known
from komoro_engage.extensions import db
from komoro_engage.projects.models import (
    ActivityDay,
    MemberStatus,
    ProgressReport,
    Project,
    ProjectMember,
    ProjectStatusChange,
    ReportPhoto,
    Rsvp,
)


@dataclass
class Activity:
    """The page's lists: activity days, reports, timeline, members and waiting count."""

    days: list[ActivityDay]
    reports: list[ProgressReport]
    timeline: Sequence[Row]  # changed_at, after, reason
    waiting: int
    volunteer_hours: float


@functools.cache
def _activity_statements():
    """Built once, at first use (their loader options need every mapper configured): the
    project page runs all four, and building them cost more than running them (issue 16)."""
    project_id = bindparam("project_id")
    days = (select(ActivityDay).where(ActivityDay.project_id == project_id)
            .options(joinedload(ActivityDay.landmark))
            .order_by(ActivityDay.starts_at).limit(100))
    reports = (select(ProgressReport).where(ProgressReport.project_id == project_id)
               .options(joinedload(ProgressReport.author),
                        joinedload(ProgressReport.activity_day),
                        selectinload(ProgressReport.photo_links).joinedload(ReportPhoto.photo))
               .order_by(ProgressReport.created_at.desc(), ProgressReport.id.desc()).limit(50))
    # The timeline's steps as rows: the page shows three columns of each, no object.
    timeline = (select(ProjectStatusChange.changed_at, ProjectStatusChange.after,
                       ProjectStatusChange.reason)
                .where(ProjectStatusChange.project_id == project_id)
                .order_by(ProjectStatusChange.changed_at, ProjectStatusChange.id))
    return days, reports, timeline, select(*figure_columns(project_id))


def figure_columns(project_id) -> tuple:
    """The members waiting for a place, the volunteer hours reported and whether it has
    any activity day and any report, as subqueries of ``project_id`` (a bound value, or
    ``Project.id`` in the project's own statement, which may join the reader's own
    ProjectMember row: not the one counted here). A project without days or reports (a
    new one) skips their statements (issue 16)."""
    return (
        select(func.count()).select_from(ProjectMember).where(
            ProjectMember.project_id == project_id,
            ProjectMember.status == MemberStatus.WAITING)
        .correlate_except(ProjectMember).scalar_subquery().label("waiting"),
        select(func.coalesce(func.sum(ProgressReport.volunteer_hours), 0.0)).where(
            ProgressReport.project_id == project_id)
        .correlate_except(ProgressReport).scalar_subquery().label("volunteer_hours"),
        exists().where(ActivityDay.project_id == project_id)
        .correlate_except(ActivityDay).label("has_days"),
        exists().where(ProgressReport.project_id == project_id)
        .correlate_except(ProgressReport).label("has_reports"))


def figures_key(project_id: int) -> tuple[str, int]:
    """Where the project page's statement keeps the figures it read (projects/reader.py)."""
    return ("activity_figures", project_id)


def activity(project: Project) -> Activity:
    """Activity days, reports (with photos and authors), timeline and figures: 5 queries
    at most, 3 where the project's statement brought the figures (projects/reader.py),
    1 more for its days and 1 for its reports when it has any."""
    days, reports, timeline, figures = _activity_statements()
    bound = {"project_id": project.id}
    waiting, hours, has_days, has_reports = known(
        figures_key(project.id), lambda: tuple(db.session.execute(figures, bound).one()))
    found_days = list(db.session.scalars(days, bound)) if has_days else []
    found_reports = list(db.session.scalars(reports, bound)) if has_reports else []
    found_timeline = db.session.execute(timeline, bound).all()
    return Activity(found_days, found_reports, found_timeline, waiting, float(hours))


def members(project: Project) -> list[ProjectMember]:
    """Everyone joined or waiting, for the organisers (1 query)."""
    return list(db.session.scalars(
        select(ProjectMember).where(ProjectMember.project_id == project.id)
        .options(joinedload(ProjectMember.user))
        .order_by(ProjectMember.status, ProjectMember.created_at, ProjectMember.id)))


@functools.cache
def _rsvped_statement():
    return (select(Rsvp.activity_day_id).join(ActivityDay, Rsvp.activity_day)
            .where(ActivityDay.project_id == bindparam("project_id"),
                   Rsvp.user_id == bindparam("user_id")))


def rsvped_key(project_id: int, user_id: int) -> tuple:
    """The fact ``rsvped_day_ids`` answers, as the project page's statement reads it
    (projects/reader.py)."""
    return ("rsvped_days", project_id, user_id)


def rsvped_day_ids(user, project: Project) -> set[int]:
    """The activity days of ``project`` that ``user`` said they come to (1 query, built
    once: the project page asks for every signed-in reader)."""
    if user is None or not user.is_authenticated:
        return set()
    return known(rsvped_key(project.id, user.id), lambda: set(db.session.scalars(
        _rsvped_statement(), {"project_id": project.id, "user_id": user.id})))


def rsvps_of_day(day: ActivityDay) -> list[Rsvp]:
    return list(db.session.scalars(select(Rsvp).where(Rsvp.activity_day_id == day.id)
                                   .options(joinedload(Rsvp.user)).order_by(Rsvp.id)))
