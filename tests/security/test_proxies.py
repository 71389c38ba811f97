"""Behind a reverse proxy: KOMORO_TRUSTED_PROXIES decides whose X-Forwarded-For is believed.

The proxy (nginx) connects from 127.0.0.1 and appends the address it saw to
X-Forwarded-For (``$proxy_add_x_forwarded_for``). With one trusted hop the app
takes that last entry as the visitor; whatever the visitor wrote before it is
ignored. With none (the default, no proxy) the header is not believed at all.
"""

from __future__ import annotations

import pytest
from flask import request

from komoro_engage import create_app
from komoro_engage.extensions import limiter

PROXY = "127.0.0.1"


def app_behind(hops: int, base_app, **settings):
    """An app of its own with a view that answers the address and scheme the app sees."""
    proxied = create_app("testing", DATABASE_URL=base_app.config["DATABASE_URL"],
                         TRUSTED_PROXIES=hops, **settings)
    proxied.add_url_rule("/_test/seen", "seen",
                         lambda: f"{request.remote_addr} {request.scheme}")
    return proxied


def seen(app, **headers) -> str:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = PROXY
    return client.get("/_test/seen", headers=headers).get_data(as_text=True)


def test_one_trusted_hop_sees_the_forwarded_client_and_scheme(app):
    behind_nginx = app_behind(1, app)
    assert seen(behind_nginx, **{"X-Forwarded-For": "203.0.113.7",
                                 "X-Forwarded-Proto": "https"}) == "203.0.113.7 https"


def test_without_trusted_proxies_forwarded_headers_are_ignored(app):
    direct = app_behind(0, app)
    assert seen(direct, **{"X-Forwarded-For": "203.0.113.7",
                           "X-Forwarded-Proto": "https"}) == f"{PROXY} http"


def test_a_spoofed_entry_before_the_proxys_own_is_not_trusted(app):
    """The visitor sent ``X-Forwarded-For: 198.51.100.1``; nginx appended the real address."""
    behind_nginx = app_behind(1, app)
    assert seen(behind_nginx, **{"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}) == (
        "203.0.113.7 http")


def test_the_default_trusts_no_proxy(app):
    assert app.config["TRUSTED_PROXIES"] == 0


@pytest.fixture
def limited_behind_nginx(app):
    limited = app_behind(1, app, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                         RATELIMIT_SIGN_IN_PER_IP="3 per minute",
                         RATELIMIT_SIGN_IN_PER_ACCOUNT="100 per minute")
    with limited.app_context():
        limiter.reset()
    yield limited
    with limited.app_context():
        limiter.reset()


def sign_in_from(app, forwarded_for: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = PROXY
    return client.post("/login", data={"email": "x@example.jp", "password": "wrong-password"},
                       headers={"X-Forwarded-For": forwarded_for})


def test_per_address_limits_count_each_visitor_not_the_proxy(limited_behind_nginx):
    for _ in range(3):
        assert sign_in_from(limited_behind_nginx, "203.0.113.7").status_code == 200
    assert sign_in_from(limited_behind_nginx, "203.0.113.7").status_code == 429
    # Another resident behind the same proxy is not locked out with the first one …
    assert sign_in_from(limited_behind_nginx, "203.0.113.8").status_code == 200
    # … and the limited one cannot escape by writing another address first.
    assert sign_in_from(limited_behind_nginx, "198.51.100.1, 203.0.113.7").status_code == 429
