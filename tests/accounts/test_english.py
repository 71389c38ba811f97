"""Account pages, errors and mails speak English when English is chosen."""

from komoro_engage.accounts.models import Role


def english(client):
    client.set_cookie("lang", "en")
    return client


def test_sign_up_labels_and_errors_in_english(client):
    html = english(client).post("/signup", data={"email": "bad", "password": "12345678",
                                                 "nickname": "x"}).get_data(as_text=True)
    assert "<title>Sign up | Komoro Engage</title>" in html
    assert "Nickname (shown publicly)" in html
    assert "This password is too common and easy to guess." in html
    assert "You need to agree to the terms of use" in html


def test_admin_pages_in_english(login, ctx_free_user):
    admin = ctx_free_user(role=Role.ADMIN)
    html = english(login(admin)).get("/admin/users").get_data(as_text=True)
    assert "Account management" in html and "Administrator" in html
