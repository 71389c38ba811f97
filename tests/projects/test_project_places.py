"""Places on projects (issue 21): organisers and staff see the exact point, everyone else
the 1/4 mesh centre; a project made from a proposal takes only the proposal's public place."""

from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.core.mesh import quarter_mesh
from komoro_engage.extensions import db
from komoro_engage.plan.place_models import Landmark
from komoro_engage.projects.services import data_from_proposal
from tests.factories import make_user
from tests.projects.helpers import make_project
from tests.proposals.helpers import make_proposal

EXACT = (36.3187654, 138.4345678)
TRACES = ("3187654", "4345678", "36.31876", "138.43456")


def test_project_pages_and_api_show_the_exact_point_only_to_organisers_and_staff(
        app, client, login):
    with app.app_context():
        lead, stranger, staff = make_user(), make_user(), make_user(role=Role.STAFF)
        project = make_project(lead, point=EXACT)
        assert project.district.name == "中央(東南部)"  # nearest centre
        project_id = project.id
        db.session.commit()
    for viewer in (login(lead), login(staff)):
        assert "3187654" in viewer.get(f"/projects/{project_id}").get_data(as_text=True)
    for viewer in (client, login(stranger)):
        for url in ("/projects", f"/projects/{project_id}", "/api/v1/projects",
                    f"/api/v1/projects/{project_id}"):
            body = viewer.get(url).get_data(as_text=True)
            assert not [t for t in TRACES if t in body], url
    mesh = quarter_mesh(*EXACT)
    place = client.get(f"/api/v1/projects/{project_id}").get_json()["place"]
    assert (place["latitude"], place["longitude"], place["mesh_code"]) == (
        mesh.latitude, mesh.longitude, mesh.code)


def test_a_project_from_a_proposal_takes_its_public_place_not_its_exact_point(app):
    with app.app_context():
        proposal = make_proposal(point=EXACT)
        data = data_from_proposal(proposal, make_user())
        mesh = quarter_mesh(*EXACT)
        assert data.point == (mesh.latitude, mesh.longitude)
        station = db.session.scalars(select(Landmark).where(Landmark.key == "komoro-station")
                                     ).one()
        assert data_from_proposal(make_proposal(landmark=station), make_user()
                                  ).landmark_id == station.id


def test_the_project_form_posts_a_landmark(app, login):
    with app.app_context():
        lead = make_user(role=Role.STAFF)
        project = make_project(lead)
        station = db.session.scalars(select(Landmark).where(Landmark.key == "komoro-station")
                                     ).one()
        project_id, station_id = project.id, station.id
        db.session.commit()
    client = login(lead)
    form = client.get(f"/projects/{project_id}/edit")
    assert form.status_code == 200 and "data-map-pick" in form.get_data(as_text=True)
    assert "cyberjapandata.gsi.go.jp" in form.headers["Content-Security-Policy"]
    with app.app_context():
        from komoro_engage.projects.models import Project

        project = db.session.get(Project, project_id)
        data = {"title": project.title, "summary": project.summary, "description": "",
                "lead": f"u{project.lead_user_id}",
                "policy_areas": [str(a.id) for a in project.policy_areas],
                "district": "", "landmark": str(station_id), "latitude": "", "longitude": ""}
    assert client.post(f"/projects/{project_id}/edit", data=data).status_code == 302
    with app.app_context():
        project = db.session.get(Project, project_id)
        assert project.landmark_id == station_id and project.latitude is None
        assert project.district.name == "中央(中部)"


def test_the_project_map_view_has_public_markers_and_a_list_by_district(app, client):
    with app.app_context():
        make_project(title="河川敷のごみ拾い", point=EXACT)
        make_project(title="場所のないプロジェクト")
        db.session.commit()
    response = client.get("/projects?view=map")
    body = response.get_data(as_text=True)
    assert "河川敷のごみ拾い" in body and "場所のないプロジェクト" in body
    assert "（地図に場所なし）" in body and "data-markers=" in body
    assert not [t for t in TRACES if t in body]
    assert "cyberjapandata.gsi.go.jp" in response.headers["Content-Security-Policy"]
    assert "cyberjapandata.gsi.go.jp" not in client.get("/projects").headers[
        "Content-Security-Policy"]


def test_project_map_view_queries_do_not_grow(app, client, count_queries):
    def grow(n):
        with app.app_context():
            for i in range(n):
                make_project(point=(36.31 + i / 1000, 138.42))
            db.session.commit()

    grow(2)
    client.get("/projects?view=map")
    before = count_queries.of_get(client, "/projects?view=map")
    grow(15)
    assert count_queries.of_get(client, "/projects?view=map") == before
    assert before <= 3, count_queries.statements


def test_an_activity_day_takes_a_point_and_shows_only_its_public_place(app, client, login):
    from datetime import date, time

    from komoro_engage.projects.activities import DayData, save_activity_day

    with app.app_context():
        lead = make_user()
        project = make_project(lead)
        day = save_activity_day(lead, project, DayData(
            day=date(2026, 12, 20), start=time(9), end=time(11), place="河川敷の駐車場",
            point=EXACT))
        project_id, day_id = project.id, day.id
        db.session.commit()
    form = login(lead).get(f"/activity-days/{day_id}/edit")
    assert form.status_code == 200 and "data-map-pick" in form.get_data(as_text=True)
    for url in (f"/projects/{project_id}", f"/api/v1/projects/{project_id}"):
        body = client.get(url).get_data(as_text=True)
        assert "約250m四方" in body or '"mesh_code"' in body
        assert not [t for t in TRACES if t in body], url
    location = client.get(f"/api/v1/projects/{project_id}").get_json()[
        "activity_days"][0]["location"]
    assert location["mesh_code"] == quarter_mesh(*EXACT).code
