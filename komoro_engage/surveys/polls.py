"""Quick polls: one single-choice question that staff place on the home page, a
measure's page or a project's page, answered in place; the results show once answered.

A poll is a survey of one section and one question, so one answer per person rests on the
same unique constraint as any response, and a double tap replaces the answer with itself.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select

from komoro_engage.core.audit import record_audit
from komoro_engage.core.request_facts import item_fact_key, known, reader_id
from komoro_engage.extensions import db
from komoro_engage.surveys import answering, services
from komoro_engage.surveys.models import Survey, SurveyStatus
from komoro_engage.surveys.respondents import find_response, response_for
from komoro_engage.surveys.results import survey_results

PLACEMENTS = ("home", "measure", "project")


def create_poll(actor, prompt: str, options: list[str], placement: str,
                placement_id: int | None) -> Survey:
    poll = services.create_survey(actor, prompt)
    poll.is_poll, poll.placement = True, placement
    poll.placement_id = placement_id if placement != "home" else None
    section = services.add_section(actor, poll, prompt)
    services.add_question(actor, section, services.QuestionData(
        "single", prompt, required=True, options=options))
    services.change_status(actor, poll, "publish")
    record_audit(actor, "survey.poll_placed", poll,
                 after={"placement": placement, "placement_id": poll.placement_id})
    return poll


def _newest_poll(what, placement, placed_on):
    """``what`` of the newest open or closed poll of ``placement`` that ``placed_on``."""
    return select(what).where(
        Survey.is_poll.is_(True), Survey.placement == placement, placed_on,
        Survey.status != SurveyStatus.DRAFT).order_by(Survey.id.desc()).limit(1)


def _poll_statement(on_one_subject: bool):
    return _newest_poll(Survey, bindparam("placement"),
                        Survey.placement_id == bindparam("placement_id") if on_one_subject
                        else Survey.placement_id.is_(None))


# Built once: the pages with a poll's box ask on every request (issue 16). Keyed by
# whether the poll is placed on one subject (a project) or on a whole page (home).
_POLL_AT = {True: _poll_statement(True), False: _poll_statement(False)}


# On a signed-in read, the project's page asks its project's statement (core/request_facts
# item facts) for the id of the poll placed on it, and the home page asks the person's
# statement (a fact of that page alone): most pages have none, and learn it without a
# statement of their own (issue 16).
POLL_FACT = "poll"
POLL_FACT_KINDS = ("project",)
HOME_POLL_FACT = "home_poll"
HOME_POLL_ENDPOINTS = ("plan.home",)
_NOT_ASKED = object()


def placed_poll_column(kind: str, item_id, _reader):
    """The id of the newest open or closed poll placed on the ``kind`` item ``item_id``
    (None for none), as a column of the item's statement: a probe of ix_survey_placement.
    ``kind`` is the placement's name ("project")."""
    return _newest_poll(Survey.id, kind, Survey.placement_id == item_id).scalar_subquery()


def home_poll_column(_person_id):
    """The id of the home page's newest open or closed poll, as a column of the person's."""
    return _newest_poll(Survey.id, "home", Survey.placement_id.is_(None)).scalar_subquery()


def poll_at(placement: str, placement_id: int | None) -> Survey | None:
    """The newest open or closed poll placed there; none without a statement where the
    page's item statement or the person's found none (:func:`placed_poll_column`,
    :func:`home_poll_column`)."""
    kept = _NOT_ASKED
    if placement_id is None:
        kept = known(HOME_POLL_FACT, lambda: _NOT_ASKED)
    elif placement in POLL_FACT_KINDS and (reader := reader_id()) is not None:
        kept = known(item_fact_key(POLL_FACT, placement, placement_id, reader),
                     lambda: _NOT_ASKED)
    if kept is None:
        return None
    return db.session.scalar(_POLL_AT[placement_id is not None],
                             {"placement": placement, "placement_id": placement_id})


def question_of(poll: Survey):
    return poll.sections[0].questions[0]


def poll_view(poll: Survey, user) -> dict:
    """What the poll's box shows this person: the choices, or the results once they
    answered (or once the poll closed)."""
    question = question_of(poll)
    response = find_response(poll, user) if user.is_authenticated else None
    chosen = answering.chosen_options(response) if response is not None else set()
    answered = response is not None and response.submitted_at is not None
    show_results = answered or poll.status == SurveyStatus.CLOSED
    result = survey_results(poll)[0] if show_results else None
    return {"poll": poll, "question": question, "chosen": chosen, "result": result,
            "can_vote": poll.is_open and user.is_authenticated and user.is_active}


def vote(poll: Survey, user, option_id: int) -> None:
    question = question_of(poll)
    response = response_for(poll, user)
    answering.save_page(response, poll.sections[0], {question.id: option_id})
    answering.submit(response, user)
