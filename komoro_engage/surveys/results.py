"""A survey's results, in a fixed number of grouped queries whatever its size.

Choice counts are distinct respondents per option, so an option posted twice, or a
response saved twice, still counts once (Decidim counted answers, not respondents);
percentages are of the respondents who answered the question. Web and paper answers
are counted apart and together. Only submitted responses count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from komoro_engage.extensions import db
from komoro_engage.surveys.models import (
    SCALE_POINTS,
    Answer,
    Question,
    QuestionKind,
    Survey,
    SurveyResponse,
    SurveySection,
    TextReview,
)

CHANNELS = ("web", "paper")


@dataclass
class Bar:
    """One option, scale point or matrix row: counts by channel, share of respondents."""

    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    mean: float | None = None  # ranking: mean position; matrix row: mean rating

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class QuestionResult:
    question: Question
    respondents: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.respondents.values())

    def share(self, bar: Bar) -> float:
        return round(100 * bar.total / self.total, 1) if self.total else 0.0


def _channel(is_paper: bool) -> str:
    return "paper" if is_paper else "web"


def submitted(survey_id: int):
    return (SurveyResponse.survey_id == survey_id) & SurveyResponse.submitted_at.is_not(None)


def load_questions(survey: Survey) -> list[Question]:
    sections = db.session.scalars(
        select(SurveySection).where(SurveySection.survey_id == survey.id)
        .order_by(SurveySection.sort_order)
        .options(selectinload(SurveySection.questions).selectinload(Question.options))).all()
    return [question for section in sections for question in section.questions]


def respondents(survey: Survey) -> dict[str, int]:
    counts = dict.fromkeys(CHANNELS, 0)
    for is_paper, count in db.session.execute(
            select(SurveyResponse.is_paper, func.count()).where(submitted(survey.id))
            .group_by(SurveyResponse.is_paper)):
        counts[_channel(is_paper)] = count
    return counts


def survey_results(survey: Survey) -> list[QuestionResult]:
    questions = load_questions(survey)
    results = {question.id: QuestionResult(question) for question in questions}
    joined = select().select_from(Answer).join(
        SurveyResponse, SurveyResponse.id == Answer.response_id).where(submitted(survey.id))
    for question_id, is_paper, count in db.session.execute(joined.add_columns(
            Answer.question_id, SurveyResponse.is_paper,
            func.count(func.distinct(Answer.response_id))).group_by(
            Answer.question_id, SurveyResponse.is_paper)):
        results[question_id].respondents[_channel(is_paper)] = count
    by_option: dict[tuple, list] = defaultdict(lambda: [dict.fromkeys(CHANNELS, 0), 0, 0])
    for question_id, option_id, is_paper, count, positions in db.session.execute(
            joined.add_columns(Answer.question_id, Answer.option_id, SurveyResponse.is_paper,
                               func.count(func.distinct(Answer.response_id)),
                               func.sum(Answer.number))
            .where(Answer.option_id.is_not(None))
            .group_by(Answer.question_id, Answer.option_id, SurveyResponse.is_paper)):
        entry = by_option[question_id, option_id]
        entry[0][_channel(is_paper)] = count
        entry[1] += count
        entry[2] += positions or 0
    by_number: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CHANNELS, 0))
    for question_id, row, number, is_paper, count in db.session.execute(
            joined.add_columns(Answer.question_id, Answer.row, Answer.number,
                               SurveyResponse.is_paper, func.count())
            .where(Answer.option_id.is_(None), Answer.number.is_not(None))
            .group_by(Answer.question_id, Answer.row, Answer.number, SurveyResponse.is_paper)):
        by_number[question_id, row, number][_channel(is_paper)] = count
    for question_id, text in db.session.execute(
            joined.add_columns(Answer.question_id, Answer.text)
            .where(Answer.review == TextReview.APPROVED).order_by(Answer.id)):
        results[question_id].texts.append(text)
    for result in results.values():
        _fill(result, by_option, by_number)
    return list(results.values())


def _fill(result: QuestionResult, by_option: dict, by_number: dict) -> None:
    question = result.question
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING):
        for option in question.options:
            counts, total, positions = by_option.get((question.id, option.id),
                                                     (dict.fromkeys(CHANNELS, 0), 0, 0))
            mean = round(positions / total, 2) if question.kind == QuestionKind.RANKING \
                and total else None
            result.bars.append(Bar(option.label, dict(counts), mean))
    elif question.kind == QuestionKind.SCALE:
        result.bars = [Bar(str(point), dict(by_number.get((question.id, None, point),
                                                          dict.fromkeys(CHANNELS, 0))))
                       for point in SCALE_POINTS]
        result.mean = _mean(result.bars)
    elif question.kind == QuestionKind.MATRIX:
        for index, label in enumerate(question.rows or []):
            points = [Bar(str(point), dict(by_number.get((question.id, index, point),
                                                         dict.fromkeys(CHANNELS, 0))))
                      for point in SCALE_POINTS]
            result.bars.append(Bar(label, {channel: sum(bar.counts[channel] for bar in points)
                                           for channel in CHANNELS}, _mean(points)))


def _mean(points: list[Bar]) -> float | None:
    count = sum(bar.total for bar in points)
    return round(sum(int(bar.label) * bar.total for bar in points) / count, 2) if count else None


def share_of(survey: Survey, question: Question, option_ids: set[int] | None = None,
             numbers: set[int] | None = None) -> float | None:
    """The percentage of the question's respondents who chose one of ``option_ids`` or
    answered one of ``numbers`` (e.g. 1–2 on a scale): what an indicator reads."""
    answered = select(func.count(func.distinct(Answer.response_id))).join(
        SurveyResponse, SurveyResponse.id == Answer.response_id).where(
        submitted(survey.id), Answer.question_id == question.id)
    total = db.session.scalar(answered)
    if not total:
        return None
    if option_ids is not None:
        matching = answered.where(Answer.option_id.in_(option_ids))
    else:
        matching = answered.where(Answer.number.in_(numbers or set()))
    return round(100 * db.session.scalar(matching) / total, 1)
