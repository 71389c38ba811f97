"""A real server for tests that need one: gunicorn on loopback over its own database.

Browser journeys, concurrency and crash tests use it. The database is a fresh
SQLite file, or a fresh PostgreSQL database beside ``KOMORO_TEST_DATABASE_URL``;
it is migrated to head and seeded with the plan, and dropped afterwards.
Tests using it must be marked ``no_db_rollback`` (they write committed data
through ``server.app``, an app object bound to the same database).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

from flask_migrate import upgrade
from werkzeug.test import encode_multipart

from bench.load import stop_process
from komoro_engage import create_app
from komoro_engage.core.scratch_database import ScratchDatabase
from komoro_engage.extensions import db
from komoro_engage.plan.loader import read_plan_file
from komoro_engage.plan.services import seed_plan

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def FreshDatabase(tmp_dir: Path) -> ScratchDatabase:  # noqa: N802 - reads like the class it builds
    """A new empty database of the kind the suite runs on (PostgreSQL when
    ``KOMORO_TEST_DATABASE_URL`` is set, else SQLite)."""
    return ScratchDatabase(tmp_dir, os.environ.get("KOMORO_TEST_DATABASE_URL"),
                           prefix="komoro_live")


def migrate_and_seed(app) -> None:
    """Bring the app's empty database to head and load the plan, as an installation would."""
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        seed_plan(read_plan_file(app.config["PLAN_DATA_FILE"]))
        db.session.commit()
        db.session.remove()



class LiveServer:
    """gunicorn serving ``create_app("testing")`` with real CSRF on a free loopback port."""

    def __init__(self, tmp_dir: Path, workers: int = 2, threads: int = 4,
                 env: dict[str, str] | None = None, database: ScratchDatabase | None = None,
                 mail_sender: bool = False, **settings):
        """``settings`` go to both apps; ``env`` only to gunicorn's (``KOMORO_CONFIG``,
        ``GUNICORN_CMD_ARGS`` …); ``database`` replaces the fresh one the server makes;
        ``mail_sender`` also runs ``flask komoro send-mail --loop 1`` beside it, as
        ``make run`` and the send-mail service do (mail only leaves through the outbox)."""
        self.database = database or FreshDatabase(tmp_dir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings = {
            "DATABASE_URL": self.database.url,
            "STORAGE_DIR": str(tmp_dir / "live-uploads"),
            "WTF_CSRF_ENABLED": "true",
            "BASE_URL": self.url,
            **{key: str(value) for key, value in settings.items()},
        }
        self.app = create_app("testing", **{
            key: (value == "true" if value in ("true", "false") else value)
            for key, value in self.settings.items()
        })
        self.workers, self.threads = workers, threads
        self.env = env or {}
        self.process: subprocess.Popen | None = None
        self.mail_sender = mail_sender
        self.sender: subprocess.Popen | None = None
        self.log_path = tmp_dir / f"gunicorn-{self.port}.log"

    def prepare_database(self) -> None:
        migrate_and_seed(self.app)

    def start(self) -> LiveServer:
        self.prepare_database()
        env = {**os.environ, "KOMORO_CONFIG": "testing"}
        env.update({f"KOMORO_{key}": value for key, value in self.settings.items()})
        env.update(self.env)
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--threads", str(self.threads),
             "--graceful-timeout", "2", "komoro_engage:create_app()"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self.wait_until_up()
        if self.mail_sender:
            self.sender = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "komoro_engage", "komoro", "send-mail",
                 "--loop", "1"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
            self.wait_for_sender()
        return self

    def wait_for_sender(self, timeout: float = 90) -> None:
        """Until the sender says it runs: on a loaded machine importing the app took over
        40 s, and a journey then waited 10 s for a mail nobody was sending yet."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.sender.poll() is not None:
                raise RuntimeError(f"send-mail exited: {self.log_path.read_text()}")
            if "send-mail: sending due mail" in self.log_path.read_text():
                return
            time.sleep(0.1)
        raise RuntimeError(f"send-mail did not start in {timeout}s: {self.log_path.read_text()}")

    def wait_until_up(self, timeout: float = 90) -> None:
        # Generous: a loaded 2-core machine took 21 s to import the app in two workers; a
        # server that crashes is noticed at once (poll), so the wait costs nothing then.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer in {timeout}s: {self.log_path.read_text()}")

    def stop(self) -> None:
        stop_process(self.sender)
        stop_process(self.process)
        if getattr(self, "log", None):
            self.log.close()

    def close(self) -> None:
        """Stop the server (if it runs) and drop its database: a PostgreSQL run left a
        dozen ``komoro_live_*`` databases behind where tests only stopped the server."""
        self.stop()
        with self.app.app_context():
            db.engine.dispose()
        self.database.drop()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def request(url: str, cookie: str, data: bytes | None = None, headers: dict | None = None,
            timeout: float = 30):
    req = urllib.request.Request(url, data=data, headers={"Cookie": cookie, **(headers or {})})
    try:
        with OPENER.open(req, timeout=timeout) as response:
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


def post_form(url: str, session: tuple[str, str], fields, timeout: float = 30) -> int:
    """POST ``fields`` (a MultiDict; FileStorage values are files) as multipart/form-data
    in the signed-in ``session`` (cookie, csrf token); the status."""
    cookie, token = session
    boundary, body = encode_multipart(fields)
    return request(url, cookie, data=body, timeout=timeout, headers={
        "X-CSRFToken": token, "Content-Type": f"multipart/form-data; boundary={boundary}"})[0]


def post_at_once(url: str | list[str], sessions: list[tuple[str, str]],
                 data: bytes = b"") -> list[int]:
    """POST ``data`` (a url-encoded form) to ``url`` (or to each of a list of urls, one
    per session) once per (cookie, csrf token) session, each from its own thread, all
    released together; the statuses in the order of ``sessions``."""
    barrier = threading.Barrier(len(sessions))
    urls = url if isinstance(url, list) else [url] * len(sessions)
    assert len(urls) == len(sessions)

    def press(address, session):
        cookie, token = session
        barrier.wait()
        return request(address, cookie, data=data, headers={
            "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded"})[0]

    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        return list(pool.map(press, urls, sessions))
