"""A survey's free-text answers as residents' texts for the free-text map (市民の声の地図).

Registered with ``core/text_sources.py``: for the scope ``"survey:<id>"``, the answers
to the survey's short and long text questions that staff approved (moderation), once
the survey is closed and its results are public; never a pending or hidden one. The
map's page of a survey is named here and links back to its results.
"""

from __future__ import annotations

from collections.abc import Collection

from flask import url_for
from sqlalchemy import select

from komoro_engage.core.text_sources import (
    ScopePage,
    ScopeText,
    TextLink,
    excerpt,
    parse_scope,
    register_scope_page,
    register_text_kind,
    register_text_source,
    scope,
)
from komoro_engage.extensions import db
from komoro_engage.surveys.models import (
    Answer,
    Question,
    Survey,
    SurveyResponse,
    SurveyStatus,
    TextReview,
)

KIND = "survey_answer"
SCOPE = "survey"


def map_scope(survey: Survey) -> str:
    """The name of a survey's map: ``"survey:<id>"``."""
    return scope(SCOPE, survey.id)


def _public():
    return (select(Answer.id, Answer.text, Question.survey_id, Question.id)
            .join(Question, Question.id == Answer.question_id)
            .join(Survey, Survey.id == Question.survey_id)
            .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
            .where(Survey.status == SurveyStatus.CLOSED, Answer.text.is_not(None),
                   Answer.review == TextReview.APPROVED,
                   SurveyResponse.submitted_at.is_not(None)))


def survey_texts(scope_name: str) -> list[ScopeText]:
    parsed = parse_scope(scope_name)
    if parsed is None or parsed[0] != SCOPE:
        return []
    rows = db.session.execute(_public().where(Question.survey_id == parsed[1])
                              .order_by(Answer.id))
    return [ScopeText(f"{KIND}:{i}", text) for i, text, _, _ in rows]


def survey_answer_links(ids: Collection[int]) -> dict[int, TextLink]:
    rows = db.session.execute(_public().where(Answer.id.in_(list(ids))))
    return {i: TextLink(excerpt(text), url_for("surveys.results_page", survey_id=survey_id)
                        + f"#result-{question_id}")
            for i, text, survey_id, question_id in rows}


def survey_page(ident: int) -> ScopePage | None:
    survey = db.session.get(Survey, ident)
    if survey is None or survey.status != SurveyStatus.CLOSED:
        return None
    return ScopePage(survey.title, url_for("surveys.results_page", survey_id=survey.id))


def register() -> None:
    register_text_source("survey-answers", survey_texts)
    register_text_kind(KIND, survey_answer_links)
    register_scope_page(SCOPE, survey_page)
