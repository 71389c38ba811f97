"""Staff pages of consultations: create and edit, open and close, the moderation queue
of a consultation's statements and proxy entry (代理入力). Every action is audit-logged
(in the services)."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from komoro_engage.consultations import analysis, permissions, queries, services
from komoro_engage.consultations.forms import ConsultationForm, ProxyStatementForm
from komoro_engage.consultations.models import Consultation
from komoro_engage.core.clock import JAPAN, as_utc, start_of_japan_day
from komoro_engage.core.forms import ActionForm, choices
from komoro_engage.core.htmx import render, render_form
from komoro_engage.core.i18n import localized
from komoro_engage.extensions import db
from komoro_engage.moderation.reports import ActionNotAllowed
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.models import Measure


def _staff() -> None:
    if not permissions.can_manage(current_user):
        abort(403)


def _load(consultation_id: int) -> Consultation:
    _staff()
    consultation = queries.consultation_page(consultation_id)
    if consultation is None:
        abort(404)
    return consultation


def _page(consultation: Consultation) -> str:
    return url_for("consultations.manage", consultation_id=consultation.id)


@login_required
def staff_list():
    """Every consultation, drafts included."""
    _staff()
    return render("consultations/staff_list.html",
                  page=queries.consultation_list(1, with_drafts=True))


def _prepare(form: ConsultationForm) -> None:
    edition = plan_queries.current_edition()
    form.measures.choices = choices(*[
        (m.id, f"{m.code} {localized(m, 'title')}") for m in db.session.scalars(
            select(Measure).where(Measure.edition_id == edition.id).order_by(Measure.sort_key))])
    form.policy_areas.choices = choices(*[
        (a.id, f"{a.number}. {localized(a, 'name')}") for a in plan_queries.policy_areas()])


def _data(form: ConsultationForm) -> services.ConsultationData:
    """Open from the start of the first day to the end of the last, Japan time."""
    return services.ConsultationData(
        title=form.title.data, description=form.description.data or "",
        opens_at=start_of_japan_day(form.opens_on.data),
        closes_at=start_of_japan_day(form.closes_on.data + timedelta(days=1)),
        measure_ids=form.measures.data or [], policy_area_ids=form.policy_areas.data or [],
        seeds=form.seed_lines())


@login_required
def new():
    _staff()
    form = ConsultationForm()
    _prepare(form)
    if form.validate_on_submit():
        consultation = services.save_consultation(current_user, _data(form))
        flash(_("テーマを作成しました（準備中）。公開するには「受付を始める」を押してください。"),
              "success")
        return redirect(_page(consultation))
    return render_form("consultations/form.html", form, consultation=None)


@login_required
def edit(consultation_id: int):
    consultation = _load(consultation_id)
    form = ConsultationForm(obj=None if _submitted() else consultation)
    _prepare(form)
    if not _submitted():
        form.opens_on.data = as_utc(consultation.opens_at).astimezone(JAPAN).date()
        form.closes_on.data = (as_utc(consultation.closes_at).astimezone(JAPAN)
                               - timedelta(days=1)).date()
        form.measures.data = [m.id for m in consultation.measures]
        form.policy_areas.data = [a.id for a in consultation.policy_areas]
        form.seeds.data = ""
    if form.validate_on_submit():
        services.save_consultation(current_user, _data(form), consultation)
        flash(_("テーマを更新しました。"), "success")
        return redirect(_page(consultation))
    return render_form("consultations/form.html", form, consultation=consultation)


def _submitted() -> bool:
    return request.method == "POST"


def manage_context(consultation: Consultation, proxy_form=None) -> dict:
    pending, hidden = queries.staff_queue(consultation.id)
    return {"consultation": consultation, "pending": pending, "hidden": hidden,
            "proxy_form": proxy_form or ProxyStatementForm(), "action_form": ActionForm(),
            "analysis": analysis.latest(consultation.id),
            "reported": queries.reported_statements(consultation.id)}


@login_required
def manage(consultation_id: int):
    """A consultation's staff page: status, statements to check, hidden ones, proxy entry."""
    return render("consultations/manage.html", **manage_context(_load(consultation_id)))


@login_required
def set_status(consultation_id: int, action: str):
    consultation = _load(consultation_id)
    if not ActionForm().validate():
        abort(400)
    try:
        services.set_consultation_status(current_user, consultation, action)
    except ActionNotAllowed:
        flash(_("この操作は今の状態ではできません。"), "error")
        return redirect(_page(consultation))
    flash(_("受付を始めました。") if action == "open" else _("受付を終了しました。"), "success")
    return redirect(_page(consultation))


@login_required
def proxy_statement(consultation_id: int):
    """代理入力: a statement from paper or a meeting, published with its source."""
    consultation = _load(consultation_id)
    form = ProxyStatementForm()
    if not form.validate_on_submit():
        return render("consultations/manage.html", status=422,
                      **manage_context(consultation, proxy_form=form))
    services.enter_proxy_statement(current_user, consultation, form.text.data,
                                   form.source.data)
    flash(_("代理入力の意見を公開しました。"), "success")
    return redirect(_page(consultation) + "#proxy")


@login_required
def moderate(statement_id: int, action: str):
    """Approve, hide or restore a statement from the consultation's staff page."""
    _staff()
    statement = queries.statement_with_consultation(statement_id)
    if statement is None:
        abort(404)
    if not ActionForm().validate():
        abort(400)
    try:
        services.moderate_statement(current_user, statement, action)
        flash({"approve": _("意見を公開しました。"), "hide": _("意見を非表示にしました。"),
               "restore": _("意見を再表示しました。"),
               "dismiss": _("通報を問題なしとして閉じました。")}[action], "success")
    except ActionNotAllowed:
        flash(_("この操作は今の状態ではできません。"), "error")
    return redirect(_page(statement.consultation) + "#queue")


@login_required
def refresh(consultation_id: int):
    """Ask for a fresh opinion map at the analysis command's next run (every 15 minutes)."""
    consultation = _load(consultation_id)
    if not ActionForm().validate():
        abort(400)
    analysis.request_refresh(current_user, consultation)
    flash(_("再集計を依頼しました。15分ほどで反映されます。"), "success")
    return redirect(_page(consultation) + "#analysis")
