"""Staff and admin pages: look up accounts, change roles, suspend."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from komoro_engage.accounts import permissions, roles, services
from komoro_engage.accounts.forms import RoleForm
from komoro_engage.accounts.models import Membership, Organisation, Role, User, UserStatus
from komoro_engage.accounts.queries import page_of
from komoro_engage.core.forms import ReasonForm
from komoro_engage.core.htmx import render
from komoro_engage.core.transaction import writes_on_get
from komoro_engage.extensions import db


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


@login_required
def admin_users():
    """Staff look up accounts by nickname prefix or exact email."""
    _require(permissions.can_view_users(current_user))
    query = select(User).order_by(User.id.desc())
    q = (request.args.get("q") or "").strip()
    if q:
        # Nickname prefix (public) or an exact email: staff can find whoever contacts them.
        query = query.where(or_(User.nickname_key.startswith(services.nickname_key(q)),
                                User.email == services.normalize_email(q)))
    status = request.args.get("status")
    status = status if status in tuple(UserStatus) else None  # unknown ones are ignored
    if status:
        query = query.where(User.status == status)
    page = page_of(query, request.args.get("page"))
    # Not ``status=``: that is render's HTTP status.
    return render("accounts/admin_users.html", page=page, q=q, status_filter=status)


@writes_on_get
@login_required
def admin_user(user_id: int):
    """One account's details for staff; opening it is audit-logged."""
    _require(permissions.can_view_users(current_user))
    user = db.get_or_404(User, user_id)
    roles.record_personal_data_view(db.session.get(User, current_user.id), user)
    memberships = db.session.execute(
        select(Membership, Organisation).join(Organisation).where(Membership.user_id == user.id)
    ).all()
    return render("accounts/admin_user.html", user=user, memberships=memberships,
                  role_form=RoleForm(role=str(user.role)), reason_form=ReasonForm())


def _act(user_id: int) -> tuple[User, User]:
    actor = db.session.get(User, current_user.id)
    _require(permissions.can_manage_users(actor))
    user = db.get_or_404(User, user_id)
    _require(permissions.can_change_account(actor, user))
    return actor, user


@login_required
def admin_change_role(user_id: int):
    """Admins give an account another role, with a reason."""
    actor, user = _act(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return render("accounts/admin_user.html", user=user, memberships=[], role_form=form,
                      reason_form=ReasonForm(), status=200)
    roles.change_role(actor, user, Role(form.role.data), form.reason.data)
    flash(_("役割を変更しました。"), "success")
    return redirect(url_for("accounts.admin_user", user_id=user.id))


@login_required
def admin_suspend(user_id: int):
    """Admins suspend an account, with a reason; its sessions end."""
    return _set_status(user_id, suspend=True)


@login_required
def admin_unsuspend(user_id: int):
    """Admins reinstate a suspended account, with a reason."""
    return _set_status(user_id, suspend=False)


def _set_status(user_id: int, suspend: bool):
    actor, user = _act(user_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return render("accounts/admin_user.html", user=user, memberships=[],
                      role_form=RoleForm(role=str(user.role)), reason_form=form, status=200)
    try:
        if suspend:
            roles.suspend_user(actor, user, form.reason.data)
        else:
            roles.unsuspend_user(actor, user, form.reason.data)
    except roles.NotAllowed:
        abort(409)
    flash(_("利用停止にしました。") if suspend else _("利用停止を解除しました。"), "success")
    return redirect(url_for("accounts.admin_user", user_id=user.id))

