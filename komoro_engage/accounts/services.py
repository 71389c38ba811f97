"""Account use cases: sign-up, sign-in, verification, password and email changes.

Functions flush but never commit: the request commits once (``core/transaction.py``).
Mails go to the outbox (``core/outbox.py``) and leave after that commit, so whether an
address is registered shows neither in how long a request takes nor in an SMTP failure.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from komoro_engage.accounts import tokens
from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.accounts.passwords import hash_password, needs_rehash, verify_password
from komoro_engage.core import clock
from komoro_engage.core.outbox import queue_mail, queue_to_compose
from komoro_engage.extensions import db

# The version of the terms of use and privacy policy shown at sign-up.
TERMS_VERSION = "2026-11-27"

AGE_BANDS = ("under_18", "18_29", "30s", "40s", "50s", "60s", "70_plus")


def age_band_on(birth_date: date, day: date) -> str:
    """The age band of someone born on ``birth_date``, on ``day`` (a paper ballot's voter)."""
    age = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    if age < 18:
        return "under_18"
    if age < 30:
        return "18_29"
    return AGE_BANDS[min(age // 10 - 1, len(AGE_BANDS) - 1)]

# The outbox kind of the reset mail, which the sender writes (accounts/__init__.py).
RESET_MAIL = "reset_password"


class AccountConflict(Exception):
    """A unique field (``email`` or ``nickname``) was taken, possibly by a concurrent sign-up."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


def normalize_nickname(nickname: str) -> str:
    """NFKC (full-width letters and half-width kana folded) and trimmed."""
    return unicodedata.normalize("NFKC", nickname).strip()


def nickname_key(nickname: str) -> str:
    """The uniqueness key of a nickname: NFKC and case folded."""
    return normalize_nickname(nickname).casefold()


def normalize_email(email: str) -> str:
    """NFKC, trimmed and lower-cased: one account per address however typed."""
    return unicodedata.normalize("NFKC", email or "").strip().lower()


def user_by_email(email: str) -> User | None:
    """The account with ``email`` (normalised), or None."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def nickname_taken(nickname: str, except_user: User | None = None) -> bool:
    """True if another account uses ``nickname`` ignoring case and width."""
    query = select(func.count()).select_from(User).where(
        User.nickname_key == nickname_key(nickname))
    if except_user is not None:
        query = query.where(User.id != except_user.id)
    return bool(db.session.scalar(query))


def absolute_url(endpoint: str, **values) -> str:
    """A link for a mail: the configured public base address plus our path, built in a
    request or not (the outbox's sender writes the reset mail)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def register_user(*, email: str, password: str, nickname: str, district_id: int | None = None,
                  ku_id: int | None = None, age_band: str | None = None) -> User:
    """Create an unverified account. Raises :class:`AccountConflict` if a unique field is taken.

    The insert runs in a savepoint, so a concurrent sign-up that wins the race
    leaves this one with a clear error instead of a broken transaction.
    """
    user = User(
        email=normalize_email(email), nickname=normalize_nickname(nickname),
        nickname_key=nickname_key(nickname), password_hash=hash_password(password),
        district_id=district_id, ku_id=ku_id, age_band=age_band or None,
        terms_version=TERMS_VERSION, terms_accepted_at=clock.now(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as error:
        field = "nickname" if nickname_taken(nickname) else "email"
        raise AccountConflict(field) from error
    return user


def send_verification(user: User) -> None:
    """Mail ``user`` a link that verifies their address."""
    token = tokens.make_token(tokens.VERIFY_EMAIL, {"uid": user.id, "email": user.email})
    queue_mail(user.email, _("【こもろ協働ひろば】メールアドレスの確認"), _(
        "%(nickname)s さん\n\nこもろ協働ひろばへの登録ありがとうございます。\n"
        "次のリンクを開いて、メールアドレスを確認してください（3日間有効）。\n\n%(link)s\n\n"
        "お心当たりがない場合は、このメールを破棄してください。",
        nickname=user.nickname, link=absolute_url("accounts.verify_email", token=token)),
        kind="verify_email", user_id=user.id)


def send_already_registered_notice(email: str) -> None:
    """Tell the owner of ``email`` that someone tried to sign up with it.

    The person at the screen sees the usual "check your mail" page either way.
    """
    queue_mail(normalize_email(email), _("【こもろ協働ひろば】登録のお申し込みについて"), _(
        "このメールアドレスはすでに登録されています。\n"
        "ご本人の場合はログインしてください。パスワードを忘れた場合は次から再設定できます。\n\n"
        "%(link)s\n\nお心当たりがない場合は、このメールを破棄してください。",
        link=absolute_url("accounts.forgot_password")), kind="already_registered")


def verify_email(token: str) -> User | None:
    """Mark the address in ``token`` as verified; None if the link is invalid or stale."""
    payload = tokens.read_token(tokens.VERIFY_EMAIL, token)
    if not isinstance(payload, dict):
        return None
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email is None or user.email != payload.get("email"):
        return None
    if user.email_verified_at is None:
        user.email_verified_at = clock.now()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The account whose email and password match, whatever its status; else None."""
    user = user_by_email(email) if email else None
    if not verify_password(user.password_hash if user else None, password) or user is None:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_sign_in(user: User) -> None:
    """Remember when ``user`` last signed in."""
    user.last_sign_in_at = clock.now()


def end_all_sessions(user: User) -> None:
    """Invalidate every session and remember-me cookie of ``user`` (see ``load_user``)."""
    user.session_version = (user.session_version or 1) + 1


def _reset_fingerprint(user: User) -> str:
    # Changes when the password changes, so a reset link works only once.
    return (user.password_hash or "")[-16:]


def request_password_reset(email: str) -> None:
    """Queue a reset mail for ``email``, registered or not: the request does the same work
    either way, and the sender finds out (:func:`compose_password_reset`)."""
    queue_to_compose(normalize_email(email), RESET_MAIL)


def compose_password_reset(email: str, locale: str | None) -> tuple[str, str] | None:
    """The reset mail for ``email`` with a link minted now (valid an hour from sending,
    never stored); None when no active account has that address: nothing is sent."""
    user = user_by_email(email)
    if user is None or user.status != UserStatus.ACTIVE:
        return None
    token = tokens.make_token(tokens.RESET_PASSWORD,
                              {"uid": user.id, "fp": _reset_fingerprint(user)})
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _("【こもろ協働ひろば】パスワードの再設定"), _(
            "パスワード再設定のお申し込みを受け付けました。\n"
            "次のリンクから新しいパスワードを設定してください（1時間有効、1回限り）。\n\n%(link)s\n\n"
            "お心当たりがない場合は、このメールを破棄してください。パスワードは変わりません。",
            link=absolute_url("accounts.reset_password", token=token))


def user_for_reset(token: str) -> User | None:
    """The account a reset link is for, if the link is valid and unused."""
    payload = tokens.read_token(tokens.RESET_PASSWORD, token)
    if not isinstance(payload, dict):
        return None
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.status != UserStatus.ACTIVE:
        return None
    return user if payload.get("fp") == _reset_fingerprint(user) else None


def set_password(user: User, password: str) -> None:
    """Store a new password and end every other session of the account."""
    user.password_hash = hash_password(password)
    end_all_sessions(user)
    if user.email_verified_at is None:
        # Following a link we mailed proves the address as well.
        user.email_verified_at = clock.now()


def request_email_change(user: User, new_email: str) -> None:
    """Send a confirmation link to ``new_email``; the address changes only when it is followed."""
    new_email = normalize_email(new_email)
    user.pending_email = new_email
    if user_by_email(new_email) is not None:
        send_already_registered_notice(new_email)
        return
    token = tokens.make_token(tokens.CHANGE_EMAIL, {"uid": user.id, "email": new_email})
    queue_mail(new_email, _("【こもろ協働ひろば】新しいメールアドレスの確認"), _(
        "%(nickname)s さん\n\nメールアドレスの変更を受け付けました。\n"
        "次のリンクを開くと、このアドレスに変更されます（24時間有効）。\n\n%(link)s",
        nickname=user.nickname, link=absolute_url("accounts.confirm_email_change", token=token)),
        kind="confirm_email_change", user_id=user.id)
    if user.email:
        queue_mail(user.email, _("【こもろ協働ひろば】メールアドレス変更のお知らせ"), _(
            "メールアドレスの変更が申請されました。新しいアドレスで確認されると変更されます。\n"
            "お心当たりがない場合は、すぐにパスワードを変更してください。"),
            kind="email_change_notice", user_id=user.id)


def confirm_email_change(user: User, token: str) -> bool:
    """Apply the change carried by ``token`` to ``user``; False if it is invalid or taken."""
    payload = tokens.read_token(tokens.CHANGE_EMAIL, token)
    if not isinstance(payload, dict) or payload.get("uid") != user.id:
        return False
    new_email = payload.get("email")
    if not new_email or user.pending_email != new_email:
        return False
    try:
        with db.session.begin_nested():
            user.email = new_email
            user.pending_email = None
            user.email_verified_at = clock.now()
    except IntegrityError:
        return False
    return True


def update_profile(user: User, *, nickname: str, district_id: int | None,
                   age_band: str | None, ku_id: int | None = None) -> None:
    """Change the public nickname and the optional statistics fields."""
    try:
        with db.session.begin_nested():
            user.nickname = normalize_nickname(nickname)
            user.nickname_key = nickname_key(nickname)
            user.district_id = district_id
            user.ku_id = ku_id
            user.age_band = age_band or None
    except IntegrityError as error:
        raise AccountConflict("nickname") from error
