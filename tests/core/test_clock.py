"""The one clock: ``freeze`` fixes "now" for services and model defaults alike."""

from __future__ import annotations

from datetime import UTC, datetime

from komoro_engage.core import clock
from tests.factories import make_user


def test_freeze_fixes_now_and_restores_it():
    moment = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
    with clock.freeze(moment):
        assert clock.now() == moment
    assert clock.now() != moment


def test_model_defaults_read_the_frozen_clock(app):
    moment = datetime(2025, 5, 5, 3, 0, tzinfo=UTC)
    with app.app_context(), clock.freeze(moment):
        user = make_user()
        assert clock.as_utc(user.created_at) == moment
