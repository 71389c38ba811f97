"""Deleting and reordering questions and sections while a survey is a draft (plain forms,
no JavaScript); after publishing the questions are frozen: 409 with the reason."""

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.plan.models import Indicator
from komoro_engage.surveys import services
from komoro_engage.surveys.indicators import link_indicator
from komoro_engage.surveys.models import IndicatorLink, Question, Survey, SurveySection
from tests.factories import make_user
from tests.surveys.helpers import make_survey


@pytest.fixture
def world(app):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        survey = make_survey(staff, publish=False)
        db.session.commit()
        return staff, survey.id


def _layout(app, survey_id):
    """Each section's title with its questions' prompts, in the order residents see them."""
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        return [(section.title, [q.prompt for q in section.questions])
                for section in survey.sections]


def _ids(app, survey_id):
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        return ([section.id for section in survey.sections],
                [[q.id for q in section.questions] for section in survey.sections])


def test_staff_reorder_and_delete_questions_of_a_draft(app, login, world):
    staff, survey_id = world
    client = login(staff)
    builder = client.get(f"/staff/surveys/{survey_id}").text
    sections, questions = _ids(app, survey_id)
    assert f'action="/staff/survey-questions/{questions[0][0]}/down"' in builder
    assert f'action="/staff/survey-questions/{questions[0][0]}/up"' not in builder  # first
    assert ('上へ<span class="visually-hidden">（質問「関心のある分野」）</span></button>'
            in builder)  # its name says which question
    moved = client.post(f"/staff/survey-questions/{questions[0][1]}/up")
    assert moved.status_code == 302
    assert moved.location.endswith(f"/staff/surveys/{survey_id}#question-{questions[0][1]}")
    assert _layout(app, survey_id)[0] == ("暮らし", ["関心のある分野",
                                                 "小諸市に住み続けたいと思いますか"])
    # At the top already: nothing moves.
    assert client.post(f"/staff/survey-questions/{questions[0][1]}/up").status_code == 302
    assert client.post(f"/staff/survey-questions/{questions[1][3]}/up").status_code == 302
    assert _layout(app, survey_id)[1][1] == ["子育てで困っていること", "満足度",
                                             "年代を教えてください", "優先してほしい順"]
    assert client.post(f"/staff/survey-questions/{questions[1][1]}/delete").status_code == 302
    assert _layout(app, survey_id)[1][1] == ["子育てで困っていること",
                                             "年代を教えてください", "優先してほしい順"]
    with app.app_context():
        assert db.session.get(Question, questions[1][1]) is None
        orders = [q.sort_order for q in db.session.get(SurveySection, sections[1]).questions]
        assert orders == [0, 1, 2]
        actions = [e.action for e in db.session.scalars(select(AuditEntry))]
    assert actions.count("survey.question_moved") == 2
    assert "survey.question_deleted" in actions


def test_a_question_others_depend_on_is_kept(app, login, world):
    """「関心のある分野」's option 子育て shows a later question: it cannot go, and its
    section cannot move after the page that depends on it."""
    staff, survey_id = world
    client = login(staff)
    sections, questions = _ids(app, survey_id)
    refused = client.post(f"/staff/survey-questions/{questions[0][1]}/delete",
                          follow_redirects=True)
    assert refused.status_code == 200 and "表示の条件にしている質問があります" in refused.text
    assert client.post(f"/staff/survey-sections/{sections[0]}/delete").status_code == 302
    kept = client.post(f"/staff/survey-sections/{sections[1]}/up", follow_redirects=True)
    assert "移動できません" in kept.text
    assert [title for title, _ in _layout(app, survey_id)] == ["暮らし", "ご意見"]
    # Once the dependent question is gone, both may go.
    assert client.post(f"/staff/survey-questions/{questions[1][0]}/delete").status_code == 302
    assert client.post(f"/staff/survey-sections/{sections[1]}/up").status_code == 302
    assert [title for title, _ in _layout(app, survey_id)] == ["ご意見", "暮らし"]
    with app.app_context():
        question = db.session.get(Question, questions[0][0])
        indicator = db.session.scalars(select(Indicator).where(Indicator.unit == "%")).first()
        link_indicator(db.session.merge(staff), question, indicator, [1, 2])
        db.session.commit()
    assert client.post(f"/staff/survey-sections/{sections[0]}/delete").status_code == 302
    assert _layout(app, survey_id) == [("ご意見", ["満足度", "優先してほしい順",
                                                  "年代を教えてください"])]
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        assert [section.sort_order for section in survey.sections] == [0]
        assert db.session.scalars(select(IndicatorLink)).all() == []
        assert db.session.get(Question, questions[0][0]) is None
        assert "survey.section_deleted" in [e.action for e in db.session.scalars(
            select(AuditEntry))]


def test_after_publishing_questions_and_sections_are_frozen(app, login, world):
    staff, survey_id = world
    with app.app_context():
        services.change_status(db.session.merge(staff), db.session.get(Survey, survey_id),
                               "publish")
        db.session.commit()
    client = login(staff)
    before = _layout(app, survey_id)
    sections, questions = _ids(app, survey_id)
    builder = client.get(f"/staff/surveys/{survey_id}").text
    assert "/down" not in builder and "/delete" not in builder
    for url in (f"/staff/survey-questions/{questions[0][1]}/up",
                f"/staff/survey-questions/{questions[0][0]}/down",
                f"/staff/survey-questions/{questions[1][2]}/delete",
                f"/staff/survey-sections/{sections[1]}/up",
                f"/staff/survey-sections/{sections[0]}/down",
                f"/staff/survey-sections/{sections[1]}/delete"):
        answer = client.post(url)
        assert answer.status_code == 409, url
        assert "公開後は質問を変えられません" in answer.text
    assert _layout(app, survey_id) == before


def test_residents_cannot_reorder_or_delete(app, login, world):
    _, survey_id = world
    sections, questions = _ids(app, survey_id)
    with app.app_context():
        resident = make_user()
        db.session.commit()
    client = login(resident)
    assert client.post(f"/staff/survey-questions/{questions[0][0]}/delete").status_code == 403
    assert client.post(f"/staff/survey-sections/{sections[0]}/down").status_code == 403
    assert client.post("/staff/survey-sections/999999/down").status_code == 404
