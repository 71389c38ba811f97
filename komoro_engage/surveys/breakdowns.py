"""Results by district and by age band, as they were when each response was submitted
(a web answer: the account's; a paper one: what staff typed from the sheet).

A group with fewer than ``SMALL_GROUP`` respondents to a question is merged into
「その他」 (and so are responses without a district or age band), so no small group's
answers can be read. Two grouped queries per dimension.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from komoro_engage.accounts.forms import AGE_BAND_LABELS
from komoro_engage.extensions import db
from komoro_engage.plan.models import District
from komoro_engage.surveys.models import (
    SCALE_POINTS,
    Answer,
    Question,
    QuestionKind,
    SurveyResponse,
)
from komoro_engage.surveys.results import submitted

SMALL_GROUP = 10
OTHER = _l("その他")
DIMENSIONS = {"district": SurveyResponse.district_id, "age_band": SurveyResponse.age_band}
KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE)


@dataclass
class Group:
    label: str
    respondents: int = 0
    counts: dict = field(default_factory=lambda: defaultdict(int))

    def share(self, item) -> float:
        return round(100 * self.counts.get(item, 0) / self.respondents, 1) \
            if self.respondents else 0.0


@dataclass
class Breakdown:
    question: Question
    items: list[tuple]  # (key, label): option ids or scale points
    groups: list[Group]


def breakdowns(survey, questions: list[Question], dimension: str) -> list[Breakdown]:
    column = DIMENSIONS[dimension]
    wanted = [question for question in questions if question.kind in KINDS]
    ids = [question.id for question in wanted]
    base = select().select_from(Answer).join(
        SurveyResponse, SurveyResponse.id == Answer.response_id).where(
        submitted(survey.id), Answer.question_id.in_(ids))
    people = defaultdict(dict)
    for question_id, group, count in db.session.execute(base.add_columns(
            Answer.question_id, column, func.count(func.distinct(Answer.response_id)))
            .group_by(Answer.question_id, column)):
        people[question_id][group] = count
    counts = defaultdict(lambda: defaultdict(dict))
    for question_id, group, option_id, number, count in db.session.execute(base.add_columns(
            Answer.question_id, column, Answer.option_id, Answer.number,
            func.count(func.distinct(Answer.response_id)))
            .group_by(Answer.question_id, column, Answer.option_id, Answer.number)):
        counts[question_id][group][option_id if option_id is not None else number] = count
    labels = _labels(dimension)
    return [_merge(question, people[question.id], counts[question.id], labels)
            for question in wanted]


def _labels(dimension: str) -> dict:
    if dimension == "age_band":
        return {key: str(label) for key, label in AGE_BAND_LABELS.items()}
    return dict(db.session.execute(select(District.id, District.name).order_by(
        District.sort_order)).all())


def _merge(question: Question, people: dict, counts: dict, labels: dict) -> Breakdown:
    items = ([(point, str(point)) for point in SCALE_POINTS]
             if question.kind == QuestionKind.SCALE
             else [(option.id, option.label) for option in question.options])
    groups, other = [], Group(str(OTHER))
    for key, label in labels.items():
        size = people.get(key, 0)
        target = Group(label) if size >= SMALL_GROUP else other
        target.respondents += size
        for item, count in counts.get(key, {}).items():
            target.counts[item] += count
        if size >= SMALL_GROUP:
            groups.append(target)
    for key in set(people) - set(labels):  # no district or age band given
        other.respondents += people[key]
        for item, count in counts.get(key, {}).items():
            other.counts[item] += count
    if other.respondents:
        groups.append(other)
    return Breakdown(question, items, groups)
