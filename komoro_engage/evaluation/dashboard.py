"""The public 見える化 dashboard: one fiscal year of every measure, and the trend over years.

A measure's numbers come from its finalised record (frozen, with amendments'
ratings in force); a measure without one for the year shows its live counts,
marked as not yet finalised.

All but those live counts come from the plan and its evaluation records, which
change a few times a year: each worker keeps them, as plain values, until a commit
writes one of those tables (``core/fragments.data_from_plan``). Loading them as ORM
objects took half of every signed-in person's dashboard (issue 16); the live counts
are still counted on every request.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from komoro_engage.core.fragments import data_from_plan
from komoro_engage.evaluation import queries
from komoro_engage.evaluation.models import EvaluationRecord
from komoro_engage.evaluation.participation import figures_for_year
from komoro_engage.evaluation.results import indicator_results, mean_achievement
from komoro_engage.plan import queries as plan_queries

TREND_KEYS = ("proposals", "supports", "comments", "participants")


@dataclass(frozen=True, slots=True)
class Level:
    """A rating level as the dashboard names it (``localized(level, "label")``)."""

    code: str
    label: str
    label_en: str | None


@dataclass(frozen=True, slots=True)
class MeasureName:
    id: int
    code: str
    title: str
    title_en: str | None
    policy_area_id: int


@dataclass(frozen=True, slots=True)
class Area:
    id: int
    number: int
    name: str
    name_en: str | None


@dataclass(frozen=True, slots=True)
class Item:
    """A priority item and the measures it cites (all of them: ``cites_all_measures``)."""

    number: int
    title: str
    title_en: str | None
    cites_all_measures: bool
    measure_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RecordLink:
    """A finalised record as the dashboard links it: its id and its amendments' numbers."""

    id: int
    amendments: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Final:
    """A measure's finalised record for the year: the rating in force, its frozen figures."""

    record: RecordLink
    rating: Level | None
    figures: dict


@dataclass
class YearTrend:
    year: int
    ratings: Counter = field(default_factory=Counter)
    totals: dict = field(default_factory=lambda: dict.fromkeys(TREND_KEYS, 0))

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())


@dataclass(frozen=True)
class PlanPart:
    """Everything the dashboard shows for a year that the plan and its records decide."""

    year: int
    years: tuple[int, ...]
    levels: tuple[Level, ...]
    areas: tuple[Area, ...]
    items: tuple[Item, ...]
    measures: tuple[MeasureName, ...]
    final: dict[int, Final]
    achievements: dict[int, Decimal | None]
    trend: tuple[YearTrend, ...]


@dataclass
class MeasureRow:
    measure: MeasureName
    record: RecordLink | None
    rating: Level | None
    achievement: Decimal | None
    figures: dict

    @property
    def final(self) -> bool:
        return self.record is not None


@dataclass
class Dashboard:
    year: int
    years: tuple[int, ...]
    levels: tuple[Level, ...]
    areas: tuple[Area, ...]
    items: tuple[Item, ...]
    rows: dict[int, MeasureRow]
    trend: tuple[YearTrend, ...]

    def rows_of_area(self, area: Area) -> list[MeasureRow]:
        return [row for row in self.rows.values() if row.measure.policy_area_id == area.id]

    def rows_of_item(self, item: Item) -> list[MeasureRow]:
        if item.cites_all_measures:
            return list(self.rows.values())
        return [self.rows[m] for m in item.measure_ids if m in self.rows]

    @property
    def rating_counts(self) -> Counter:
        return Counter(row.rating.code for row in self.rows.values() if row.rating)


def build_dashboard(year: int | None, current_year: int) -> Dashboard:
    """Everything the dashboard shows for ``year`` (default: the latest finalised year):
    the kept plan part, and the live counts of the measures without a finalised record
    (their queries on every request; none when every measure has one)."""
    plan = data_from_plan(("evaluation-dashboard", year, current_year),
                          lambda: _plan_part(year, current_year))
    missing = [m.id for m in plan.measures if m.id not in plan.final]
    live = figures_for_year(missing, plan.year) if missing else {}
    rows = {}
    for measure in plan.measures:
        final = plan.final.get(measure.id)
        rows[measure.id] = MeasureRow(
            measure=measure, record=final.record if final else None,
            rating=final.rating if final else None,
            achievement=plan.achievements[measure.id],
            figures=final.figures if final else live[measure.id])
    return Dashboard(year=plan.year, years=plan.years, levels=plan.levels, areas=plan.areas,
                     items=plan.items, rows=rows, trend=plan.trend)


def _plan_part(year: int | None, current_year: int) -> PlanPart:
    """The plan's measures, areas, items and levels and the finalised records, read once
    (a fixed number of queries) and copied into plain values."""
    edition = plan_queries.current_edition()
    records = queries.records(edition=edition, items=False)
    if year is None:
        year = max((r.fiscal_year for r in records), default=current_year)
    measures = queries.edition_measures(edition, with_indicators=True)
    finalised = {r.measure_id: r for r in records if r.fiscal_year == year}
    achievements = {
        m.id: mean_achievement((finalised[m.id].indicators if m.id in finalised
                                else indicator_results(m, year)) or [])
        for m in measures}
    return PlanPart(
        year=year,
        years=tuple(sorted({r.fiscal_year for r in records} | {current_year}, reverse=True)),
        levels=tuple(_level(level) for level in queries.rating_levels()),
        areas=tuple(Area(a.id, a.number, a.name, a.name_en) for a in plan_queries.policy_areas()),
        items=tuple(Item(i.number, i.title, i.title_en, i.cites_all_measures,
                         tuple(m.id for m in i.measures))
                    for i in plan_queries.priority_items_with_measures(edition)),
        measures=tuple(MeasureName(m.id, m.code, m.title, m.title_en, m.policy_area_id)
                       for m in measures),
        final={measure_id: _final(record) for measure_id, record in finalised.items()},
        achievements=achievements, trend=_trend(records))


def _level(level) -> Level:
    return Level(level.code, level.label, level.label_en)


def _final(record: EvaluationRecord) -> Final:
    rating = record.current_rating
    return Final(RecordLink(record.id, tuple(a.number for a in record.amendments)),
                 _level(rating) if rating is not None else None, dict(record.figures or {}))


def _trend(records: list[EvaluationRecord]) -> tuple[YearTrend, ...]:
    """Per fiscal year with finalised records: ratings in force and participation totals."""
    by_year: dict[int, YearTrend] = {}
    for record in records:
        trend = by_year.setdefault(record.fiscal_year, YearTrend(record.fiscal_year))
        if record.current_rating is not None:
            trend.ratings[record.current_rating.code] += 1
        for key in TREND_KEYS:
            trend.totals[key] += (record.figures or {}).get(key, 0)
    return tuple(by_year[y] for y in sorted(by_year))
