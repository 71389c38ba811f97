"""Project pages over HTTP: create, lifecycle, join, RSVP (htmx), attendance, reports, feeds."""

import re
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO

import pytest
from icalendar import Calendar
from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure, PriorityItem
from komoro_engage.projects.activities import DayData, calendar_token, save_activity_day
from komoro_engage.projects.membership import join_project, rsvp
from komoro_engage.projects.models import (
    ActivityDay,
    MemberStatus,
    ProgressReport,
    Project,
    ProjectMember,
    ProjectStatus,
)
from komoro_engage.proposals.lifecycle.links import link_measure
from komoro_engage.proposals.models import ProposalStatus
from tests.factories import make_organisation, make_user
from tests.media import images
from tests.projects.helpers import make_project, staff_user
from tests.proposals.helpers import area, make_proposal


@pytest.fixture
def world(app):
    with app.app_context():
        lead, resident, other = make_user(), make_user(), make_user()
        measure = db.session.scalars(select(Measure).order_by(Measure.sort_key)).first()
        project = make_project(lead, ProjectStatus.RECRUITING, capacity=1,
                               measure_ids=[measure.id])
        day = save_activity_day(lead, project, DayData(
            day=date(2026, 12, 5), start=time(9), end=time(12), title="草刈り",
            place="布引観音の参道", capacity=10))
        ids = {"lead": lead, "resident": resident, "other": other, "project": project.id,
               "lead_id": lead.id, "resident_id": resident.id, "other_id": other.id,
               "day": day.id, "measure": measure.code, "area": area(1).id}
        db.session.commit()
    return ids


def _user(world, name):
    return db.session.get(User, world[f"{name}_id"])


def test_list_and_detail_show_the_project(client, world):
    listing = client.get("/projects")
    assert listing.status_code == 200 and "千曲川の河川敷" in listing.text
    filtered = client.get(f"/projects?status=completed&area={world['area']}")
    assert "千曲川の河川敷" not in filtered.text
    page = client.get(f"/projects/{world['project']}")
    assert page.status_code == 200
    assert "草刈り" in page.text and "布引観音の参道" in page.text
    assert "参加者募集中" in page.text and "当日スタッフ" in page.text
    # Its plan links (one statement since issue 16): the area and measure, each a link.
    assert f'href="/projects?area={world["area"]}">子育て・教育</a>' in page.text
    assert f'href="/plan/measures/{world["measure"]}">{world["measure"]} ' in page.text
    assert "重点項目" not in page.text.split("<dl")[1].split("</dl>")[0]  # none linked


def test_the_project_page_names_its_plan_links_in_each_language(app, client, world):
    with app.app_context():
        project = db.session.get(Project, world["project"])
        item = db.session.scalars(select(PriorityItem).order_by(PriorityItem.number)).first()
        project.priority_items.append(item)
        labels = (item.id, item.title, item.title_en)
        db.session.commit()
    page = client.get(f"/projects/{world['project']}").text
    assert f'<a href="/projects?item={labels[0]}">{labels[1]}</a>' in page
    client.set_cookie("lang", "en")
    english = client.get(f"/projects/{world['project']}").text
    assert f">{labels[2]}</a>" in english and ">Child-rearing and education</a>" in english


def test_measure_page_lists_its_projects(client, world):
    assert "千曲川の河川敷" in client.get(f"/plan/measures/{world['measure']}").text


def test_only_organisers_change_status(app, login, world):
    url = f"/projects/{world['project']}/status/start"
    assert login(world["other"]).post(url, data={"reason": ""}).status_code == 403
    assert login(world["lead"]).post(url, data={"reason": "始めます"}).status_code == 302
    with app.app_context():
        assert db.session.get(Project, world["project"]).status == ProjectStatus.ACTIVE
    # Not a transition from 実施中: refused.
    assert login(world["lead"]).post(
        f"/projects/{world['project']}/status/open_recruiting").status_code == 403


def test_the_timeline_shows_each_status_change_with_its_reason_in_order(app, login, client,
                                                                       world):
    lead = login(world["lead"])
    url = f"/projects/{world['project']}/status"
    assert lead.post(f"{url}/start", data={"reason": "草刈りから始めます"}).status_code == 302
    assert lead.post(f"{url}/complete", data={"reason": "雪のため<b>終了</b>"}).status_code == 302
    for reader in (client, lead):
        page = reader.get(f"/projects/{world['project']}").text
        timeline = page.split('<ol class="timeline">')[1].split("</ol>")[0]
        steps = re.findall(r"<li>(.*?)</li>", timeline)
        # Made (準備中), opened (参加者募集中), then the two changes, oldest first.
        assert len(steps) == 4 and steps[0].endswith("準備中"), steps
        assert steps[1].endswith("参加者募集中") and "実施中 — 草刈りから始めます" in steps[2]
        assert "完了 — 雪のため&lt;b&gt;終了&lt;/b&gt;" in steps[3]
        assert all(step.startswith("<time datetime=") for step in steps)


def test_join_then_the_next_person_waits(app, login, world):
    first = login(world["resident"]).post(f"/projects/{world['project']}/join",
                                          data={"role": "volunteer", "message": "力になります"})
    assert first.status_code == 302
    second = login(world["other"]).post(f"/projects/{world['project']}/join",
                                        data={"role": "participant"})
    assert second.status_code == 302
    with app.app_context():
        statuses = dict(db.session.execute(select(ProjectMember.user_id, ProjectMember.status)
                                           .where(ProjectMember.project_id == world["project"]))
                        .all())
    assert statuses == {world["resident_id"]: MemberStatus.JOINED,
                        world["other_id"]: MemberStatus.WAITING}
    leave = login(world["resident"]).post(f"/projects/{world['project']}/leave")
    assert leave.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ProjectMember.status).where(
            ProjectMember.user_id == world["other_id"])) == MemberStatus.JOINED


def test_rsvp_with_htmx_swaps_the_button(app, login, world):
    with app.app_context():
        join_project(_user(world, "resident"), db.session.get(Project, world["project"]))
        db.session.commit()
    client = login(world["resident"])
    response = client.post(f"/activity-days/{world['day']}/rsvp", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "参加をやめる" in response.text and "<html" not in response.text
    with app.app_context():
        assert db.session.get(ActivityDay, world["day"]).rsvp_count == 1
    # Someone who has not joined the project cannot RSVP.
    assert login(world["other"]).post(f"/activity-days/{world['day']}/rsvp").status_code == 403


# 2026-12-05 09:00 in Japan (the world's day) is 00:00 UTC.
DAY_BEGUN = datetime(2026, 12, 5, 0, 30, tzinfo=UTC)


def test_attendance_and_report_with_photo(app, login, world):
    with app.app_context():
        project = db.session.get(Project, world["project"])
        join_project(_user(world, "resident"), project)
        rsvp(_user(world, "resident"), db.session.get(ActivityDay, world["day"]))
        db.session.commit()
    lead = login(world["lead"])
    with clock.freeze(DAY_BEGUN):
        assert lead.get(f"/activity-days/{world['day']}/attendance").status_code == 200
        response = lead.post(f"/activity-days/{world['day']}/attendance",
                             data={"attended": [str(world["resident_id"])], "count": "12"})
        assert response.status_code == 302
        report = lead.post(f"/projects/{world['project']}/reports/new", data={
            "body": "12人で参道の草を刈りました。", "activity_day": str(world["day"]),
            "attendance_count": "12", "volunteer_hours": "36.5",
            "photos": [(BytesIO(images.phone_jpeg()), "kusakari.jpg")]},
            content_type="multipart/form-data")
        assert report.status_code == 302
    with app.app_context():
        filed = db.session.scalars(select(ProgressReport).where(
            ProgressReport.project_id == world["project"])).one()
        assert filed.volunteer_hours == 36.5 and len(filed.photos) == 1
        assert db.session.get(ActivityDay, world["day"]).attendance_count == 12
    page = lead.get(f"/projects/{world['project']}").text
    assert "12人で参道の草を刈りました。" in page and "36.5" in page
    assert login(world["other"]).get(
        f"/projects/{world['project']}/reports/new").status_code == 403


def test_attendance_and_reports_wait_until_the_day_has_begun(app, login, world):
    """Recording who came, or reporting on a day, before it has begun is refused in words."""
    lead = login(world["lead"])
    with clock.freeze(DAY_BEGUN - timedelta(hours=1)):
        page = lead.get(f"/activity-days/{world['day']}/attendance")
        assert page.status_code == 200 and "まだ始まっていません" in page.text
        assert "12月5日（土）09:00 から" in page.text and "<form method=\"post\"" not in page.text
        refused = lead.post(f"/activity-days/{world['day']}/attendance", data={"count": "12"})
        assert refused.status_code == 422 and "まだ始まっていません" in refused.text
        assert "出席を記録する" not in lead.get(f"/projects/{world['project']}").text
        form = lead.get(f"/projects/{world['project']}/reports/new").text
        assert f'value="{world["day"]}"' not in form  # the day is not offered
        report = lead.post(f"/projects/{world['project']}/reports/new", data={
            "body": "先に書いておきます。", "activity_day": str(world["day"])})
        assert report.status_code == 422 and "先に書いておきます。" in report.text
        assert "報告は活動日が始まってから書けます。" in report.text
        english = lead.post(f"/projects/{world['project']}/reports/new", data={
            "body": "x", "activity_day": str(world["day"])}, headers={"Accept-Language": "en"})
        assert english.status_code == 422 and "has not begun yet" in english.text
    with app.app_context():
        assert db.session.get(ActivityDay, world["day"]).attendance_count is None
        assert db.session.scalars(select(ProgressReport).where(
            ProgressReport.project_id == world["project"])).first() is None


def test_completion_report_needs_outcomes_and_keeps_the_text(login, world):
    response = login(world["lead"]).post(f"/projects/{world['project']}/reports/new", data={
        "body": "最後の活動でした。", "is_completion": "y", "outcomes": ""})
    assert response.status_code == 422
    assert "完了報告には成果を書いてください。" in response.text
    assert "最後の活動でした。" in response.text


def test_staff_create_a_project_from_an_adopted_proposal(app, login, world):
    with app.app_context():
        staff = staff_user()
        proposal = make_proposal(status=ProposalStatus.ADOPTED, title="空き家で子ども食堂を開く")
        link_measure(staff, proposal, db.session.scalars(select(Measure)).first(), 2026,
                     "子どもの居場所づくりに沿う")
        pending = make_proposal(status=ProposalStatus.PUBLISHED)
        db.session.commit()
        proposal_id, pending_id, staff_id = proposal.id, pending.id, staff.id
    client = login(staff)
    form = client.get(f"/proposals/{proposal_id}/project")
    assert form.status_code == 200 and "空き家で子ども食堂を開く" in form.text
    # The form comes filled from the proposal, its measures ticked.
    measures = re.findall(r'<input checked id="measures-\d+" name="measures" type="checkbox" '
                          r'value="(\d+)"', form.text)
    assert len(measures) == 1
    response = client.post(f"/proposals/{proposal_id}/project", data={
        "title": "空き家で子ども食堂を開く", "summary": "月2回の子ども食堂",
        "lead": f"u{staff_id}", "policy_areas": [str(world["area"])], "district": "",
        "measures": measures})
    assert response.status_code == 302
    with app.app_context():
        project = db.session.scalars(select(Project).where(
            Project.proposal_id == proposal_id)).one()
        assert len(project.measures) == 1
    assert login(world["resident"]).get(f"/proposals/{proposal_id}/project").status_code == 403
    assert client.get(f"/proposals/{pending_id}/project").status_code == 403


def test_organisation_managers_create_projects_for_their_organisation(app, login):
    with app.app_context():
        manager = make_user()
        # Verified: its projects are public at once (test_project_review.py has the rest).
        organisation = make_organisation(manager, verified_at=clock.now())
        area_id = area(3).id
        db.session.commit()
        org_id = organisation.id
    response = login(manager).post("/projects/new", data={
        "title": "里山の間伐体験", "summary": "間伐を体験します", "lead": f"o{org_id}",
        "policy_areas": [str(area_id)], "capacity": "20"})
    assert response.status_code == 302
    assert "里山の間伐体験" in login(manager).get(f"/organisations/{org_id}").text
    assert login(make_user_committed(app)).get("/projects/new").status_code == 403


def make_user_committed(app):
    with app.app_context():
        user = make_user()
        db.session.commit()
    return user


def test_calendar_feeds_parse_back(app, client, login, world):
    feed = client.get(f"/projects/{world['project']}/calendar.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    calendar = Calendar.from_ical(feed.data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["location"]) == "布引観音の参道"
    assert event.decoded("dtstart").isoformat() == "2026-12-05T00:00:00+00:00"  # 09:00 JST
    assert event.decoded("dtend").isoformat() == "2026-12-05T03:00:00+00:00"
    assert f"/projects/{world['project']}" in str(event["url"])
    with app.app_context():
        join_project(_user(world, "resident"), db.session.get(Project, world["project"]))
        rsvp(_user(world, "resident"), db.session.get(ActivityDay, world["day"]))
        token = calendar_token(_user(world, "resident"))
        db.session.commit()
    mine = Calendar.from_ical(client.get(f"/calendar/{token}.ics").data)
    assert [str(e["summary"]) for e in mine.walk("VEVENT")] == [
        str(event["summary"])]
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    page = login(world["resident"]).get("/projects/my-calendar")
    assert token in page.text


def test_poster_has_an_inline_svg_qr_code(client, world):
    poster = client.get(f"/projects/{world['project']}/poster")
    assert poster.status_code == 200
    assert '<svg class="qr"' in poster.text and "style=" not in poster.text
    assert "poster.css" in poster.text


def test_detail_and_list_stay_within_the_weight_budget(client, world):
    import gzip

    from bench.load import PageAssets

    for path in (f"/projects/{world['project']}", "/projects"):
        response = client.get(path)
        assets = PageAssets()
        assets.feed(response.get_data(as_text=True))
        bodies = [response.data]
        for href in assets.css + assets.js:
            asset = client.get(href)
            bodies.append(asset.data)
            asset.close()  # static files are streamed
        compressed = sum(len(gzip.compress(body, compresslevel=6)) for body in bodies)
        assert compressed <= 60 * 1024
        assert 1 + len(assets.css) + len(assets.js) + len(assets.icons) <= 6


def test_adding_a_partner_checks_the_choice(app, login, world):
    client = login(world["lead"])
    url = f"/projects/{world['project']}/partners/new"
    assert client.post(url, data={"role": "cooperation", "organisation": "x1"}).status_code == 422
    assert client.post(url, data={"role": "cooperation", "organisation": ""}).status_code == 422
    missing_name = client.post(url, data={"role": "city_department", "department": ""})
    assert missing_name.status_code == 422
    assert "担当課の名前を入力してください。" in missing_name.text
    assert client.post(url, data={"role": "city_department",
                                  "department": "環境課"}).status_code == 302


def test_organisers_move_an_activity_day_in_japan_time(app, login, world):
    client = login(world["lead"])
    form = client.get(f"/activity-days/{world['day']}/edit")
    assert 'value="09:00"' in form.text and 'value="2026-12-05"' in form.text
    response = client.post(f"/activity-days/{world['day']}/edit", data={
        "day": "2026-12-06", "start": "13:30", "end": "15:00", "place": "公民館",
        "title": "草刈り"})
    assert response.status_code == 302
    with app.app_context():
        day = db.session.get(ActivityDay, world["day"])
        assert day.starts_at.isoformat().startswith("2026-12-06 04:30") or \
            day.starts_at.isoformat().startswith("2026-12-06T04:30")
    assert login(world["other"]).get(f"/activity-days/{world['day']}/edit").status_code == 403
