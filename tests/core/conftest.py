"""Fixtures shared by the core tests."""

from __future__ import annotations

import pytest

from komoro_engage.extensions import db
from tests.live import LiveServer


@pytest.fixture
def own_database_app(tmp_path):
    """The testing app with the page cache on, over a fresh migrated database (no server),
    as production runs: the suite's other tests bind every session to one connection."""
    server = LiveServer(tmp_path, PAGE_CACHE_SECONDS=60)
    server.prepare_database()
    yield server.app
    with server.app.app_context():
        db.engine.dispose()
    server.database.drop()
