"""Rate limits in production hold across gunicorn workers, and survive Redis going away.

gunicorn runs ``KOMORO_CONFIG=production`` with 2 workers on loopback, its limits
in a real Redis this test starts. Before this, each worker counted in its own
memory: 14 wrong passwords for one account met a 429 only at the 8th, then
200s again.
"""

from __future__ import annotations

import http.client
import re
import secrets
import time
from urllib.parse import urlencode

import pytest

from komoro_engage.accounts.passwords import hash_password
from komoro_engage.extensions import db
from tests.accounts.conftest import PASSWORD
from tests.factories import make_user
from tests.live import LiveServer
from tests.redis_server import REDIS_SERVER, SKIP_REASON, RedisServer

pytestmark = [pytest.mark.no_db_rollback,
              # Limits live in Redis, not the database: CI runs this once.
              pytest.mark.one_database,
              pytest.mark.skipif(REDIS_SERVER is None, reason=SKIP_REASON)]

ATTEMPTS = 14
ALLOWED = 5  # production's RATELIMIT_SIGN_IN_PER_ACCOUNT: "5 per 15 minutes"
FALLBACK_LOG = "Rate limit storage unreachable"


@pytest.fixture
def redis(tmp_path):
    with RedisServer(tmp_path) as server:
        yield server


@pytest.fixture
def production(tmp_path, redis):
    """gunicorn in production settings over plain HTTP on loopback; the access log names
    the worker (pid) that answered each request."""
    access_log = tmp_path / "access.log"
    server = LiveServer(
        tmp_path, workers=2, threads=1,
        env={
            "KOMORO_CONFIG": "production",
            "KOMORO_SECRET_KEY": secrets.token_urlsafe(48),
            "KOMORO_RATELIMIT_STORAGE_URI": redis.url,
            "KOMORO_RATELIMIT_ENABLED": "true",
            "GUNICORN_CMD_ARGS": f"--access-logfile {access_log} "
                                 "--access-logformat '%(p)s %(m)s %(U)s %(s)s'",
        },
    ).start()
    server.access_log = access_log
    try:
        yield server
    finally:
        server.close()


class Visitor:
    """One browser: its cookies (sent by hand: production's are Secure, and this test
    speaks plain HTTP) and the CSRF token of its session."""

    def __init__(self, server: LiveServer, cookies: dict[str, str] | None = None):
        self.port = server.port
        self.cookies = dict(cookies or {})
        page = self.request("GET", "/login")[1]
        self.token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        return self.finish(*self.start(method, path, form))

    def start(self, method: str, path: str, form: dict | None = None):
        """Open a connection and send the request's headers but not its body. A sync
        worker that accepted it waits for the body, so meanwhile every new connection is
        taken by the other worker."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = urlencode({**form, "csrf_token": self.token}).encode() if form is not None else b""
        connection.putrequest(method, path)
        if cookie:
            connection.putheader("Cookie", cookie)
        if form is not None:
            connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        return connection, body

    def finish(self, connection: http.client.HTTPConnection, body: bytes) -> tuple[int, str]:
        try:
            if body:
                connection.send(body)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, value = header.split(";", 1)[0].partition("=")
            self.cookies[name] = value
        return response.status, text

    def sign_in(self, email: str, password: str = "wrong-1") -> int:  # noqa: S107
        """A sign-in (by default with a wrong password) for ``email``: the answer's status."""
        return self.request("POST", "/login", {"email": email, "password": password})[0]


def workers_that_answered(server, path: str) -> set[str]:
    lines = server.access_log.read_text().splitlines()
    return {line.split()[0] for line in lines if f"POST {path} " in line}


def test_the_sign_in_limit_holds_across_workers(production):
    visitor = Visitor(production)
    wrong = {"email": "target@example.jp", "password": "wrong-1"}
    # Which worker accepts a connection is the kernel's choice (under load one may take
    # them all), so one attempt holds a worker while four go to the other, then finishes.
    held = visitor.start("POST", "/login", wrong)
    statuses = [visitor.sign_in("target@example.jp") for _ in range(ALLOWED - 1)]
    statuses.append(visitor.finish(*held)[0])
    statuses += [visitor.sign_in("target@example.jp") for _ in range(ATTEMPTS - ALLOWED)]
    assert statuses == [200] * ALLOWED + [429] * (ATTEMPTS - ALLOWED)
    time.sleep(0.2)  # the access log line is written after the response
    assert len(workers_that_answered(production, "/login")) == 2
    # Once limited, every later attempt is refused, whichever worker answers.
    assert {visitor.sign_in("target@example.jp") for _ in range(4)} == {429}
    # Another account is not affected.
    assert visitor.sign_in("someone-else@example.jp") == 200


def test_the_site_keeps_working_when_redis_goes_away(production, redis):
    visitor = Visitor(production)
    assert visitor.sign_in("before@example.jp") == 200
    redis.stop()
    assert not redis.ping()
    statuses = []
    # Five: within production's reset limit (5 per hour and address) even when one
    # worker, counting in its own memory now, takes every request.
    for n in range(5):
        statuses.append(visitor.sign_in(f"resident{n}@example.jp"))
        statuses.append(visitor.request("POST", "/password/forgot",
                                        {"email": f"resident{n}@example.jp"})[0])
    # The sign-in form answers 200 with its error; the reset request redirects.
    assert statuses == [200, 302] * 5
    log = production.log_path.read_text()
    # Logged when each worker notices, not for every request.
    assert 1 <= log.count(FALLBACK_LOG) <= production.workers, log
    assert "Traceback" not in log


def test_a_known_device_signs_in_while_its_account_is_locked_out_on_every_worker(production):
    """Device cookies (accounts/devices.py): the lockouts live in Redis, so whichever worker
    answers, an attacker's guesses lock out untrusted clients only, and a device's own
    failures lock out that device."""
    with production.app.app_context():
        make_user(email="owner@example.jp").password_hash = hash_password(PASSWORD)
        db.session.commit()
    browser = Visitor(production)
    assert browser.sign_in("owner@example.jp", PASSWORD) == 302
    known = {"komoro_device": browser.cookies["komoro_device"]}  # the browser closes: no session
    attacker = Visitor(production)
    # As above: one guess holds a worker while the next go to the other, so both answer
    # (left to the kernel, one worker took them all on a busy CI machine).
    held = attacker.start("POST", "/login", {"email": "owner@example.jp", "password": "wrong-1"})
    statuses = [attacker.sign_in("owner@example.jp") for _ in range(ALLOWED - 1)]
    statuses.append(attacker.finish(*held)[0])
    statuses += [attacker.sign_in("owner@example.jp") for _ in range(ATTEMPTS - ALLOWED)]
    assert statuses == [200] * ALLOWED + [429] * (ATTEMPTS - ALLOWED)
    assert Visitor(production).sign_in("owner@example.jp", PASSWORD) == 429
    assert Visitor(production, known).sign_in("owner@example.jp", PASSWORD) == 302

    device = Visitor(production, known)
    statuses = [device.sign_in("owner@example.jp") for _ in range(ALLOWED + 2)]
    assert statuses == [200] * ALLOWED + [429] * 2
    assert device.sign_in("owner@example.jp", PASSWORD) == 429
    time.sleep(0.2)  # the access log line is written after the response
    assert len(workers_that_answered(production, "/login")) == 2
