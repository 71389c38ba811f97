"""Reads for evaluation pages, each a fixed number of SQL statements whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload, selectinload

from komoro_engage.core import clock, participation
from komoro_engage.core.audit import AuditEntry
from komoro_engage.evaluation.models import EvaluationAmendment, EvaluationRecord, RecordStatus
from komoro_engage.extensions import db
from komoro_engage.plan.models import Indicator, Measure, PlanEdition, RatingLevel


def record_options() -> tuple:
    """Load a record's rating and amendments with it (built on call: mappers are ready then)."""
    return (selectinload(EvaluationRecord.rating),
            selectinload(EvaluationRecord.amendments).selectinload(EvaluationAmendment.rating))


def rating_levels() -> list[RatingLevel]:
    return list(db.session.scalars(select(RatingLevel).order_by(RatingLevel.sort_order)))


def edition_measures(edition: PlanEdition, with_indicators: bool = False) -> list[Measure]:
    """The edition's measures in code order, with their policy area (and indicators)."""
    options = [joinedload(Measure.policy_area)]
    if with_indicators:
        options.append(selectinload(Measure.indicators).selectinload(Indicator.actuals))
    return list(db.session.scalars(select(Measure).where(Measure.edition_id == edition.id)
                                   .options(*options).order_by(Measure.sort_key)))


def measure_with_indicators(measure_id: int) -> Measure:
    return db.one_or_404(select(Measure).where(Measure.id == measure_id).options(
        selectinload(Measure.policy_area),
        selectinload(Measure.indicators).selectinload(Indicator.actuals)))


def records(*, fiscal_year: int | None = None, measure_ids=None, finalised_only: bool = True,
            edition: PlanEdition | None = None, items: bool = True) -> list[EvaluationRecord]:
    """Records with their rating and amendments, by measure code then year.

    ``items=False`` leaves the (possibly long) frozen item lists in the database.
    """
    # Many-to-one rows joined into the same statement: each selectin load is a statement
    # of its own, built and run per request (the dashboard spent half its time on them).
    query = select(EvaluationRecord).join(Measure).options(
        joinedload(EvaluationRecord.rating),
        selectinload(EvaluationRecord.amendments).joinedload(EvaluationAmendment.rating),
        joinedload(EvaluationRecord.measure).joinedload(Measure.policy_area))
    if not items:
        query = query.options(defer(EvaluationRecord.items))
    if fiscal_year is not None:
        query = query.where(EvaluationRecord.fiscal_year == fiscal_year)
    if measure_ids is not None:
        query = query.where(EvaluationRecord.measure_id.in_(list(measure_ids)))
    if finalised_only:
        query = query.where(EvaluationRecord.status == RecordStatus.FINALISED)
    if edition is not None:
        query = query.where(Measure.edition_id == edition.id)
    return list(db.session.scalars(query.order_by(Measure.sort_key,
                                                  EvaluationRecord.fiscal_year)))


def history(measure_id: int) -> list[EvaluationRecord]:
    """A measure's finalised records, oldest first (one query, two with amendments)."""
    return list(db.session.scalars(
        select(EvaluationRecord).where(EvaluationRecord.measure_id == measure_id,
                                       EvaluationRecord.status == RecordStatus.FINALISED)
        .options(defer(EvaluationRecord.items), joinedload(EvaluationRecord.rating),
                 selectinload(EvaluationRecord.amendments).joinedload(EvaluationAmendment.rating))
        .order_by(EvaluationRecord.fiscal_year)))


def record(measure_id: int, fiscal_year: int) -> EvaluationRecord | None:
    return db.session.scalars(select(EvaluationRecord).where(
        EvaluationRecord.measure_id == measure_id,
        EvaluationRecord.fiscal_year == fiscal_year).options(*record_options())).one_or_none()


def record_by_id(record_id: int) -> EvaluationRecord:
    return db.one_or_404(select(EvaluationRecord).where(EvaluationRecord.id == record_id)
                         .options(*record_options(), selectinload(EvaluationRecord.measure)
                                  .selectinload(Measure.policy_area)))


def public_items(records: list[EvaluationRecord]) -> dict[int, list[dict]]:
    """Each record's frozen item list, with the titles of items hidden or withdrawn since
    then left out (one query per kind that can be withdrawn, for all records): frozen
    does not mean republished. The participation sources know what is withdrawn."""
    gone: set[tuple[str, int]] = set()
    for source in participation.sources():
        ids = {item["id"] for record in records for item in record.items or []
               if item["kind"] == source.kind}
        if source.withdrawn is not None and ids:
            gone |= {(source.kind, item_id) for item_id in source.withdrawn(ids)}
    return {record.id: [
        {**item, "title": "", "withdrawn": True}
        if (item["kind"], item["id"]) in gone else item
        for item in record.items or []] for record in records}


@dataclass
class RecordPreview:
    """A draft as its public page (evaluation/record.html) will show it once finalised:
    the figures, items and indicator results as finalising would freeze them now."""

    id: int
    measure: Measure
    measure_id: int
    fiscal_year: int
    rating: RatingLevel | None
    check_text: str
    act_text: str
    figures: dict
    items: list
    indicators: list
    finalised_at: datetime
    amendments: list = field(default_factory=list)
    is_final: bool = True

    @classmethod
    def of(cls, record: EvaluationRecord, figures: dict, items: list,
           indicators: list) -> RecordPreview:
        return cls(record.id, record.measure, record.measure_id, record.fiscal_year,
                   record.rating, record.check_text, record.act_text, figures, items,
                   indicators, clock.now())


def record_steps(record: EvaluationRecord) -> list[AuditEntry]:
    """The record's steps from the audit log (created, saved, submitted, returned,
    approved, finalised, amended), oldest first, with who took them: one statement."""
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == EvaluationRecord.__tablename__,
                                 AuditEntry.target_id == record.id)
        .options(joinedload(AuditEntry.actor)).order_by(AuditEntry.id)))
