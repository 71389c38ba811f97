import json
import urllib.request

import pytest
from sqlalchemy import func, select

from komoro_engage.extensions import db
from komoro_engage.plan.models import Ku


@pytest.mark.no_db_rollback
def test_live_server_serves_the_migrated_seeded_database(live_server):
    with urllib.request.urlopen(f"{live_server.url}/readyz") as response:
        assert json.load(response)["checks"]["database"] == "ok"
    with urllib.request.urlopen(f"{live_server.url}/plan/districts") as response:
        assert "ひばりヶ丘" in response.read().decode()
    with live_server.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ku)) == 68
