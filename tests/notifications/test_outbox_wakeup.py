"""The sender loop sends a newly committed mail within seconds, as ``make run`` and the
production service run it: a real ``flask komoro send-mail --loop`` process, a real
database of its own and a real SMTP server.

On PostgreSQL the loop's own look is 30 s away, so only the NOTIFY sent with the
mail's commit can bring it in time; on SQLite the loop looks every second.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from bench.load import stop_process
from komoro_engage.core.outbox import queue_mail
from komoro_engage.extensions import db
from tests.live import ROOT, LiveServer
from tests.mailbox import Mailbox

WITHIN_SECONDS = 3


def wait_for_line(log, text: str, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text():
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, f"no {text!r} in {timeout}s: {log.read_text()}"
        time.sleep(0.1)


@pytest.mark.no_db_rollback
def test_a_committed_mail_wakes_the_sender_within_seconds(tmp_path):
    server = LiveServer(tmp_path)  # never started: only its fresh, migrated database
    server.prepare_database()
    postgres = server.database.url.startswith("postgresql")
    box = Mailbox().start()
    env = {**os.environ, "KOMORO_CONFIG": "testing", "KOMORO_DATABASE_URL": server.database.url,
           "KOMORO_MAIL_HOST": "127.0.0.1", "KOMORO_MAIL_PORT": str(box.port)}
    log = tmp_path / "send-mail.log"
    with log.open("w") as output:
        sender = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "komoro_engage", "komoro", "send-mail",
             "--loop", "30" if postgres else "1"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_for_line(log, "send-mail: sending due mail", sender)
        time.sleep(1.5)  # past its first look: from now on only a wake-up (or a look) sends
        assert sender.poll() is None, log.read_text()
        with server.app.app_context():
            queue_mail("resident@example.jp", "【こもろ協働ひろば】確認", "本文",
                       kind="verify_email")
            db.session.commit()
        committed = time.monotonic()
        box.wait_for("resident@example.jp", timeout=WITHIN_SECONDS + 10)
        waited = time.monotonic() - committed
        print(f"mail arrived {waited:.2f} s after its commit ({server.database.url.split(':')[0]})")
        assert waited < WITHIN_SECONDS
        if postgres:
            assert "woken by new mail" in log.read_text()
    finally:
        stop_process(sender)
        box.stop()
        server.close()
