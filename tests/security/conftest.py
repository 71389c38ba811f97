"""Security tests reuse the account fixtures; ``limited`` is an app with rate limits on."""

import os

import pytest

from komoro_engage import create_app
from komoro_engage.extensions import limiter
from tests.accounts.conftest import account, ctx_free_user, sign_in  # noqa: F401 (fixtures)

REDIS_URL = os.environ.get("KOMORO_TEST_REDIS_URL")
STORAGES = [
    pytest.param("memory://", id="memory"),
    pytest.param(REDIS_URL, id="redis", marks=pytest.mark.skipif(
        not REDIS_URL, reason="set KOMORO_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) "
                              "to test rate limits against a real Redis")),
]


@pytest.fixture(params=STORAGES)
def limited(request, app):
    """An app of its own with rate limits on, small limits and a clean counter store."""
    limited_app = create_app(
        "testing", DATABASE_URL=app.config["DATABASE_URL"], RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=request.param,
        RATELIMIT_SIGN_IN_PER_ACCOUNT="3 per minute", RATELIMIT_SIGN_IN_PER_DEVICE="3 per minute",
        RATELIMIT_SIGN_IN_PER_IP="5 per minute",
        RATELIMIT_SIGN_UP="2 per hour", RATELIMIT_PASSWORD_RESET="2 per hour",
    )
    with limited_app.app_context():
        limiter.reset()
    yield limited_app
    with limited_app.app_context():
        limiter.reset()


def client_from(app, ip: str):
    """A browser of its own at address ``ip``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


SIGN_IN_PAUSED = "この端末からこのアカウントへのログインを一時的に受け付けていません"


def assert_sign_in_paused(response, email: str) -> None:
    """429 with the sign-in form again: what was typed, the wait and the way out (a reset)."""
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert SIGN_IN_PAUSED in html and "分後にもう一度お試しください" in html
    assert f'value="{email}"' in html and 'href="/password/forgot"' in html
    assert 0 < int(response.headers["Retry-After"]) <= 3600
