"""Two people signing up at the same moment, against a real multi-process server."""

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import func, select

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *_args, **_kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect)

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, data=body) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def race(live_server, forms: list[dict]) -> list[tuple[int, str]]:
    browsers = [Browser(live_server.url) for _ in forms]
    tokens = [re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                        b.get("/signup")).group(1) for b in browsers]
    start = threading.Barrier(len(forms))
    results: list = [None] * len(forms)

    def submit(i):
        start.wait()
        results[i] = browsers[i].post("/signup", {**forms[i], "csrf_token": tokens[i]})

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def form(email: str, nickname: str) -> dict:
    return {"email": email, "password": "race-to-the-top-7", "nickname": nickname,
            "accept_terms": "y"}


@pytest.mark.no_db_rollback
def test_concurrent_sign_ups_end_with_one_account_each_and_a_clear_error(live_server):
    same_nickname = race(live_server, [form("race-a@example.jp", "同時の人"),
                                       form("race-b@example.jp", "同時の人")])
    statuses = sorted(status for status, _ in same_nickname)
    assert statuses == [200, 302]
    loser = next(body for status, body in same_nickname if status == 200)
    assert "このニックネームはすでに使われています" in loser

    same_email = race(live_server, [form("twin@example.jp", "双子の姉"),
                                    form("TWIN@example.jp", "双子の妹")])
    assert [status for status, _ in same_email] == [302, 302]  # neither learns anything

    with live_server.app.app_context():
        count = db.session.scalar(select(func.count()).select_from(User).where(
            User.nickname_key.in_(["同時の人", "双子の姉", "双子の妹"])))
        twins = db.session.scalar(select(func.count()).select_from(User).filter_by(
            email="twin@example.jp"))
        db.session.remove()
    assert count == 2 and twins == 1
