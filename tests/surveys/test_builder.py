"""The staff builder over HTTP: every kind of question, conditions, the lifecycle, the
frozen questions and wording fixes, paper entry — each in the audit log."""

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.surveys.models import Question, Survey, SurveyResponse, SurveyStatus
from tests.factories import make_user
from tests.surveys.helpers import first_page, make_survey, second_page


@pytest.fixture
def staff(app):
    with app.app_context():
        user = make_user(role=Role.STAFF)
        db.session.commit()
        return user


def _actions(app):
    with app.app_context():
        return [entry.action for entry in db.session.scalars(
            select(AuditEntry).order_by(AuditEntry.id))]


def test_staff_build_a_survey_with_every_kind_and_publish_it(app, login, staff):
    client = login(staff)
    created = client.post("/staff/surveys/new", data={"title": "交通アンケート",
                                                      "allow_visitors": "y"})
    assert created.status_code == 302
    survey_url = created.location
    client.post(survey_url + "/sections", data={"title": "ふだんの移動"})
    client.post(survey_url + "/sections", data={"title": "ご意見"})
    with app.app_context():
        survey = db.session.scalars(select(Survey)).one()
        first, second = (section.id for section in survey.sections)
    kinds = [("single", {"options": "はい\nいいえ"}), ("multiple", {"options": "バス\n車\n徒歩",
                                                               "max_choices": "2"}),
             ("short_text", {}), ("long_text", {}), ("scale", {"required": "y"}),
             ("matrix", {"rows": "本数\n時刻"}), ("ranking", {"options": "安さ\n速さ"})]
    for kind, extra in kinds:
        reply = client.post(f"/staff/survey-sections/{first}/questions/new",
                            data={"kind": kind, "prompt": f"質問 {kind}", **extra})
        assert reply.status_code == 302, kind
    with app.app_context():
        yes = db.session.scalars(select(Question).where(
            Question.kind == "single")).one().options[0].id
    form = client.get(f"/staff/survey-sections/{second}/questions/new")
    assert f'value="{yes}"' in form.text
    client.post(f"/staff/survey-sections/{second}/questions/new",
                data={"kind": "short_text", "prompt": "理由", "condition": str(yes)})
    missing = client.post(f"/staff/survey-sections/{first}/questions/new",
                          data={"kind": "single", "prompt": "選択肢が一つ", "options": "A"})
    assert missing.status_code == 422 and "選択肢を2つ以上" in missing.text
    assert "選択肢が一つ" in missing.text  # what was typed stays
    # A condition must name an earlier page's option.
    same_page = client.post(f"/staff/survey-sections/{first}/questions/new",
                            data={"kind": "scale", "prompt": "x", "condition": str(yes)})
    assert same_page.status_code == 422
    assert client.post(survey_url + "/publish").status_code == 302
    with app.app_context():
        survey = db.session.scalars(select(Survey)).one()
        assert survey.status == SurveyStatus.PUBLISHED and survey.allow_visitors
        assert sum(len(section.questions) for section in survey.sections) == 8
    assert client.post(f"/staff/survey-sections/{first}/questions/new",
                       data={"kind": "scale", "prompt": "遅すぎる"}).status_code == 409
    assert client.post(survey_url + "/close").status_code == 302
    actions = _actions(app)
    assert actions.count("survey.question_added") == 8
    assert {"survey.created", "survey.section_added", "survey.published",
            "survey.closed"} <= set(actions)


def test_published_wording_is_fixed_only_with_a_reason(app, login, staff):
    with app.app_context():
        survey = make_survey()
        question_id = survey.sections[0].questions[0].id
        db.session.commit()
    client = login(staff)
    url = f"/staff/survey-questions/{question_id}/wording"
    refused = client.post(url, data={"prompt": "小諸市に住み続けたいと思いますか？"})
    assert refused.status_code == 422
    assert client.post(url, data={"prompt": "小諸市に住み続けたいと思いますか？",
                                  "reason": "疑問符が抜けていた"}).status_code == 302
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "survey.wording_fixed")).one()
        assert entry.reason == "疑問符が抜けていた"
        assert db.session.get(Question, question_id).prompt.endswith("？")


def test_paper_answers_are_checked_marked_and_logged(app, login, staff):
    with app.app_context():
        survey = make_survey()
        pages = {**first_page(survey), **second_page(survey)}
        db.session.commit()
        survey_id = survey.id
    client = login(staff)
    url = f"/staff/surveys/{survey_id}/paper"
    assert client.get(url).status_code == 200
    scale_name = next(iter(pages))
    kept = client.post(url, data={**pages, scale_name: "", "paper_ref": "A-7"})
    assert kept.status_code == 422 and 'value="A-7"' in kept.text
    assert client.post(url, data={**pages, "paper_ref": "A-7"}).status_code == 302
    with app.app_context():
        [response] = db.session.scalars(select(SurveyResponse)).all()
        assert response.is_paper and response.paper_ref == "A-7" and response.submitted_at
    assert "survey.paper_entered" in _actions(app)


def test_residents_cannot_build(app, login):
    with app.app_context():
        resident = make_user()
        db.session.commit()
    client = login(resident)
    assert client.get("/staff/surveys").status_code == 403
