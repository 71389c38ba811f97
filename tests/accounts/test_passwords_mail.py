"""Password rules, argon2 hashing, signed tokens and the mail fallback."""

import secrets

import pytest

from komoro_engage import create_app
from komoro_engage.accounts import tokens
from komoro_engage.accounts.passwords import (
    common_passwords,
    hash_password,
    password_problem,
    verify_password,
)
from komoro_engage.core.mail import send_mail


def test_common_password_list_is_shipped_and_has_japanese_typical_choices():
    refused = common_passwords()
    assert len(refused) >= 300
    assert {"password1", "qwerty123", "12345678", "iloveyou", "sakura123"} <= refused


@pytest.mark.parametrize("password", ["Password1", "QWERTY123", "12345678", "ILoveYou"])
def test_common_passwords_are_refused_whatever_the_case(app, password):
    with app.test_request_context():
        assert "よく使われていて" in password_problem(password)


def test_a_long_uncommon_password_is_accepted(app):
    with app.test_request_context():
        assert password_problem("asama-yama 浅間山 2568") is None
        assert "8文字以上" in password_problem("a1b2c3")


def test_production_hashes_with_argon2id_default_cost(app):
    production = create_app("production", SECRET_KEY=secrets.token_urlsafe(48),
                            DATABASE_URL=app.config["DATABASE_URL"], RATELIMIT_ENABLED=False)
    with production.app_context():
        hashed = hash_password("asama-yama-2568")
        assert hashed.startswith("$argon2id$v=19$m=65536,t=3")
        assert verify_password(hashed, "asama-yama-2568")
        assert not verify_password(hashed, "asama-yama-2569")
        assert not verify_password(None, "asama-yama-2568")


def test_tokens_are_bound_to_their_purpose(app):
    with app.app_context():
        token = tokens.make_token(tokens.RESET_PASSWORD, {"uid": 1})
        assert tokens.read_token(tokens.RESET_PASSWORD, token) == {"uid": 1}
        assert tokens.read_token(tokens.VERIFY_EMAIL, token) is None
        assert tokens.read_token(tokens.RESET_PASSWORD, token + "x") is None


def test_tokens_expire(app, monkeypatch):
    with app.app_context():
        token = tokens.make_token(tokens.RESET_PASSWORD, {"uid": 1})
        monkeypatch.setitem(tokens.MAX_AGE_SECONDS, tokens.RESET_PASSWORD, -1)
        assert tokens.read_token(tokens.RESET_PASSWORD, token) is None


def test_without_an_smtp_host_mail_is_printed_to_the_console(app, capsys):
    assert app.config["MAIL_HOST"] == ""
    with app.app_context():
        send_mail("dev@example.jp", "件名テスト", "本文テスト https://example.jp/x")
    printed = capsys.readouterr().err
    assert "dev@example.jp" in printed and "MAIL_HOST is empty" in printed


def test_mail_goes_over_smtp_in_utf8(app, mailbox):
    with app.app_context():
        send_mail("smtp@example.jp", "【こもろ】件名", "本文です。")
    message = mailbox.last_to("smtp@example.jp")
    assert message["Subject"] == "【こもろ】件名"
    assert mailbox.body(message).strip() == "本文です。"
    assert "noreply@komoro-engage.invalid" in message["From"]
