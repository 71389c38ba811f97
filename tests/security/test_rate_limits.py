"""Rate limits on sign-in (per account and per IP), sign-up and password reset.

Run against memory storage always, and against the real Redis when
KOMORO_TEST_REDIS_URL is set (CI sets redis://127.0.0.1:6379/15).
"""

import os

import pytest

from komoro_engage import create_app
from komoro_engage.extensions import limiter
from tests.accounts.conftest import PASSWORD

REDIS_URL = os.environ.get("KOMORO_TEST_REDIS_URL")
STORAGES = [
    pytest.param("memory://", id="memory"),
    pytest.param(REDIS_URL, id="redis", marks=pytest.mark.skipif(
        not REDIS_URL, reason="set KOMORO_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) "
                              "to test rate limits against a real Redis")),
]
TOO_MANY = "操作の回数が多すぎます"


@pytest.fixture(params=STORAGES)
def limited(request, app):
    """An app of its own with rate limits on, small limits and a clean counter store."""
    limited_app = create_app(
        "testing", DATABASE_URL=app.config["DATABASE_URL"], RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=request.param,
        RATELIMIT_SIGN_IN_PER_ACCOUNT="3 per minute", RATELIMIT_SIGN_IN_PER_IP="5 per minute",
        RATELIMIT_SIGN_UP="2 per hour", RATELIMIT_PASSWORD_RESET="2 per hour",
    )
    with limited_app.app_context():
        limiter.reset()
    yield limited_app
    with limited_app.app_context():
        limiter.reset()


def client_from(app, ip: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def sign_in(client, email):
    return client.post("/login", data={"email": email, "password": "wrong-password-1"})


def assert_limited(response):
    assert response.status_code == 429
    assert TOO_MANY in response.get_data(as_text=True)
    assert "分後にもう一度お試しください" in response.get_data(as_text=True)
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    assert '<main id="main"' in response.get_data(as_text=True)  # the site's own page


def test_sign_in_is_limited_per_account_across_addresses(limited):
    for n in range(3):
        assert sign_in(client_from(limited, f"10.0.0.{n}"), "target@example.jp").status_code == 200
    assert_limited(sign_in(client_from(limited, "10.0.0.9"), "TARGET@example.jp"))
    # Another account from the same addresses is not affected.
    assert sign_in(client_from(limited, "10.0.0.1"), "someone@example.jp").status_code == 200


def test_sign_in_is_limited_per_address_across_accounts(limited):
    client = client_from(limited, "10.0.1.1")
    for n in range(5):
        assert sign_in(client, f"user{n}@example.jp").status_code == 200
    assert_limited(sign_in(client, "user9@example.jp"))
    assert sign_in(client_from(limited, "10.0.1.2"), "user9@example.jp").status_code == 200


def test_pages_are_not_limited_only_the_posts(limited):
    client = client_from(limited, "10.0.2.1")
    for _ in range(8):
        assert client.get("/login").status_code == 200


def test_sign_up_is_limited(limited):
    client = client_from(limited, "10.0.3.1")
    for _ in range(2):
        assert client.post("/signup", data={"email": "x"}).status_code == 200
    assert_limited(client.post("/signup", data={"email": "x"}))


def test_password_reset_is_limited(limited):
    client = client_from(limited, "10.0.4.1")
    for _ in range(2):
        assert client.post("/password/forgot", data={"email": "bad"}).status_code == 200
    assert_limited(client.post("/password/forgot", data={"email": "bad"}))


def test_the_shared_test_app_is_not_limited(limited, client):
    """Limits switched on in one app must not leak into another app of the same process."""
    for _ in range(7):
        assert sign_in(client, "same@example.jp").status_code == 200


def test_successful_sign_ins_do_not_use_up_the_account_limit(limited, account):
    account(email="often@example.jp")
    for n in range(4):
        client = client_from(limited, f"10.0.5.{n}")
        response = client.post("/login", data={"email": "often@example.jp",
                                               "password": PASSWORD})
        assert response.status_code == 302
