"""Writes to evaluation records: create a draft, save it, finalise it, amend it.

Finalising stores the participation figures, their item list and the indicator
results as they are at that moment; afterwards only amendments (with a reason)
change what the record says, and they are shown beside the original.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.evaluation.models import EvaluationAmendment, EvaluationRecord, RecordStatus
from komoro_engage.evaluation.participation import figures_for_year
from komoro_engage.evaluation.results import indicator_results
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure, RatingLevel


class RecordFrozen(Exception):
    """The record is finalised: it can only be amended."""


class RecordIncomplete(ValueError):
    """A record needs a rating and an assessment before it is finalised."""


def _texts(record) -> dict:
    return {"rating": record.rating.code if record.rating else None,
            "check_text": record.check_text, "act_text": record.act_text}


def open_record(actor: User, measure: Measure, fiscal_year: int) -> EvaluationRecord:
    """The measure's record for ``fiscal_year``; a new draft if there is none yet.

    Two staff opening it at once get the same row (the unique constraint decides).
    """
    query = select(EvaluationRecord).where(EvaluationRecord.measure_id == measure.id,
                                           EvaluationRecord.fiscal_year == fiscal_year)
    record = db.session.scalars(query).one_or_none()
    if record is not None:
        return record
    try:
        with db.session.begin_nested():
            record = EvaluationRecord(measure_id=measure.id, fiscal_year=fiscal_year,
                                      status=RecordStatus.DRAFT, created_by_id=actor.id)
            db.session.add(record)
    except IntegrityError:
        return db.session.scalars(query).one()
    record_audit(actor, "evaluation.created", record, after={"fiscal_year": fiscal_year,
                                                            "measure": measure.code})
    return record


def save_draft(actor: User, record: EvaluationRecord, rating: RatingLevel | None,
               check_text: str, act_text: str) -> None:
    """Store the rating and texts of a draft."""
    if record.is_final:
        raise RecordFrozen
    before = _texts(record)
    record.rating, record.check_text, record.act_text = rating, check_text, act_text
    record.updated_at = clock.now()
    db.session.flush()
    record_audit(actor, "evaluation.draft_saved", record, before=before, after=_texts(record))


def finalise_record(actor: User, record: EvaluationRecord) -> None:
    """Freeze the record with its figures, item list and indicator results as of now.

    The status changes with a conditional UPDATE, so of two staff finalising at
    once exactly one succeeds and the other gets :class:`RecordFrozen`.
    """
    if record.rating_id is None or not record.check_text.strip():
        raise RecordIncomplete
    figures = figures_for_year([record.measure_id], record.fiscal_year)[record.measure_id]
    items = figures.pop("items")
    now = clock.now()
    changed = db.session.execute(
        update(EvaluationRecord)
        .where(EvaluationRecord.id == record.id, EvaluationRecord.status == RecordStatus.DRAFT)
        .values(status=RecordStatus.FINALISED, figures=figures, items=items,
                indicators=indicator_results(record.measure, record.fiscal_year),
                finalised_at=now, finalised_by_id=actor.id, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise RecordFrozen
    db.session.refresh(record)
    record_audit(actor, "evaluation.finalised", record, after={
        **_texts(record), "figures": figures, "items": len(items)})


def amend_record(actor: User, record: EvaluationRecord, rating: RatingLevel | None,
                 check_text: str, act_text: str, reason: str) -> EvaluationAmendment:
    """A correction of a finalised record, kept beside the original with its reason."""
    if not record.is_final:
        raise RecordIncomplete("only a finalised record is amended; edit the draft instead")
    before = _texts(record.latest_amendment or record)
    for _attempt in range(3):
        # Two staff amending at once: the unique (record, number) sends one round again.
        number = (db.session.scalar(select(func.max(EvaluationAmendment.number)).where(
            EvaluationAmendment.record_id == record.id)) or 0) + 1
        amendment = EvaluationAmendment(record_id=record.id, number=number, rating=rating,
                                        check_text=check_text, act_text=act_text,
                                        reason=reason, created_by_id=actor.id)
        try:
            with db.session.begin_nested():
                db.session.add(amendment)
            break
        except IntegrityError:
            continue
    else:
        raise RecordFrozen("the record is being amended by someone else; try again")
    db.session.expire(record, ["amendments"])
    record_audit(actor, "evaluation.amended", record, reason=reason, before=before,
                 after={**_texts(amendment), "number": number})
    return amendment
