"""Reads for the public plan pages, each a fixed number of SQL statements."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from komoro_engage.extensions import db
from komoro_engage.plan.models import (
    District,
    Indicator,
    Measure,
    PlanEdition,
    PolicyArea,
    PriorityItem,
    Vision,
    VisionTarget,
    priority_item_measure,
)


def current_edition() -> PlanEdition:
    """The plan edition in force; 404 before the plan is seeded."""
    edition = db.session.scalars(select(PlanEdition).where(PlanEdition.is_current)).first()
    if edition is None:
        raise NotFound("The plan has not been loaded yet.")
    return edition


def edition_by_code(code: str | None) -> PlanEdition:
    if not code:
        return current_edition()
    return db.one_or_404(select(PlanEdition).where(PlanEdition.code == code))


def vision() -> Vision | None:
    """The latest vision with its targets, each with its measuring indicator's actuals."""
    return db.session.scalars(
        select(Vision).options(selectinload(Vision.targets).selectinload(VisionTarget.indicator)
                               .selectinload(Indicator.actuals))
        .order_by(Vision.end_fy.desc())
    ).first()


def policy_areas() -> list[PolicyArea]:
    return list(db.session.scalars(select(PolicyArea).order_by(PolicyArea.number)))


def priority_items(edition: PlanEdition) -> list[PriorityItem]:
    return list(db.session.scalars(
        select(PriorityItem).where(PriorityItem.edition_id == edition.id)
        .order_by(PriorityItem.number)
    ))


def priority_items_with_measures(edition: PlanEdition) -> list[PriorityItem]:
    """The edition's priority items with the measures they cite by name (two queries)."""
    return list(db.session.scalars(
        select(PriorityItem).where(PriorityItem.edition_id == edition.id)
        .options(selectinload(PriorityItem.measures)).order_by(PriorityItem.number)
    ))


def measures_in_area(edition: PlanEdition, area: PolicyArea) -> list[Measure]:
    return list(db.session.scalars(
        select(Measure).where(Measure.edition_id == edition.id, Measure.policy_area_id == area.id)
        .order_by(Measure.sort_key)
    ))


def measures_of_item(item: PriorityItem) -> list[Measure]:
    """The measures a priority item cites; all of its edition's for 全施策 items."""
    query = select(Measure).where(Measure.edition_id == item.edition_id)
    if not item.cites_all_measures:
        query = query.join(priority_item_measure).where(
            priority_item_measure.c.priority_item_id == item.id
        )
    return list(db.session.scalars(query.options(selectinload(Measure.policy_area))
                                   .order_by(Measure.sort_key)))


def measure_detail(edition: PlanEdition, code: str) -> Measure:
    """A measure with its indicators and their actuals loaded."""
    return db.one_or_404(
        select(Measure).where(Measure.edition_id == edition.id, Measure.code == code)
        .options(
            selectinload(Measure.policy_area),
            selectinload(Measure.indicators).selectinload(Indicator.actuals),
        )
    )


def items_citing(measure: Measure) -> list[PriorityItem]:
    """Priority items that cite ``measure`` by name or as one of 全施策."""
    cited_by_name = select(priority_item_measure.c.priority_item_id).where(
        priority_item_measure.c.measure_id == measure.id
    )
    return list(db.session.scalars(
        select(PriorityItem).where(
            PriorityItem.edition_id == measure.edition_id,
            or_(PriorityItem.cites_all_measures, PriorityItem.id.in_(cited_by_name)),
        ).order_by(PriorityItem.number)
    ))


def districts() -> list[District]:
    return list(db.session.scalars(
        select(District).options(selectinload(District.kus)).order_by(District.sort_order)
    ))


def districts_only() -> list[District]:
    """Districts without their 区, for filter menus (one query)."""
    return list(db.session.scalars(select(District).order_by(District.sort_order)))

