"""Sign-up, email verification, sign-in, sign-out and password reset."""

from __future__ import annotations

import math
import time

from flask import Response, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, select

from komoro_engage.accounts import devices, services
from komoro_engage.accounts.forms import (
    ForgotPasswordForm,
    ResetPasswordForm,
    SignInForm,
    SignUpForm,
)
from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.core import request_facts
from komoro_engage.core.htmx import client_redirect, render
from komoro_engage.core.redirects import is_safe_path, safe_next
from komoro_engage.core.transaction import writes_on_get
from komoro_engage.extensions import db, limiter, login_manager

# Every signed-in request loads its person: a statement built once costs half of
# ``session.get``, which builds its own each time.
_SIGNED_IN_USER = select(User).where(User.id == bindparam(request_facts.PERSON_ID))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Resolve the session's "<id>.<session_version>"; a stale version signs the user out."""
    ident, _sep, version = user_id.partition(".")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = _person(int(ident))
    if user is None or user.session_version != int(version):
        return None
    # A suspended or deleted account loses its sessions at once.
    return user if user.status == UserStatus.ACTIVE else None


def _person(user_id: int) -> User | None:
    """The person; on a read, with the page's small facts in the same statement (the
    bell's count, the plan's version: core/request_facts.py)."""
    if not request_facts.asks_facts():
        return db.session.execute(_SIGNED_IN_USER, {"id": user_id}).scalar_one_or_none()
    statement, names = request_facts.with_facts(_SIGNED_IN_USER)
    row = db.session.execute(statement, {"id": user_id}).one_or_none()
    if row is None:
        return None
    request_facts.keep(names, row[1:])
    return row[0]


@login_manager.unauthorized_handler
def unauthorized():
    """Send anonymous visitors to sign in, then back; htmx gets a client-side redirect."""
    if request.method == "GET":
        back = request.full_path.rstrip("?")
    else:
        referrer = request.referrer or ""
        back = referrer[len(request.host_url) - 1:] if referrer.startswith(request.host_url) else ""
    flash(_("続けるにはログインしてください。"), "info")
    return client_redirect(url_for("accounts.sign_in", next=back if is_safe_path(back) else None))


def _limit(key: str):
    return lambda: current_app.config[key]


def _sign_in_account_key() -> str:
    return "sign-in:" + services.normalize_email(request.form.get("email", ""))


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _sign_in_paused(limit: RequestLimit) -> Response:
    """The sign-in form again (what was typed kept), saying what to do: wait, or reset the
    password, which makes this browser a known device that signs in at once."""
    wait = max(1, limit.reset_at - int(time.time()))
    form = SignInForm()
    form.form_errors.append(_(
        "パスワードの誤りが続いたため、この端末からこのアカウントへの"
        "ログインを一時的に受け付けていません。約%(minutes)d分後に"
        "もう一度お試しください。すぐにログインしたいときは、下の"
        "「パスワードを忘れた方」からパスワードを再設定してください。"
        "再設定したブラウザからは、すぐにログインできます。",
        minutes=math.ceil(wait / 60)))
    response = render("accounts/sign_in.html", form=form, next=_next_target(), status=429)
    response.headers["Retry-After"] = str(wait)
    return response


def start_session(user: User, remember: bool = False) -> None:
    """Sign ``user`` in on a fresh session: whatever the session held before is dropped.
    The browser becomes a known device of the account (accounts/devices.py)."""
    session.clear()
    login_user(user, remember=remember, fresh=True)
    services.record_sign_in(user)
    devices.trust_this_browser(user)


def _next_target() -> str | None:
    target = request.form.get("next") or request.args.get("next")
    return target if is_safe_path(target) else None


@limiter.limit(_limit("RATELIMIT_SIGN_UP"), methods=["POST"])
def sign_up():
    """Create an unverified account and mail the verification link."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = SignUpForm()
    form.fill_district_choices()
    if form.validate_on_submit():
        # A registered email takes the same path (and time: the password is hashed either
        # way) until the insert fails; the answer is the same page, its owner gets a notice.
        try:
            user = services.register_user(
                email=form.email.data, password=form.password.data, nickname=form.nickname.data,
                district_id=form.district_id.data, ku_id=form.ku_id.data,
                age_band=form.age_band.data)
        except services.AccountConflict as conflict:
            if conflict.field == "nickname":
                form.nickname.errors.append(
                    _("このニックネームはすでに使われています。別のものにしてください。"))
                return render("accounts/sign_up.html", form=form, status=200)
            services.send_already_registered_notice(form.email.data)
            return redirect(url_for("accounts.check_mail"))
        services.send_verification(user)
        return redirect(url_for("accounts.check_mail"))
    return render("accounts/sign_up.html", form=form)


def check_mail():
    """Shown after sign-up, whatever happened: reveals nothing about the email."""
    return render("accounts/check_mail.html")


@writes_on_get
def verify_email(token: str):
    """Follow the mailed verification link; signs the person in."""
    user = services.verify_email(token)
    if user is None:
        return render("accounts/link_invalid.html", status=400)
    if user.status == UserStatus.ACTIVE:
        start_session(user)
    flash(_("メールアドレスを確認しました。ようこそ、こもろ協働ひろばへ。"), "success")
    return redirect(url_for("accounts.account"))


@limiter.limit(_limit("RATELIMIT_SIGN_IN_PER_IP"), methods=["POST"])
# Per account, only failed attempts count: guessing is stopped, signing in on a few devices
# is not. A browser that signed in to the account before counts apart, by its device cookie,
# so guesses from elsewhere cannot lock its owner out (accounts/devices.py).
@limiter.limit(_limit("RATELIMIT_SIGN_IN_PER_ACCOUNT"), methods=["POST"],
               key_func=_sign_in_account_key, exempt_when=devices.from_known_device,
               deduct_when=_failed, on_breach=_sign_in_paused)
@limiter.limit(_limit("RATELIMIT_SIGN_IN_PER_DEVICE"), methods=["POST"],
               key_func=devices.device_limit_key, exempt_when=devices.from_untrusted_client,
               deduct_when=_failed, on_breach=_sign_in_paused)
def sign_in():
    """Sign in with email and password; rate limited per account and per address."""
    if current_user.is_authenticated:
        return redirect(safe_next(_next_target()))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None or user.status == UserStatus.DELETED:
            form.form_errors.append(_("メールアドレスまたはパスワードが正しくありません。"))
        elif user.status == UserStatus.SUSPENDED:
            form.form_errors.append(_("このアカウントは利用停止中です。市の担当窓口にお問い合わせください。"))
        elif user.email_verified_at is None:
            services.send_verification(user)
            form.form_errors.append(_("メールアドレスの確認が済んでいません。確認メールを再送しました。"))
        else:
            start_session(user, remember=form.remember.data)
            flash(_("ログインしました。"), "success")
            return redirect(safe_next(_next_target()))
    return render("accounts/sign_in.html", form=form, next=_next_target())


def sign_out():
    """Sign out everywhere: every session and remember-me cookie of the account stops working."""
    if current_user.is_authenticated:
        user = db.session.get(User, current_user.id)
        services.end_all_sessions(user)
    logout_user()
    session.clear()
    flash(_("ログアウトしました。"), "success")
    return redirect(url_for("plan.home"))


@limiter.limit(_limit("RATELIMIT_PASSWORD_RESET"), methods=["POST"])
def forgot_password():
    """Mail a reset link if the address is registered; same answer either way."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("登録されているアドレスであれば、パスワード再設定のメールを送りました。"),
              "success")
        return redirect(url_for("accounts.sign_in"))
    return render("accounts/forgot_password.html", form=form)


@limiter.limit(_limit("RATELIMIT_PASSWORD_RESET"), methods=["POST"])
def reset_password(token: str):
    """Set a new password with a mailed link (works once)."""
    user = services.user_for_reset(token)
    if user is None:
        return render("accounts/link_invalid.html", status=400)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        # The link proved the mailbox: this browser may sign in even while the account's
        # sign-in is paused for untrusted clients (OWASP's device cookie for a reset link).
        devices.trust_this_browser(user)
        flash(_("パスワードを変更しました。新しいパスワードでログインしてください。"), "success")
        logout_user()
        return redirect(url_for("accounts.sign_in"))
    return render("accounts/reset_password.html", form=form, token=token)


def terms():
    """Terms of use, with their version."""
    return render("accounts/terms.html", version=services.TERMS_VERSION)


def privacy():
    """Privacy policy (APPI), with its version."""
    return render("accounts/privacy.html", version=services.TERMS_VERSION)


def accessibility():
    """アクセシビリティ方針: the target, how it is checked, how to report a problem."""
    return render("accounts/accessibility.html", contact=current_app.config["CONTACT_EMAIL"])
