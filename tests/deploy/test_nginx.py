"""Debian's nginx with the shipped site file (deploy/nginx/komoro-engage.conf) in front of
gunicorn with the shipped config (deploy/gunicorn.conf.py), all on loopback.

Only ports and paths of the site file are substituted (every substitution must
match, so an edit of the file cannot silently escape the test); TLS is real,
with a certificate made for the test. The client connects from 127.0.0.2 or
127.0.0.3 (loopback addresses too) while nginx reaches gunicorn from 127.0.0.1,
so the address the app acts on tells which one it saw.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

from bench import nginx as shipped_nginx
from bench.nginx import NAME, SITE, Nginx
from config import Config
from tests.live import LiveServer

ROOT = Path(__file__).resolve().parents[2]
RESIDENT, NEIGHBOUR = "127.0.0.2", "127.0.0.3"
TOO_LARGE = "送信されたデータが大きすぎます"  # the app's own 413 page

# nginx's site in front of gunicorn, whatever the database: CI runs this once.
pytestmark = [pytest.mark.no_db_rollback, pytest.mark.one_database]


class ShippedGunicorn(LiveServer):
    """gunicorn -c deploy/gunicorn.conf.py over a migrated, seeded database of its own (the
    suite's kind: PostgreSQL in CI's PostgreSQL run, where this module runs)."""

    def start(self) -> ShippedGunicorn:
        self.prepare_database()
        env = {**os.environ, "KOMORO_CONFIG": "testing", "KOMORO_BIND": f"127.0.0.1:{self.port}",
               "KOMORO_WORKERS": "1", "KOMORO_THREADS": "4",
               # Issue 14, point 2: the product setting; tests/deploy/proxied.py until then.
               "KOMORO_TRUSTED_PROXIES": "1"}
        env.update({f"KOMORO_{key}": value for key, value in self.settings.items()})
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "tests.deploy.proxied:create_proxied_app()"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_until_up()
        return self


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    reason = shipped_nginx.missing()
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("nginx")
    # nginx serves /static/ from its own folder: a copy with one file the app has not.
    static = tmp / "static"
    shutil.copytree(ROOT / "static", static)
    (static / "served-by-nginx.txt").write_text("nginx\n")
    app_server = ShippedGunicorn(tmp, WTF_CSRF_ENABLED="false", RATELIMIT_ENABLED="true",
                                 RATELIMIT_PASSWORD_RESET="3 per hour")
    front = Nginx(tmp, app_server.port, static)
    try:
        app_server.start()
        front.start()

        def fetch(path: str, method: str = "GET", body: bytes | None = None,
                  headers: dict | None = None, source: str = RESIDENT):
            connection = front.connection(source)
            try:
                connection.request(method, path, body=body,
                                   headers={"Host": NAME, **(headers or {})})
                response = connection.getresponse()
                return response.status, response.headers, response.read()
            finally:
                connection.close()

        yield {"fetch": fetch, "front": front}
    finally:
        front.stop()
        app_server.close()


def test_pages_from_the_app_and_static_files_from_nginx(site):
    status, _headers, body = site["fetch"]("/")
    assert status == 200 and "こもろ協働ひろば" in body.decode()
    css = re.search(r'href="(/static/css/site\.css\?v=\w+)"', body.decode()).group(1)
    status, headers, _body = site["fetch"](css)
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert "max-age=31536000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    # A file only nginx's folder has: /static/ never reaches the app.
    assert site["fetch"]("/static/served-by-nginx.txt")[2] == b"nginx\n"


def test_plain_http_redirects_to_https_and_unknown_names_are_refused(site):
    connection = http.client.HTTPConnection("127.0.0.1", site["front"].ports["http"], timeout=10)
    connection.request("GET", "/plan/districts?x=1", headers={"Host": NAME})
    response = connection.getresponse()
    connection.close()
    assert response.status == 301
    assert response.headers["Location"] == f"https://{NAME}/plan/districts?x=1"
    # Our certificate's name, another site's name in Host: nginx answers, the app never sees it.
    status, _headers, body = site["fetch"]("/", headers={"Host": "attacker.example"})
    assert status == 421 and "こもろ".encode() not in body
    stranger = site["front"].connection(RESIDENT, server_name="attacker.example")
    with pytest.raises(ssl.SSLError):
        stranger.request("GET", "/")


def test_html_css_and_js_are_compressed(site):
    fetch = site["fetch"]
    status, headers, body = fetch("/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert "こもろ協働ひろば" in gzip.decompress(body).decode()
    html = gzip.decompress(body).decode()
    for asset in re.findall(r'"(/static/(?:css|vendor)/[^"]+)"', html):
        status, headers, body = fetch(asset, headers={"Accept-Encoding": "gzip"})
        assert status == 200 and headers["Content-Encoding"] == "gzip", asset
    status, headers, _body = fetch("/", headers={"Accept-Encoding": "br, gzip"})
    assert headers["Content-Encoding"] == "br"


def test_the_app_acts_on_the_address_nginx_saw_not_on_one_the_client_claims(site):
    """Password-reset requests are limited per address (3 per hour here).

    The resident's requests all count against 127.0.0.2 whatever X-Forwarded-For
    they send; their neighbour at 127.0.0.3 still has a full allowance. Were the
    spoofed header trusted, the resident would never be limited; were nginx's own
    address (127.0.0.1) used, the neighbour would be limited too.
    """
    def ask(source: str, claimed: str):
        return site["fetch"](
            "/password/forgot", "POST", b"email=someone%40example.jp",
            {"Content-Type": "application/x-www-form-urlencoded",
             "X-Forwarded-For": claimed}, source)

    answers = [ask(RESIDENT, f"198.51.100.{n}")[0] for n in range(1, 5)]
    assert answers[:3] == [302, 302, 302] and answers[3] == 429
    status, headers, _body = ask(NEIGHBOUR, RESIDENT)
    assert status == 302 and headers["X-RateLimit-Remaining"] == "2"


def test_an_upload_over_the_limit_gets_the_apps_own_413_page(site):
    limit = Config.MAX_CONTENT_LENGTH
    nginx_limit = int(re.search(r"client_max_body_size (\d+)m;", SITE.read_text()).group(1))
    # nginx lets a little more through than the app takes, so the app answers.
    assert limit < nginx_limit * 2**20 <= limit + 2 * 2**20
    body = b"lang=ja&next=%2F&filler=" + b"x" * (limit + 64 * 1024)
    status, headers, page = site["fetch"](
        "/lang", "POST", body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413
    assert TOO_LARGE in page.decode(), page[:300]
    assert headers["Content-Type"].startswith("text/html")
