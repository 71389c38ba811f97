"""/api/v1/surveys: published and closed surveys; results of closed ones per respondent."""

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.surveys import services
from tests.factories import make_user
from tests.surveys.helpers import answer_all, make_survey


def test_surveys_and_closed_results(app, client):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        draft, open_survey, closed = make_survey(publish=False), make_survey(), make_survey()
        for _ in range(3):
            answer_all(closed, make_user())
        answer_all(closed, None)
        services.change_status(staff, closed, "close")
        db.session.commit()
        ids = draft.id, open_survey.id, closed.id
    listed = client.get("/api/v1/surveys").get_json()["items"]
    assert {item["id"] for item in listed} == {ids[1], ids[2]}
    assert client.get(f"/api/v1/surveys/{ids[0]}").status_code == 404
    still_open = client.get(f"/api/v1/surveys/{ids[1]}").get_json()
    assert still_open["respondents"] is None and still_open["results_url"] is None
    body = client.get(f"/api/v1/surveys/{ids[2]}").get_json()
    assert body["respondents"] == {"web": 3, "paper": 1}
    multiple = next(q for q in body["questions"] if q["kind"] == "multiple")
    assert multiple["items"][0] == {"label": "子育て", "web": 3, "paper": 1, "total": 4,
                                    "share": 100.0, "mean": None}


def test_the_list_of_surveys_comes_a_page_at_a_time(app, client):
    from komoro_engage.api.views.surveys import PER_PAGE

    with app.app_context():
        made = [make_survey().id for _ in range(PER_PAGE + 2)]
        db.session.commit()
    first = client.get("/api/v1/surveys").get_json()
    second = client.get("/api/v1/surveys?page=2").get_json()
    assert (first["total"], first["per_page"], first["page"]) == (len(made), PER_PAGE, 1)
    assert [s["id"] for s in first["items"] + second["items"]] == made[::-1]
