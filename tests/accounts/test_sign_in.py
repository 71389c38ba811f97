"""Sign-in, sessions, sign-out everywhere, remember me and password change."""

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import User, UserStatus
from komoro_engage.extensions import db
from tests.accounts.conftest import PASSWORD

WRONG = "メールアドレスまたはパスワードが正しくありません。"


def is_signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_sign_in_with_email_in_any_case_and_go_to_next(app, account, client):
    account(email="ume@example.jp")
    response = client.post("/login?next=/plan/districts",
                           data={"email": " UME@example.jp ", "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/plan/districts"
    assert is_signed_in(client)
    with app.app_context():
        assert db.session.scalar(select(User).filter_by(
            email="ume@example.jp")).last_sign_in_at is not None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_next_only_goes_to_our_own_paths(account, client, target):
    account(email="next@example.jp")
    response = client.post("/login", data={"email": "next@example.jp", "password": PASSWORD,
                                           "next": target})
    assert response.status_code == 302 and response.location == "/"


def test_wrong_password_and_unknown_email_get_the_same_answer(account, client):
    account(email="kiku@example.jp")
    wrong = client.post("/login", data={"email": "kiku@example.jp", "password": "nope-nope-1"})
    unknown = client.post("/login", data={"email": "nobody@example.jp", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 200
    assert WRONG in wrong.get_data(as_text=True) and WRONG in unknown.get_data(as_text=True)
    assert 'value="kiku@example.jp"' in wrong.get_data(as_text=True)  # typed input kept
    assert not is_signed_in(client)


def test_unverified_account_gets_the_verification_mail_again(account, client, mailbox):
    account(email="mitsu@example.jp", email_verified_at=None)
    response = client.post("/login", data={"email": "mitsu@example.jp", "password": PASSWORD})
    assert "確認メールを再送しました" in response.get_data(as_text=True)
    assert "/verify/" in mailbox.body(mailbox.last_to("mitsu@example.jp"))
    assert not is_signed_in(client)


def test_suspended_account_cannot_sign_in(account, client):
    account(email="stop@example.jp", status=UserStatus.SUSPENDED)
    response = client.post("/login", data={"email": "stop@example.jp", "password": PASSWORD})
    assert "利用停止中" in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_session_is_renewed_on_sign_in(app, account, client):
    """Session fixation: nothing planted in the session before sign-in survives it."""
    account(email="fix@example.jp")
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
    before = session_cookie(client)
    client.post("/login", data={"email": "fix@example.jp", "password": PASSWORD})
    assert session_cookie(client) != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_fresh"] is True and session["_user_id"]


def test_sign_out_ends_every_session_and_a_copied_cookie_stops_working(app, account, sign_in):
    account(email="out@example.jp")
    phone = sign_in("out@example.jp")
    laptop = sign_in("out@example.jp")
    copied = app.test_client()
    copied.set_cookie("session", session_cookie(phone))
    assert is_signed_in(copied)

    response = phone.post("/logout")
    assert response.status_code == 302
    assert not is_signed_in(phone)
    assert not is_signed_in(laptop)
    assert not is_signed_in(copied)


def test_remember_me_cookie_restores_the_session_until_sign_out(app, account, sign_in):
    account(email="remember@example.jp")
    client = sign_in("remember@example.jp", remember="y")
    remember = client.get_cookie("remember_token")
    assert remember is not None and remember.http_only
    fresh_browser = app.test_client()
    fresh_browser.set_cookie("remember_token", remember.value)
    assert is_signed_in(fresh_browser)  # browser restarted: the cookie signs in again

    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("remember_token", remember.value)
    assert not is_signed_in(replay)


def test_password_change_ends_other_sessions_but_keeps_this_one(app, account, sign_in):
    account(email="pw@example.jp")
    here = sign_in("pw@example.jp")
    elsewhere = sign_in("pw@example.jp")
    bad = here.post("/account/password", data={"current_password": "wrong-one-1",
                                               "password": "new-secret-2026"})
    assert "現在のパスワードが正しくありません" in bad.get_data(as_text=True)
    common = here.post("/account/password", data={"current_password": PASSWORD,
                                                  "password": "password123"})
    assert "よく使われていて" in common.get_data(as_text=True)

    response = here.post("/account/password", data={"current_password": PASSWORD,
                                                     "password": "new-secret-2026"})
    assert response.status_code == 302
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    sign_in("pw@example.jp", password="new-secret-2026")
    old = app.test_client().post("/login", data={"email": "pw@example.jp", "password": PASSWORD})
    assert WRONG in old.get_data(as_text=True)


def test_suspending_ends_the_sessions_at_once(app, account, sign_in):
    user_id, _ = account(email="later@example.jp")
    client = sign_in("later@example.jp")
    with app.app_context():
        db.session.get(User, user_id).status = UserStatus.SUSPENDED
        db.session.commit()
    assert not is_signed_in(client)
