"""Staff: a draft evaluation record's preview, and finalising it — directly with a ticked
confirmation, or through approval (決裁) when the city turns it on: submit, approve (which
finalises) or return with a reason. Every step names the version that was previewed; a
stale or repeated form changes nothing and says so.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from komoro_engage.core.forms import ConfirmForm, VersionForm
from komoro_engage.core.htmx import render
from komoro_engage.core.sections import sections_for
from komoro_engage.evaluation import queries
from komoro_engage.evaluation.forms import ReturnRecordForm
from komoro_engage.evaluation.participation import figures_for_year
from komoro_engage.evaluation.results import indicator_results
from komoro_engage.evaluation.services import (
    NotYourApproval,
    RecordChanged,
    RecordFrozen,
    RecordIncomplete,
    approval_required,
    approve_record,
    can_approve,
    finalise_record,
    return_record,
    submit_record,
)
from komoro_engage.evaluation.views.staff import _require_staff


def _draft_record(measure_id: int, fiscal_year: int):
    _require_staff(fiscal_year)
    record = queries.record(measure_id, fiscal_year)
    if record is None:
        abort(404)
    return record


def _to_edit(measure_id: int, fiscal_year: int):
    return redirect(url_for("evaluation.edit_record", measure_id=measure_id,
                            fiscal_year=fiscal_year))


def _preview_page(record, confirm_form=None, return_form=None, status=200):
    """The public record's template, filled as finalising now would fill it."""
    if record.is_final:
        return redirect(url_for("evaluation.show", record_id=record.id))
    figures = figures_for_year([record.measure_id], record.fiscal_year)[record.measure_id]
    items = figures.pop("items")
    shown = queries.RecordPreview.of(record, figures, items,
                                     indicator_results(record.measure, record.fiscal_year))
    version = {"version": record.version}
    response = render(
        "evaluation/record_preview.html", record=shown, draft=record, items=items,
        item_count=len(items), page=1, pages=1, can_manage=True,
        sections=sections_for("evaluation.record", record),
        approval=approval_required(), can_approve=can_approve(current_user, record),
        steps=queries.record_steps(record),
        confirm_form=confirm_form or ConfirmForm(formdata=None, data=version),
        return_form=return_form or ReturnRecordForm(formdata=None, data=version),
        status=status)
    response.headers.update({"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"})
    return response


@login_required
def preview(measure_id: int, fiscal_year: int):
    """The draft as its public page will show it once finalised (bannered, noindex, never
    kept), with what may be done next: finalise, submit, approve or return."""
    return _preview_page(_draft_record(measure_id, fiscal_year))


def _changed(measure_id: int, fiscal_year: int):
    flash(_("この評価は、表示した後に変更・確定・差し戻しされています。最新の内容を確かめてください。"),
          "error")
    return _to_edit(measure_id, fiscal_year)


def _incomplete(measure_id: int, fiscal_year: int):
    flash(_("確定するには評価区分と評価（Check）の記入が必要です。"), "error")
    return _to_edit(measure_id, fiscal_year)


@login_required
def finalise(measure_id: int, fiscal_year: int):
    """Staff finalise the previewed draft (the confirmation box ticked): its figures, item
    list and indicators are frozen. With approval on, a draft is submitted instead."""
    record = _draft_record(measure_id, fiscal_year)
    if approval_required():
        abort(403)
    form = ConfirmForm()
    if not form.validate():
        if record.is_final:
            return _changed(measure_id, fiscal_year)
        return _preview_page(record, confirm_form=form, status=422)
    try:
        finalise_record(current_user, record, form.version.data)
    except RecordIncomplete:
        return _incomplete(measure_id, fiscal_year)
    except (RecordFrozen, RecordChanged):
        return _changed(measure_id, fiscal_year)
    flash(_("評価を確定しました。"), "success")
    return redirect(url_for("evaluation.show", record_id=record.id))


@login_required
def submit(measure_id: int, fiscal_year: int):
    """Send the draft for approval (決裁) by another staff member or an admin."""
    record = _draft_record(measure_id, fiscal_year)
    form = VersionForm()
    if not form.validate():
        abort(400)
    try:
        submit_record(current_user, record, form.version.data)
    except RecordIncomplete:
        return _incomplete(measure_id, fiscal_year)
    except (RecordFrozen, RecordChanged):
        return _changed(measure_id, fiscal_year)
    flash(_("評価を決裁に回しました。承認されると確定し、公開されます。"), "success")
    return redirect(url_for("evaluation.preview", measure_id=measure_id,
                            fiscal_year=fiscal_year))


def _approver_only(record) -> None:
    if record.is_submitted and not can_approve(current_user, record):
        abort(403)


@login_required
def approve(measure_id: int, fiscal_year: int):
    """Approve a submitted record, which finalises it: never one's own."""
    record = _draft_record(measure_id, fiscal_year)
    _approver_only(record)
    form = ConfirmForm()
    if not form.validate():
        if not record.is_submitted:
            return _changed(measure_id, fiscal_year)
        return _preview_page(record, confirm_form=form, status=422)
    try:
        approve_record(current_user, record, form.version.data)
    except NotYourApproval:
        if record.is_submitted:
            abort(403)
        return _changed(measure_id, fiscal_year)
    except RecordChanged:
        return _changed(measure_id, fiscal_year)
    flash(_("評価を承認し、確定しました。"), "success")
    return redirect(url_for("evaluation.show", record_id=record.id))


@login_required
def send_back(measure_id: int, fiscal_year: int):
    """Send a submitted record back to draft, with a reason."""
    record = _draft_record(measure_id, fiscal_year)
    _approver_only(record)
    form = ReturnRecordForm()
    if not form.validate():
        if not record.is_submitted:
            return _changed(measure_id, fiscal_year)
        return _preview_page(record, return_form=form, status=422)
    try:
        return_record(current_user, record, form.version.data, form.reason.data)
    except (NotYourApproval, RecordChanged):
        return _changed(measure_id, fiscal_year)
    flash(_("評価を差し戻しました。"), "success")
    return _to_edit(measure_id, fiscal_year)
