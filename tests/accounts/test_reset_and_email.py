"""Password reset and change of email, both by mailed links."""

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from tests.accounts.conftest import PASSWORD

SENT = "登録されているアドレスであれば、パスワード再設定のメールを送りました。"


def test_password_reset_by_mailed_link_works_once(app, account, client, sign_in, mailbox):
    account(email="reset@example.jp")
    other_device = sign_in("reset@example.jp")
    response = client.post("/password/forgot", data={"email": "reset@example.jp"},
                           follow_redirects=True)
    assert SENT in response.get_data(as_text=True)
    link = mailbox.link_to("reset@example.jp", "/password/reset/")

    assert client.get(link).status_code == 200
    weak = client.post(link, data={"password": "12345678"})
    assert "よく使われていて" in weak.get_data(as_text=True)
    done = client.post(link, data={"password": "yama-no-kaze-77"})
    assert done.status_code == 302 and done.location.endswith("/login")

    assert client.get(link).status_code == 400  # used once: dead
    assert other_device.get("/account").status_code == 302  # other sessions ended
    sign_in("reset@example.jp", password="yama-no-kaze-77")
    old = app.test_client().post("/login", data={"email": "reset@example.jp",
                                                 "password": PASSWORD})
    assert "正しくありません" in old.get_data(as_text=True)


def test_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client, mailbox):
    response = client.post("/password/forgot", data={"email": "ghost@example.jp"},
                           follow_redirects=True)
    assert SENT in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_email_change_is_confirmed_by_a_link_sent_to_the_new_address(app, account, sign_in,
                                                                     mailbox):
    user_id, _ = account(email="old@example.jp")
    client = sign_in("old@example.jp")
    wrong = client.post("/account/email", data={"email": "new@example.jp",
                                                "current_password": "not-it-99"})
    assert "現在のパスワードが正しくありません" in wrong.get_data(as_text=True)
    response = client.post("/account/email", data={"email": "New@Example.jp",
                                                   "current_password": PASSWORD})
    assert response.status_code == 302
    assert "変更が申請されました" in mailbox.body(mailbox.last_to("old@example.jp"))
    link = mailbox.link_to("new@example.jp", "/account/email/confirm/")
    with app.app_context():
        assert db.session.get(User, user_id).email == "old@example.jp"  # not yet

    stranger = sign_in(account(email="stranger@example.jp")[1])
    assert stranger.get(link).status_code == 400  # someone else's link does nothing
    assert client.get(link).status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.email, user.pending_email) == ("new@example.jp", None)
    assert client.get(link).status_code == 400
    sign_in("new@example.jp")


def test_email_change_to_a_registered_address_changes_nothing(app, account, sign_in, mailbox):
    user_id, _ = account(email="mine@example.jp")
    account(email="theirs@example.jp")
    client = sign_in("mine@example.jp")
    client.post("/account/email", data={"email": "theirs@example.jp",
                                        "current_password": PASSWORD})
    assert "すでに登録されています" in mailbox.body(mailbox.last_to("theirs@example.jp"))
    with app.app_context():
        assert db.session.scalar(select(User.email).where(User.id == user_id)) == \
            "mine@example.jp"
