"""Staff pages: the evaluation overview, measure text, indicators and actuals, records.

Load (404) → check (403) → act: every write goes through a service that
audit-logs it, and the request commits once.
"""

from __future__ import annotations

from dataclasses import fields

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from komoro_engage.core import clock
from komoro_engage.core.forms import choices
from komoro_engage.core.htmx import render
from komoro_engage.core.i18n import localized
from komoro_engage.core.numbers import int_arg
from komoro_engage.evaluation import permissions, queries
from komoro_engage.evaluation.forms import (
    ActualForm,
    AmendmentForm,
    IndicatorForm,
    MeasureForm,
    RecordForm,
    VisionTargetForm,
)
from komoro_engage.evaluation.indicators import (
    IndicatorData,
    MeasureText,
    add_indicator,
    correct_measure,
    measure_vision_target,
    record_actual,
    update_indicator,
)
from komoro_engage.evaluation.participation import figures_for_year
from komoro_engage.evaluation.results import indicator_results
from komoro_engage.evaluation.services import (
    RecordFrozen,
    RecordLocked,
    amend_record,
    open_record,
    save_draft,
)
from komoro_engage.extensions import db
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.fiscal import FIRST_FY, LAST_FY, fiscal_year_of
from komoro_engage.plan.models import Indicator, Measure, VisionTarget


def _require_staff(fiscal_year: int | None = None) -> None:
    if not permissions.can_manage(current_user):
        abort(403)
    if fiscal_year is not None and not FIRST_FY <= fiscal_year <= LAST_FY:
        abort(404)


def chosen_year(default: int | None = None) -> int:
    """The ``fiscal_year`` query argument, else the one given, else the current year."""
    year = int_arg("fiscal_year", FIRST_FY, LAST_FY)
    if year is not None:
        return year
    return default if default is not None else fiscal_year_of(clock.now())


@login_required
def staff_index():
    """Staff: every measure of the current plan with its record status for a fiscal year."""
    _require_staff()
    year = chosen_year()
    edition = plan_queries.current_edition()
    measures = queries.edition_measures(edition)
    by_measure = {r.measure_id: r for r in queries.records(
        fiscal_year=year, finalised_only=False, edition=edition, items=False)}
    return render("evaluation/staff_index.html", year=year, measures=measures,
                  records=by_measure, edition=edition)


@login_required
def edit_measure(measure_id: int):
    """Staff correct a measure's official title and description."""
    measure = db.get_or_404(Measure, measure_id)
    _require_staff()
    form = MeasureForm(obj=measure)
    if form.validate_on_submit():
        correct_measure(current_user, measure, MeasureText(**{
            f.name: (getattr(form, f.name).data or "").strip() or
            (None if f.name.endswith(("_en", "_easy")) else "") for f in fields(MeasureText)}))
        flash(_("施策の名称と説明を更新しました。"), "success")
        return redirect(url_for("evaluation.indicators", measure_id=measure.id))
    return render("evaluation/measure_form.html", form=form, measure=measure,
                  status=422 if form.errors else 200)


def _indicator_data(form: IndicatorForm) -> IndicatorData:
    return IndicatorData(
        name=form.name.data.strip(), unit=form.unit.data.strip(), direction=form.direction.data,
        baseline_value=form.baseline_value.data, baseline_fy=form.baseline_fy.data,
        target_value=form.target_value.data, target_fy=form.target_fy.data,
        source=(form.source.data or "").strip())


@login_required
def indicators(measure_id: int):
    """Staff: a measure's indicators with their actuals; POST adds an indicator."""
    measure = queries.measure_with_indicators(measure_id)
    _require_staff()
    form = IndicatorForm()
    if form.validate_on_submit():
        add_indicator(current_user, measure, _indicator_data(form))
        flash(_("成果指標を追加しました。"), "success")
        return redirect(url_for("evaluation.indicators", measure_id=measure.id))
    return _indicators_page(measure, form=form, status=422 if form.errors else 200)


def _indicators_page(measure, form=None, actual_forms=None, status=200):
    actual_forms = actual_forms or {}
    for indicator in measure.indicators:
        actual_forms.setdefault(indicator.id, ActualForm(
            formdata=None, prefix=f"a{indicator.id}",
            fiscal_year=fiscal_year_of(clock.now()) - 1))
    return render("evaluation/indicators.html", measure=measure,
                  form=form or IndicatorForm(formdata=None), actual_forms=actual_forms,
                  status=status)


@login_required
def edit_indicator(indicator_id: int):
    """Staff change an indicator's definition (unit, baseline, target, direction)."""
    indicator = db.get_or_404(Indicator, indicator_id)
    _require_staff()
    form = IndicatorForm(obj=indicator)
    if form.validate_on_submit():
        update_indicator(current_user, indicator, _indicator_data(form))
        flash(_("成果指標を更新しました。"), "success")
        return redirect(url_for("evaluation.indicators", measure_id=indicator.measure_id))
    return render("evaluation/indicator_form.html", form=form, indicator=indicator,
                  status=422 if form.errors else 200)


@login_required
def save_actual(indicator_id: int):
    """Staff enter or correct one fiscal year's value, with its source."""
    indicator = db.get_or_404(Indicator, indicator_id)
    _require_staff()
    form = ActualForm(prefix=f"a{indicator.id}")
    if form.validate_on_submit():
        record_actual(current_user, indicator, form.fiscal_year.data, form.value.data,
                      form.source.data.strip(), (form.note.data or "").strip())
        flash(_("実績値を保存しました。"), "success")
        return redirect(url_for("evaluation.indicators", measure_id=indicator.measure_id))
    measure = queries.measure_with_indicators(indicator.measure_id)
    return _indicators_page(measure, actual_forms={indicator.id: form}, status=422)


def _vision_target_forms(targets, indicator_choices, posted=None) -> dict:
    """One form per target, prefixed by its id; the posted one keeps what was sent."""
    forms = {}
    for target in targets:
        form = posted if posted is not None and posted.target_id == target.id else \
            VisionTargetForm(formdata=None, prefix=f"t{target.id}",
                             indicator=str(target.indicator_id or ""))
        form.indicator.choices = indicator_choices
        forms[target.id] = form
    return forms


def _indicator_choices(measures) -> list:
    return choices(("", _("（なし）")), *[
        (str(indicator.id), f"{measure.code} {indicator.name}（{indicator.unit}）")
        for measure in measures for indicator in measure.indicators])


@login_required
def vision_targets():
    """Staff: each vision target with the indicator whose actuals measure it (home page)."""
    return _vision_targets_page()


@login_required
def choose_vision_indicator(target_id: int):
    """Staff choose the indicator that measures one vision target."""
    return _vision_targets_page(target_id)


def _vision_targets_page(target_id: int | None = None):
    _require_staff()
    vision = plan_queries.vision()
    targets = vision.targets if vision is not None else []
    measures = queries.edition_measures(plan_queries.current_edition(), with_indicators=True)
    indicator_choices = _indicator_choices(measures)
    posted = None
    if target_id is not None:
        target = db.get_or_404(VisionTarget, target_id)
        posted = VisionTargetForm(prefix=f"t{target.id}")
        posted.target_id = target.id
        posted.indicator.choices = indicator_choices
        if posted.validate_on_submit():
            chosen = posted.indicator.data
            measure_vision_target(current_user, target,
                                  db.session.get(Indicator, int(chosen)) if chosen else None)
            flash(_("「%(label)s」の実績を示す指標を保存しました。",
                    label=localized(target, "label")), "success")
            return redirect(url_for("evaluation.vision_targets"))
    return render("evaluation/vision_targets.html", vision=vision, targets=targets,
                  forms=_vision_target_forms(targets, indicator_choices, posted),
                  status=422 if posted is not None and posted.errors else 200)


def _rating_choices(form, levels) -> None:
    form.rating.choices = choices(*[(str(level.id), f"{level.code} {level.label}")
                                    for level in levels])


@login_required
def edit_record(measure_id: int, fiscal_year: int):
    """Staff: the record of a measure and year — draft form with live figures, or amend."""
    measure = queries.measure_with_indicators(measure_id)
    _require_staff(fiscal_year)
    record = queries.record(measure.id, fiscal_year)
    levels = queries.rating_levels()
    editable = permissions.can_edit_draft(current_user, record)
    form = RecordForm() if editable else AmendmentForm(formdata=None)
    _rating_choices(form, levels)
    if request.method == "GET" and record is not None:
        _prefill(form, record.latest_amendment or record)
    if request.method == "POST":
        if not editable:
            abort(409)
        if form.validate():
            record = record or open_record(current_user, measure, fiscal_year)
            try:
                save_draft(current_user, record, _level(levels, form.rating.data),
                           (form.check_text.data or "").strip(),
                           (form.act_text.data or "").strip())
            except RecordLocked:
                abort(409)  # submitted by someone else since the page was shown
            flash(_("下書きを保存しました。まだ公開されていません。"), "success")
            return redirect(request.path)
    final = record is not None and record.is_final
    live = None if final else figures_for_year([measure.id], fiscal_year)[measure.id]
    return render("evaluation/record_edit.html", measure=measure, year=fiscal_year,
                  record=record, form=form, live=live, levels=levels,
                  indicators=(record.indicators if final
                              else indicator_results(measure, fiscal_year)),
                  status=422 if form.errors else 200)


def _prefill(form, shown) -> None:
    """Start from what the record says now (the latest amendment for a finalised one)."""
    form.rating.data = str(shown.rating_id) if shown.rating_id else None
    form.check_text.data, form.act_text.data = shown.check_text, shown.act_text


def _level(levels, value):
    return next((level for level in levels if str(level.id) == str(value or "")), None)


@login_required
def amend(measure_id: int, fiscal_year: int):
    """Staff correct a finalised record; the amendment is shown beside the original."""
    _require_staff()
    record = queries.record(measure_id, fiscal_year)
    if record is None:
        abort(404)
    if not record.is_final:
        abort(409)
    levels = queries.rating_levels()
    form = AmendmentForm()
    _rating_choices(form, levels)
    if form.validate():
        try:
            amend_record(current_user, record, _level(levels, form.rating.data),
                         (form.check_text.data or "").strip(),
                         (form.act_text.data or "").strip(), form.reason.data.strip())
        except RecordFrozen:
            db.session.rollback()
            flash(_("同時に別の訂正が記録されました。内容を確かめてもう一度記録してください。"),
                  "error")
            return redirect(url_for("evaluation.edit_record", measure_id=measure_id,
                                    fiscal_year=fiscal_year))
        flash(_("訂正を記録しました。"), "success")
        return redirect(url_for("evaluation.show", record_id=record.id))
    measure = queries.measure_with_indicators(measure_id)
    return render("evaluation/record_edit.html", measure=measure, year=fiscal_year,
                  record=record, form=form, live=None, levels=levels,
                  indicators=record.indicators, status=422)
