"""Sign-up with email verification, nickname rules and consent."""

import pytest
from sqlalchemy import func, select

from komoro_engage.accounts import services
from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.plan.models import District
from tests.accounts.conftest import PASSWORD
from tests.factories import make_user


def form(**overrides):
    data = {"email": "hanako@example.jp", "password": PASSWORD, "nickname": "ハナコ",
            "district_id": "", "age_band": "", "accept_terms": "y"}
    data.update(overrides)
    return data


def count_users(app, **filters) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User).filter_by(**filters))


def test_sign_up_verifies_email_by_mailed_link_and_signs_in(app, client, mailbox):
    with app.app_context():
        district = db.session.scalars(select(District)).first()
        district_id = district.id
    page = client.get("/signup")
    assert page.status_code == 200 and 'name="accept_terms"' in page.get_data(as_text=True)

    response = client.post("/signup", data=form(nickname="ｺﾓﾛ 花子", age_band="18_29",
                                                district_id=str(district_id)))
    assert response.status_code == 302 and response.location.endswith("/signup/check-mail")
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(email="hanako@example.jp"))
        assert user.nickname == "コモロ 花子"  # NFKC: half-width kana folded
        assert user.email_verified_at is None
        assert user.terms_version == services.TERMS_VERSION and user.terms_accepted_at
        assert user.password_hash.startswith("$argon2id$")
        assert (user.district_id, user.age_band) == (district_id, "18_29")

    link = mailbox.link_to("hanako@example.jp", "/verify/")
    assert client.get("/account").status_code == 302  # not signed in before verifying
    followed = client.get(link)
    assert followed.status_code == 302 and followed.location.endswith("/account")
    assert client.get("/account").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(User).filter_by(
            email="hanako@example.jp")).email_verified_at is not None


def test_tampered_or_foreign_verification_link_is_refused(client):
    response = client.get("/verify/not-a-real-token")
    assert response.status_code == 400
    assert "リンクが無効です" in response.get_data(as_text=True)


@pytest.mark.parametrize(("field", "overrides", "message"), [
    ("password", {"password": "short1"}, "8文字以上"),
    ("password", {"password": "PassWord123"}, "よく使われていて"),
    ("password", {"password": "IloveYou"}, "よく使われていて"),
    ("password", {"password": "sakuragi77", "email": "Sakuragi77@example.jp"},
     "メールアドレスやニックネームと同じ"),
    ("email", {"email": "not-an-address"}, "メールアドレスの形式"),
    ("accept_terms", {"accept_terms": ""}, "同意が必要です"),
    ("nickname", {"nickname": "   "}, "入力してください"),
])
def test_bad_input_gets_an_error_next_to_the_field_and_keeps_the_input(
        app, client, field, overrides, message):
    response = client.post("/signup", data=form(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    error = f'<p class="field-error" id="{field}-error">'
    assert error in html and message in html.split(error)[1].split("</p>")[0]
    assert f'aria-describedby="{field}-' in html and 'aria-invalid="true"' in html
    if field != "nickname":
        assert 'value="ハナコ"' in html  # what was typed is kept
    assert count_users(app, nickname_key="ハナコ") == 0  # nothing was created


def test_nickname_unique_ignoring_case_and_width(app, client, ctx_free_user):
    ctx_free_user(nickname="Komoro Hana")
    response = client.post("/signup", data=form(nickname="ｋｏｍｏｒｏ ｈａｎａ"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "このニックネームはすでに使われています" in html
    assert count_users(app, email="hanako@example.jp") == 0


def test_existing_email_gets_the_same_answer_and_the_owner_is_told(app, client, mailbox,
                                                                   ctx_free_user):
    ctx_free_user(email="taken@example.jp")
    response = client.post("/signup", data=form(email="Taken@Example.jp", nickname="別人"))
    assert response.status_code == 302 and response.location.endswith("/signup/check-mail")
    assert count_users(app, email="taken@example.jp") == 1
    assert count_users(app, nickname_key="別人") == 0
    notice = mailbox.last_to("taken@example.jp")
    assert "すでに登録されています" in mailbox.body(notice)


def test_a_lost_race_on_nickname_or_email_ends_with_one_account_and_a_clear_error(ctx):
    """The form's pre-check passed for both; the database's unique keys decide."""
    make_user(nickname="ComoroRace", email="race@example.jp")
    with pytest.raises(services.AccountConflict) as lost:
        services.register_user(email="other@example.jp", password=PASSWORD,
                               nickname="ｃｏｍｏｒｏｒａｃｅ")
    assert lost.value.field == "nickname"
    with pytest.raises(services.AccountConflict) as lost:
        services.register_user(email="RACE@example.jp", password=PASSWORD, nickname="別の名前")
    assert lost.value.field == "email"
    # The transaction is still usable and holds exactly one of each.
    assert db.session.scalar(select(func.count()).select_from(User).where(
        User.email.in_(["race@example.jp", "other@example.jp"]))) == 1


def test_signed_in_user_visiting_sign_up_goes_to_account(login, ctx_free_user):
    user = ctx_free_user()
    response = login(user).get("/signup")
    assert response.status_code == 302 and response.location.endswith("/account")


def test_choosing_a_ku_sets_its_district_and_a_mismatch_is_refused(app, client):
    with app.app_context():
        from komoro_engage.plan.models import Ku

        ku = db.session.scalars(select(Ku).order_by(Ku.id)).first()
        other = db.session.scalar(select(District).where(District.id != ku.district_id))
        ku_id, district_id, other_id = ku.id, ku.district_id, other.id
    page = client.get("/signup").get_data(as_text=True)
    assert "<optgroup" in page and 'name="ku_id"' in page
    wrong = client.post("/signup", data=form(ku_id=str(ku_id), district_id=str(other_id)))
    assert "選んだ区は、選んだ地区にありません" in wrong.get_data(as_text=True)
    assert client.post("/signup", data=form(ku_id=str(ku_id))).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(email="hanako@example.jp"))
        assert (user.ku_id, user.district_id) == (ku_id, district_id)
