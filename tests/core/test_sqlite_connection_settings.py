"""What every SQLite connection is set to (komoro_engage/sqlite_engine.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from komoro_engage import sqlite_engine
from komoro_engage.extensions import db
from tests.conftest import TEST_DATABASE_URL


def _settings(connection) -> dict:
    return {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("cache_size", "journal_mode", "foreign_keys", "busy_timeout")}


def test_a_new_connection_gets_the_larger_page_cache(tmp_path):
    """32 MiB instead of SQLite's 2: at 100,000 proposals the staff tabs' count and a
    search's count probe a thousand proposal rows, which must stay in the cache."""
    engine = create_engine(f"sqlite:///{tmp_path / 'settings.db'}")
    try:
        with engine.connect() as connection:
            assert _settings(connection) == {
                "cache_size": -32 * 1024,  # negative: KiB
                "journal_mode": "wal", "foreign_keys": 1,
                "busy_timeout": sqlite_engine.SQLITE_BUSY_TIMEOUT_MS}
    finally:
        engine.dispose()


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the app runs on PostgreSQL here")
def test_the_apps_own_connections_have_it_too(app):
    with app.app_context(), db.engine.connect() as connection:
        assert _settings(connection)["cache_size"] == -sqlite_engine.SQLITE_CACHE_KIB
