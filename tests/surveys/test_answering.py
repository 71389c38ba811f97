"""Answering over HTTP: page by page, errors kept, conditions, once per person or browser."""

import pytest
from sqlalchemy import func, select

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.surveys import services
from komoro_engage.surveys.models import Answer, Survey, SurveyResponse
from komoro_engage.surveys.respondents import COOKIE_NAME
from tests.factories import make_user
from tests.surveys.helpers import first_page, make_survey, second_page


@pytest.fixture
def world(app):
    with app.app_context():
        survey = make_survey()
        visitors = make_survey(allow_visitors=True)
        resident = make_user(age_band="40s")
        ids = {"survey": survey.id, "visitors": visitors.id, "resident": resident,
               "page1": first_page(survey), "page2": second_page(survey),
               "visitor_page1": first_page(visitors), "visitor_page2": second_page(visitors)}
        db.session.commit()
    return ids


def _responses(app, survey_id):
    with app.app_context():
        return db.session.scalars(select(SurveyResponse).where(
            SurveyResponse.survey_id == survey_id)).all()


def test_a_resident_answers_page_by_page_and_may_change_until_close(app, login, world):
    client = login(world["resident"])
    url = f"/surveys/{world['survey']}/answer"
    assert client.get(url).status_code == 200
    first = client.post(url + "?page=1", data=world["page1"])
    assert first.status_code == 302 and first.location.endswith("page=2")
    page2 = client.get(first.location)
    assert "子育てで困っていること" in page2.text  # shown: 子育て was chosen
    done = client.post(url + "?page=2", data=world["page2"])
    assert done.status_code == 302
    [response] = _responses(app, world["survey"])
    assert response.submitted_at is not None and response.age_band == "40s"
    # Changeable: the first page comes back filled in, a new answer replaces the old.
    again = client.get(url + "?page=1")
    assert 'value="2" checked' in again.text
    client.post(url + "?page=1", data={**world["page1"], next(iter(world["page1"])): "5"})
    assert len(_responses(app, world["survey"])) == 1
    with app.app_context():
        services.change_status(make_user(role="staff"), _survey(world), "close")
        db.session.commit()
    assert client.get(url).status_code == 403


def _survey(world):
    return db.session.get(Survey, world["survey"])


def test_an_error_stays_next_to_its_question_with_what_was_typed(login, world):
    client = login(world["resident"])
    scale_name = next(iter(world["page1"]))
    data = {key: value for key, value in world["page1"].items() if key != scale_name}
    page = client.post(f"/surveys/{world['survey']}/answer?page=1", data=data)
    assert page.status_code == 422
    assert f'id="{scale_name}-error"' in page.text and "この質問は回答が必要です" in page.text
    assert f'aria-describedby="{scale_name}-hint {scale_name}-error"' in page.text
    assert 'role="alert"' in page.text and "checked" in page.text  # the choice kept
    english = client.post(f"/surveys/{world['survey']}/answer?page=1", data=data,
                          headers={"Accept-Language": "en"})
    assert english.status_code == 422


def test_too_many_choices_forged_options_and_bad_ranks_are_refused(login, world):
    client = login(world["resident"])
    url = f"/surveys/{world['survey']}/answer"
    scale_name, multiple_name = world["page1"]
    with client.application.app_context():
        options = [str(option.id) for option in
                   _survey(world).sections[0].questions[1].options]
    too_many = client.post(url + "?page=1", data={scale_name: "1", multiple_name: options})
    assert too_many.status_code == 422 and "2個まで選べます" in too_many.text
    forged = client.post(url + "?page=1", data={scale_name: "9", multiple_name: "x"})
    assert forged.status_code == 422
    client.post(url + "?page=1", data=world["page1"])
    ranks = {key: "1" for key in world["page2"] if "_o" in key}
    bad = client.post(url + "?page=2", data={**world["page2"], **ranks})
    assert bad.status_code == 422 and "重ならないように" in bad.text


def test_a_conditional_question_is_hidden_unless_its_option_was_chosen(app, login, world):
    client = login(world["resident"])
    url = f"/surveys/{world['survey']}/answer"
    scale_name, multiple_name = world["page1"]
    client.post(url + "?page=1", data={scale_name: "3"})
    page2 = client.get(url + "?page=2")
    assert "子育てで困っていること" not in page2.text
    # A hidden question's answer is not saved even when posted.
    assert client.post(url + "?page=2", data=world["page2"]).status_code == 302
    with app.app_context():
        texts = db.session.scalar(select(func.count()).select_from(Answer).where(
            Answer.text.is_not(None)))
    assert texts == 0


def test_progress_is_kept_when_leaving_mid_way(login, world):
    client = login(world["resident"])
    client.post(f"/surveys/{world['survey']}/answer?page=1", data=world["page1"])
    detail = client.get(f"/surveys/{world['survey']}")
    assert "続きから回答する" in detail.text
    resumed = client.get(f"/surveys/{world['survey']}/answer")
    assert "2 / 2" in resumed.text


def test_a_double_tap_makes_one_response(app, login, world):
    client = login(world["resident"])
    for _ in range(2):
        client.post(f"/surveys/{world['survey']}/answer?page=1", data=world["page1"])
    assert len(_responses(app, world["survey"])) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 2


def test_visitors_answer_once_per_browser_where_allowed(app, client, world):
    url = f"/surveys/{world['visitors']}/answer"
    assert client.get(url).status_code == 200
    client.post(url + "?page=1", data=world["visitor_page1"])
    assert client.get_cookie(COOKIE_NAME) is not None
    client.post(url + "?page=1", data=world["visitor_page1"])
    client.post(url + "?page=2", data=world["visitor_page2"])
    [response] = _responses(app, world["visitors"])
    assert response.user_id is None and len(response.visitor_hash) == 64
    assert response.submitted_at is not None
    other_browser = app.test_client()
    other_browser.set_cookie(COOKIE_NAME, "forged")
    other_browser.post(url + "?page=1", data=world["visitor_page1"])
    assert len(_responses(app, world["visitors"])) == 2


def test_visitors_are_sent_to_sign_in_where_not_allowed(client, world):
    answer = client.get(f"/surveys/{world['survey']}/answer")
    assert answer.status_code == 302 and "/login" in answer.location


def test_a_draft_is_not_found_by_residents(app, login, world):
    with app.app_context():
        draft = make_survey(publish=False)
        db.session.commit()
        draft_id = draft.id
    assert login(world["resident"]).get(f"/surveys/{draft_id}").status_code == 404
    assert login(world["resident"]).get(f"/surveys/{draft_id}/answer").status_code == 404


def test_saving_a_page_reads_only_what_it_needs(login, world, count_queries):
    """The bench's answer POST: a page without conditions neither reads earlier choices
    nor the saved answers (only a GET shows those), and the response is looked up once."""
    client = login(world["resident"])
    url = f"/surveys/{world['survey']}/answer?page=1"
    assert client.post(url, data=world["page1"]).status_code == 302
    count_queries.reset()
    assert client.post(url, data=world["page1"]).status_code == 302
    selects = [s for s in count_queries.statements if s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in selects if "FROM survey_answer" in s]
    assert len([s for s in selects if "FROM survey_response" in s]) == 1
    # A page with a condition still reads the choices it depends on.
    count_queries.reset()
    assert client.get(url.replace("page=1", "page=2")).status_code == 200
    assert [s for s in count_queries.statements if "FROM survey_answer" in s]


def test_a_page_of_many_questions_runs_the_statements_of_a_page_of_two(app, login,
                                                                       count_queries):
    """A page's questions come with their options in one statement (answering.load_questions),
    and its answers go in one INSERT: the options were a statement per question, the answers
    a statement per row (issue 16). Saved answers are kept all the same."""
    with app.app_context():
        staff, resident = make_user(role=Role.STAFF), make_user()
        small, large = make_survey(staff), make_survey(staff, publish=False)
        pages = {survey.id: first_page(survey) for survey in (small, large)}
        for n in range(8):
            services.add_question(staff, large.sections[0], services.QuestionData(
                "single", f"追加の質問{n}", options=["はい", "いいえ", "わからない"]))
        services.change_status(staff, large, "publish")
        db.session.commit()
        small_id, large_id = small.id, large.id
        extra = large.sections[0].questions[-1]
        extra_id, picked = extra.id, extra.options[1].id
        pages[large.id][f"q{extra_id}"] = str(picked)
    client = login(resident)
    counts = {}
    for survey_id, data in pages.items():
        url = f"/surveys/{survey_id}/answer?page=1"
        shown = count_queries.of_get(client, url)
        assert client.post(url, data=data).status_code == 302  # the response exists from here
        count_queries.reset()
        assert client.post(url, data=data).status_code == 302
        counts[survey_id] = (shown, count_queries.count)
    assert counts[small_id] == counts[large_id], counts
    with app.app_context():
        chosen = db.session.scalar(select(Answer.option_id).where(Answer.question_id == extra_id))
    assert chosen == picked
