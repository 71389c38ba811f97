"""The sender's wait on PostgreSQL: a committed mail wakes it, a rolled-back one does not,
and a lost listening connection costs one timeout, then it listens again."""

from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import text

from komoro_engage.core.outbox import CHANNEL, NewMailListener, queue_mail
from komoro_engage.extensions import db
from tests.live import LiveServer

pytestmark = [
    pytest.mark.no_db_rollback,  # NOTIFY is delivered at a real COMMIT only
    pytest.mark.skipif(not os.environ.get("KOMORO_TEST_DATABASE_URL", "").startswith(
        "postgresql"), reason="PostgreSQL only: SQLite has no NOTIFY (the sender looks often)"),
]


@pytest.fixture
def own_database(tmp_path):
    """An app context over a fresh database of its own, with real commits."""
    server = LiveServer(tmp_path)  # never started: only its fresh, migrated database
    server.prepare_database()
    with server.app.app_context():
        yield server.app
        db.session.remove()
        db.engine.dispose()
    server.database.drop()


def waited(listener: NewMailListener, timeout: float) -> float:
    start = time.monotonic()
    listener.wait(timeout)
    return time.monotonic() - start


def queue(commit: bool) -> None:
    queue_mail("resident@example.jp", "件名", "本文", kind="verify_email")
    if commit:
        db.session.commit()
    else:
        db.session.rollback()


def test_a_commit_wakes_the_listener_a_rollback_does_not(own_database):
    listener = NewMailListener(db.engine)
    listener.start()
    try:
        queue(commit=False)
        assert waited(listener, 1.0) >= 0.9  # nothing was announced
        queue(commit=True)
        assert waited(listener, 10) < 2
    finally:
        listener.close()


def test_a_lost_connection_is_listened_on_again(own_database):
    listener = NewMailListener(db.engine)
    listener.start()
    try:
        # Only this listener's own backend: the server may hold other listeners (other
        # databases, other test runs), and whether they exist is not this test's business.
        backend = listener._connection.info.backend_pid
        killed = db.session.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE query = :listen AND pid = :backend"),
            {"listen": f"LISTEN {CHANNEL}", "backend": backend}).scalars().all()
        db.session.commit()
        assert killed == [True]
        assert waited(listener, 0.5) >= 0.4  # the loss costs one timeout, no error
        assert waited(listener, 10) < 2  # listening again: the caller looks at once
        queue(commit=True)
        assert waited(listener, 10) < 2
    finally:
        listener.close()
