"""A GET that writes (a mailed link followed) must not fail when another writer commits.

On SQLite, a transaction that reads and then writes cannot wait for the write lock
once another connection has committed in between: "database is locked" at once,
busy timeout or not. The sender of the outbox commits exactly then (it has just
sent the verification mail). ``core.transaction.writes_on_get`` makes such a view
begin as a write request does (``sqlite_engine.py``); an unmarked GET that writes
is logged as a warning.
"""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import create_engine, select, text

from komoro_engage import create_app
from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.core.transaction import writes_on_get
from komoro_engage.extensions import db

WRITER = "writer@example.jp"
pytestmark = pytest.mark.no_db_rollback  # two connections: the test's own transaction would lock


def _read_then_write_after_another_commit():
    """Read, let another connection commit a write, then write: the verify link's shape."""
    user = db.session.scalar(select(User).where(User.email == WRITER))
    other = create_engine(db.engine.url)
    with other.begin() as connection:
        connection.execute(text("UPDATE user_account SET nickname = 'sender' WHERE email = :e"),
                           {"e": WRITER})
    other.dispose()
    user.last_sign_in_at = clock.now()
    db.session.flush()
    return "kept"


@pytest.fixture
def get_app(app):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite only: PostgreSQL's READ COMMITTED has no such conflict")
    built = create_app("testing", DATABASE_URL=app.config["DATABASE_URL"],
                       STORAGE_DIR=app.config["STORAGE_DIR"], PROPAGATE_EXCEPTIONS=True)
    built.add_url_rule("/_get/marked", "marked",
                       writes_on_get(lambda: _read_then_write_after_another_commit()))
    built.add_url_rule("/_get/unmarked", "unmarked",
                       lambda: _read_then_write_after_another_commit())
    with built.app_context():
        if db.session.scalar(select(User).where(User.email == WRITER)) is None:
            db.session.add(User(email=WRITER, nickname="writer",
                                nickname_key=unicodedata.normalize("NFKC", "writer")))
            db.session.commit()
    yield built
    with built.app_context():
        db.session.execute(db.delete(User).where(User.email == WRITER))
        db.session.commit()
        db.engine.dispose()


def test_a_marked_get_writes_after_another_connection_committed(get_app):
    response = get_app.test_client().get("/_get/marked")
    assert (response.status_code, response.text) == (200, "kept")


def test_without_the_mark_sqlite_refuses_the_write_and_says_why(get_app, caplog):
    """The failure the mark prevents (CI's 500 on /verify), and the warning that names it."""
    get_app.testing = False
    assert get_app.test_client().get("/_get/unmarked").status_code == 500
    assert "database is locked" in caplog.text
    assert "GET unmarked writes" in caplog.text and "writes_on_get" in caplog.text
