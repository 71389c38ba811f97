import json
import os
import urllib.request

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from komoro_engage.extensions import db
from komoro_engage.plan.models import Ku
from tests.live import LiveServer


@pytest.mark.no_db_rollback
def test_live_server_serves_the_migrated_seeded_database(live_server):
    with urllib.request.urlopen(f"{live_server.url}/readyz") as response:
        assert json.load(response)["checks"]["database"] == "ok"
    with urllib.request.urlopen(f"{live_server.url}/plan/districts") as response:
        assert "ひばりヶ丘" in response.read().decode()
    with live_server.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ku)) == 68


POSTGRES_URL = os.environ.get("KOMORO_TEST_DATABASE_URL", "")


@pytest.mark.no_db_rollback
@pytest.mark.skipif(not POSTGRES_URL.startswith("postgresql"),
                    reason="only PostgreSQL keeps a scratch database: a SQLite one is a file "
                           "in the test's own folder")
def test_closing_a_live_server_drops_its_database(tmp_path):
    """Tests that only stopped their server left a dozen databases behind per run."""
    server = LiveServer(tmp_path)  # never started: close() must still drop its database
    server.prepare_database()
    name = server.database.name
    admin = create_engine(make_url(POSTGRES_URL).set(database="postgres"), poolclass=NullPool)
    try:
        def exists() -> bool:
            with admin.connect() as connection:
                return connection.scalar(text("SELECT count(*) FROM pg_database WHERE "
                                              "datname = :name"), {"name": name}) == 1
        assert exists()
        server.close()
        assert not exists()
    finally:
        admin.dispose()
