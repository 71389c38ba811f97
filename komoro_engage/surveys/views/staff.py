"""Staff work on a survey's answers: paper entry, text moderation, the xlsx export."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from komoro_engage.core.forms import ActionForm
from komoro_engage.core.guards import load_permitted
from komoro_engage.core.htmx import render
from komoro_engage.core.workbook import xlsx_response
from komoro_engage.extensions import db
from komoro_engage.surveys import paper, permissions, services
from komoro_engage.surveys.exports import workbook
from komoro_engage.surveys.forms import PaperForm
from komoro_engage.surveys.models import (
    Answer,
    Question,
    Survey,
    SurveyResponse,
    SurveyStatus,
)


@login_required
def paper_entry(survey_id: int):
    survey = load_permitted(Survey, survey_id, permissions.can_manage)
    if survey.status == SurveyStatus.DRAFT:
        abort(409)
    form = PaperForm()
    pages, result = paper.read_all(survey, request.form)
    if request.method == "POST":
        if form.validate_on_submit() and result.ok:
            paper.enter_paper(current_user, survey, form.paper_ref.data, result.values,
                              district_id=form.district_id.data,
                              age_band=form.age_band.data or None)
            flash(_("紙の回答を登録しました。"), "success")
            return redirect(url_for("surveys.paper_entry", survey_id=survey.id))
    else:
        result.errors.clear()
    status = 422 if (result.errors or form.errors) else 200
    return render("surveys/paper.html", status=status, survey=survey, form=form,
                  pages=pages, page=result)


@login_required
def texts(survey_id: int):
    """Free-text answers waiting for moderation, and those already decided."""
    survey = load_permitted(Survey, survey_id, permissions.can_manage)
    rows = db.session.execute(
        select(Answer, Question.prompt).join(Question, Question.id == Answer.question_id)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .where(Question.survey_id == survey.id, Answer.text.is_not(None),
               SurveyResponse.submitted_at.is_not(None))
        .order_by(Answer.review.desc(), Answer.id).limit(500)).all()
    return render("surveys/texts.html", survey=survey, rows=rows)


@login_required
def review_text(answer_id: int, decision: str):
    answer = db.get_or_404(Answer, answer_id)
    if not permissions.can_manage(current_user) or answer.text is None:
        abort(403)
    if not ActionForm().validate():
        abort(400)
    services.review_text(current_user, answer, decision)
    return redirect(url_for("surveys.texts",
                            survey_id=db.session.get(Question, answer.question_id).survey_id))


@login_required
def results_xlsx(survey_id: int):
    survey = load_permitted(Survey, survey_id, permissions.can_manage)
    return xlsx_response(workbook(survey), f"survey-{survey.id}.xlsx")
