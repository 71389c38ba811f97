"""A published survey of every question kind, for the surveys tests and the access table."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.surveys import answering, services
from komoro_engage.surveys.models import Survey, SurveyResponse
from komoro_engage.surveys.respondents import response_for
from tests.factories import make_user


def make_survey(staff=None, *, publish: bool = True, allow_visitors: bool = False) -> Survey:
    """Section 1: single (住み続けたいか, a 1–5 scale), multiple (max 2); section 2: a text
    shown only to those who chose 「子育て」, a matrix, a ranking, a required long text."""
    staff = staff or make_user(role=Role.STAFF)
    survey = services.create_survey(staff, "市民意識調査", "5分ほどで終わります。",
                                    allow_visitors=allow_visitors)
    first = services.add_section(staff, survey, "暮らし")
    services.add_question(staff, first, services.QuestionData(
        "scale", "小諸市に住み続けたいと思いますか", required=True))
    services.add_question(staff, first, services.QuestionData(
        "multiple", "関心のある分野", max_choices=2, options=["子育て", "交通", "観光"]))
    second = services.add_section(staff, survey, "ご意見")
    child_care = survey.sections[0].questions[1].options[0]
    services.add_question(staff, second, services.QuestionData(
        "short_text", "子育てで困っていること", condition_option_id=child_care.id))
    services.add_question(staff, second, services.QuestionData(
        "matrix", "満足度", rows=["道路", "公園"]))
    services.add_question(staff, second, services.QuestionData(
        "ranking", "優先してほしい順", options=["医療", "教育", "防災"]))
    services.add_question(staff, second, services.QuestionData(
        "single", "年代を教えてください", options=["30歳未満", "30歳以上"]))
    if publish:
        services.change_status(staff, survey, "publish")
    return survey


def questions(survey: Survey) -> list:
    return [question for section in survey.sections for question in section.questions]


def first_page(survey: Survey, scale: str = "2", picks=("子育て",)) -> dict:
    scale_q, multiple_q = survey.sections[0].questions
    options = {option.label: str(option.id) for option in multiple_q.options}
    return {f"q{scale_q.id}": scale, f"q{multiple_q.id}": [options[p] for p in picks]}


def second_page(survey: Survey, text: str = "保育園が遠い") -> dict:
    text_q, matrix_q, ranking_q, single_q = survey.sections[1].questions
    ranks = {f"q{ranking_q.id}_o{option.id}": str(index)
             for index, option in enumerate(ranking_q.options, start=1)}
    return {f"q{text_q.id}": text, f"q{matrix_q.id}_r0": "1", f"q{matrix_q.id}_r1": "3",
            f"q{single_q.id}": str(single_q.options[0].id), **ranks}


def as_form(data: dict) -> MultiDict:
    return MultiDict([(key, item) for key, value in data.items()
                      for item in (value if isinstance(value, list) else [value])])


def answer_all(survey: Survey, user, pages=None) -> SurveyResponse:
    """Answer every page as ``user`` (or on paper when None) through the same checks."""
    pages = pages or (first_page(survey), second_page(survey))
    response = response_for(survey, user) if user is not None else SurveyResponse(
        survey_id=survey.id, is_paper=True, paper_ref="P")
    db.session.add(response)
    db.session.flush()
    for section, page in zip(survey.sections, pages, strict=True):
        shown = answering.shown(section, answering.chosen_options(response))
        result = answering.read_page(shown, as_form(page))
        assert result.ok, result.errors
        answering.save_page(response, section, result.values)
    answering.submit(response, user)
    return response
