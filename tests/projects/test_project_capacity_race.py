"""The last places taken at once, against the real gunicorn server: never over capacity.

Twelve people press 「申し込む」 for the last three places of a project at the same
moment (one of them twice); then everyone RSVPs to a day with four seats; then
the joined people leave at once and the waiting list moves up, still exactly
to capacity. Runs on SQLite and, with KOMORO_TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, time
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from komoro_engage.extensions import db
from komoro_engage.projects.activities import DayData, save_activity_day
from komoro_engage.projects.membership import join_project
from komoro_engage.projects.models import ActivityDay, MemberStatus, Project, ProjectMember, Rsvp
from tests.factories import make_user
from tests.live import request, signed_in
from tests.projects.helpers import make_project

PEOPLE, CAPACITY, ALREADY_IN, SEATS = 12, 5, 2, 4


def _all_at_once(sessions, url: str, form: dict) -> list[int]:
    barrier = threading.Barrier(len(sessions))

    def press(session):
        cookie, token = session
        barrier.wait()
        return request(url, cookie, data=urlencode({**form, "csrf_token": token}).encode(),
                       headers={"Content-Type": "application/x-www-form-urlencoded"})[0]

    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        return list(pool.map(press, sessions))


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.no_db_rollback
def test_capacity_holds_when_the_last_places_go_at_once(live_server):
    with live_server.app.app_context():
        project = make_project(capacity=CAPACITY)
        for _ in range(ALREADY_IN):
            join_project(make_user(), project)
        day = save_activity_day(db.session.get(type(make_user()), project.lead_user_id),
                                project, DayData(day=date(2026, 12, 5), start=time(9),
                                                 end=time(12), place="公民館", capacity=SEATS))
        users = [make_user() for _ in range(PEOPLE)]
        ids = [user.get_id() for user in users]
        project_id, day_id = project.id, day.id
        db.session.commit()
    sessions = [signed_in(live_server, user_id) for user_id in ids]
    statuses = _all_at_once([*sessions, sessions[0]], f"{live_server.url}/projects/"
                            f"{project_id}/join", {"role": "participant"})
    assert statuses == [302] * (PEOPLE + 1), (statuses, live_server.log_path.read_text()[-3000:])
    with live_server.app.app_context():
        joined = _count(ProjectMember, ProjectMember.project_id == project_id,
                        ProjectMember.status == MemberStatus.JOINED)
        waiting = _count(ProjectMember, ProjectMember.project_id == project_id,
                         ProjectMember.status == MemberStatus.WAITING)
        stored = db.session.get(Project, project_id).member_count
        newly_joined = [u for u in ids if db.session.scalar(
            select(ProjectMember.status).where(ProjectMember.project_id == project_id,
                                               ProjectMember.user_id == int(u.split(".")[0])))
            == MemberStatus.JOINED]
        db.session.remove()
    assert (joined, stored, waiting) == (CAPACITY, CAPACITY, PEOPLE - (CAPACITY - ALREADY_IN))

    # The joined newcomers RSVP at once to a day with fewer seats than people.
    joined_sessions = [sessions[ids.index(u)] for u in newly_joined]
    rsvp_statuses = _all_at_once(joined_sessions * 2, f"{live_server.url}/activity-days/"
                                 f"{day_id}/rsvp", {})
    assert set(rsvp_statuses) == {302}
    with live_server.app.app_context():
        assert _count(Rsvp, Rsvp.activity_day_id == day_id) == min(SEATS, len(newly_joined))
        assert db.session.get(ActivityDay, day_id).rsvp_count == min(SEATS, len(newly_joined))
        db.session.remove()

    # The newcomers leave at once: the first in line move up, exactly to capacity again.
    leave_statuses = _all_at_once(joined_sessions, f"{live_server.url}/projects/"
                                  f"{project_id}/leave", {})
    assert set(leave_statuses) == {302}
    with live_server.app.app_context():
        joined = _count(ProjectMember, ProjectMember.project_id == project_id,
                        ProjectMember.status == MemberStatus.JOINED)
        assert joined == CAPACITY
        assert db.session.get(Project, project_id).member_count == CAPACITY
        db.session.remove()
