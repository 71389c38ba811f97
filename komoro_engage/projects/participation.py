"""Citizen participation in projects, per measure and period, for the yearly evaluation.

:func:`project_figures` is what the evaluation record (施策評価) counts and lists
under 協働プロジェクト. Definitions, for the period ``[start, end)``:

- a project is *active* when it was 参加者募集中 or 実施中 at any time in the period:
  it opened (``opened_at``) before ``end`` and had not closed (completed or
  cancelled, ``closed_at``) by ``start``;
- *completed* when it was completed within the period;
- *participants*: distinct people who have joined (not waiting) the projects that
  were active or completed in the period, counted once per measure;
- *activity days*: activity days that start in the period;
- *volunteer hours*: the hours of progress reports about an activity day that starts
  in the period, or, for a report not about a day, filed in the period;
- *organisations*: distinct lead and accepted partner organisations of the projects
  active or completed in the period;
- *items*: those projects, newest first.

Five queries whatever the number of measures or projects. Registered as a
participation source (core/participation.py) by the package.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select, union

from komoro_engage.core.participation import register_source
from komoro_engage.extensions import db
from komoro_engage.projects.models import (
    ActivityDay,
    MemberStatus,
    PartnerStatus,
    ProgressReport,
    Project,
    ProjectMember,
    ProjectPartner,
    ProjectStatus,
    project_measure,
)
from komoro_engage.projects.review import PUBLIC

link = project_measure


def _empty() -> dict:
    return {"projects_active": 0, "projects_completed": 0, "participants": 0,
            "activity_days": 0, "volunteer_hours": 0.0, "organisations": 0, "items": []}


def project_figures(measure_ids: Sequence[int], start: datetime,
                    end: datetime) -> dict[int, dict]:
    """Per measure id: project counts, participants, days, hours, organisations, items."""
    figures = {measure_id: _empty() for measure_id in measure_ids}
    if not figures:
        return figures
    wanted = list(figures)
    active = and_(Project.opened_at.is_not(None), Project.opened_at < end,
                  or_(Project.closed_at.is_(None), Project.closed_at > start))
    completed = and_(Project.status == ProjectStatus.COMPLETED, Project.closed_at >= start,
                     Project.closed_at < end)
    # Only public projects count (one waiting for staff review is not yet the city's work).
    in_period = and_(PUBLIC, or_(active, completed))

    # 1. The projects themselves, with whether each was active / completed.
    rows = db.session.execute(
        select(link.c.measure_id, Project.id, Project.title, Project.status,
               active.label("active"), completed.label("completed"))
        .join(Project, Project.id == link.c.project_id)
        .where(link.c.measure_id.in_(wanted), in_period)
        .order_by(link.c.measure_id, Project.created_at.desc(), Project.id.desc()))
    for measure_id, project_id, title, status, was_active, was_completed in rows:
        entry = figures[measure_id]
        entry["projects_active"] += int(bool(was_active))
        entry["projects_completed"] += int(bool(was_completed))
        entry["items"].append({"kind": "project", "id": project_id, "title": title,
                               "status": str(status)})

    # 2. Distinct participants.
    for measure_id, count in db.session.execute(
        select(link.c.measure_id, func.count(func.distinct(ProjectMember.user_id)))
        .join(Project, Project.id == link.c.project_id)
        .join(ProjectMember, ProjectMember.project_id == Project.id)
        .where(link.c.measure_id.in_(wanted), in_period,
               ProjectMember.status == MemberStatus.JOINED)
        .group_by(link.c.measure_id)):
        figures[measure_id]["participants"] = count

    # 3. Activity days starting in the period.
    for measure_id, count in db.session.execute(
        select(link.c.measure_id, func.count(ActivityDay.id))
        .join(ActivityDay, ActivityDay.project_id == link.c.project_id)
        .join(Project, Project.id == link.c.project_id)
        .where(link.c.measure_id.in_(wanted), PUBLIC, ActivityDay.starts_at >= start,
               ActivityDay.starts_at < end)
        .group_by(link.c.measure_id)):
        figures[measure_id]["activity_days"] = count

    # 4. Volunteer hours, dated by their activity day (or the report when there is none).
    when = func.coalesce(ActivityDay.starts_at, ProgressReport.created_at)
    for measure_id, hours in db.session.execute(
        select(link.c.measure_id, func.sum(ProgressReport.volunteer_hours))
        .join(ProgressReport, ProgressReport.project_id == link.c.project_id)
        .join(Project, Project.id == link.c.project_id)
        .outerjoin(ActivityDay, ActivityDay.id == ProgressReport.activity_day_id)
        .where(link.c.measure_id.in_(wanted), PUBLIC, when >= start, when < end)
        .group_by(link.c.measure_id)):
        figures[measure_id]["volunteer_hours"] = float(hours or 0.0)

    # 5. Distinct organisations: leads and accepted partners.
    leads = (select(link.c.measure_id.label("measure_id"),
                    Project.lead_organisation_id.label("organisation_id"))
             .join(Project, Project.id == link.c.project_id)
             .where(link.c.measure_id.in_(wanted), in_period,
                    Project.lead_organisation_id.is_not(None)))
    partners = (select(link.c.measure_id.label("measure_id"),
                       ProjectPartner.organisation_id.label("organisation_id"))
                .join(Project, Project.id == link.c.project_id)
                .join(ProjectPartner, ProjectPartner.project_id == Project.id)
                .where(link.c.measure_id.in_(wanted), in_period,
                       ProjectPartner.status == PartnerStatus.ACCEPTED,
                       ProjectPartner.organisation_id.is_not(None)))
    both = union(leads, partners).subquery()
    for measure_id, count in db.session.execute(
        select(both.c.measure_id, func.count(func.distinct(both.c.organisation_id)))
        .group_by(both.c.measure_id)):
        figures[measure_id]["organisations"] = count
    return figures


def register() -> None:
    # After the proposals (order 10): a record lists its projects second.
    empty = {key: value for key, value in _empty().items() if key != "items"}
    register_source("project", project_figures, empty=empty, order=20)
