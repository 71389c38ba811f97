"""Building surveys (staff): sections, questions, options, the lifecycle, wording fixes.

Functions flush but never commit: the request (or CLI command) commits once. Every
change goes to the audit log. Once published, the questions are frozen: only their
wording may be fixed, with a reason kept in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete

from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.search.text_map_store import request_refresh
from komoro_engage.surveys.indicators import propose_values
from komoro_engage.surveys.models import (
    CHOICE_KINDS,
    TEXT_KINDS,
    Answer,
    IndicatorLink,
    Option,
    Question,
    QuestionKind,
    Survey,
    SurveySection,
    SurveyStatus,
    TextReview,
)
from komoro_engage.surveys.text_sources import map_scope

# action: (from, to, audit action)
NEXT_STATUS = {"publish": (SurveyStatus.DRAFT, SurveyStatus.PUBLISHED, "survey.published"),
               "close": (SurveyStatus.PUBLISHED, SurveyStatus.CLOSED, "survey.closed")}


class SurveyError(ValueError):
    """A change that cannot be made, with a message for staff."""


@dataclass
class QuestionData:
    kind: str
    prompt: str
    help: str = ""
    required: bool = False
    max_choices: int | None = None
    options: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    condition_option_id: int | None = None


def create_survey(actor, title: str, intro: str = "", allow_visitors: bool = False) -> Survey:
    survey = Survey(title=title, intro=intro, allow_visitors=allow_visitors,
                    created_by_id=actor.id if actor else None)
    db.session.add(survey)
    db.session.flush()
    record_audit(actor, "survey.created", survey)
    return survey


def update_settings(actor, survey: Survey, *, title: str, intro: str, allow_visitors: bool,
                    opens_at=None, closes_at=None) -> None:
    _require_draft(survey)
    survey.title, survey.intro, survey.allow_visitors = title, intro, allow_visitors
    survey.opens_at, survey.closes_at = opens_at, closes_at
    record_audit(actor, "survey.edited", survey)


def add_section(actor, survey: Survey, title: str) -> SurveySection:
    _require_draft(survey)
    section = SurveySection(survey=survey, title=title, sort_order=len(survey.sections))
    db.session.add(section)
    db.session.flush()
    record_audit(actor, "survey.section_added", survey, after={"section": section.id})
    return section


def add_question(actor, section: SurveySection, data: QuestionData) -> Question:
    survey = section.survey
    _require_draft(survey)
    kind = QuestionKind(data.kind)
    if kind in CHOICE_KINDS and len(data.options) < 2:
        raise SurveyError("options")
    if kind == QuestionKind.MATRIX and not data.rows:
        raise SurveyError("rows")
    if data.condition_option_id is not None and data.condition_option_id not in {
            option.id for option in earlier_options(section)}:
        raise SurveyError("condition")
    question = Question(
        survey_id=survey.id, section=section, kind=kind, prompt=data.prompt, help=data.help,
        required=data.required, sort_order=len(section.questions),
        max_choices=data.max_choices if kind == QuestionKind.MULTIPLE else None,
        rows=data.rows if kind == QuestionKind.MATRIX else None,
        condition_option_id=data.condition_option_id)
    question.options = [Option(label=label, sort_order=index)
                        for index, label in enumerate(data.options if kind in CHOICE_KINDS
                                                      else [])]
    db.session.add(question)
    db.session.flush()
    record_audit(actor, "survey.question_added", survey,
                 after={"question": question.id, "kind": str(kind)})
    return question


def delete_question(actor, question: Question) -> None:
    """Remove a draft's question (its options and indicator links go with it); refused
    while a later question is shown only when one of its options is chosen."""
    section = question.section
    survey = section.survey
    _require_draft(survey)
    option_ids = {option.id for option in question.options}
    if any(other.condition_option_id in option_ids for other in _questions(survey)):
        raise SurveyError("condition_in_use")
    db.session.execute(delete(IndicatorLink).where(IndicatorLink.question_id == question.id))
    section.questions.remove(question)
    _renumber(section.questions)
    db.session.flush()
    record_audit(actor, "survey.question_deleted", survey,
                 before={"question": question.id, "prompt": question.prompt})


def delete_section(actor, section: SurveySection) -> None:
    """Remove a draft's section with its questions, under the same condition rule."""
    survey = section.survey
    _require_draft(survey)
    option_ids = {option.id for question in section.questions for option in question.options}
    if any(other.condition_option_id in option_ids for other in _questions(survey)
           if other.section is not section):
        raise SurveyError("condition_in_use")
    question_ids = [question.id for question in section.questions]
    if question_ids:
        db.session.execute(delete(IndicatorLink).where(
            IndicatorLink.question_id.in_(question_ids)))
    survey.sections.remove(section)
    _renumber(survey.sections)
    db.session.flush()
    record_audit(actor, "survey.section_deleted", survey,
                 before={"section": section.id, "title": section.title,
                         "questions": question_ids})


def move_question(actor, question: Question, direction: str) -> None:
    """Swap a draft's question with the one above or below it in its section (at the
    top or bottom: nothing to do)."""
    section = question.section
    _require_draft(section.survey)
    if _swap(section.questions, question, direction):
        record_audit(actor, "survey.question_moved", section.survey,
                     after={"question": question.id, "direction": direction,
                            "position": question.sort_order + 1})


def move_section(actor, section: SurveySection, direction: str) -> None:
    """Swap a draft's section with its neighbour; refused when a condition would then
    name an option of a page answered after it (conditions look back only)."""
    survey = section.survey
    _require_draft(survey)
    sections = list(survey.sections)
    index = sections.index(section)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(sections):
        return
    first, second = sorted((section, sections[other_index]), key=sections.index)
    first_options = {option.id for question in first.questions for option in question.options}
    if any(question.condition_option_id in first_options for question in second.questions):
        raise SurveyError("condition_order")
    _swap(survey.sections, section, direction)
    record_audit(actor, "survey.section_moved", survey,
                 after={"section": section.id, "direction": direction,
                        "position": section.sort_order + 1})


def _questions(survey: Survey) -> list[Question]:
    return [question for section in survey.sections for question in section.questions]


def _swap(items: list, item, direction: str) -> bool:
    """Swap ``item`` with its neighbour in ``items`` (ordered by sort_order)."""
    ordered = list(items)
    index = ordered.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(ordered)
    items.sort(key=lambda each: each.sort_order)
    db.session.flush()
    return True


def _renumber(items: list) -> None:
    for position, each in enumerate(items):
        each.sort_order = position


def earlier_options(section: SurveySection) -> list[Option]:
    """Options of single or multiple choice questions in the sections before ``section``:
    a condition refers to a page already answered, so the server decides what to show."""
    return [option for earlier in section.survey.sections
            if earlier.sort_order < section.sort_order
            for question in earlier.questions
            if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
            for option in question.options]


def fix_wording(actor, question: Question, prompt: str, reason: str) -> None:
    """Correct a published question's wording; its meaning and answers stay."""
    if question.prompt == prompt:
        return
    record_audit(actor, "survey.wording_fixed", question.section.survey, reason=reason,
                 after={"question": question.id})
    question.prompt = prompt


def change_status(actor, survey: Survey, action: str) -> None:
    before, after, audit_action = NEXT_STATUS[action]
    if survey.status != before:
        raise SurveyError("status")
    if action == "publish" and not any(section.questions for section in survey.sections):
        raise SurveyError("empty")
    survey.status = after
    if after == SurveyStatus.CLOSED:
        survey.closed_at = clock.now()
        propose_values(survey)
        if any(question.kind in TEXT_KINDS for section in survey.sections
               for question in section.questions):
            # Its free-text answers get a map at the next `komoro map-texts` run, which
            # then keeps it current while staff moderate them (search/cli.py).
            request_refresh(actor, map_scope(survey))
    record_audit(actor, audit_action, survey,
                 before={"status": str(before)}, after={"status": str(after)})
    db.session.flush()


def review_text(actor, answer: Answer, decision: str) -> None:
    """Staff approve a free-text answer (listed in the results and mapped) or hide it."""
    before = answer.review
    answer.review = TextReview.APPROVED if decision == "approve" else TextReview.HIDDEN
    survey = db.session.get(Survey, db.session.get(Question, answer.question_id).survey_id)
    record_audit(actor, "survey.text_reviewed", survey,
                 before={"answer": answer.id, "review": before},
                 after={"answer": answer.id, "review": str(answer.review)})
    db.session.flush()


def _require_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise SurveyError("frozen")
