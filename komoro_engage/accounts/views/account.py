"""The signed-in person's own account: profile, email, password, data download, deletion."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from komoro_engage.accounts import erasure, services
from komoro_engage.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    ProfileForm,
)
from komoro_engage.accounts.models import Membership, Organisation, User
from komoro_engage.accounts.views.sign_in import start_session
from komoro_engage.core.forms import ActionForm
from komoro_engage.core.htmx import render
from komoro_engage.core.transaction import writes_on_get
from komoro_engage.extensions import db


def _me() -> User:
    return db.session.get(User, current_user.id)


@login_required
def account():
    """The signed-in person's overview: contact data, settings links, memberships."""
    memberships = db.session.execute(
        db.select(Membership, Organisation).join(Organisation)
        .where(Membership.user_id == current_user.id).order_by(Organisation.name)
    ).all()
    return render("accounts/account.html", memberships=memberships, form=ActionForm())


@login_required
def profile():
    """Edit the public nickname and the optional district, 区 and age band."""
    user = _me()
    form = ProfileForm(obj=user)
    form.fill_district_choices()
    if form.validate_on_submit():
        try:
            services.update_profile(user, nickname=form.nickname.data,
                                    district_id=form.district_id.data, ku_id=form.ku_id.data,
                                    age_band=form.age_band.data)
        except services.AccountConflict:
            form.nickname.errors.append(
                _("このニックネームはすでに使われています。別のものにしてください。"))
        else:
            flash(_("プロフィールを保存しました。"), "success")
            return redirect(url_for("accounts.account"))
    return render("accounts/profile.html", form=form)


@login_required
def change_password():
    """Change the password (the current one is required); other sessions end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = _me()
        services.set_password(user, form.password.data)
        # Every other session ends; this one continues on a fresh session cookie.
        start_session(user)
        flash(_("パスワードを変更しました。ほかの端末ではログアウトされました。"), "success")
        return redirect(url_for("accounts.account"))
    return render("accounts/change_password.html", form=form)


@login_required
def change_email():
    """Ask for a new email address; it changes once the mailed link is followed."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        services.request_email_change(_me(), form.email.data)
        flash(_("新しいアドレスに確認メールを送りました。リンクを開くと変更されます。"), "success")
        return redirect(url_for("accounts.account"))
    return render("accounts/change_email.html", form=form)


@writes_on_get
@login_required
def confirm_email_change(token: str):
    """Follow the link mailed to the new address."""
    if not services.confirm_email_change(_me(), token):
        db.session.rollback()
        return render("accounts/link_invalid.html", status=400)
    flash(_("メールアドレスを変更しました。"), "success")
    return redirect(url_for("accounts.account"))


@login_required
def your_data():
    """The APPI page: download everything held, or delete the account."""
    return render("accounts/your_data.html", delete_form=DeleteAccountForm())


@login_required
def download_data():
    """Everything held about the signed-in person, as a JSON download."""
    body = json.dumps(erasure.export_user_data(_me()), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="komoro-engage-my-data.json"',
        "Cache-Control": "no-store",
    })


@login_required
def delete_account():
    """Erase the account's personal data now; keep or remove posts as chosen."""
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return render("accounts/your_data.html", delete_form=form, status=200)
    erasure.delete_account(_me(), remove_posts=form.posts.data == "remove")
    logout_user()
    flash(_("アカウントを削除しました。ご利用ありがとうございました。"), "success")
    return redirect(url_for("plan.home"))
