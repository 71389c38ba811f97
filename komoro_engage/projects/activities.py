"""Activity days (活動日): schedule them, remind the people coming, and file reports.

Times are entered and shown in Japan time and stored in UTC.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.core import clock, events
from komoro_engage.core.audit import record_audit
from komoro_engage.core.clock import JAPAN
from komoro_engage.core.sql import insert_or_ignore
from komoro_engage.extensions import db
from komoro_engage.media.models import Photo
from komoro_engage.plan.place_models import Landmark
from komoro_engage.plan.places import set_place
from komoro_engage.projects.models import (
    ActivityDay,
    CalendarToken,
    ProgressReport,
    Project,
    ReportPhoto,
    Rsvp,
)


def japan_to_utc(day: date, at: time) -> datetime:
    """A Japan-time wall clock reading as an aware UTC moment."""
    return datetime.combine(day, at, tzinfo=JAPAN).astimezone(clock.now().tzinfo)


@dataclass
class DayData:
    day: date
    start: time
    end: time
    title: str = ""
    place: str = ""
    capacity: int | None = None
    # Where on the map (optional): a tapped point (exact, private) or a landmark.
    point: tuple[float, float] | None = None
    landmark: Landmark | None = None


def save_activity_day(actor: User, project: Project, data: DayData,
                      activity_day: ActivityDay | None = None) -> ActivityDay:
    """Add an activity day to ``project`` or change one (organisers or staff)."""
    added = activity_day is None
    if activity_day is None:
        activity_day = ActivityDay(project_id=project.id, created_at=clock.now())
        db.session.add(activity_day)
    activity_day.title = data.title.strip()
    activity_day.place = data.place.strip()
    set_place(activity_day, data.point, data.landmark)
    activity_day.capacity = data.capacity
    activity_day.starts_at = japan_to_utc(data.day, data.start)
    activity_day.ends_at = japan_to_utc(data.day, data.end)
    if activity_day.ends_at <= activity_day.starts_at:  # past midnight
        activity_day.ends_at += timedelta(days=1)
    db.session.flush()
    record_audit(actor, "project.activity_day_saved", project,
                 after={"activity_day_id": activity_day.id,
                        "starts_at": activity_day.starts_at.isoformat()})
    if added and project.is_public:
        events.activity_day_added.send(activity_day, actor=actor, project_id=project.id,
                                       project_title=project.title)
    return activity_day


def calendar_token(user: User) -> str:
    """The person's secret feed token, made on first use (a double request keeps one)."""
    token = db.session.scalar(select(CalendarToken.token).where(CalendarToken.user_id == user.id))
    if token is None:
        db.session.execute(insert_or_ignore(CalendarToken).values(
            user_id=user.id, token=secrets.token_urlsafe(32), created_at=clock.now())
            .on_conflict_do_nothing(index_elements=["user_id"]))
        token = db.session.scalar(
            select(CalendarToken.token).where(CalendarToken.user_id == user.id))
    return token


def reset_calendar_token(user: User) -> str:
    """A new secret: the old feed address stops working (e.g. after sharing it by mistake)."""
    row = db.session.get(CalendarToken, user.id)
    if row is None:
        return calendar_token(user)
    row.token = secrets.token_urlsafe(32)
    db.session.flush()
    return row.token


def _path(endpoint: str, **values) -> str:
    """A site path without a request (the reminder command runs from cron)."""
    return current_app.url_map.bind("").build(endpoint, values)


def send_reminders(now: datetime | None = None) -> int:
    """Fire ``activity_reminder_due`` once per RSVP for activity days starting tomorrow
    (Japan time); returns how many were sent. Safe to run again: each RSVP is marked."""
    now = now or clock.now()
    tomorrow = now.astimezone(JAPAN).date() + timedelta(days=1)
    start = japan_to_utc(tomorrow, time(0, 0))
    end = start + timedelta(days=1)
    rows = db.session.execute(
        select(Rsvp, ActivityDay, Project, User).join(ActivityDay, Rsvp.activity_day)
        .join(Project, ActivityDay.project).join(User, Rsvp.user)
        .where(ActivityDay.starts_at >= start, ActivityDay.starts_at < end,
               Rsvp.reminded_at.is_(None))
        .order_by(Rsvp.id).with_for_update(of=Rsvp, skip_locked=True)
    ).all()
    for row, day, project, user in rows:
        row.reminded_at = now
        if not user.is_active:
            continue
        events.activity_reminder_due.send(
            day, user=user, title=day.title or project.title,
            url=_path("projects.detail", project_id=project.id),
            starts_at=clock.as_utc(day.starts_at))
    db.session.flush()
    return len(rows)


@dataclass
class ReportData:
    body: str
    attendance_count: int | None = None
    volunteer_hours: float | None = None
    activity_day_id: int | None = None
    is_completion: bool = False
    outcomes: str = ""


class DayNotBegun(Exception):
    """Attendance or a report for an activity day that has not begun yet."""


def file_report(author: User, project: Project, data: ReportData,
                photos: list[Photo] = ()) -> ProgressReport:
    """An organiser files a 活動報告; a completion report also records the outcomes."""
    if data.activity_day_id is not None:
        day = db.session.get(ActivityDay, data.activity_day_id)
        if day is None or day.project_id != project.id:
            raise ValueError("the activity day is not this project's")
        if not day.has_begun:
            raise DayNotBegun(day)
    report = ProgressReport(
        project_id=project.id, author_id=author.id, body=data.body.strip(),
        attendance_count=data.attendance_count, volunteer_hours=data.volunteer_hours,
        activity_day_id=data.activity_day_id, is_completion=data.is_completion,
        outcomes=data.outcomes.strip() if data.is_completion else "", created_at=clock.now())
    for position, photo in enumerate(photos):
        report.photo_links.append(ReportPhoto(photo=photo, position=position))
    db.session.add(report)
    if data.is_completion:
        project.outcomes = report.outcomes
    project.updated_at = report.created_at
    db.session.flush()
    record_audit(author, "project.report_filed", project,
                 after={"report_id": report.id, "completion": data.is_completion})
    if project.is_public:
        events.progress_report_filed.send(report, actor=author, project_id=project.id,
                                          project_title=project.title)
    return report
