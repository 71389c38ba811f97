"""Joining and leaving, the member list, and partner organisations."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from komoro_engage.accounts.models import Organisation
from komoro_engage.accounts.permissions import managed_organisations
from komoro_engage.core.forms import ActionForm, choices
from komoro_engage.core.guards import load_permitted
from komoro_engage.core.htmx import render, render_form
from komoro_engage.core.limits import rate_limit_key
from komoro_engage.extensions import db, limiter
from komoro_engage.projects import activity_queries, permissions
from komoro_engage.projects.forms import JoinForm, PartnerForm, PartnerRequestForm
from komoro_engage.projects.membership import join_project, leave_project, membership
from komoro_engage.projects.models import MemberStatus, Project, ProjectPartner
from komoro_engage.projects.services import (
    ProjectError,
    add_partner,
    decide_partnership,
    remove_partner,
    request_partnership,
)
from komoro_engage.projects.views.pages import all_organisations


def _back(project: Project, anchor: str = ""):
    return redirect(url_for("projects.detail", project_id=project.id) + anchor)


@login_required
@limiter.limit("30 per hour", key_func=rate_limit_key, methods=["POST"])
def join(project_id: int):
    """Join as a participant or volunteer, with an optional message; full means waiting."""
    project = load_permitted(Project, project_id, permissions.can_join)
    form = JoinForm()
    if form.validate_on_submit():
        status = join_project(current_user, project, form.role.data, form.message.data or "")
        if status == MemberStatus.JOINED:
            flash(_("参加を申し込みました。"), "success")
        elif status == MemberStatus.WAITING:
            flash(_("定員に達しているため、キャンセル待ちに登録しました。空きが出たら自動で参加になります。"),
                  "success")
        else:
            flash(_("すでに申し込み済みです。"), "success")
        return _back(project, "#join")
    return render_form("projects/join.html", form, project=project)


@login_required
def leave(project_id: int):
    project = db.get_or_404(Project, project_id)
    if not ActionForm().validate() or membership(current_user, project) is None:
        abort(403)
    leave_project(current_user, project)
    flash(_("参加を取り消しました。"), "success")
    return _back(project, "#join")


@login_required
def members(project_id: int):
    """Organisers see who joined or waits, with their messages."""
    project = load_permitted(Project, project_id, permissions.can_manage)
    return render("projects/members.html", project=project,
                  members=activity_queries.members(project))


@login_required
def request_partner(project_id: int):
    """An organisation's manager asks to partner; the lead accepts or declines."""
    project = load_permitted(Project, project_id, permissions.can_request_partnership)
    form = PartnerRequestForm()
    orgs = {str(org.id): org for org in managed_organisations(current_user)}
    form.organisation.choices = choices(*[(key, org.name) for key, org in orgs.items()])
    if form.validate_on_submit():
        try:
            request_partnership(current_user, project, orgs[form.organisation.data],
                                form.role.data, form.message.data or "")
        except ProjectError:
            form.organisation.errors = [
                _("この団体・事業者はすでに申し込み済みか、参加しています。")]
        else:
            flash(_("協力を申し込みました。主催者の承認をお待ちください。"), "success")
            return _back(project, "#partners")
    return render_form("projects/partner_request.html", form, project=project)


@login_required
def add_partner_view(project_id: int):
    """Organisers add a partner organisation or the city department in charge."""
    project = load_permitted(Project, project_id, permissions.can_manage)
    form = PartnerForm()
    form.organisation.choices = choices(("", _("選んでください")), *[
        (str(org.id), org.name) for org in all_organisations()])
    if form.validate_on_submit():
        organisation = (db.session.get(Organisation, int(form.organisation.data))
                        if form.organisation.data else None)
        try:
            add_partner(current_user, project, form.role.data, organisation,
                        form.department.data or "")
        except ProjectError:
            form.organisation.errors = [_("この団体・事業者はすでに参加しています。")]
        else:
            flash(_("協力団体を追加しました。"), "success")
            return _back(project, "#partners")
    return render_form("projects/partner_form.html", form, project=project)


def _load_partner(partner_id: int) -> ProjectPartner:
    partner = db.get_or_404(ProjectPartner, partner_id)
    if not permissions.can_manage(current_user, partner.project) or not ActionForm().validate():
        abort(403)
    return partner


@login_required
def decide_partner(partner_id: int, decision: str):
    partner = _load_partner(partner_id)
    project = partner.project
    try:
        decide_partnership(current_user, partner, accept=decision == "accept")
    except ProjectError:
        abort(409)
    flash(_("協力の申し込みを承認しました。") if decision == "accept"
          else _("協力の申し込みをお断りしました。"), "success")
    return _back(project, "#partners")


@login_required
def remove_partner_view(partner_id: int):
    partner = _load_partner(partner_id)
    project = partner.project
    remove_partner(current_user, partner)
    flash(_("協力団体を外しました。"), "success")
    return _back(project, "#partners")
