"""Debian's nginx with the shipped site file (deploy/nginx/komoro-engage.conf) on loopback.

Only ports and paths of the site file are substituted, each substitution must
match (an edited site file cannot silently escape), and TLS is real with a
certificate made on the spot. Used by ``python -m bench --scenario soak`` and by
tests/deploy/test_nginx.py.
"""

from __future__ import annotations

import http.client
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

from bench.load import stop_process

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "komoro-engage.conf"
NGINX = Path(os.environ.get("KOMORO_NGINX", "/usr/sbin/nginx"))
BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
NAME = "komoro-engage.example.jp"

MAIN_CONF = """\
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log notice;
# Debian's brotli module (its modules-enabled line names it relative to /usr/share/nginx).
load_module {brotli};
events {{ worker_connections 512; }}
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


def missing() -> str | None:
    """Why the shipped site cannot run here, or None."""
    if not NGINX.exists():
        return f"{NGINX} is absent (Debian: apt-get install nginx)"
    if not BROTLI.exists():
        return ("the shipped site compresses with brotli: "
                "apt-get install libnginx-mod-http-brotli-filter")
    if shutil.which("openssl") is None:
        return "openssl is absent: it makes the TLS certificate"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_on_loopback(tmp: Path, ports: dict[str, int], cert: Path, key: Path,
                     static: Path) -> str:
    """The shipped site file with loopback ports and paths under ``tmp``."""
    text = SITE.read_text()
    substitutions = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{ports['app']};",
        "listen 80;": f"listen 127.0.0.1:{ports['http']};",
        "listen 443 ssl default_server;": f"listen 127.0.0.1:{ports['https']} ssl default_server;",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{ports['https']} ssl http2;",
        # IPv6 may be missing in a container; the IPv4 lines carry the traffic.
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
        if old not in text:
            raise AssertionError(f"the site file no longer contains {old!r}: update {__file__}")
        text = text.replace(old, new)
    return text


class Nginx:
    """nginx in the foreground with its own prefix, pid and logs in ``tmp``."""

    def __init__(self, tmp: Path, app_port: int, static: Path = ROOT / "static"):
        self.tmp = tmp
        for folder in ("client-body", "proxy", "fastcgi", "uwsgi", "scgi", "acme"):
            (tmp / folder).mkdir(exist_ok=True)
        self.cert, self.key = tmp / "site.crt", tmp / "site.key"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", f"/CN={NAME}",
             "-addext", f"subjectAltName=DNS:{NAME}", "-keyout", self.key, "-out", self.cert],
            check=True, capture_output=True, timeout=30)
        self.ports = {"app": app_port, "http": free_port(), "https": free_port()}
        (tmp / "komoro-engage.conf").write_text(
            site_on_loopback(tmp, self.ports, self.cert, self.key, static))
        # As root, nginx's workers would run as nobody and could not use the folders in tmp.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
        (tmp / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp, user=user, brotli=BROTLI))
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 15) -> Nginx:
        self.process = subprocess.Popen(
            [str(NGINX), "-p", str(self.tmp), "-c", str(self.tmp / "nginx.conf"), "-e",
             str(self.tmp / "error.log"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.tmp / 'error.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.ports["https"]), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not listen in {timeout}s")

    def connection(self, source: str = "127.0.0.1", server_name: str = NAME,
                   timeout: float = 60) -> SiteConnection:
        """HTTPS to the site as a browser at ``source`` (a loopback address) opens it."""
        return SiteConnection(self.ports["https"], self.cert, source, server_name, timeout)

    def stop(self) -> None:
        stop_process(self.process)


class SiteConnection(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 asking for the site's name (SNI and certificate checked).

    Send ``Host: NAME`` with each request: nginx picks the server block by it.
    """

    def __init__(self, port: int, cafile: Path, source: str, server_name: str, timeout: float):
        super().__init__("127.0.0.1", port, timeout=timeout, source_address=(source, 0),
                         context=ssl.create_default_context(cafile=str(cafile)))
        self.server_name = server_name

    def connect(self) -> None:
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.server_name)
