"""Indicator results of a measure for a fiscal year, as plain JSON-safe rows.

The same rows are shown for a draft (live) and stored in a finalised record
(frozen), so the public sees exactly what staff finalised.
"""

from __future__ import annotations

from decimal import Decimal

from komoro_engage.plan.models import Indicator, Measure


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def indicator_row(indicator: Indicator, fiscal_year: int) -> dict:
    """One indicator with its actual for ``fiscal_year`` (or None) and the achievement rate."""
    actual = next((a for a in indicator.actuals if a.fiscal_year == fiscal_year), None)
    return {
        "indicator_id": indicator.id, "name": indicator.name, "name_en": indicator.name_en,
        "unit": indicator.unit, "direction": str(indicator.direction),
        "baseline_value": _number(indicator.baseline_value),
        "baseline_fy": indicator.baseline_fy,
        "target_value": _number(indicator.target_value), "target_fy": indicator.target_fy,
        "actual": _number(actual.value) if actual else None,
        "achievement": _number(indicator.achievement(actual)) if actual else None,
        "source": actual.source if actual else "",
        "source_url": actual.source_url if actual else "",
    }


def indicator_results(measure: Measure, fiscal_year: int) -> list[dict]:
    return [indicator_row(indicator, fiscal_year) for indicator in measure.indicators]


def mean_achievement(rows: list[dict]) -> Decimal | None:
    """The average achievement of the indicators that have one (for overviews)."""
    rates = [Decimal(row["achievement"]) for row in rows if row["achievement"] is not None]
    if not rates:
        return None
    return (sum(rates) / len(rates)).quantize(Decimal("0.1"))
