"""Survey pages for everyone: the list, a survey's page, answering page by page, results.

Views load (404), check a permission (403) and call one service; the request commits once.
"""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from komoro_engage.core.csv_export import csv_response
from komoro_engage.core.guards import load_permitted
from komoro_engage.core.htmx import client_redirect, render
from komoro_engage.core.limits import rate_limit_key
from komoro_engage.extensions import db, limiter, login_manager
from komoro_engage.surveys import answering, permissions, results
from komoro_engage.surveys.breakdowns import SMALL_GROUP, breakdowns
from komoro_engage.surveys.exports import result_rows
from komoro_engage.surveys.models import Survey, SurveyStatus
from komoro_engage.surveys.respondents import find_response, response_for


def index():
    surveys = db.session.scalars(select(Survey).where(
        Survey.status != SurveyStatus.DRAFT).order_by(Survey.id.desc()).limit(100)).all()
    return render("surveys/list.html", surveys=surveys)


def detail(survey_id: int):
    survey = load_permitted(Survey, survey_id, permissions.can_view, refused=404)
    response = find_response(survey, current_user)
    return render("surveys/detail.html", survey=survey, response=response,
                  can_answer=permissions.can_answer(current_user, survey),
                  can_see_results=permissions.can_see_results(current_user, survey))


def _page_number(survey: Survey, response) -> int:
    """The 0-based section asked for by ``?page=`` (1-based), else where they stopped."""
    last = len(survey.sections) - 1
    raw = request.args.get("page", "")
    if raw.isdigit() and raw.isascii() and len(raw) < 6:
        return min(max(int(raw) - 1, 0), last)
    return min(response.next_section if response is not None else 0, last)


@limiter.limit("120 per hour", key_func=rate_limit_key, methods=["POST"])
def answer(survey_id: int):
    survey = load_permitted(Survey, survey_id, permissions.can_view, refused=404,
                            options=(joinedload(Survey.sections),))
    if not permissions.can_answer(current_user, survey):
        if survey.is_open and not current_user.is_authenticated:
            return login_manager.unauthorized()  # signed-in residents may answer
        abort(403)
    if not survey.sections:
        abort(404)
    response = find_response(survey, current_user)
    index = _page_number(survey, response)
    section = survey.sections[index]
    answering.load_questions(section)
    questions = answering.shown_to(section, response)
    if request.method == "POST":
        page = answering.read_page(questions, request.form)
        if page.ok:
            response = response if response is not None else response_for(survey, current_user)
            answering.save_page(response, section, page.values)
            # A redirect, or HX-Redirect for htmx (the bench posts as htmx would).
            if index + 1 < len(survey.sections):
                return client_redirect(url_for("surveys.answer", survey_id=survey.id,
                                               page=index + 2))
            answering.submit(response, current_user)
            flash(_("回答を送信しました。ご協力ありがとうございました。"), "success")
            return client_redirect(url_for("surveys.detail", survey_id=survey.id))
    else:  # the page as saved, to carry on or change
        page = answering.PageResult(typed=answering.saved_values(response))
    return render("surveys/answer.html", status=422 if page.errors else 200, survey=survey,
                  section=section, index=index, questions=questions, page=page)


def results_page(survey_id: int):
    survey = load_permitted(Survey, survey_id, permissions.can_see_results, refused=404)
    return render("surveys/results.html", survey=survey,
                  results=results.survey_results(survey),
                  respondents=results.respondents(survey))


def results_by(survey_id: int, dimension: str):
    """Shares by district or age band; groups under 10 respondents merged into その他."""
    survey = load_permitted(Survey, survey_id, permissions.can_see_results, refused=404)
    return render("surveys/breakdown.html", survey=survey, dimension=dimension,
                  breakdowns=breakdowns(survey, results.load_questions(survey), dimension),
                  small_group=SMALL_GROUP)


def results_csv(survey_id: int):
    survey = load_permitted(Survey, survey_id, permissions.can_see_results, refused=404)
    return csv_response(result_rows(survey), f"survey-{survey.id}-results.csv")
