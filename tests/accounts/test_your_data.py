"""APPI: download everything held about you; delete the account and its personal data."""

import json

import pytest
from sqlalchemy import select

from komoro_engage.accounts import erasure
from komoro_engage.accounts.models import Membership, User, UserStatus
from komoro_engage.extensions import db
from tests.accounts.conftest import PASSWORD
from tests.factories import make_organisation


@pytest.fixture
def post_handler():
    """A stand-in for a feature holding posts: records what deletion asked of it."""
    calls = []

    def handler(user, remove):
        calls.append((user.id, user.email, remove))

    erasure.register_post_handler(handler)
    yield calls
    erasure.unregister_post_handler(handler)


def test_download_contains_everything_held(app, account, sign_in):
    user_id, _ = account(email="data@example.jp", age_band="18_29", real_name="佐藤 一")
    with app.app_context():
        make_organisation(db.session.get(User, user_id), name="データの会")
        db.session.commit()
    erasure.register_export_section("test_section", lambda user: [{"title": f"by {user.id}"}])
    try:
        response = sign_in("data@example.jp").get("/account/data.json")
    finally:
        erasure.unregister_export_section("test_section")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    data = json.loads(response.get_data(as_text=True))
    account_data = data["account"]
    assert account_data["email"] == "data@example.jp"
    assert (account_data["age_band"], account_data["real_name"]) == ("18_29", "佐藤 一")
    assert {"terms_version", "terms_accepted_at", "created_at", "district_id"} <= set(account_data)
    assert data["memberships"][0]["organisation"] == "データの会"
    assert data["test_section"] == [{"title": f"by {user_id}"}]


@pytest.mark.parametrize("choice", ["keep", "remove"])
def test_deleting_the_account_erases_personal_data_at_once(app, account, sign_in, post_handler,
                                                           choice):
    user_id, _ = account(email="bye@example.jp", nickname="さよなら", age_band="60s",
                         real_name="小諸 次郎")
    with app.app_context():
        make_organisation(db.session.get(User, user_id))
        db.session.commit()
    client = sign_in("bye@example.jp")
    wrong = client.post("/account/delete", data={"posts": choice, "current_password": "x"})
    assert "現在のパスワードが正しくありません" in wrong.get_data(as_text=True)
    response = client.post("/account/delete", data={"posts": choice,
                                                    "current_password": PASSWORD})
    assert response.status_code == 302
    assert post_handler == [(user_id, "bye@example.jp", choice == "remove")]
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.status == UserStatus.DELETED
        assert (user.email, user.real_name, user.age_band, user.district_id,
                user.password_hash, user.pending_email) == (None,) * 6
        assert user.nickname == "退会したユーザー"
        assert db.session.scalars(select(Membership).filter_by(user_id=user_id)).all() == []
    assert client.get("/account").status_code == 302  # signed out
    again = app.test_client().post("/login", data={"email": "bye@example.jp",
                                                   "password": PASSWORD})
    assert "正しくありません" in again.get_data(as_text=True)


def test_a_deleted_nickname_is_free_again_and_shows_as_left(app, account, sign_in, client):
    account(email="free@example.jp", nickname="ゆずりは")
    sign_in("free@example.jp").post("/account/delete", data={"posts": "keep",
                                                            "current_password": PASSWORD})
    again = client.post("/signup", data={"email": "new-owner@example.jp", "password": PASSWORD,
                                         "nickname": "ゆずりは", "accept_terms": "y"})
    assert again.status_code == 302
    with app.test_request_context():
        from komoro_engage.accounts.templating import display_name

        deleted = db.session.scalar(select(User).filter_by(status=UserStatus.DELETED))
        assert display_name(deleted) == "退会したユーザー"
