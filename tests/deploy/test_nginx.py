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
import pwd
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config import Config
from tests.live import LiveServer, free_port

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "komoro-engage.conf"
NGINX = Path(os.environ.get("KOMORO_NGINX", "/usr/sbin/nginx"))
BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
NAME = "komoro-engage.example.jp"
RESIDENT, NEIGHBOUR = "127.0.0.2", "127.0.0.3"
TOO_LARGE = "送信されたデータが大きすぎます"  # the app's own 413 page

pytestmark = pytest.mark.no_db_rollback

MAIN_CONF = """\
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log notice;
# Debian's brotli module (its modules-enabled line names it relative to /usr/share/nginx).
load_module {brotli};
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {tmp}/client-body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/komoro-engage.conf;
}}
"""


def site_for_test(tmp: Path, ports: dict[str, int], cert: Path, key: Path, static: Path) -> str:
    """The shipped site file with loopback ports and the test's paths."""
    text = SITE.read_text()
    substitutions = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{ports['app']};",
        "listen 80;": f"listen 127.0.0.1:{ports['http']};",
        "listen 443 ssl default_server;": f"listen 127.0.0.1:{ports['https']} ssl default_server;",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{ports['https']} ssl http2;",
        # IPv6 may be missing in a container; the IPv4 lines carry the test.
        "listen [::]:80;": "",
        "listen [::]:443 ssl default_server;": "",
        "listen [::]:443 ssl http2;": "",
        f"/etc/letsencrypt/live/{NAME}/fullchain.pem": str(cert),
        f"/etc/letsencrypt/live/{NAME}/privkey.pem": str(key),
        "/var/log/nginx/komoro-engage.access.log": str(tmp / "access.log"),
        "/var/log/nginx/komoro-engage.error.log": str(tmp / "site-error.log"),
        "/opt/komoro-engage/static/": f"{static}/",
        "/var/www/letsencrypt": str(tmp / "acme"),
    }
    for old, new in substitutions.items():
        assert old in text, f"the site file no longer contains {old!r}: update this test"
        text = text.replace(old, new)
    return text


def make_certificate(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "site.crt", tmp / "site.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", f"/CN={NAME}", "-addext", f"subjectAltName=DNS:{NAME}",
         "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=30)
    return cert, key


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited: {log.read_text() if log.exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"port {port} did not open in {timeout}s")


class ShippedGunicorn(LiveServer):
    """gunicorn -c deploy/gunicorn.conf.py over a migrated, seeded SQLite database."""

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


class SiteConnection(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 as a browser asking for the site's name (SNI and certificate)."""

    def __init__(self, port: int, cafile: Path, source: str, server_name: str = NAME):
        super().__init__("127.0.0.1", port, timeout=60, source_address=(source, 0),
                         context=ssl.create_default_context(cafile=str(cafile)))
        self.server_name = server_name

    def connect(self) -> None:
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.server_name)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not NGINX.exists():
        pytest.skip(f"{NGINX} is absent (Debian: apt-get install nginx)")
    if not BROTLI.exists():
        pytest.skip("the shipped site compresses with brotli: apt-get install "
                    "libnginx-mod-http-brotli-filter")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is absent: it makes the test's TLS certificate")
    tmp = tmp_path_factory.mktemp("nginx")
    for folder in ("client-body", "proxy", "fastcgi", "uwsgi", "scgi", "acme"):
        (tmp / folder).mkdir()
    # nginx serves /static/ from its own folder: a copy with one file the app has not.
    static = tmp / "static"
    shutil.copytree(ROOT / "static", static)
    (static / "served-by-nginx.txt").write_text("nginx\n")
    cert, key = make_certificate(tmp)

    app_server = ShippedGunicorn(tmp, WTF_CSRF_ENABLED="false", RATELIMIT_ENABLED="true",
                                 RATELIMIT_PASSWORD_RESET="3 per hour")
    ports = {"app": app_server.port, "http": free_port(), "https": free_port()}
    (tmp / "komoro-engage.conf").write_text(site_for_test(tmp, ports, cert, key, static))
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp, user=user, brotli=BROTLI))
    nginx = None
    try:
        app_server.start()
        nginx = subprocess.Popen(
            [str(NGINX), "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e",
             str(tmp / "error.log"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_for_port(ports["https"], nginx, tmp / "error.log")

        def fetch(path: str, method: str = "GET", body: bytes | None = None,
                  headers: dict | None = None, source: str = RESIDENT):
            connection = SiteConnection(ports["https"], cert, source)
            try:
                connection.request(method, path, body=body,
                                   headers={"Host": NAME, **(headers or {})})
                response = connection.getresponse()
                return response.status, response.headers, response.read()
            finally:
                connection.close()

        yield {"fetch": fetch, "ports": ports, "cert": cert, "tmp": tmp}
    finally:
        if nginx is not None:
            nginx.terminate()
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait()
        app_server.stop()


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
    connection = http.client.HTTPConnection("127.0.0.1", site["ports"]["http"], timeout=10)
    connection.request("GET", "/plan/districts?x=1", headers={"Host": NAME})
    response = connection.getresponse()
    connection.close()
    assert response.status == 301
    assert response.headers["Location"] == f"https://{NAME}/plan/districts?x=1"
    # Our certificate's name, another site's name in Host: nginx answers, the app never sees it.
    status, _headers, body = site["fetch"]("/", headers={"Host": "attacker.example"})
    assert status == 421 and "こもろ".encode() not in body
    stranger = SiteConnection(site["ports"]["https"], site["cert"], RESIDENT,
                              server_name="attacker.example")
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
