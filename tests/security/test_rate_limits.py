"""Rate limits on sign-in (per account and per IP), sign-up and password reset.

Run against memory storage always, and against the real Redis when
KOMORO_TEST_REDIS_URL is set (CI sets redis://127.0.0.1:6379/15): the ``limited``
fixture (conftest.py).
"""

from tests.accounts.conftest import PASSWORD
from tests.security.conftest import assert_sign_in_paused, client_from

TOO_MANY = "操作の回数が多すぎます"


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
    # The sign-in form again, saying to wait or to reset the password.
    assert_sign_in_paused(sign_in(client_from(limited, "10.0.0.9"), "TARGET@example.jp"),
                          "TARGET@example.jp")
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
