"""Answering a survey one section (page) at a time, with no JavaScript needed.

Each page posts its questions; what is valid is checked here and the errors come back
per question, in the person's language, with what they typed kept (``typed``). Saving a
page replaces that page's answers and remembers the next page, so someone who leaves
mid-way comes back where they stopped. A question with a condition is shown only when
the option it names was chosen on an earlier page: the server decides, page by page.

Form field names: ``q<question id>``; a matrix row ``q<id>_r<row>``; a ranking
position ``q<id>_o<option id>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.datastructures import MultiDict

from komoro_engage.core import clock
from komoro_engage.core.forms import CONTROL_IN_LONG_TEXT
from komoro_engage.extensions import db
from komoro_engage.surveys.models import (
    SCALE_POINTS,
    TEXT_KINDS,
    Answer,
    Question,
    QuestionKind,
    SurveyResponse,
    SurveySection,
    TextReview,
)

TEXT_MAX = {QuestionKind.SHORT_TEXT: 200, QuestionKind.LONG_TEXT: 4000}
REQUIRED = _l("この質問は回答が必要です。")
CONTROL_CHARACTERS = _l("使えない制御文字が含まれています。取り除いてから送信してください。")


@dataclass
class PageResult:
    """What a page post holds: values to save, errors by question id, text as typed."""

    values: dict[int, object] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)
    typed: MultiDict = field(default_factory=MultiDict)

    @property
    def ok(self) -> bool:
        return not self.errors


def chosen_options(response: SurveyResponse | None) -> set[int]:
    if response is None or response.id is None:
        return set()
    return set(db.session.scalars(select(Answer.option_id).where(
        Answer.response_id == response.id, Answer.option_id.is_not(None),
        Answer.row.is_(None), Answer.number.is_(None))))


def load_questions(section: SurveySection) -> None:
    """Read ``section``'s questions with their options in one statement. Left to load
    themselves, the options were a statement per question: a page of ten questions
    read ten more (issue 16)."""
    questions = db.session.scalars(
        select(Question).where(Question.section_id == section.id)
        .order_by(Question.sort_order).options(joinedload(Question.options))).unique().all()
    set_committed_value(section, "questions", list(questions))


def shown(section: SurveySection, chosen: set[int]) -> list[Question]:
    return [question for question in section.questions
            if question.condition_option_id is None or question.condition_option_id in chosen]


def shown_to(section: SurveySection, response: SurveyResponse | None) -> list[Question]:
    """The page's questions for this respondent; earlier choices are read only when a
    question on the page depends on one (most pages have no condition: no query)."""
    if all(question.condition_option_id is None for question in section.questions):
        return list(section.questions)
    return shown(section, chosen_options(response))


def read_page(questions: list[Question], form: MultiDict) -> PageResult:
    result = PageResult(typed=form)
    for question in questions:
        try:
            value = _read(question, form)
        except ValueError as error:
            result.errors[question.id] = str(error.args[0])
            continue
        if value in (None, "", [], {}):
            if question.required:
                result.errors[question.id] = str(REQUIRED)
            continue
        result.values[question.id] = value
    return result


def _read(question: Question, form: MultiDict):
    name = f"q{question.id}"
    options = {str(option.id): option.id for option in question.options}
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        raw = form.get(name, "")
        if raw and raw not in options:
            raise ValueError(_l("選択肢から選んでください。"))
        return options.get(raw)
    if kind == QuestionKind.MULTIPLE:
        picked = list(dict.fromkeys(form.getlist(name)))  # a value sent twice counts once
        if any(raw not in options for raw in picked):
            raise ValueError(_l("選択肢から選んでください。"))
        if question.max_choices and len(picked) > question.max_choices:
            raise ValueError(_l("%(count)d個まで選べます。", count=question.max_choices))
        return [options[raw] for raw in picked]
    if kind in TEXT_KINDS:
        text = form.get(name, "").strip()
        if CONTROL_IN_LONG_TEXT.search(text):
            raise ValueError(CONTROL_CHARACTERS)
        if len(text) > TEXT_MAX[kind]:
            raise ValueError(_l("%(count)d文字以内で入力してください。", count=TEXT_MAX[kind]))
        return text
    if kind == QuestionKind.SCALE:
        return _scale(form.get(name, ""))
    if kind == QuestionKind.MATRIX:
        rated = {index: _scale(form.get(f"{name}_r{index}", ""))
                 for index in range(len(question.rows or []))}
        rated = {index: value for index, value in rated.items() if value is not None}
        if rated and len(rated) < len(question.rows or []):
            raise ValueError(_l("すべての行に回答してください。"))
        return rated
    return _ranking(question, form)


def _scale(raw: str) -> int | None:
    if raw == "":
        return None
    if raw not in {str(point) for point in SCALE_POINTS}:
        raise ValueError(_l("1〜5から選んでください。"))
    return int(raw)


def _ranking(question: Question, form: MultiDict) -> list[int]:
    """Positions typed for every option: each of 1…n once, or none at all."""
    count = len(question.options)
    positions = {option.id: form.get(f"q{question.id}_o{option.id}", "")
                 for option in question.options}
    if all(raw == "" for raw in positions.values()):
        return []
    allowed = {str(position) for position in range(1, count + 1)}
    if any(raw not in allowed for raw in positions.values()) or len(
            set(positions.values())) != count:
        raise ValueError(_l("1から%(count)dまでの順位を、重ならないように全部につけてください。",
                            count=count))
    return sorted(positions, key=lambda option_id: int(positions[option_id]))


def save_page(response: SurveyResponse, section: SurveySection, values: dict) -> None:
    """Replace this page's answers (a hidden question keeps none) and move on: one DELETE
    and one INSERT of all the page's answer rows. Added as objects, the rows went in one
    statement each (issue 16)."""
    db.session.execute(delete(Answer).where(
        Answer.response_id == response.id,
        Answer.question_id.in_([question.id for question in section.questions])))
    rows = [row for question in section.questions if question.id in values
            for row in _answers(response, question, values[question.id])]
    if rows:
        db.session.execute(insert(Answer).execution_options(render_nulls=True), rows)
    response.next_section = section.sort_order + 1
    db.session.flush()


# Every answer row names every column, NULL ones too (``render_nulls``), so that all of a
# page's rows go in one INSERT: the ORM's bulk INSERT groups rows by the columns they set.
_UNSET = dict.fromkeys(("option_id", "row", "number", "text", "review"))


def _answers(response: SurveyResponse, question: Question, value) -> list[dict]:
    def row(**columns) -> dict:
        return {**_UNSET, "response_id": response.id, "question_id": question.id, **columns}

    kind = question.kind
    if kind == QuestionKind.SINGLE:
        return [row(option_id=value)]
    if kind == QuestionKind.MULTIPLE:
        return [row(option_id=option_id) for option_id in value]
    if kind in TEXT_KINDS:
        return [row(text=value, review=TextReview.PENDING)]
    if kind == QuestionKind.SCALE:
        return [row(number=value)]
    if kind == QuestionKind.MATRIX:
        return [row(row=index, number=rating) for index, rating in value.items()]
    return [row(option_id=option_id, number=position)
            for position, option_id in enumerate(value, start=1)]


def submit(response: SurveyResponse, user) -> None:
    """The last page was saved: the response counts from now on, with the district and
    age band of the account as they are today (later changes do not move results)."""
    if response.submitted_at is None:
        response.submitted_at = clock.now()
    if getattr(user, "is_authenticated", False) and not response.is_paper:
        response.district_id, response.age_band = user.district_id, user.age_band
    db.session.flush()


def saved_values(response: SurveyResponse | None) -> MultiDict:
    """The saved answers as the form fields that would post them (to fill a page again)."""
    fields: MultiDict = MultiDict()
    if response is None or response.id is None:
        return fields
    for answer in db.session.scalars(select(Answer).where(Answer.response_id == response.id)):
        name = f"q{answer.question_id}"
        if answer.text is not None:
            fields.add(name, answer.text)
        elif answer.row is not None:
            fields.add(f"{name}_r{answer.row}", str(answer.number))
        elif answer.option_id is not None and answer.number is not None:
            fields.add(f"{name}_o{answer.option_id}", str(answer.number))
        elif answer.option_id is not None:
            fields.add(name, str(answer.option_id))
        elif answer.number is not None:
            fields.add(name, str(answer.number))
    return fields
