"""Device cookies (accounts/devices.py): an attacker's wrong passwords lock out untrusted
clients only; the owner's browser that signed in before still signs in.

Before them, 3 wrong passwords from anywhere (the ``limited`` app's per-account limit)
kept the owner out with the right password too. Memory storage always, a real Redis when
KOMORO_TEST_REDIS_URL is set (conftest.py); tests/security/test_shared_limits.py runs
the same attack on two gunicorn workers sharing a Redis.
"""

from __future__ import annotations

import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from komoro_engage.accounts import devices, tokens
from tests.accounts.conftest import PASSWORD
from tests.security.conftest import SIGN_IN_PAUSED, assert_sign_in_paused, client_from

OWNER = "owner@example.jp"
WRONG = "wrong-password-1"
NEW_PASSWORD = "asama-no-yuki-55"  # noqa: S105 - a test password


def post_sign_in(client, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password})


def known_browser(app, email: str, ip: str):
    """A browser at ``ip`` that signed in to ``email`` and out again: it keeps the device
    cookie, as a closed browser does, and no session."""
    client = client_from(app, ip)
    assert post_sign_in(client, email, PASSWORD).status_code == 302
    assert client.get_cookie(devices.COOKIE_NAME, path="/login") is not None
    assert client.post("/logout").status_code == 302
    return client


def attack(app, email: str, attempts: int = 20) -> list[int]:
    """Wrong passwords for ``email``, each from an address of its own (a botnet)."""
    return [post_sign_in(client_from(app, f"10.66.0.{n}"), email, WRONG).status_code
            for n in range(attempts)]


def with_device_cookie(app, ip: str, value: str):
    client = client_from(app, ip)
    client.set_cookie(devices.COOKIE_NAME, value, path="/login")
    return client


def device_cookie(client) -> str:
    return client.get_cookie(devices.COOKIE_NAME, path="/login").value


def test_an_attackers_guesses_do_not_lock_the_owners_browser_out(limited, account):
    account(email=OWNER)
    browser = known_browser(limited, OWNER, "192.0.2.1")
    assert attack(limited, OWNER) == [200] * 3 + [429] * 17
    # Untrusted clients are locked out, even with the right password ...
    assert_sign_in_paused(post_sign_in(client_from(limited, "192.0.2.2"), OWNER, PASSWORD),
                          OWNER)
    # ... but the browser that signed in before is not.
    assert post_sign_in(browser, OWNER, PASSWORD).status_code == 302
    assert browser.get("/account").status_code == 200


def test_a_forged_expired_or_foreign_device_cookie_gives_no_exemption(limited, account):
    owner_id, _email = account(email=OWNER)
    account(email="mallory@example.jp")
    real = device_cookie(known_browser(limited, OWNER, "192.0.2.1"))
    foreign = device_cookie(known_browser(limited, "mallory@example.jp", "192.0.2.9"))
    attack(limited, OWNER)
    secret = limited.config["SECRET_KEY"]
    salt = f"komoro.{tokens.KNOWN_DEVICE}"

    class YearOld(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - tokens.MAX_AGE_SECONDS[tokens.KNOWN_DEVICE] - 60

    cookies = {
        "tampered signature": real[:-2] + ("AA" if not real.endswith("AA") else "BB"),
        "signed with a guessed key": URLSafeTimedSerializer("guessed", salt=salt).dumps(
            [[owner_id, "made-up-device"]]),
        "older than a year": URLSafeTimedSerializer(secret, salt=salt, signer=YearOld).dumps(
            [[owner_id, "old-device"]]),
        "another account's": foreign,
    }
    for n, (kind, value) in enumerate(cookies.items()):
        response = post_sign_in(with_device_cookie(limited, f"192.0.2.{20 + n}", value),
                                OWNER, PASSWORD)
        assert response.status_code == 429, kind
    # The genuine cookie, copied to another client, still works: a cookie is the device.
    assert post_sign_in(with_device_cookie(limited, "192.0.2.30", real), OWNER,
                        PASSWORD).status_code == 302


def test_wrong_passwords_from_a_known_device_are_limited_too(limited, account):
    account(email=OWNER)
    browser = known_browser(limited, OWNER, "192.0.2.1")
    assert [post_sign_in(browser, OWNER, WRONG).status_code for _ in range(3)] == [200] * 3
    # The device is locked out by itself, the right password included ...
    assert_sign_in_paused(post_sign_in(browser, OWNER, WRONG), OWNER)
    assert_sign_in_paused(post_sign_in(browser, OWNER, PASSWORD), OWNER)
    # ... while its failures did not use up the account's limit for everyone else.
    assert post_sign_in(client_from(limited, "192.0.2.2"), OWNER, PASSWORD).status_code == 302


def test_the_owner_on_a_new_device_is_limited_until_a_reset_link_trusts_it(
        app, limited, account, mailbox):
    limited.config.update(MAIL_HOST=app.config["MAIL_HOST"], MAIL_PORT=app.config["MAIL_PORT"])
    account(email=OWNER)
    attack(limited, OWNER)
    new_device = client_from(limited, "192.0.2.1")
    assert_sign_in_paused(post_sign_in(new_device, OWNER, PASSWORD), OWNER)
    # The page points to the reset; the mailed link proves the mailbox, so the browser that
    # follows it becomes a known device of the account.
    assert new_device.post("/password/forgot", data={"email": OWNER}).status_code == 302
    link = mailbox.link_to(OWNER, "/password/reset/")
    assert new_device.post(link, data={"password": NEW_PASSWORD}).status_code == 302
    assert post_sign_in(new_device, OWNER, NEW_PASSWORD).status_code == 302
    # Others are still locked out, the new password notwithstanding.
    assert_sign_in_paused(post_sign_in(client_from(limited, "192.0.2.2"), OWNER,
                                       NEW_PASSWORD), OWNER)


def test_a_shared_browser_stays_known_for_each_of_its_accounts(limited, account):
    account(email=OWNER)
    account(email="family@example.jp")
    browser = known_browser(limited, OWNER, "192.0.2.1")
    assert post_sign_in(browser, "family@example.jp", PASSWORD).status_code == 302
    browser.post("/logout")
    attack(limited, OWNER, attempts=4)
    attack(limited, "family@example.jp", attempts=4)
    assert post_sign_in(browser, OWNER, PASSWORD).status_code == 302


def test_the_pause_is_explained_in_english(limited, account):
    account(email=OWNER)
    attack(limited, OWNER, attempts=4)
    client = client_from(limited, "192.0.2.1")
    client.set_cookie("lang", "en")
    response = post_sign_in(client, OWNER, PASSWORD)
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and SIGN_IN_PAUSED not in html
    assert "this device cannot sign in to this account for a while" in html
    assert "reset your password with “Forgot your password?” below" in html
