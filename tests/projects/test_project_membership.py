"""Joining, the waiting list, RSVPs, attendance and the day-before reminders."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from komoro_engage.core import clock, events
from komoro_engage.extensions import db
from komoro_engage.projects.activities import (
    DayData,
    DayNotBegun,
    ReportData,
    file_report,
    save_activity_day,
    send_reminders,
)
from komoro_engage.projects.membership import (
    DayFull,
    cancel_rsvp,
    join_project,
    leave_project,
    membership,
    record_attendance,
    rsvp,
)
from komoro_engage.projects.models import MemberStatus, ProgressReport, ProjectMember, Rsvp
from tests.factories import make_user
from tests.projects.helpers import make_project


def _joined(project):
    return db.session.scalar(select(func.count()).select_from(ProjectMember).where(
        ProjectMember.project_id == project.id, ProjectMember.status == MemberStatus.JOINED))


def test_join_until_full_then_wait_and_move_up_in_order(ctx):
    project = make_project(capacity=2)
    first, second, third, fourth = (make_user() for _ in range(4))
    assert join_project(first, project, "volunteer", "力仕事ができます") == MemberStatus.JOINED
    assert join_project(second, project) == MemberStatus.JOINED
    assert join_project(third, project) == MemberStatus.WAITING
    assert join_project(fourth, project) == MemberStatus.WAITING
    assert join_project(first, project) is None  # a double tap changes nothing
    assert project.member_count == 2 and _joined(project) == 2
    assert membership(first, project).message == "力仕事ができます"

    assert leave_project(first, project) == third.id  # the longest waiting moves up
    assert membership(third, project).status == MemberStatus.JOINED
    assert project.member_count == 2 and _joined(project) == 2
    assert leave_project(fourth, project) is None  # leaving the waiting list frees nothing
    assert project.member_count == 2
    leave_project(second, project)
    assert project.member_count == 1 and _joined(project) == 1


def test_unlimited_projects_never_wait(ctx):
    project = make_project(capacity=None)
    assert all(join_project(make_user(), project) == MemberStatus.JOINED for _ in range(5))
    assert project.member_count == 5


# 2026-12-05 09:00 in Japan is 00:00 UTC: the day has begun by 01:00 UTC.
AFTER_THE_DAY = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)


def _day(project, day=date(2026, 12, 5), capacity=None):
    return save_activity_day(project_lead(project), project, DayData(
        day=day, start=time(9, 0), end=time(11, 30), title="河川敷の清掃",
        place="千曲川河川敷（布引観音下）", capacity=capacity))


def project_lead(project):
    from komoro_engage.accounts.models import User

    return db.session.get(User, project.lead_user_id)


def test_activity_day_times_are_japan_time_stored_as_utc(ctx):
    day = _day(make_project())
    assert day.starts_at == datetime(2026, 12, 5, 0, 0, tzinfo=UTC)
    assert day.ends_at == datetime(2026, 12, 5, 2, 30, tzinfo=UTC)


def test_rsvp_once_within_capacity(ctx):
    project = make_project()
    day = _day(project, capacity=1)
    a, b = make_user(), make_user()
    assert rsvp(a, day) is True
    with pytest.raises(DayFull):
        rsvp(b, day)
    assert day.rsvp_count == 1
    assert cancel_rsvp(a, day) and day.rsvp_count == 0
    assert rsvp(b, day) is True
    assert rsvp(b, day) is False  # a double tap on a full day is not an error
    assert day.rsvp_count == 1
    assert db.session.scalar(select(func.count()).select_from(Rsvp).where(
        Rsvp.activity_day_id == day.id)) == 1


def test_rsvp_twice_is_one_rsvp(ctx):
    day = _day(make_project())
    person = make_user()
    assert rsvp(person, day) is True
    assert rsvp(person, day) is False
    assert day.rsvp_count == 1


def test_attendance_ticks_rsvps_and_counts_walk_ins(ctx):
    project = make_project()
    day = _day(project)
    came, absent = make_user(), make_user()
    rsvp(came, day)
    rsvp(absent, day)
    with clock.freeze(AFTER_THE_DAY - timedelta(hours=2)), pytest.raises(DayNotBegun):
        record_attendance(project_lead(project), day, [came.id], None)  # nobody came yet
    assert day.attendance_count is None
    with clock.freeze(AFTER_THE_DAY):
        record_attendance(project_lead(project), day, [came.id], None)
        assert day.attendance_count == 1
        record_attendance(project_lead(project), day, [came.id], 7)
        assert day.attendance_count == 7
    attended = dict(db.session.execute(select(Rsvp.user_id, Rsvp.attended).where(
        Rsvp.activity_day_id == day.id)).all())
    assert attended == {came.id: True, absent.id: False}


def test_reminders_go_once_per_rsvp_for_tomorrow_in_japan_time(app, ctx):
    project = make_project()
    tomorrow = _day(project, day=date(2026, 12, 5))
    later = _day(project, day=date(2026, 12, 6))
    people = [make_user(), make_user()]
    for person in people:
        rsvp(person, tomorrow)
        rsvp(person, later)
    received = []

    def receiver(sender, **kwargs):
        received.append((sender.id, kwargs["user"].id, kwargs["url"], kwargs["starts_at"]))

    # 2026-12-04 20:00 in Japan is 11:00 UTC: "tomorrow" is the 5th.
    now = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
    with events.activity_reminder_due.connected_to(receiver):
        assert send_reminders(now) == 2
        assert send_reminders(now) == 0  # already sent: nothing twice
    assert sorted(r[1] for r in received) == sorted(p.id for p in people)
    assert {r[0] for r in received} == {tomorrow.id}
    assert received[0][2] == f"/projects/{project.id}"
    assert received[0][3] == datetime(2026, 12, 5, 0, 0, tzinfo=UTC)


def test_send_reminders_command_is_idempotent(app, runner):
    from datetime import timedelta

    from komoro_engage.core import clock
    from komoro_engage.core.clock import JAPAN

    with app.app_context():
        project = make_project()
        tomorrow = clock.now().astimezone(JAPAN).date() + timedelta(days=1)
        day = _day(project, day=tomorrow)
        rsvp(make_user(), day)
        db.session.commit()
    received = []
    with events.activity_reminder_due.connected_to(lambda sender, **kw: received.append(kw)):
        first = runner.invoke(args=["komoro", "send-reminders"])
        second = runner.invoke(args=["komoro", "send-reminders"])
    assert first.exit_code == 0, first.output
    assert "sent 1 activity-day reminder(s)" in first.output
    assert "sent 0 activity-day reminder(s)" in second.output
    assert len(received) == 1


def test_a_report_on_a_day_waits_until_the_day_has_begun(ctx):
    """The service refuses it whatever the form offered (the app's clock decides)."""
    project = make_project()
    day = _day(project)
    lead = project_lead(project)
    with clock.freeze(AFTER_THE_DAY - timedelta(hours=2)), pytest.raises(DayNotBegun):
        file_report(lead, project, ReportData(body="先に書きます", activity_day_id=day.id))
    assert db.session.scalar(select(func.count()).select_from(ProgressReport).where(
        ProgressReport.project_id == project.id)) == 0
    with clock.freeze(AFTER_THE_DAY):
        report = file_report(lead, project, ReportData(body="10人で清掃しました",
                                                       activity_day_id=day.id))
    assert report.activity_day_id == day.id
