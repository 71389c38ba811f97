"""Project pages run the same number of SQL statements whatever the data size."""

import secrets
from datetime import date, time

import pytest
from sqlalchemy import select

from komoro_engage.extensions import db
from komoro_engage.media.models import Photo
from komoro_engage.plan.models import Measure
from komoro_engage.projects.activities import DayData, ReportData, file_report, save_activity_day
from komoro_engage.projects.membership import join_project, rsvp
from komoro_engage.projects.services import add_partner
from tests.factories import make_organisation, make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import district

LIST_QUERIES = ["", "?status=recruiting", "?area=1", "?q=河川敷", "?measure={measure}",
                "?district={district}", "?sort=active&page=2&per_page=2"]


def grow(app, projects: int, days: int, reports: int, members: int) -> dict:
    """Projects with partners, members, activity days with RSVPs, reports with photos."""
    with app.app_context():
        lead = make_user()
        organisation = make_organisation(lead)
        measure = db.session.scalars(select(Measure)).first()
        first = None
        for n in range(projects):
            project = make_project(lead, organisation=organisation if n % 2 else None,
                                   measure_ids=[measure.id], district_id=district().id)
            first = first or project
            add_partner(lead, project, "cooperation", make_organisation())
            add_partner(lead, project, "city_department", None, "市民協働課")
            people = [make_user() for _ in range(members)]
            for person in people:
                join_project(person, project, "volunteer")
            for d in range(days):
                day = save_activity_day(lead, project, DayData(
                    day=date(2026, 12, 1 + d), start=time(9), end=time(12), place="公民館"))
                for person in people:
                    rsvp(person, day)
            for _r in range(reports):
                photos = []
                for _p in range(2):
                    photo = Photo(key=secrets.token_urlsafe(16),
                                  thumb_key=secrets.token_urlsafe(16), content_type="image/jpeg",
                                  width=10, height=10, byte_size=1, thumb_width=10,
                                  thumb_height=10)
                    db.session.add(photo)
                    photos.append(photo)
                db.session.flush()
                file_report(people[0] if people else lead, project,
                            ReportData(body="活動しました", volunteer_hours=3.5), photos)
        resident = make_user()  # in no project
        db.session.commit()
        return {"first": first.id, "measure": measure.id, "district": district().id,
                "lead": lead, "member": people[0] if people else None, "resident": resident}


@pytest.mark.parametrize("query", LIST_QUERIES)
def test_list_queries_do_not_grow(app, client, count_queries, query):
    small = grow(app, projects=3, days=1, reports=1, members=1)
    url = "/projects" + query.format(**small)
    client.get(url)  # the filter form is built once and kept with the plan (core/fragments)
    before = count_queries.of_get(client, url)
    grow(app, projects=12, days=2, reports=2, members=3)
    after = count_queries.of_get(client, url)
    assert before == after, count_queries.statements
    assert after <= 10


@pytest.mark.parametrize("viewer", ["anonymous", "member", "lead", "resident"])
def test_detail_queries_do_not_grow(app, client, login, count_queries, viewer):
    small = grow(app, projects=1, days=1, reports=1, members=1)
    large = grow(app, projects=1, days=8, reports=6, members=6)

    def get(world, path=""):
        who = None if viewer == "anonymous" else world[viewer]
        return count_queries.of_get(login(who) if who else client,
                                    f"/projects/{world['first']}{path}")

    before, after = get(small), get(large)
    assert before == after, count_queries.statements
    # 18 before issue 22.2; signed in, 19 with what the viewer follows (the follow button)
    # Issue 16: a resident outside the project: the archive link's checks reuse what the
    # page read (organiser, membership), 21 to 20 (one more where the project has a lead
    # organisation, whose managers were looked up twice); then the plan links in one
    # statement instead of three selectin loads: 3 fewer for everyone. Then (eighth pass)
    # the reader's membership, RSVPs, organiser and partner checks ride on the project's
    # statement (projects/reader.py), and whether they manage an organisation on the
    # person's: 15 or 16 to 11 for a signed-in reader. Then (sixteenth pass) the page's
    # figures (members waiting, volunteer hours) ride on the project's statement too.
    assert after <= {"anonymous": 8}.get(viewer, 9), after
    assert get(small, "/poster") == get(large, "/poster")
    assert get(small, "/calendar.ics") == get(large, "/calendar.ics")
