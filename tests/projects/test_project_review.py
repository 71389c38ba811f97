"""Projects of unverified organisations wait for staff, like residents' proposals.

Before: an organisation registered a minute earlier as 「小諸市役所 公式」 published a
協働 project at once. Now it waits (審査待ち), seen only by its organisers and staff,
until staff approve it from the console or send it back with a reason.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role, User
from komoro_engage.core import clock
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.media.access import Sight, sight
from komoro_engage.media.services import store_photo
from komoro_engage.notifications.models import Notification
from komoro_engage.plan.models import Measure
from komoro_engage.projects.activities import DayData, ReportData, file_report, save_activity_day
from komoro_engage.projects.models import Project, ProjectReview, ProjectStatus
from komoro_engage.projects.participation import project_figures
from komoro_engage.projects.services import ProjectData, update_project
from tests.factories import make_organisation, make_user
from tests.media import images
from tests.projects.helpers import make_project
from tests.proposals.helpers import area

TITLE = "小諸市役所 公式 ごみ拾い大作戦"


@pytest.fixture
def unverified(app):
    """A resident managing an unverified organisation, staff, and an onlooker."""
    with app.app_context():
        manager, staff, onlooker = make_user(), make_user(Role.STAFF), make_user()
        organisation = make_organisation(manager, name="小諸市役所 公式")
        measure = db.session.scalars(select(Measure).order_by(Measure.sort_key)).first()
        ids = {"manager": manager, "staff": staff, "onlooker": onlooker,
               "manager_id": manager.id, "staff_id": staff.id,
               "org": organisation.id, "area": area(1).id, "measure": measure.id,
               "measure_code": measure.code}
        db.session.commit()
    return ids


def create(client, world, title=TITLE, lead=None):
    response = client.post("/projects/new", data={
        "title": title, "summary": "市の公式行事です", "lead": lead or f"o{world['org']}",
        "policy_areas": [str(world["area"])], "measures": [str(world["measure"])]})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def shown(client, path: str) -> str:
    """The page's text; the API's JSON with its titles decoded."""
    response = client.get(path)
    assert response.status_code == 200, path
    if path.startswith("/api/"):
        return " ".join(item["title"] for item in response.json["items"])
    return response.text


def review_of(app, project_id):
    with app.app_context():
        return db.session.get(Project, project_id).review


def test_an_unverified_organisations_project_is_hidden_until_staff_approve(
        app, client, login, unverified):
    manager = login(unverified["manager"])
    project_id = create(manager, unverified)
    assert review_of(app, project_id) == ProjectReview.PENDING
    own = manager.get(f"/projects/{project_id}")
    assert own.status_code == 200 and "市の職員の確認待ちです" in own.text

    onlooker = login(unverified["onlooker"])
    hidden = [f"/projects/{project_id}", f"/api/v1/projects/{project_id}",
              f"/projects/{project_id}/calendar.ics", f"/projects/{project_id}/poster"]
    for path in hidden:
        assert client.get(path).status_code == 404, path
        assert onlooker.get(path).status_code == 404, path
    lists = ["/projects", "/projects?q=ごみ拾い大作戦", "/api/v1/projects",
             f"/organisations/{unverified['org']}", f"/plan/measures/{unverified['measure_code']}"]
    for path in lists:
        assert TITLE not in shown(client, path), path
    assert onlooker.post(f"/projects/{project_id}/join").status_code == 403
    assert onlooker.post(f"/projects/{project_id}/comments",
                         data={"body": "参加したいです"}).status_code == 404
    # Organisers may not open recruiting while it waits; cancelling stays possible.
    assert manager.post(f"/projects/{project_id}/status/open_recruiting").status_code == 403

    staff = login(unverified["staff"])
    queue = staff.get("/staff?queue=projects").text
    assert TITLE in queue and f"project:{project_id}" in queue and "未確認" in queue
    assert staff.get(f"/projects/{project_id}").status_code == 200
    done = staff.post("/staff/actions", data={
        "action": "approve", "targets": [f"project:{project_id}"], "queue": "projects"})
    assert done.status_code == 302
    assert review_of(app, project_id) == ProjectReview.APPROVED

    assert client.get(f"/projects/{project_id}").status_code == 200
    assert client.get(f"/api/v1/projects/{project_id}").status_code == 200
    for path in lists:
        assert TITLE in shown(client, path), path
    assert f"project:{project_id}" not in staff.get("/staff?queue=projects").text
    with app.app_context():
        audit = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "project.approved", AuditEntry.target_id == project_id)).one()
        assert audit.actor_id == unverified["staff_id"]
        told = db.session.scalars(select(Notification).where(
            Notification.user_id == unverified["manager_id"])).all()
        assert [n.kind for n in told] == ["project_approved"]


def test_sent_back_with_a_reason_then_an_edit_sends_it_again(app, client, login, unverified):
    manager = login(unverified["manager"])
    project_id = create(manager, unverified)
    staff = login(unverified["staff"])
    no_reason = staff.post("/staff/actions", data={
        "action": "send_back", "targets": [f"project:{project_id}"], "queue": "projects"})
    assert no_reason.status_code == 422 and "この操作には理由が必要です。" in no_reason.text
    assert review_of(app, project_id) == ProjectReview.PENDING

    staff.post("/staff/actions", data={
        "action": "send_back", "targets": [f"project:{project_id}"], "queue": "projects",
        "reason": "市の名前を名乗らないでください。"})
    assert review_of(app, project_id) == ProjectReview.RETURNED
    page = manager.get(f"/projects/{project_id}").text
    assert "市の名前を名乗らないでください。" in page and "差し戻し" in page
    assert client.get(f"/projects/{project_id}").status_code == 404
    assert f"project:{project_id}" not in staff.get("/staff?queue=projects").text

    manager.post(f"/projects/{project_id}/edit", data={
        "title": "里山クラブのごみ拾い", "summary": "みんなで拾います",
        "lead": f"o{unverified['org']}", "policy_areas": [str(unverified["area"])]})
    assert review_of(app, project_id) == ProjectReview.PENDING
    assert "里山クラブのごみ拾い" in staff.get("/staff?queue=projects").text
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.target_type == "project", AuditEntry.target_id == project_id)
            .order_by(AuditEntry.id)))
        assert actions[-2:] == ["project.updated", "project.resubmitted"]
        assert "project.sent_back" in actions
        note = db.session.scalars(select(Notification).where(
            Notification.user_id == unverified["manager_id"])).one()
        assert note.kind == "project_sent_back"
        assert note.params["reason"] == "市の名前を名乗らないでください。"


def test_verified_organisations_and_staff_publish_at_once(app, client, login, unverified):
    with app.app_context():
        manager = make_user()
        verified = make_organisation(manager, verified_at=clock.now())
        db.session.commit()
        verified_id = verified.id
    by_verified = create(login(manager), unverified, "確認済みの団体のプロジェクト",
                         lead=f"o{verified_id}")
    by_staff = create(login(unverified["staff"]), unverified, "職員のプロジェクト")
    for project_id in (by_verified, by_staff):
        assert review_of(app, project_id) == ProjectReview.APPROVED
        assert client.get(f"/projects/{project_id}").status_code == 200


def test_moving_an_approved_project_to_an_unverified_lead_queues_it_again(ctx):
    manager = make_user()
    verified = make_organisation(manager, verified_at=clock.now())
    other = make_organisation(manager)
    project = make_project(manager, organisation=verified)
    assert project.is_public
    data = _data_of(project, lead_organisation_id=other.id)
    update_project(manager, project, data)
    assert project.review == ProjectReview.PENDING
    # A person as the lead needs review too (residents' own projects).
    project.review = ProjectReview.APPROVED
    update_project(manager, project, _data_of(project, lead_organisation_id=verified.id))
    assert project.review == ProjectReview.APPROVED  # a verified lead: still public
    update_project(manager, project, _data_of(project, lead_organisation_id=None,
                                              lead_user_id=manager.id))
    assert project.review == ProjectReview.PENDING
    project.review = ProjectReview.APPROVED
    update_project(make_user(Role.STAFF), project,
                   _data_of(project, lead_organisation_id=other.id))
    assert project.review == ProjectReview.APPROVED  # staff's edits never need review


def _data_of(project: Project, **changes):
    values = {"title": project.title, "summary": project.summary,
              "lead_user_id": None, "lead_organisation_id": project.lead_organisation_id,
              "policy_area_ids": [a.id for a in project.policy_areas]}
    values.update(changes)
    return ProjectData(**values)


def test_figures_and_photos_leave_waiting_projects_out(ctx):
    measure = db.session.scalars(select(Measure).order_by(Measure.sort_key)).first()
    lead, visitor = make_user(), make_user()
    start, end = datetime(2026, 4, 1, tzinfo=UTC), datetime(2027, 4, 1, tzinfo=UTC)
    project = make_project(lead, ProjectStatus.ACTIVE, measure_ids=[measure.id])
    project.opened_at = datetime(2026, 5, 1, tzinfo=UTC)
    save_activity_day(lead, project, DayData(day=date(2026, 6, 1), start=time(9), end=time(11)))
    photo = store_photo(images.upload(images.phone_jpeg()), lead)
    file_report(lead, project, ReportData(body="拾いました", volunteer_hours=3.0), [photo])
    db.session.flush()
    public = project_figures([measure.id], start, end)[measure.id]
    assert (public["projects_active"], public["activity_days"]) == (1, 1)
    assert public["volunteer_hours"] == 3.0
    assert sight(photo, visitor) == Sight.PUBLIC

    project.review = ProjectReview.PENDING
    db.session.flush()
    waiting = project_figures([measure.id], start, end)[measure.id]
    assert (waiting["projects_active"], waiting["activity_days"], waiting["items"]) == (0, 0, [])
    assert waiting["volunteer_hours"] == 0.0
    assert sight(photo, visitor) == Sight.NONE
    assert sight(photo, lead) == Sight.PRIVATE
    assert sight(photo, db.session.get(User, make_user(Role.STAFF).id)) == Sight.PRIVATE
