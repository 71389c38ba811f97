"""Paper answers carry the district and age band written on the sheet, so they count in
the breakdowns beside web answers (groups under 10 still merged into その他)."""

from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.plan.models import District
from komoro_engage.surveys import services
from komoro_engage.surveys.models import Survey, SurveyResponse
from tests.factories import make_user
from tests.surveys.helpers import answer_all, first_page, make_survey, second_page


def _world(app, web: int):
    """A published survey with ``web`` answers from the first district, aged 40s."""
    with app.app_context():
        district = db.session.scalars(select(District).order_by(District.sort_order)).first()
        staff = make_user(role=Role.STAFF)
        survey = make_survey(staff)
        for _ in range(web):
            answer_all(survey, make_user(district_id=district.id, age_band="40s"))
        db.session.commit()
        return staff, survey.id, district.id, district.name


def _paper(survey_id: int, **sheet) -> dict:
    survey = db.session.get(Survey, survey_id)
    return {**first_page(survey), **second_page(survey), **sheet}


def test_paper_entry_records_district_and_age_band(app, login):
    staff, survey_id, district_id, district_name = _world(app, 0)
    client = login(staff)
    url = f"/staff/surveys/{survey_id}/paper"
    page = client.get(url)
    assert page.status_code == 200
    assert "回答者の地区" in page.text and district_name in page.text
    assert "回答者の年代" in page.text
    with app.app_context():
        data = _paper(survey_id, paper_ref="B-1", district_id=str(district_id),
                      age_band="60s")
    assert client.post(url, data=data).status_code == 302
    with app.app_context():
        [response] = db.session.scalars(select(SurveyResponse)).all()
        assert (response.is_paper, response.district_id, response.age_band) == (
            True, district_id, "60s")
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "survey.paper_entered")).one()
        assert entry.after["district"] == district_id and entry.after["age_band"] == "60s"
    # Blank stays allowed (the sheet may not say); a made-up district or band does not.
    with app.app_context():
        blank = _paper(survey_id, paper_ref="B-2", district_id="", age_band="")
        wrong = _paper(survey_id, paper_ref="B-3", district_id="999999", age_band="teen")
    assert client.post(url, data=blank).status_code == 302
    refused = client.post(url, data=wrong)
    assert refused.status_code == 422 and 'value="B-3"' in refused.text
    with app.app_context():
        rows = db.session.scalars(select(SurveyResponse).order_by(SurveyResponse.id)).all()
        assert [(r.paper_ref, r.district_id, r.age_band) for r in rows] == [
            ("B-1", district_id, "60s"), ("B-2", None, None)]


def test_paper_answers_count_in_the_breakdowns(app, login, client):
    """Nine web answers from a district are merged into その他; the tenth, on paper, makes
    the district a group of its own, in both dimensions."""
    staff, survey_id, district_id, district_name = _world(app, 9)
    with app.app_context():
        data = _paper(survey_id, paper_ref="C-1", district_id=str(district_id),
                      age_band="40s")
    before = client.get(f"/surveys/{survey_id}/results/by/district")
    assert before.status_code == 404  # results are public once closed
    staff_client = login(staff)
    merged = staff_client.get(f"/surveys/{survey_id}/results/by/district").text
    assert f'<th scope="row">{district_name}</th>' not in merged
    assert staff_client.post(f"/staff/surveys/{survey_id}/paper", data=data).status_code == 302
    with app.app_context():
        services.change_status(db.session.merge(staff), db.session.get(Survey, survey_id),
                               "close")
        db.session.commit()
    by_district = client.get(f"/surveys/{survey_id}/results/by/district").text
    assert f'<th scope="row">{district_name}</th><td>10</td>' in by_district
    assert "<th scope=\"row\">その他</th>" not in by_district
    by_age = client.get(f"/surveys/{survey_id}/results/by/age_band").text
    assert '<th scope="row">40代</th><td>10</td>' in by_age
