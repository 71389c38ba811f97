"""iCalendar (RFC 5545) feeds of activity days, for phone and desktop calendars.

Times go out in UTC (``…Z``): every calendar app accepts them without a
VTIMEZONE block and shows them in the phone's own zone.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, url_for
from icalendar import Calendar, Event
from sqlalchemy import select

from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.projects.models import ActivityDay, CalendarToken, Project, ProjectStatus, Rsvp
from komoro_engage.projects.review import PUBLIC


def _feed(name: str, days: Iterable[tuple[ActivityDay, Project]]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Komoro City//Komoro Engage//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    host = current_app.config["BASE_URL"].split("://")[-1].split("/")[0] or "komoro-engage"
    stamp = clock.now()
    for day, project in days:
        event = Event()
        event.add("uid", f"activity-day-{day.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", clock.as_utc(day.starts_at))
        event.add("dtend", clock.as_utc(day.ends_at))
        event.add("summary", f"{project.title}：{day.title}" if day.title else project.title)
        if day.place:
            event.add("location", day.place)
        url = current_app.config["BASE_URL"].rstrip("/") + url_for(
            "projects.detail", project_id=project.id)
        event.add("url", url)
        event.add("description", f"{project.summary}\n{url}".strip())
        if project.status == ProjectStatus.CANCELLED:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()


def project_feed(project: Project) -> bytes:
    """Every activity day of one project (1 query)."""
    days = db.session.scalars(select(ActivityDay).where(ActivityDay.project_id == project.id)
                              .order_by(ActivityDay.starts_at).limit(500))
    return _feed(project.title, ((day, project) for day in days))


def user_for_token(token: str):
    """The person whose secret feed token this is, or None (1 query)."""
    from komoro_engage.accounts.models import User

    return db.session.scalar(select(User).join(CalendarToken, CalendarToken.user_id == User.id)
                             .where(CalendarToken.token == token))


def person_feed(user, name: str) -> bytes:
    """The activity days of public projects a person said they come to (1 query)."""
    rows = db.session.execute(
        select(ActivityDay, Project).join(Rsvp, Rsvp.activity_day_id == ActivityDay.id)
        .join(Project, ActivityDay.project).where(Rsvp.user_id == user.id, PUBLIC)
        .order_by(ActivityDay.starts_at).limit(500)).all()
    return _feed(name, ((day, project) for day, project in rows))
