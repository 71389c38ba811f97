"""The public 見える化 dashboard: one fiscal year of every measure, and the trend over years.

A measure's numbers come from its finalised record (frozen, with amendments'
ratings in force); a measure without one for the year shows its live counts,
marked as not yet finalised. Everything is loaded in a fixed number of queries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from komoro_engage.evaluation import queries
from komoro_engage.evaluation.models import EvaluationRecord
from komoro_engage.evaluation.participation import figures_for_year
from komoro_engage.evaluation.results import indicator_results, mean_achievement
from komoro_engage.plan import queries as plan_queries
from komoro_engage.plan.models import Measure, PlanEdition, RatingLevel

TREND_KEYS = ("proposals", "supports", "comments", "participants")


@dataclass
class MeasureRow:
    measure: Measure
    record: EvaluationRecord | None
    rating: RatingLevel | None
    achievement: object
    indicators: list[dict]
    figures: dict

    @property
    def final(self) -> bool:
        return self.record is not None


@dataclass
class YearTrend:
    year: int
    ratings: Counter = field(default_factory=Counter)
    totals: dict = field(default_factory=lambda: dict.fromkeys(TREND_KEYS, 0))

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())


@dataclass
class Dashboard:
    edition: PlanEdition
    year: int
    years: list[int]
    levels: list[RatingLevel]
    areas: list
    items: list
    rows: dict[int, MeasureRow]
    trend: list[YearTrend]

    def rows_of_area(self, area) -> list[MeasureRow]:
        return [row for row in self.rows.values() if row.measure.policy_area_id == area.id]

    def rows_of_item(self, item) -> list[MeasureRow]:
        if item.cites_all_measures:
            return list(self.rows.values())
        return [self.rows[m.id] for m in item.measures if m.id in self.rows]

    @property
    def rating_counts(self) -> Counter:
        return Counter(row.rating.code for row in self.rows.values() if row.rating)


def build_dashboard(year: int | None, current_year: int) -> Dashboard:
    """Everything the dashboard shows for ``year`` (default: the latest finalised year)."""
    edition = plan_queries.current_edition()
    records = queries.records(edition=edition, items=False)
    years = sorted({r.fiscal_year for r in records} | {current_year}, reverse=True)
    if year is None:
        year = max((r.fiscal_year for r in records), default=current_year)
    measures = queries.edition_measures(edition, with_indicators=True)
    final = {r.measure_id: r for r in records if r.fiscal_year == year}
    missing = [m.id for m in measures if m.id not in final]
    live = figures_for_year(missing, year) if missing else {}
    rows = {}
    for measure in measures:
        record = final.get(measure.id)
        indicators = record.indicators if record else indicator_results(measure, year)
        rows[measure.id] = MeasureRow(
            measure=measure, record=record,
            rating=record.current_rating if record else None,
            achievement=mean_achievement(indicators or []), indicators=indicators or [],
            figures=record.figures if record else live[measure.id])
    return Dashboard(edition=edition, year=year, years=years, levels=queries.rating_levels(),
                     areas=plan_queries.policy_areas(),
                     items=plan_queries.priority_items_with_measures(edition),
                     rows=rows, trend=_trend(records))


def _trend(records: list[EvaluationRecord]) -> list[YearTrend]:
    """Per fiscal year with finalised records: ratings in force and participation totals."""
    by_year: dict[int, YearTrend] = {}
    for record in records:
        trend = by_year.setdefault(record.fiscal_year, YearTrend(record.fiscal_year))
        if record.current_rating is not None:
            trend.ratings[record.current_rating.code] += 1
        for key in TREND_KEYS:
            trend.totals[key] += (record.figures or {}).get(key, 0)
    return [by_year[y] for y in sorted(by_year)]
