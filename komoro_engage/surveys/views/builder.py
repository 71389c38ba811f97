"""The staff survey builder: plain forms, no JavaScript. Staff only (403 otherwise)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from komoro_engage.core.forms import ActionForm, choices
from komoro_engage.core.guards import load_permitted
from komoro_engage.core.htmx import render, render_form
from komoro_engage.extensions import db
from komoro_engage.surveys import indicators, permissions, services
from komoro_engage.surveys.forms import QuestionForm, SectionForm, SurveyForm, WordingForm
from komoro_engage.surveys.models import Question, Survey, SurveySection, SurveyStatus

ERRORS = {"frozen": _l("公開後は質問を変えられません（文言の修正のみ）。"),
          "status": _l("この操作は今の状態ではできません。"),
          "empty": _l("質問のない調査は公開できません。"),
          "condition_in_use": _l("後のページに、この選択肢を表示の条件にしている質問があります。"
                                 "先にその質問を削除してください。"),
          "condition_order": _l("この順番にすると、条件つきの質問が条件の質問より前のページに"
                                "なるため、移動できません。")}


def _staff() -> None:
    if not permissions.can_manage(current_user):
        abort(403)


def _edit_url(survey: Survey) -> str:
    return url_for("surveys.edit", survey_id=survey.id)


@login_required
def manage():
    _staff()
    surveys = db.session.scalars(select(Survey).order_by(Survey.id.desc())).all()
    return render("surveys/manage.html", surveys=surveys)


@login_required
def new():
    _staff()
    form = SurveyForm()
    if form.validate_on_submit():
        survey = services.create_survey(current_user, form.title.data, form.intro.data or "",
                                        form.allow_visitors.data)
        return redirect(_edit_url(survey))
    return render_form("surveys/survey_form.html", form)


@login_required
def edit(survey_id: int):
    """The builder page: settings (while a draft), sections with their questions."""
    survey = load_permitted(Survey, survey_id, permissions.can_manage)
    form = SurveyForm(obj=survey)
    if survey.status == SurveyStatus.DRAFT and form.validate_on_submit():
        services.update_settings(current_user, survey, title=form.title.data,
                                 intro=form.intro.data or "",
                                 allow_visitors=form.allow_visitors.data)
        flash(_("保存しました。"), "success")
        return redirect(_edit_url(survey))
    return render_form("surveys/builder.html", form, survey=survey,
                       section_form=SectionForm(formdata=None),
                       links=indicators.links_of(survey))


@login_required
def add_section(survey_id: int):
    survey = load_permitted(Survey, survey_id, permissions.can_manage)
    form = SectionForm()
    if survey.status != SurveyStatus.DRAFT:
        abort(409)
    if form.validate_on_submit():
        services.add_section(current_user, survey, form.title.data)
        return redirect(_edit_url(survey))
    return render_form("surveys/builder.html", SurveyForm(obj=survey, formdata=None),
                       survey=survey, section_form=form, links=indicators.links_of(survey))


@login_required
def add_question(section_id: int):
    section = db.get_or_404(SurveySection, section_id)
    _staff()
    if section.survey.status != SurveyStatus.DRAFT:
        abort(409)
    form = QuestionForm()
    form.condition.choices = choices(("", _("いつも表示する")), *[
        (str(option.id), f"{option.question.prompt} → {option.label}")
        for option in services.earlier_options(section)])
    if form.validate_on_submit():
        services.add_question(current_user, section, services.QuestionData(
            kind=form.kind.data, prompt=form.prompt.data, help=form.help.data or "",
            required=form.required.data, max_choices=form.max_choices.data,
            options=form.lines("options"), rows=form.lines("rows"),
            condition_option_id=int(form.condition.data) if form.condition.data else None))
        flash(_("質問を追加しました。"), "success")
        return redirect(_edit_url(section.survey) + f"#section-{section.id}")
    return render_form("surveys/question_form.html", form, section=section,
                       survey=section.survey)


def _change(survey: Survey, anchor: str, change) -> object:
    """Delete or move (staff, a draft, a valid CSRF token): a redirect to the builder.
    After publishing the questions are frozen: 409 with the reason."""
    _staff()
    if not ActionForm().validate():
        abort(400)
    if survey.status != SurveyStatus.DRAFT:
        abort(409, description=str(ERRORS["frozen"]))
    try:
        change()
    except services.SurveyError as error:
        flash(str(ERRORS[str(error)]), "error")
    return redirect(_edit_url(survey) + anchor)


@login_required
def delete_question(question_id: int):
    question = db.get_or_404(Question, question_id)
    section = question.section
    return _change(section.survey, f"#section-{section.id}",
                   lambda: services.delete_question(current_user, question))


@login_required
def move_question(question_id: int, direction: str):
    question = db.get_or_404(Question, question_id)
    return _change(question.section.survey, f"#question-{question.id}",
                   lambda: services.move_question(current_user, question, direction))


@login_required
def delete_section(section_id: int):
    section = db.get_or_404(SurveySection, section_id)
    return _change(section.survey, "",
                   lambda: services.delete_section(current_user, section))


@login_required
def move_section(section_id: int, direction: str):
    section = db.get_or_404(SurveySection, section_id)
    return _change(section.survey, f"#section-{section.id}",
                   lambda: services.move_section(current_user, section, direction))


@login_required
def fix_wording(question_id: int):
    """After publishing, only the wording changes, with a reason in the audit log."""
    question = db.get_or_404(Question, question_id)
    _staff()
    form = WordingForm(obj=question)
    if form.validate_on_submit():
        services.fix_wording(current_user, question, form.prompt.data, form.reason.data)
        flash(_("文言を修正しました。"), "success")
        return redirect(_edit_url(question.section.survey))
    return render_form("surveys/wording_form.html", form, question=question,
                       survey=question.section.survey)


@login_required
def set_status(survey_id: int, action: str):
    survey = load_permitted(Survey, survey_id, permissions.can_manage)
    if not ActionForm().validate():
        abort(400)
    try:
        services.change_status(current_user, survey, action)
    except services.SurveyError as error:
        flash(str(ERRORS[str(error)]), "error")
    else:
        flash(_("公開しました。") if action == "publish" else _("締め切りました。"), "success")
    return redirect(_edit_url(survey))
