"""Results: per respondent counts, means, paper beside web, moderated texts, exports."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.surveys import services
from komoro_engage.surveys.models import Answer, Survey, TextReview
from komoro_engage.surveys.results import share_of, survey_results
from tests.factories import make_user
from tests.surveys.helpers import answer_all, first_page, make_survey, second_page


def _grow(survey: Survey, people: int, paper: int = 0) -> None:
    for n in range(people):
        picks = ("子育て", "交通") if n % 2 else ("交通",)
        answer_all(survey, make_user(), (first_page(survey, str(n % 5 + 1), picks),
                                         second_page(survey, f"意見{n}")))
    for _ in range(paper):
        answer_all(survey, None)


@pytest.fixture
def world(app):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        survey = make_survey(staff)
        _grow(survey, 4, paper=1)
        services.change_status(staff, survey, "close")
        db.session.commit()
        return {"survey": survey.id, "staff": staff}


def _results(world):
    survey = db.session.get(Survey, world["survey"])
    return survey, {result.question.prompt: result for result in survey_results(survey)}


def test_multiple_choice_counts_each_respondent_once(app, world):
    with app.app_context():
        survey, results = _results(world)
        multiple = results["関心のある分野"]
        # An option saved twice for one response (a replayed post) still counts once.
        answer = db.session.scalars(select(Answer).where(
            Answer.question_id == multiple.question.id)).first()
        db.session.add(Answer(response_id=answer.response_id, question_id=answer.question_id,
                              option_id=answer.option_id))
        db.session.flush()
        _, results = _results(world)
        multiple = results["関心のある分野"]
        counts = {bar.label: (bar.counts["web"], bar.counts["paper"]) for bar in multiple.bars}
        assert counts == {"子育て": (2, 1), "交通": (4, 0), "観光": (0, 0)}
        assert multiple.total == 5
        assert [multiple.share(bar) for bar in multiple.bars] == [60.0, 80.0, 0.0]


def test_scales_matrices_and_rankings_have_means(app, world):
    with app.app_context():
        survey, results = _results(world)
        scale = results["小諸市に住み続けたいと思いますか"]
        # The web answered 1, 2, 3, 4 and the paper sheet 2.
        assert [bar.total for bar in scale.bars] == [1, 2, 1, 1, 0]
        assert scale.bars[1].counts == {"web": 1, "paper": 1}
        assert scale.mean == 2.4
        matrix = results["満足度"]
        assert [(bar.label, bar.mean) for bar in matrix.bars] == [("道路", 1.0), ("公園", 3.0)]
        ranking = results["優先してほしい順"]
        assert [bar.mean for bar in ranking.bars] == [1.0, 2.0, 3.0]
        assert share_of(survey, scale.question, numbers={1, 2}) == 60.0


def test_free_text_is_listed_only_after_approval(app, client, login, world):
    with app.app_context():
        _, results = _results(world)
        assert results["子育てで困っていること"].texts == []
        answer = db.session.scalars(select(Answer).where(Answer.text == "意見1")).one()
        answer_id = answer.id
    staff = login(world["staff"])
    assert "意見1" in staff.get(f"/staff/surveys/{world['survey']}/texts").text
    assert staff.post(f"/staff/survey-answers/{answer_id}/approve").status_code == 302
    page = client.get(f"/surveys/{world['survey']}/results")
    assert page.status_code == 200 and "意見1" in page.text and "意見3" not in page.text
    assert "<svg" in page.text and "<table" in page.text


def test_csv_has_a_bom_and_neutralised_cells(app, client, world):
    with app.app_context():
        answer = db.session.scalars(select(Answer).where(Answer.text == "意見1")).one()
        answer.text, answer.review = "=HYPERLINK(1)", TextReview.APPROVED
        db.session.commit()
    csv = client.get(f"/surveys/{world['survey']}/results.csv")
    assert csv.status_code == 200 and csv.data.startswith("\ufeff".encode())
    assert "'=HYPERLINK(1)" in csv.text and "子育て" in csv.text


def test_staff_download_a_workbook(login, world):
    reply = login(world["staff"]).get(f"/staff/surveys/{world['survey']}/results.xlsx")
    book = load_workbook(io.BytesIO(reply.data))
    assert book.sheetnames == ["results", "answers"]
    assert book["answers"].max_row > 10


def test_results_are_not_public_before_close(app, client):
    with app.app_context():
        survey = make_survey()
        db.session.commit()
        survey_id = survey.id
    assert client.get(f"/surveys/{survey_id}/results").status_code == 404


def test_pages_run_the_same_statements_whatever_the_size(app, client, login, count_queries,
                                                         world):
    resident = None
    with app.app_context():
        resident = make_user()
        db.session.commit()
    url = f"/surveys/{world['survey']}/results"
    before = count_queries.of_get(client, url)
    with app.app_context():
        survey = db.session.get(Survey, world["survey"])
        survey.status = "published"
        _grow(survey, 12, paper=3)
        survey.status = "closed"
        db.session.commit()
    assert count_queries.of_get(client, url) == before
    assert before <= 12
    with app.app_context():
        small, large = make_survey(), make_survey()
        _grow(large, 10)
        db.session.commit()
        urls = [f"/surveys/{survey.id}/answer?page=2" for survey in (small, large)]
    answering = login(resident)
    assert count_queries.of_get(answering, urls[0]) == count_queries.of_get(answering, urls[1])


def test_breakdowns_merge_groups_under_ten_into_other(app, client):
    from komoro_engage.plan.models import District
    with app.app_context():
        districts = db.session.scalars(select(District).order_by(District.sort_order)).all()
        survey = make_survey()
        for n in range(14):  # 11 in the first district, 3 in the second
            person = make_user(district_id=districts[0 if n < 11 else 1].id,
                               age_band="40s" if n % 2 else "60s")
            answer_all(survey, person, (first_page(survey, "1" if n < 11 else "5"),
                                        second_page(survey)))
        answer_all(survey, None)  # paper: no district
        services.change_status(make_user(role=Role.STAFF), survey, "close")
        db.session.commit()
        survey_id, first, second = survey.id, districts[0].name, districts[1].name
    page = client.get(f"/surveys/{survey_id}/results/by/district")
    assert page.status_code == 200
    assert first in page.text and second not in page.text and "その他" in page.text
    assert "<th scope=\"row\">その他</th><td>4</td>" in page.text
    by_age = client.get(f"/surveys/{survey_id}/results/by/age_band")
    assert by_age.status_code == 200 and "その他" in by_age.text
