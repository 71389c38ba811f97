"""Staff writes to a measure's indicators and yearly actuals, and corrections of its text.

Every write is audit-logged with the values before and after; rows staff
touched are marked so that re-seeding the plan never undoes their work.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from decimal import Decimal

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.core import clock, events
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.plan.models import (
    Direction,
    Indicator,
    IndicatorActual,
    Measure,
    VisionTarget,
)


@dataclass
class IndicatorData:
    name: str
    unit: str
    direction: str
    baseline_value: Decimal | None = None
    baseline_fy: int | None = None
    target_value: Decimal | None = None
    target_fy: int | None = None
    source: str = ""


@dataclass
class MeasureText:
    title: str
    description: str
    title_en: str | None = None
    description_en: str | None = None
    description_easy: str | None = None  # やさしい日本語, for readers who chose it
    lead_department: str = ""


def _plain(values: dict) -> dict:
    """JSON-safe copy for the audit log (Decimals as strings)."""
    return {key: str(value) if isinstance(value, Decimal) else value
            for key, value in values.items()}


def _snapshot(row, fields) -> dict:
    return _plain({field: getattr(row, field) for field in fields})


INDICATOR_FIELDS = tuple(IndicatorData.__dataclass_fields__)
MEASURE_FIELDS = tuple(MeasureText.__dataclass_fields__)


def add_indicator(actor: User, measure: Measure, data: IndicatorData) -> Indicator:
    """A new indicator at the end of the measure's list."""
    last = db.session.scalar(select(Indicator.sort_order).where(
        Indicator.measure_id == measure.id).order_by(Indicator.sort_order.desc()).limit(1))
    indicator = Indicator(measure_id=measure.id, key=f"staff-{uuid.uuid4().hex[:12]}",
                          sort_order=(last or 0) + 1, edited_by_id=actor.id,
                          **{**asdict(data), "direction": Direction(data.direction)})
    db.session.add(indicator)
    db.session.flush()
    record_audit(actor, "indicator.added", indicator, after=_plain(asdict(data)))
    return indicator


def update_indicator(actor: User, indicator: Indicator, data: IndicatorData) -> None:
    """Change the definition (unit, baseline, target, direction …) of an indicator."""
    before = _snapshot(indicator, INDICATOR_FIELDS)
    for field, value in asdict(data).items():
        setattr(indicator, field, value)
    indicator.direction = Direction(data.direction)
    indicator.edited_by_id = actor.id
    db.session.flush()
    record_audit(actor, "indicator.updated", indicator, before=before,
                 after=_snapshot(indicator, INDICATOR_FIELDS))


def record_actual(actor: User, indicator: Indicator, fiscal_year: int, value: Decimal,
                  source: str, note: str = "", source_url: str = "") -> IndicatorActual:
    """Enter (or correct) the indicator's value for ``fiscal_year`` with where it comes from."""
    actual = db.session.scalars(select(IndicatorActual).where(
        IndicatorActual.indicator_id == indicator.id,
        IndicatorActual.fiscal_year == fiscal_year)).one_or_none()
    fields = ("fiscal_year", "value", "source", "note")
    before = _snapshot(actual, fields) if actual is not None else None
    if actual is None:
        actual = IndicatorActual(indicator_id=indicator.id, fiscal_year=fiscal_year)
        db.session.add(actual)
    actual.value, actual.source, actual.note = value, source, note
    actual.source_url = source_url
    actual.entered_by_id = actor.id
    db.session.flush()
    record_audit(actor, "indicator.actual_recorded", indicator, before=before,
                 after=_snapshot(actual, fields))
    return actual


def correct_measure(actor: User, measure: Measure, text: MeasureText) -> None:
    """Set the official title and description; the measure stops being provisional."""
    before = {**_snapshot(measure, MEASURE_FIELDS), "provisional": measure.provisional}
    for field, value in asdict(text).items():
        setattr(measure, field, value)
    measure.provisional = False
    measure.corrected_at = clock.now()
    db.session.flush()
    record_audit(actor, "measure.corrected", measure, before=before,
                 after={**_snapshot(measure, MEASURE_FIELDS), "provisional": False})


def measure_vision_target(actor: User, target: VisionTarget,
                          indicator: Indicator | None) -> None:
    """Choose the indicator whose actuals measure a vision target (None: no longer measured).

    The plan file does not name it, so re-seeding the plan keeps the choice.
    """
    before = {"indicator": target.indicator_id}
    target.indicator_id = indicator.id if indicator is not None else None
    db.session.flush()
    record_audit(actor, "vision_target.indicator_chosen", target, before=before,
                 after={"indicator": target.indicator_id})


def _record_confirmed(_sender, *, actor: User, indicator_id: int, fiscal_year: int,
                      value: Decimal, source: str, source_url: str = "") -> None:
    indicator = db.session.get(Indicator, indicator_id)
    if indicator is None:  # removed meanwhile: nothing to record
        return
    record_actual(actor, indicator, fiscal_year, value, source, source_url=source_url)


def register() -> None:
    """Record the actuals other features measured and staff confirmed (core/events.py)."""
    events.indicator_actual_confirmed.connect(_record_confirmed, weak=False)
