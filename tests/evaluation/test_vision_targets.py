"""Staff choose which indicator measures each vision target; the home page shows its actual."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.evaluation.indicators import IndicatorData, add_indicator, record_actual
from komoro_engage.extensions import db
from komoro_engage.plan.models import VisionTarget
from tests.evaluation.helpers import measure
from tests.factories import make_user


@pytest.fixture
def world(app):
    """A staff member, the first vision target and an indicator with one actual."""
    with app.app_context():
        staff = make_user(Role.STAFF, nickname="企画担当職員")
        indicator = add_indicator(staff, measure("1-2"), IndicatorData(
            name="住み続けたい市民の割合", unit="%", direction="higher"))
        record_actual(staff, indicator, 2025, Decimal("81.5"), "市民意識調査 2025")
        target = db.session.scalars(select(VisionTarget).order_by(VisionTarget.sort_order)).first()
        target.indicator_id = None
        db.session.commit()
        assert staff.id and staff.nickname  # loaded before the session closes
        return {"staff": staff, "target": target.id, "indicator": indicator.id,
                "label": target.label}


def _choose(client, world, value):
    return client.post(f"/staff/vision-targets/{world['target']}",
                       data={f"t{world['target']}-indicator": value})


def test_staff_choose_the_indicator_and_the_home_page_shows_its_actual(app, login, client,
                                                                        world):
    staff_client = login(world["staff"])
    page = staff_client.get("/staff/vision-targets")
    assert page.status_code == 200
    assert world["label"] in page.get_data(as_text=True)
    assert "81.5%" not in client.get("/").get_data(as_text=True)

    response = _choose(staff_client, world, str(world["indicator"]))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(VisionTarget, world["target"]).indicator_id == world["indicator"]
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "vision_target.indicator_chosen")).one()
        assert entry.actor_id == world["staff"].id
    home = client.get("/").get_data(as_text=True)
    assert "81.5%" in home and "市民意識調査 2025" in home

    assert _choose(staff_client, world, "").status_code == 302  # （なし）: no longer measured
    with app.app_context():
        assert db.session.get(VisionTarget, world["target"]).indicator_id is None
    assert "81.5%" not in client.get("/").get_data(as_text=True)


def test_an_unknown_indicator_is_refused_next_to_the_field(app, login, world):
    response = _choose(login(world["staff"]), world, "999999")
    assert response.status_code == 422
    assert "field-error" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(VisionTarget, world["target"]).indicator_id is None


def test_residents_cannot_choose(app, login, world):
    with app.app_context():
        resident = make_user(Role.RESIDENT)
        db.session.commit()
    client = login(resident)
    assert client.get("/staff/vision-targets").status_code == 403
    assert _choose(client, world, str(world["indicator"])).status_code == 403
    with app.app_context():
        assert db.session.get(VisionTarget, world["target"]).indicator_id is None


def test_seeding_the_plan_again_keeps_the_choice(app, ctx, world):
    from komoro_engage.plan.loader import read_plan_file
    from komoro_engage.plan.services import seed_plan

    target = db.session.get(VisionTarget, world["target"])
    target.indicator_id = world["indicator"]
    db.session.flush()
    seed_plan(read_plan_file(app.config["PLAN_DATA_FILE"]))
    assert db.session.get(VisionTarget, world["target"]).indicator_id == world["indicator"]
