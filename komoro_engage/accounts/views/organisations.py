"""Organisation pages: the public list and profile, registration, membership management."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from komoro_engage.accounts import organisations as orgs
from komoro_engage.accounts import permissions
from komoro_engage.accounts.forms import InviteForm, MemberRoleForm, OrganisationForm
from komoro_engage.accounts.models import (
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    User,
)
from komoro_engage.accounts.queries import page_of
from komoro_engage.accounts.services import normalize_email
from komoro_engage.core.forms import ActionForm, ReasonForm
from komoro_engage.core.htmx import render
from komoro_engage.core.sections import sections_for
from komoro_engage.extensions import db
from komoro_engage.plan.models import District


def _load(organisation_id: int) -> tuple[Organisation, Membership | None]:
    organisation = db.get_or_404(Organisation, organisation_id)
    return organisation, orgs.membership_of(current_user, organisation)


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


@contextmanager
def _flash_outcome(done: str) -> Iterator[None]:
    """Flash ``done`` after the membership change in the block, or the rule it broke
    (e.g. an organisation keeps at least one manager) when it was refused."""
    try:
        yield
    except orgs.OrganisationError as error:
        flash(str(error), "error")
    else:
        flash(done, "success")


def organisations():
    """Public list of organisations, optionally of one kind."""
    query = (select(Organisation).where(Organisation.archived_at.is_(None))
             .order_by(Organisation.name_key))
    kind = request.args.get("kind")
    kind = kind if kind in tuple(OrganisationKind) else None  # unknown kinds are ignored
    if kind:
        query = query.where(Organisation.kind == kind)
    return render("accounts/organisations.html", page=page_of(query, request.args.get("page")),
                  kind=kind)


@login_required
def register_organisation():
    """Any signed-in person registers an organisation and becomes its manager."""
    _require(permissions.can_register_organisation(current_user))
    return _profile_form(OrganisationForm(), None,
                         partial(orgs.register_organisation, current_user),
                         _("登録しました。市の確認が済むまで「未確認」と表示されます。"))


def _profile_form(form: OrganisationForm, organisation: Organisation | None, save, done: str):
    """The profile form, saved by ``save(**fields)``: registering returns the new
    organisation, editing changes ``organisation``. A taken name is the name field's error."""
    form.fill_district_choices()
    if form.validate_on_submit():
        try:
            saved = save(name=form.name.data, kind=form.kind.data,
                         district_id=form.district_id.data,
                         description=form.description.data or "")
        except orgs.OrganisationError as error:
            form.name.errors.append(str(error))
        else:
            flash(done, "success")
            return redirect(url_for("accounts.organisation",
                                    organisation_id=(saved or organisation).id))
    return render("accounts/organisation_form.html", form=form, organisation=organisation)


def organisation(organisation_id: int):
    """Public page: name, kind, district, description, verified badge."""
    organisation, membership = _load(organisation_id)
    return _organisation_page(organisation, membership, ReasonForm())


def _organisation_page(organisation: Organisation, membership: Membership | None,
                       reason_form: ReasonForm):
    district = db.session.get(District, organisation.district_id) if organisation.district_id \
        else None
    return render("accounts/organisation.html", organisation=organisation, district=district,
                  membership=membership, form=ActionForm(), reason_form=reason_form,
                  sections=sections_for("accounts.organisation", organisation))


@login_required
def edit_organisation(organisation_id: int):
    """Managers edit the public profile."""
    organisation, membership = _load(organisation_id)
    _require(permissions.can_manage_organisation(current_user, organisation, membership))
    return _profile_form(OrganisationForm(obj=organisation), organisation,
                         partial(orgs.update_organisation, organisation), _("保存しました。"))


@login_required
def members(organisation_id: int):
    """Managers see members and join requests, and invite by email."""
    organisation, membership = _load(organisation_id)
    _require(permissions.can_manage_organisation(current_user, organisation, membership))
    return _members_page(organisation, InviteForm())


def _members_page(organisation: Organisation, invite_form: InviteForm):
    rows = db.session.scalars(
        select(Membership).options(joinedload(Membership.user))
        .where(Membership.organisation_id == organisation.id).order_by(Membership.id)
    ).all()
    return render("accounts/members.html", organisation=organisation,
                  active=[m for m in rows if m.status == MembershipStatus.ACTIVE],
                  requests=[m for m in rows if m.status == MembershipStatus.REQUESTED],
                  invite_form=invite_form, form=ActionForm(), role_form=MemberRoleForm())


@login_required
def invite(organisation_id: int):
    """Managers mail an invitation link, within the invitation limits."""
    organisation, membership = _load(organisation_id)
    _require(permissions.can_manage_organisation(current_user, organisation, membership))
    form = InviteForm()
    if not form.validate_on_submit():
        return _members_page(organisation, form)
    refused = orgs.invitation_refused(current_user, organisation)
    if refused:
        form.email.errors.append(refused)
        return _members_page(organisation, form)
    orgs.invite_by_email(current_user, organisation, form.email.data)
    flash(_("招待メールを送りました。"), "success")
    return redirect(url_for("accounts.members", organisation_id=organisation.id))


@login_required
def accept_invitation(token: str):
    """The invited address's account confirms joining."""
    invitation = orgs.read_invitation(token)
    if invitation is None:
        return render("accounts/link_invalid.html", status=400)
    organisation, email = invitation
    user = db.session.get(User, current_user.id)
    matches = normalize_email(user.email or "") == email
    form = ActionForm()
    if matches and form.validate_on_submit():
        orgs.accept_invitation(user, organisation)
        flash(_("「%(name)s」に参加しました。", name=organisation.name), "success")
        return redirect(url_for("accounts.organisation", organisation_id=organisation.id))
    return render("accounts/invitation.html", organisation=organisation, matches=matches,
                  form=form, token=token)


@login_required
def join(organisation_id: int):
    """Ask to join; a manager approves."""
    organisation, membership = _load(organisation_id)
    if membership is None and ActionForm().validate_on_submit():
        orgs.request_to_join(current_user, organisation)
        flash(_("参加を申し込みました。管理者が承認すると参加できます。"), "success")
    return redirect(url_for("accounts.organisation", organisation_id=organisation.id))


@login_required
def leave(organisation_id: int):
    """Leave an organisation or withdraw a join request."""
    organisation, membership = _load(organisation_id)
    _require(permissions.can_leave(current_user, organisation, membership))
    with _flash_outcome(_("「%(name)s」から抜けました。", name=organisation.name)):
        orgs.remove_membership(membership)
    return redirect(url_for("accounts.organisation", organisation_id=organisation.id))


def _managed_membership(organisation_id: int, membership_id: int) -> Membership:
    organisation, own = _load(organisation_id)
    _require(permissions.can_manage_organisation(current_user, organisation, own))
    target = db.get_or_404(Membership, membership_id)
    if target.organisation_id != organisation.id:
        abort(404)
    return target


@login_required
def approve_member(organisation_id: int, membership_id: int):
    """Managers approve a join request."""
    target = _managed_membership(organisation_id, membership_id)
    orgs.approve_request(target)
    flash(_("参加を承認しました。"), "success")
    return redirect(url_for("accounts.members", organisation_id=organisation_id))


@login_required
def remove_member(organisation_id: int, membership_id: int):
    """Managers decline a request or remove a member."""
    target = _managed_membership(organisation_id, membership_id)
    with _flash_outcome(_("メンバーから外しました。")):
        orgs.remove_membership(target)
    return redirect(url_for("accounts.members", organisation_id=organisation_id))


@login_required
def member_role(organisation_id: int, membership_id: int):
    """Managers make a member a manager, or back."""
    target = _managed_membership(organisation_id, membership_id)
    form = MemberRoleForm()
    if form.validate_on_submit():
        with _flash_outcome(_("役割を変更しました。")):
            orgs.set_member_role(target, form.role.data)
    return redirect(url_for("accounts.members", organisation_id=organisation_id))


@login_required
def verify_organisation(organisation_id: int):
    """Staff verify an organisation (or withdraw it), with a reason."""
    organisation, membership = _load(organisation_id)
    _require(permissions.can_verify_organisation(current_user, organisation))
    form = ReasonForm()
    if not form.validate_on_submit():
        return _organisation_page(organisation, membership, form)
    verified = request.form.get("verified") == "1"
    orgs.set_verified(current_user, organisation, verified, form.reason.data)
    flash(_("確認済みにしました。") if verified else _("確認を取り消しました。"), "success")
    return redirect(url_for("accounts.organisation", organisation_id=organisation.id))
