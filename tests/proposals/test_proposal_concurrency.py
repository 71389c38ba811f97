"""Real concurrent HTTP requests against gunicorn: the support count stays exact.

Users are signed in by a session cookie made with the app's own session
serializer (sign-in pages live on another branch); everything else is the real
path: CSRF token read from the page, POSTs from 21 threads at once.
"""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import delete, func, select

from komoro_engage.extensions import db
from komoro_engage.proposals.models import Proposal, Support
from tests.factories import make_user
from tests.proposals.helpers import make_proposal

SUPPORTERS = 20


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def request(url: str, cookie: str, data: bytes | None = None, headers: dict | None = None):
    req = urllib.request.Request(url, data=data, headers={"Cookie": cookie, **(headers or {})})
    try:
        with OPENER.open(req, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:  # 302 arrives here with redirects switched off
        return error.code, error.headers, error.read().decode()


def signed_in(server, user_id: str) -> tuple[str, str]:
    """(cookie, csrf token) for a browser session signed in as ``user_id``."""
    app = server.app
    cookie_name = app.config.get("SESSION_COOKIE_NAME", "session")
    with app.test_request_context():
        value = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": user_id, "_fresh": True})
    cookie = f"{cookie_name}={value}"
    status, headers, html = request(f"{server.url}/proposals", cookie)
    assert status == 200
    # The page put a CSRF secret in the session: keep the updated cookie.
    for header in headers.get_all("Set-Cookie") or []:
        if header.startswith(f"{cookie_name}="):
            cookie = header.split(";", 1)[0]
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    return cookie, token


@pytest.mark.no_db_rollback
def test_twenty_at_once_and_a_double_tap_leave_the_exact_count(live_server):
    with live_server.app.app_context():
        proposal_id = make_proposal().id
        ids = [make_user().get_id() for _ in range(SUPPORTERS)]
        db.session.commit()
    sessions = [signed_in(live_server, user_id) for user_id in ids]
    url = f"{live_server.url}/proposals/{proposal_id}/support"
    # Everyone presses at once; the first user taps twice.
    posts = [*sessions, sessions[0]]
    barrier = threading.Barrier(len(posts))

    def press(session):
        cookie, token = session
        barrier.wait()
        return request(url, cookie, data=b"", headers={
            "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded"})[0]

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        statuses = list(pool.map(press, posts))
    assert statuses == [302] * len(posts), (statuses, live_server.log_path.read_text()[-3000:])
    with live_server.app.app_context():
        stored = db.session.get(Proposal, proposal_id).support_count
        rows = db.session.scalar(select(func.count()).select_from(Support).where(
            Support.proposal_id == proposal_id))
        assert (stored, rows) == (SUPPORTERS, SUPPORTERS)

    # Everyone withdraws at once, the first user twice: back to exactly zero.
    url = f"{live_server.url}/proposals/{proposal_id}/unsupport"
    barrier = threading.Barrier(len(posts))
    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        statuses = list(pool.map(press, posts))
    assert statuses == [302] * len(posts), statuses
    with live_server.app.app_context():
        db.session.expire_all()
        assert db.session.get(Proposal, proposal_id).support_count == 0
        db.session.execute(delete(Support))
        db.session.commit()
