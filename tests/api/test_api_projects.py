"""/api/v1/projects: responses match the OpenAPI document; no member's personal data."""

from datetime import UTC, date, datetime, time

from sqlalchemy import select

from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure
from komoro_engage.projects.activities import DayData, ReportData, file_report, save_activity_day
from komoro_engage.projects.membership import join_project
from komoro_engage.projects.models import ProjectStatus
from komoro_engage.projects.services import add_partner
from tests.api.test_api_v1 import document, validate  # noqa: F401  (fixture)
from tests.factories import make_organisation, make_user
from tests.projects.helpers import make_project


def _world(app):
    with app.app_context():
        lead = make_user(nickname="河川敷の人", email="lead-secret@example.jp")
        organisation = make_organisation(lead, name="千曲川を守る会")
        measure = db.session.scalars(select(Measure)).first()
        project = make_project(lead, ProjectStatus.ACTIVE, organisation=organisation,
                               measure_ids=[measure.id], capacity=30)
        add_partner(lead, project, "city_department", None, "環境課")
        member = make_user(nickname="参加する人", email="member-secret@example.jp")
        join_project(member, project, "volunteer", "電話番号は090-0000-0000です")
        day = save_activity_day(lead, project, DayData(day=date(2026, 12, 5), start=time(9),
                                                       end=time(12), place="河川敷"))
        with clock.freeze(datetime(2026, 12, 5, 4, tzinfo=UTC)):  # after the day began
            file_report(lead, project, ReportData(body="40袋のごみを集めました",
                                                  volunteer_hours=20, activity_day_id=day.id))
        make_project(make_user(), ProjectStatus.PLANNING, title="準備中の企画")
        db.session.commit()
        return {"id": project.id, "measure": measure.id}


def test_list_and_detail_validate_and_hide_members(app, client, document):  # noqa: F811
    world = _world(app)
    listing = client.get("/api/v1/projects?per_page=5")
    assert listing.status_code == 200
    body = listing.get_json()
    validate(document, "ProjectPage", body)
    assert {item["title"] for item in body["items"]} >= {"準備中の企画"}
    filtered = client.get(f"/api/v1/projects?measure={world['measure']}&status=active")
    assert [item["id"] for item in filtered.get_json()["items"]] == [world["id"]]
    detail = client.get(f"/api/v1/projects/{world['id']}")
    validate(document, "ProjectDetail", detail.get_json())
    data = detail.get_json()
    assert data["lead"] == {"kind": "organisation", "id": data["lead"]["id"],
                            "name": "千曲川を守る会"}
    assert {p["name"] for p in data["partners"]} == {"千曲川を守る会", "環境課"}
    assert data["reports"][0]["volunteer_hours"] == 20
    assert data["activity_days"][0]["starts_at"] == "2026-12-05T00:00:00+00:00"
    text = detail.get_data(as_text=True)
    for private in ("lead-secret@example.jp", "member-secret@example.jp", "参加する人",
                    "090-0000-0000"):
        assert private not in text
    assert client.get("/api/v1/projects/999999").status_code == 404
    paths = document["paths"]
    assert "/projects" in paths and "/projects/{id}" in paths
