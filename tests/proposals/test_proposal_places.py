"""Places on proposals (issue 21): the exact point stays with the author and staff, the
public sees the 1/4 mesh centre or the chosen landmark, whatever the page or format."""

import json
import re

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.core.mesh import quarter_mesh
from komoro_engage.core.security import MAP_TILE_HOST
from komoro_engage.extensions import db
from komoro_engage.plan.models import District
from komoro_engage.plan.place_models import Landmark
from komoro_engage.plan.places import nearest_district
from komoro_engage.proposals.models import Proposal, ProposalStatus
from tests.factories import make_user
from tests.proposals.helpers import area, make_proposal

# Near 小諸駅, with decimals no 1/4 mesh centre has (centres are k/960 and k/640 degrees).
EXACT = (36.3281357, 138.4252468)
TRACES = ("3281357", "4252468", "36.32813", "138.42524")


def traces_in(body: str) -> list[str]:
    return [trace for trace in TRACES if trace in body]


@pytest.fixture
def placed(app):
    """A published proposal placed by a tap (exact point), its author and a stranger."""
    with app.app_context():
        author, stranger = make_user(), make_user()
        proposal = make_proposal(author, title="駅前の横断歩道が危ない", point=EXACT)
        db.session.commit()
        return {"id": proposal.id, "author": author, "stranger": stranger}


def test_a_point_is_published_as_its_mesh_centre_and_fills_the_district(app, placed):
    with app.app_context():
        proposal = db.session.get(Proposal, placed["id"])
        mesh = quarter_mesh(*EXACT)
        assert (proposal.latitude, proposal.longitude) == EXACT
        assert (proposal.public_latitude, proposal.public_longitude) == (mesh.latitude,
                                                                         mesh.longitude)
        assert proposal.mesh_code == mesh.code and proposal.place_precision == "mesh"
        assert proposal.district.name == "中央(中部)"  # the nearest centre to the station


def test_a_landmark_is_published_as_itself_and_keeps_no_exact_point(app):
    with app.app_context():
        station = db.session.scalars(select(Landmark).where(Landmark.key == "hirahara-station")
                                     ).one()
        proposal = make_proposal(landmark=station, point=EXACT)  # the landmark wins
        assert proposal.latitude is None and proposal.longitude is None
        assert (proposal.public_latitude, proposal.public_longitude) == (station.latitude,
                                                                         station.longitude)
        assert proposal.district_id == station.district_id and proposal.ku_id == station.ku_id


def test_nearest_centre_names_each_district_at_its_own_centre(app):
    with app.app_context():
        for district in db.session.scalars(select(District)):
            assert nearest_district(district.latitude, district.longitude).id == district.id


def test_the_author_posts_a_tapped_point_and_a_chosen_district_is_kept(app, login):
    with app.app_context():
        author = make_user()
        district = db.session.scalars(select(District).where(District.name == "大里")).one()
        data = {"title": "駅前に屋根付きの駐輪場を", "body": "雨の日も通学できるように。",
                "kind": "idea", "policy_areas": [str(area(1).id)], "action": "draft",
                "place": f"d{district.id}", "latitude": str(EXACT[0]),
                "longitude": str(EXACT[1]), "landmark": ""}
        db.session.commit()
        author_id, district_id = author.id, district.id
    response = login(author).post("/proposals/new", data=data)
    assert response.status_code == 302
    with app.app_context():
        proposal = db.session.scalars(select(Proposal).where(Proposal.author_id == author_id)
                                      ).one()
        assert (proposal.latitude, proposal.longitude) == EXACT
        assert proposal.district_id == district_id  # the author's choice over the suggestion


@pytest.mark.parametrize(("latitude", "longitude"), [
    ("35.6812", "139.7671"),  # Tokyo: not in Komoro
    ("nan", "138.42"), ("inf", "-inf"), ("36.3", ""), ("", "138.42"), ("36,3", "138,4"),
    ("1e308", "1e308"), ("<script>", "138.4"),
])
def test_a_point_outside_the_city_or_malformed_is_refused_next_to_the_map(
        app, login, latitude, longitude):
    with app.app_context():
        author = make_user()
        data = {"title": "駅前に屋根付きの駐輪場を", "body": "雨の日も通学できるように。",
                "kind": "idea", "policy_areas": [str(area(1).id)], "action": "draft",
                "place": "", "latitude": latitude, "longitude": longitude}
        db.session.commit()
    response = login(author).post("/proposals/new", data=data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "地図で小諸市内の場所をもう一度選んでください。" in body
    assert "雨の日も通学できるように。" in body  # what was typed is kept


def test_an_unknown_landmark_is_an_error_not_a_500(app, login):
    with app.app_context():
        author = make_user()
        data = {"title": "駅前に屋根付きの駐輪場を", "body": "雨の日も通学できるように。",
                "kind": "idea", "policy_areas": [str(area(1).id)], "action": "draft",
                "place": "", "landmark": "999999"}
        db.session.commit()
    assert login(author).post("/proposals/new", data=data).status_code == 422


def test_the_detail_page_shows_the_exact_point_to_the_author_and_staff_only(
        app, client, login, placed):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        db.session.commit()
    url = f"/proposals/{placed['id']}"
    for viewer in (login(placed["author"]), login(staff)):
        body = viewer.get(url).get_data(as_text=True)
        assert "3281357" in body and "約250m四方" in body
    for viewer in (client, login(placed["stranger"])):
        body = viewer.get(url).get_data(as_text=True)
        assert "約250m四方" in body and not traces_in(body)


def public_urls(proposal_id: int) -> list[str]:
    return ["/proposals", "/proposals?view=map", "/proposals?view=map&q=横断歩道",
            f"/proposals/{proposal_id}", "/api/v1/proposals", f"/api/v1/proposals/{proposal_id}",
            "/api/v1/openapi.json", "/plan/districts"]


def test_no_public_response_carries_more_than_the_mesh_centre(app, client, login, placed):
    stranger = login(placed["stranger"])
    for url in public_urls(placed["id"]):
        for viewer in (client, stranger):
            response = viewer.get(url)
            assert response.status_code == 200, url
            assert not traces_in(response.get_data(as_text=True)), url


def test_kept_pages_of_the_page_cache_hold_no_exact_point(app, login, placed, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 60)
    author_client = login(placed["author"])
    visitor = app.test_client()
    url = f"/proposals/{placed['id']}"
    assert "3281357" in author_client.get(url).get_data(as_text=True)  # never kept: signed in
    for _ in range(2):  # a miss that keeps the page, then a hit that serves it
        assert not traces_in(visitor.get(url).get_data(as_text=True))


def test_the_api_carries_the_public_place(app, client, placed):
    place = client.get(f"/api/v1/proposals/{placed['id']}").get_json()["place"]
    mesh = quarter_mesh(*EXACT)
    assert place == {"latitude": mesh.latitude, "longitude": mesh.longitude,
                     "precision": "mesh", "mesh_code": mesh.code, "landmark": None}


def test_the_openapi_example_is_a_mesh_centre(client):
    example = client.get("/api/v1/openapi.json").get_json()[
        "components"]["schemas"]["PublicPlace"]["examples"][0]
    mesh = quarter_mesh(example["latitude"], example["longitude"])
    assert (mesh.latitude, mesh.longitude, mesh.code) == (
        example["latitude"], example["longitude"], example["mesh_code"])


def markers(body: str) -> list[dict]:
    found = re.search(r"data-markers='([^']*)'", body)
    return json.loads(found.group(1).replace("&#34;", '"')) if found else []


def test_the_map_view_has_markers_a_list_by_ku_and_the_tile_host_in_its_csp(
        app, client, placed):
    response = client.get("/proposals?view=map")
    body = response.get_data(as_text=True)
    mesh = quarter_mesh(*EXACT)
    groups = markers(body)
    assert any(item["title"] == "駅前の横断歩道が危ない" for g in groups for item in g["items"])
    assert {(g["lat"], g["lon"]) for g in groups} >= {(mesh.latitude, mesh.longitude)}
    assert "区ごとの一覧" in body and "駅前の横断歩道が危ない" in body
    assert "地理院タイル" in body
    assert MAP_TILE_HOST in response.headers["Content-Security-Policy"]
    assert MAP_TILE_HOST not in client.get("/proposals").headers["Content-Security-Policy"]
    assert MAP_TILE_HOST not in client.get(f"/proposals/{placed['id']}").headers[
        "Content-Security-Policy"]


def test_the_map_view_keeps_the_filters(app, client, placed):
    with app.app_context():
        make_proposal(title="図書館の開館時間を延ばしたい", point=(36.3100, 138.4500))
        db.session.commit()
    body = client.get("/proposals?view=map&q=横断歩道").get_data(as_text=True)
    assert "駅前の横断歩道が危ない" in body and "図書館の開館時間" not in body
    assert 'name="view" value="map"' in body  # the filter form stays on the map


def test_the_map_view_lists_only_public_proposals(app, client, placed):
    with app.app_context():
        make_proposal(title="まだ下書きの提案です", status=ProposalStatus.DRAFT, point=EXACT)
        db.session.commit()
    assert "まだ下書きの提案です" not in client.get("/proposals?view=map").get_data(as_text=True)


@pytest.mark.parametrize("query", ["?view=map", "?view=map&district={district}",
                                   "?view=map&q=横断", "?view=map&area=1&sort=supported"])
def test_map_view_queries_do_not_grow(app, client, count_queries, query):
    def grow(n):
        with app.app_context():
            for i in range(n):
                make_proposal(title=f"横断歩道の提案 その{i}", point=(36.31 + i / 1000, 138.42),
                              district_id=db.session.scalars(select(District.id)).first())
            db.session.commit()
            return db.session.scalars(select(District.id)).first()

    district = grow(2)
    url = "/proposals" + query.format(district=district)
    client.get(url)  # the filter form is kept with the plan
    before = count_queries.of_get(client, url)
    grow(20)
    assert count_queries.of_get(client, url) == before, count_queries.statements
    assert before <= 3, count_queries.statements  # the rows, the plan's version


@pytest.mark.parametrize("remove", [False, True])
def test_leaving_drops_the_exact_point_and_keeps_at_most_the_public_one(app, placed, remove):
    from komoro_engage.proposals.erasure import erase_posts

    with app.app_context():
        erase_posts(db.session.get(Proposal, placed["id"]).author, remove)
        proposal = db.session.get(Proposal, placed["id"])
        assert proposal.latitude is None and proposal.longitude is None
        assert (proposal.public_latitude is None) == remove


def test_the_data_download_carries_the_authors_own_exact_point(app, placed):
    from komoro_engage.proposals.erasure import export_posts

    with app.app_context():
        exported = export_posts(db.session.get(Proposal, placed["id"]).author)["proposals"]
        assert exported[0]["exact_point"] == list(EXACT)
