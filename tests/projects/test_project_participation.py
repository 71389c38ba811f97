"""project_figures: what the evaluation counts per measure and period, in fixed queries."""

from datetime import UTC, date, datetime, time

from sqlalchemy import select

from komoro_engage.extensions import db
from komoro_engage.plan.fiscal import fiscal_year_bounds
from komoro_engage.plan.models import Measure
from komoro_engage.projects.activities import DayData, ReportData, file_report, save_activity_day
from komoro_engage.projects.membership import join_project
from komoro_engage.projects.models import ProjectStatus
from komoro_engage.projects.participation import project_figures
from komoro_engage.projects.services import add_partner, request_partnership
from tests.factories import make_organisation, make_user
from tests.projects.helpers import make_project

START, END = datetime(2026, 4, 1, tzinfo=UTC), datetime(2027, 4, 1, tzinfo=UTC)


def at(year, month, day):
    return datetime(year, month, day, 3, 0, tzinfo=UTC)


def _measures(n=2):
    return list(db.session.scalars(select(Measure).order_by(Measure.sort_key).limit(n)))


def _project(measure, status, opened=None, closed=None, organisation=None, lead=None):
    project = make_project(lead or make_user(), status, measure_ids=[measure.id],
                           organisation=organisation)
    project.opened_at, project.closed_at = opened, closed
    db.session.flush()
    return project


def test_counts_and_items_per_measure(ctx):
    first, second = _measures()
    lead = make_user()
    organisation = make_organisation(lead)
    running = _project(first, ProjectStatus.ACTIVE, opened=at(2026, 3, 1),
                       organisation=organisation, lead=lead)
    done = _project(first, ProjectStatus.COMPLETED, opened=at(2026, 5, 1),
                    closed=at(2026, 9, 1))
    # Closed before the period, opened after it, never opened: not counted.
    _project(first, ProjectStatus.COMPLETED, opened=at(2025, 5, 1), closed=at(2026, 3, 1))
    _project(first, ProjectStatus.RECRUITING, opened=at(2027, 4, 1))
    _project(first, ProjectStatus.PLANNING)
    other = _project(second, ProjectStatus.RECRUITING, opened=at(2026, 6, 1))

    people = [make_user() for _ in range(3)]
    for person in people:
        join_project(person, running)
    join_project(people[0], done)  # the same person in two projects counts once
    join_project(make_user(), other)
    partner = make_organisation()
    add_partner(lead, running, "cooperation", partner)
    add_partner(lead, done, "co_host", partner)
    add_partner(lead, done, "city_department", None, "市民協働課")  # not an organisation
    asking = make_user()
    request_partnership(asking, done, make_organisation(asking), "cooperation")  # not accepted

    in_period = save_activity_day(lead, running, DayData(day=date(2026, 7, 4), start=time(9),
                                                         end=time(12), place="公民館"))
    save_activity_day(lead, running, DayData(day=date(2027, 4, 1), start=time(9),
                                             end=time(12), place="公民館"))  # next year (JST)
    # 2026-04-01 08:00 in Japan is still 2026-03-31 in UTC: before the period;
    # 09:00 in Japan is the period's first moment (00:00 UTC): inside.
    save_activity_day(lead, running, DayData(day=date(2026, 4, 1), start=time(8),
                                             end=time(9), place="公民館"))
    save_activity_day(lead, running, DayData(day=date(2026, 4, 1), start=time(9),
                                             end=time(10), place="公民館"))
    file_report(lead, running, ReportData(body="活動しました", volunteer_hours=12.5,
                                          activity_day_id=in_period.id))
    file_report(lead, done, ReportData(body="完了しました", volunteer_hours=4.0,
                                       is_completion=True, outcomes="100人が参加"))

    figures = project_figures([first.id, second.id], START, END)
    assert set(figures) == {first.id, second.id}
    one = figures[first.id]
    assert one["projects_active"] == 2  # running, and done (active until September)
    assert one["projects_completed"] == 1
    assert one["participants"] == 3
    assert one["activity_days"] == 2  # July, and 2026-04-01 09:00 JST
    assert one["volunteer_hours"] == 16.5
    assert one["organisations"] == 2  # the lead organisation and the partner
    assert {item["id"] for item in one["items"]} == {running.id, done.id}
    assert all(item["kind"] == "project" for item in one["items"])
    assert {item["status"] for item in one["items"]} == {"active", "completed"}
    two = figures[second.id]
    assert (two["projects_active"], two["participants"], two["organisations"]) == (1, 1, 0)


def test_fiscal_year_bounds_work_as_the_period(ctx):
    (measure,) = _measures(1)
    start, end = fiscal_year_bounds(2026)
    _project(measure, ProjectStatus.ACTIVE, opened=start)
    assert project_figures([measure.id], start, end)[measure.id]["projects_active"] == 1
    assert project_figures([measure.id], end, end.replace(year=end.year + 1))[measure.id][
        "projects_active"] == 1  # still running next year


def test_no_measures_and_empty_measures(ctx):
    (measure,) = _measures(1)
    assert project_figures([], START, END) == {}
    assert project_figures([measure.id], START, END)[measure.id] == {
        "projects_active": 0, "projects_completed": 0, "participants": 0,
        "activity_days": 0, "volunteer_hours": 0.0, "organisations": 0, "items": []}


def test_a_constant_number_of_queries(app, ctx, count_queries):
    measures = _measures(6)
    for measure in measures:
        for _ in range(3):
            project = _project(measure, ProjectStatus.ACTIVE, opened=at(2026, 5, 1))
            join_project(make_user(), project)
    count_queries.reset()
    project_figures([m.id for m in measures[:1]], START, END)
    few = count_queries.count
    count_queries.reset()
    project_figures([m.id for m in measures], START, END)
    assert count_queries.count == few <= 5
