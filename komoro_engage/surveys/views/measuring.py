"""Staff link a question to a plan indicator and confirm the value a closed survey gives."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from komoro_engage.core.forms import ActionForm, choices
from komoro_engage.core.guards import load_permitted
from komoro_engage.core.htmx import render_form
from komoro_engage.extensions import db
from komoro_engage.plan.models import Indicator
from komoro_engage.surveys import indicators, permissions
from komoro_engage.surveys.forms import IndicatorLinkForm
from komoro_engage.surveys.models import IndicatorLink, Question, Survey, SurveyStatus

ERRORS = {"kind": _l("5段階評価・単一選択・複数選択の質問を選び、数える回答を書いてください。"),
          "values": _l("数える回答が質問に合いません（5段階評価は1〜5、選択肢は上からの番号）。")}


def link_form(survey: Survey) -> IndicatorLinkForm:
    form = IndicatorLinkForm()
    form.question.choices = choices(*[
        (str(question.id), question.prompt) for section in survey.sections
        for question in section.questions if question.kind in indicators.MEASURING_KINDS])
    form.indicator.choices = choices(*[
        (str(indicator.id), f"{indicator.measure.code} {indicator.name}")
        for indicator in indicators.percent_indicators()])
    return form


@login_required
def link_indicator(survey_id: int):
    survey = load_permitted(Survey, survey_id, permissions.can_manage)
    if survey.status == SurveyStatus.CLOSED:
        abort(409)
    form = link_form(survey)
    if form.validate_on_submit():
        question = db.session.get(Question, int(form.question.data))
        try:
            indicators.link_indicator(current_user, question, db.session.get(
                Indicator, int(form.indicator.data)), form.numbers())
        except indicators.LinkError as error:
            form.values.errors.append(str(ERRORS[str(error)]))
        else:
            flash(_("指標につなぎました。締め切ると実績の案ができます。"), "success")
            return redirect(url_for("surveys.edit", survey_id=survey.id) + "#indicators")
    return render_form("surveys/indicator_form.html", form, survey=survey)


@login_required
def confirm_indicator(link_id: int):
    link = db.get_or_404(IndicatorLink, link_id)
    survey = load_permitted(Survey, link.survey_id, permissions.can_manage)
    if not ActionForm().validate():
        abort(400)
    source = _("アンケート「%(title)s」", title=survey.title)
    try:
        indicators.confirm(current_user, link, source,
                           url_for("surveys.results_page", survey_id=survey.id))
    except indicators.LinkError:
        abort(409)
    flash(_("指標の実績に反映しました。"), "success")
    return redirect(url_for("surveys.edit", survey_id=survey.id) + "#indicators")
