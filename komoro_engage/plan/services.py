"""Writes to the plan: loading a plan data file into the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from komoro_engage.extensions import db
from komoro_engage.plan.departments import Department
from komoro_engage.plan.models import (
    District,
    Indicator,
    IndicatorActual,
    Ku,
    Measure,
    PlanEdition,
    PolicyArea,
    PriorityItem,
    RatingLevel,
    Vision,
    VisionTarget,
)
from komoro_engage.plan.place_models import Landmark
from komoro_engage.plan.schema import MEASURE_CODE, PlanFile


@dataclass
class SeedReport:
    """What a seed run did, per table: rows created, updated and already right."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: str, table: str) -> None:
        counts = getattr(self, bucket)
        counts[table] = counts.get(table, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        def fmt(counts):
            return ", ".join(f"{table} {n}" for table, n in sorted(counts.items())) or "none"

        return (f"created: {fmt(self.created)}\nupdated: {fmt(self.updated)}\n"
                f"unchanged: {sum(self.unchanged.values())} rows")


def measure_sort_key(code: str) -> str:
    """"1-2" → "01-02", so that SQL orders 1-2 before 1-10."""
    match = MEASURE_CODE.match(code)
    return f"{int(match['area']):02d}-{int(match['number']):02d}"


def _upsert(report: SeedReport, model, lookup: dict, values: dict):
    """Find the row by its natural key, then create it or bring it up to date."""
    row = db.session.scalars(select(model).filter_by(**lookup)).one_or_none()
    table = model.__tablename__
    if row is None:
        row = model(**lookup, **values)
        db.session.add(row)
        db.session.flush()
        report.count("created", table)
        return row
    changes = {key: value for key, value in values.items() if getattr(row, key) != value}
    for key, value in changes.items():
        setattr(row, key, value)
    report.count("updated" if changes else "unchanged", table)
    return row


def seed_plan(plan: PlanFile) -> SeedReport:
    """Create or update every row the plan file describes; flush, do not commit.

    Rows the file no longer lists are kept: staff may have added them, and
    records refer to them. A measure staff confirmed (no longer provisional)
    keeps the official title they set even if the file still has a placeholder.
    """
    report = SeedReport()
    _seed_vision(report, plan)
    editions = {
        entry.code: _upsert(report, PlanEdition, {"code": entry.code}, {
            "name": entry.name, "name_en": entry.name_en, "start_fy": entry.start_fy,
            "end_fy": entry.end_fy, "end_fy_inferred": entry.end_fy_inferred,
            "is_current": entry.current, "note": entry.note,
        })
        for entry in plan.editions
    }
    areas = {
        entry.number: _upsert(report, PolicyArea, {"number": entry.number}, {
            "name": entry.name, "name_en": entry.name_en,
            "slogan": entry.slogan, "slogan_en": entry.slogan_en,
        })
        for entry in plan.policy_areas
    }
    measures = {}
    for entry in plan.measures:
        measure = _seed_measure(report, entry, editions[entry.edition], areas)
        measures[(entry.edition, entry.code)] = measure
    for entry in plan.priority_items:
        _seed_priority_item(report, entry, editions[entry.edition], measures)
    for order, entry in enumerate(plan.districts):
        district = _upsert(report, District, {"name": entry.name}, {
            "name_en": entry.name_en, "sort_order": order,
            "ku_list_confirmed": entry.ku_list_confirmed,
            "latitude": entry.latitude, "longitude": entry.longitude,
        })
        for ku_order, ku_name in enumerate(entry.kus):
            _upsert(report, Ku, {"district_id": district.id, "name": ku_name},
                    {"sort_order": ku_order})
    _seed_landmarks(report, plan)
    for order, entry in enumerate(plan.rating_levels):
        _upsert(report, RatingLevel, {"code": entry.code},
                {"label": entry.label, "label_en": entry.label_en, "sort_order": order})
    for order, entry in enumerate(plan.departments):
        # ``active`` is the admins' (/admin/departments): a new seed never reopens one.
        _upsert(report, Department, {"name": entry.name},
                {"name_kana": entry.name_kana, "name_en": entry.name_en, "sort_order": order})
    db.session.flush()
    return report


def _seed_landmarks(report: SeedReport, plan: PlanFile) -> None:
    districts = {d.name: d for d in db.session.scalars(select(District))}
    for order, entry in enumerate(plan.landmarks):
        district = districts[entry.district]
        ku_id = db.session.scalar(select(Ku.id).where(
            Ku.district_id == district.id, Ku.name == entry.ku)) if entry.ku else None
        _upsert(report, Landmark, {"key": entry.key}, {
            "name": entry.name, "name_en": entry.name_en, "district_id": district.id,
            "ku_id": ku_id, "latitude": entry.latitude, "longitude": entry.longitude,
            "source": entry.source, "sort_order": order,
        })


def _seed_vision(report: SeedReport, plan: PlanFile) -> None:
    entry = plan.vision
    vision = _upsert(report, Vision, {"code": entry.code}, {
        "name": entry.name, "name_en": entry.name_en, "statement": entry.statement,
        "statement_en": entry.statement_en, "start_fy": entry.start_fy, "end_fy": entry.end_fy,
    })
    for order, target in enumerate(entry.targets):
        _upsert(report, VisionTarget, {"vision_id": vision.id, "key": target.key}, {
            "label": target.label, "label_en": target.label_en, "value": target.value,
            "unit": target.unit, "unit_en": target.unit_en, "target_fy": target.target_fy,
            "sort_order": order,
        })


def _seed_measure(report, entry, edition, areas) -> Measure:
    area_number = int(MEASURE_CODE.match(entry.code)["area"])
    values = {
        "policy_area_id": areas[area_number].id, "sort_key": measure_sort_key(entry.code),
        "title": entry.title, "title_en": entry.title_en, "provisional": entry.provisional,
        "description": entry.description, "description_en": entry.description_en,
        "lead_department": entry.lead_department,
    }
    existing = db.session.scalars(
        select(Measure).filter_by(edition_id=edition.id, code=entry.code)
    ).one_or_none()
    if existing is not None and entry.provisional and not existing.provisional:
        for key in ("title", "title_en", "provisional"):
            values.pop(key)
    if existing is not None and existing.corrected_at is not None:
        for key in STAFF_CORRECTED_MEASURE_FIELDS:
            values.pop(key, None)
    measure = _upsert(report, Measure, {"edition_id": edition.id, "code": entry.code}, values)
    for order, item in enumerate(entry.indicators):
        lookup = {"measure_id": measure.id, "key": item.key}
        indicator = _staff_edited(Indicator, lookup, "edited_by_id") or _upsert(
            report, Indicator, lookup, {
                "name": item.name, "name_en": item.name_en, "unit": item.unit,
                "baseline_fy": item.baseline_fy, "baseline_value": item.baseline_value,
                "target_fy": item.target_fy, "target_value": item.target_value,
                "direction": item.direction, "source": item.source, "sort_order": order,
            })
        for actual in item.actuals:
            lookup = {"indicator_id": indicator.id, "fiscal_year": actual.fiscal_year}
            if not _staff_edited(IndicatorActual, lookup, "entered_by_id"):
                _upsert(report, IndicatorActual, lookup,
                        {"value": actual.value, "note": actual.note})
    return measure


# What staff may correct on a measure; a corrected measure keeps them on every seed.
STAFF_CORRECTED_MEASURE_FIELDS = ("title", "title_en", "provisional", "description",
                                  "description_en", "lead_department")


def _staff_edited(model, lookup: dict, column: str):
    """The row if staff changed it in the app (the seed must not undo their work)."""
    row = db.session.scalars(select(model).filter_by(**lookup)).one_or_none()
    return row if row is not None and getattr(row, column) is not None else None


def _seed_priority_item(report, entry, edition, measures) -> None:
    item = _upsert(report, PriorityItem, {"edition_id": edition.id, "number": entry.number}, {
        "title": entry.title, "title_en": entry.title_en, "description": entry.description,
        "description_en": entry.description_en, "cites_all_measures": entry.measures == "all",
    })
    cited = [] if entry.measures == "all" else [
        measures[(entry.edition, code)] for code in entry.measures
    ]
    if {m.id for m in item.measures} != {m.id for m in cited}:
        item.measures = cited
        report.count("updated", "priority_item_measure")
