"""On PostgreSQL a request that only reads runs in autocommit: no BEGIN and no COMMIT,
two round trips fewer (postgres_engine.py, issue 16). A request that writes, and a GET
marked ``writes_on_get``, run in one transaction as before, whatever the pooled
connection served last."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from komoro_engage import create_app
from komoro_engage.core.transaction import writes_on_get
from komoro_engage.extensions import db

pytestmark = pytest.mark.no_db_rollback  # the app's own connections, not the test's


def _status_after_a_statement() -> str:
    """IDLE in autocommit; INTRANS inside a transaction (psycopg's view of the server)."""
    db.session.execute(text("SELECT 1"))
    return db.session.connection().connection.driver_connection.info.transaction_status.name


@pytest.fixture
def pg_app(app):
    if not app.config["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite begins its own way (sqlite_engine.py)")
    built = create_app("testing", DATABASE_URL=app.config["DATABASE_URL"],
                       STORAGE_DIR=app.config["STORAGE_DIR"], PROPAGATE_EXCEPTIONS=True)
    built.add_url_rule("/_tx/read", "read", _status_after_a_statement)
    built.add_url_rule("/_tx/marked", "marked",
                       writes_on_get(lambda: _status_after_a_statement()))
    built.add_url_rule("/_tx/post", "post", lambda: _status_after_a_statement(),
                       methods=["POST"])
    yield built
    with built.app_context():
        db.engine.dispose()


def test_reads_run_without_a_transaction_and_writes_within_one(pg_app):
    client = pg_app.test_client()
    seen = [client.get("/_tx/read").text, client.post("/_tx/post").text,
            client.get("/_tx/read").text, client.get("/_tx/marked").text,
            client.get("/_tx/read").text]
    assert seen == ["IDLE", "INTRANS", "IDLE", "INTRANS", "IDLE"]
    with pg_app.app_context():
        assert db.engine.pool.checkedin() == 1  # one pooled connection served them all


def test_outside_a_request_a_transaction_begins_as_before(pg_app):
    with pg_app.app_context():
        pg_app.test_client().get("/_tx/read")  # leaves the pooled connection in autocommit
        assert _status_after_a_statement() == "INTRANS"  # a command, the outbox
        db.session.rollback()
