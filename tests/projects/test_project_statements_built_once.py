"""The project page's statements are built once per process and run with each page's and
each reader's ids (issue 16): the project, its activity, the reader's membership, RSVPs,
organiser and partner checks, the organisations they manage, and the poll placed there.
Each page must read its own rows, never those of the page or reader that came first."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from komoro_engage.accounts.permissions import managed_organisations
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.projects import activity_queries
from komoro_engage.projects.activities import DayData, ReportData, file_report, save_activity_day
from komoro_engage.projects.membership import join_project, membership, rsvp
from komoro_engage.projects.messages import audiences_of
from komoro_engage.projects.models import Project
from komoro_engage.projects.permissions import is_organiser
from komoro_engage.projects.queries import PAGE_OPTIONS, project_detail
from komoro_engage.projects.services import add_partner
from komoro_engage.surveys.polls import create_poll, poll_at
from tests.factories import make_organisation, make_user
from tests.projects.helpers import make_project, staff_user


def _day(lead, project, title: str, days_ahead: int):
    return save_activity_day(lead, project, DayData(
        day=clock.japan_today() + timedelta(days=days_ahead), start=time(9), end=time(11),
        title=title))


def test_each_project_reads_its_own_activity_and_readers(ctx):
    first_lead, second_manager, member, partner_manager = (make_user() for _ in range(4))
    second_org = make_organisation(second_manager, name="川辺の会")
    first = make_project(first_lead, title="一つ目のプロジェクト")
    second = make_project(organisation=second_org, creator=second_manager,
                          title="二つ目のプロジェクト")
    add_partner(first_lead, first, "cooperation", make_organisation(partner_manager))
    join_project(member, second)
    first_day = _day(first_lead, first, "一つ目の活動日", 3)
    second_day = _day(second_manager, second, "二つ目の活動日", 4)
    rsvp(first_lead, first_day)
    rsvp(member, second_day)
    file_report(second_manager, second, ReportData(body="二つ目の報告", volunteer_hours=2.5))
    ids = first.id, second.id
    db.session.flush()
    db.session.expunge_all()  # the statements load afresh, not from the identity map

    first, second = project_detail(ids[0], PAGE_OPTIONS), project_detail(ids[1])
    assert (first.title, second.title) == ("一つ目のプロジェクト", "二つ目のプロジェクト")
    with pytest.raises(NotFound):
        project_detail(db.session.scalar(select(func.max(Project.id))) + 1000)

    first_activity = activity_queries.activity(first)
    second_activity = activity_queries.activity(second)
    assert [d.title for d in first_activity.days] == ["一つ目の活動日"]
    assert [d.title for d in second_activity.days] == ["二つ目の活動日"]
    assert first_activity.reports == [] and first_activity.volunteer_hours == 0
    assert [r.body for r in second_activity.reports] == ["二つ目の報告"]
    assert second_activity.volunteer_hours == 2.5

    assert membership(member, second) is not None and membership(member, first) is None
    assert activity_queries.rsvped_day_ids(first_lead, first) == {first_day.id}
    assert activity_queries.rsvped_day_ids(first_lead, second) == set()
    assert activity_queries.rsvped_day_ids(member, second) == {second_day.id}
    assert activity_queries.rsvped_day_ids(member, first) == set()

    assert is_organiser(second_manager, second) and not is_organiser(second_manager, first)
    assert not is_organiser(member, second)
    assert audiences_of(partner_manager, first) == ["partners"]
    assert audiences_of(partner_manager, second) == []
    assert [o.name for o in managed_organisations(second_manager)] == ["川辺の会"]
    assert managed_organisations(member) == []


def test_each_placement_reads_its_own_poll(ctx):
    staff = staff_user()
    first, second = make_project(), make_project()
    on_home = create_poll(staff, "駅前に欲しいものは", ["ベンチ", "花壇"], "home", None)
    on_second = create_poll(staff, "次の活動日は", ["土曜", "日曜"], "project", second.id)
    db.session.flush()

    assert poll_at("home", None).id == on_home.id
    assert poll_at("project", second.id).id == on_second.id
    assert poll_at("project", first.id) is None
    assert poll_at("measure", None) is None


def test_the_page_loads_a_project_and_all_its_partners_in_one_statement(ctx, count_queries):
    lead = make_user()
    project = make_project(lead, title="協力の多いプロジェクト")
    names = ["一の会", "二の会", "三の会"]
    for name in names:
        add_partner(lead, project, "cooperation", make_organisation(make_user(), name=name))
    make_project(make_user(), title="協力のないプロジェクト")
    project_id = project.id
    db.session.flush()
    db.session.expunge_all()

    count_queries.reset()
    loaded = project_detail(project_id, PAGE_OPTIONS)
    # one object however many rows its partners join in, each partner with its organisation
    assert sorted(p.organisation.name for p in loaded.partners) == sorted(names)
    assert loaded.lead_user.id == lead.id
    assert count_queries.count == 1, count_queries.statements
