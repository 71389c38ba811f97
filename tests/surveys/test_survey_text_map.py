"""A survey's free-text answers on the free-text map (issue 19, point 3): approved answers
of a closed survey only, the map's public page linked from the results, and the map
requested when the survey closes and kept current by ``komoro map-texts``."""

from sqlalchemy import select

from bench.text_map import planted_texts
from komoro_engage.accounts.models import Role
from komoro_engage.core.text_sources import links_for, texts_for
from komoro_engage.extensions import db
from komoro_engage.search.cli import default_scopes
from komoro_engage.search.models import TextMapSnapshot
from komoro_engage.surveys import services
from komoro_engage.surveys.models import Answer, Survey, TextReview
from tests.factories import make_user
from tests.search.test_text_map_pages import TOPICS
from tests.surveys.helpers import answer_all, first_page, make_survey, second_page


def _world(app, count=12):
    """A published survey answered ``count`` times, each with a planted text; all approved
    but the first (hidden) and the second (left pending)."""
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        survey = make_survey(staff)
        for _, _, body in planted_texts(count, 3, TOPICS):
            answer_all(survey, make_user(), (first_page(survey),
                                             second_page(survey, body[:200])))
        answers = db.session.scalars(select(Answer).where(Answer.text.is_not(None))
                                     .order_by(Answer.id)).all()
        services.review_text(staff, answers[0], "hide")
        for answer in answers[2:]:
            services.review_text(staff, answer, "approve")
        db.session.commit()
        return staff, survey.id, [answer.id for answer in answers]


def test_only_approved_answers_of_a_closed_survey_are_mapped(app, ctx):
    staff, survey_id, ids = _world(app)
    name = f"survey:{survey_id}"
    assert texts_for(name) == []  # published, results not public yet
    survey = db.session.get(Survey, survey_id)
    services.change_status(db.session.merge(staff), survey, "close")
    keys = [text.key for text in texts_for(name)]
    assert keys == [f"survey_answer:{i}" for i in ids[2:]]
    assert db.session.get(Answer, ids[1]).review == TextReview.PENDING
    question_id = db.session.get(Answer, ids[2]).question_id
    with app.test_request_context():
        links = links_for([f"survey_answer:{ids[0]}", f"survey_answer:{ids[2]}"])
    assert list(links) == [f"survey_answer:{ids[2]}"]
    assert links[f"survey_answer:{ids[2]}"].url == (
        f"/surveys/{survey_id}/results#result-{question_id}")
    # Closing asked for the survey's map; once stored, every default run keeps it current.
    snapshot = db.session.scalars(select(TextMapSnapshot).where(
        TextMapSnapshot.scope == name)).one()
    assert snapshot.requested_at is not None
    assert name in default_scopes()
    snapshot.requested_at = None
    db.session.flush()
    assert name in default_scopes()


def test_the_map_page_is_public_once_closed_and_linked_from_the_results(app, client, runner):
    staff, survey_id, ids = _world(app, count=18)
    assert client.get(f"/voices/surveys/{survey_id}").status_code == 404
    with app.app_context():
        services.change_status(db.session.merge(staff), db.session.get(Survey, survey_id),
                               "close")
        db.session.commit()
    results = client.get(f"/surveys/{survey_id}/results").text
    assert f'href="/voices/surveys/{survey_id}"' in results
    before = client.get(f"/voices/surveys/{survey_id}")
    assert before.status_code == 200 and "まだ集計されていません" in before.text
    outcome = runner.invoke(args=["komoro", "map-texts"])
    assert outcome.exit_code == 0, outcome.output
    assert f"survey:{survey_id}: 16 text(s)" in outcome.output
    page = client.get(f"/voices/surveys/{survey_id}")
    assert page.status_code == 200
    assert "アンケートの自由記述" in page.text
    assert f'href="/surveys/{survey_id}/results#result-' in page.text
    assert f'href="/surveys/{survey_id}/results"' in page.text  # back to its subject
    with app.app_context():
        hidden = db.session.get(Answer, ids[0]).text
    assert hidden[:30] not in page.text
