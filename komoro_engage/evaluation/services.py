"""Writes to evaluation records: create a draft, save it, finalise it, amend it.

Finalising stores the participation figures, their item list and the indicator
results as they are at that moment; afterwards only amendments (with a reason)
change what the record says, and they are shown beside the original.

When the city turns on ``EVALUATIONS_NEED_APPROVAL`` (決裁), a draft is submitted
instead, and a second staff member or an admin approves it (which finalises it) or
returns it with a reason; nobody approves a draft they saved last or submitted.
Each step names the version the person previewed, and moves with a conditional
UPDATE: of two requests at once (a double click, two approvers) exactly one acts.
"""

from __future__ import annotations

from flask import current_app
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


class RecordLocked(Exception):
    """The record waits for approval: it is not edited until it is returned."""


class RecordChanged(Exception):
    """The record is no longer the version that was previewed (saved, returned, finalised)."""


class NotYourApproval(Exception):
    """The person who saved or submitted the draft may not approve or return it."""


def approval_required() -> bool:
    """The city's setting: evaluation records are approved by a second person (決裁)."""
    return bool(current_app.config.get("EVALUATIONS_NEED_APPROVAL"))


def can_approve(user: User | None, record: EvaluationRecord | None) -> bool:
    """Another staff member or an admin: never who saved the draft last or submitted it."""
    from komoro_engage.accounts.permissions import is_staff

    return bool(is_staff(user) and record is not None and record.is_submitted
                and user.id not in (record.updated_by_id or record.created_by_id,
                                    record.submitted_by_id))


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
    """Store the rating and texts of a draft (a submitted one is locked)."""
    if record.is_final:
        raise RecordFrozen
    if record.is_submitted:
        raise RecordLocked
    before = _texts(record)
    record.rating, record.check_text, record.act_text = rating, check_text, act_text
    record.updated_at = clock.now()
    record.updated_by_id = actor.id
    record.version = (record.version or 0) + 1
    db.session.flush()
    record_audit(actor, "evaluation.draft_saved", record, before=before, after=_texts(record))


def _complete(record: EvaluationRecord) -> None:
    if record.rating_id is None or not record.check_text.strip():
        raise RecordIncomplete


def _seen(record: EvaluationRecord, version: int | None):
    """The conditions of a conditional UPDATE: this record, still ``version`` if given."""
    conditions = [EvaluationRecord.id == record.id]
    if version is not None:
        if record.version != version:
            raise RecordChanged
        conditions.append(EvaluationRecord.version == version)
    return conditions


def finalise_record(actor: User, record: EvaluationRecord, version: int | None = None,
                    from_status: RecordStatus = RecordStatus.DRAFT) -> None:
    """Freeze the record with its figures, item list and indicator results as of now.

    The status changes with a conditional UPDATE, so of two staff finalising at
    once exactly one succeeds and the other gets :class:`RecordFrozen`. ``version``:
    the version that was previewed (:class:`RecordChanged` if it moved on).
    """
    if record.is_final:
        raise RecordFrozen
    _complete(record)
    conditions = _seen(record, version)
    figures = figures_for_year([record.measure_id], record.fiscal_year)[record.measure_id]
    items = figures.pop("items")
    now = clock.now()
    changed = db.session.execute(
        update(EvaluationRecord)
        .where(*conditions, EvaluationRecord.status == from_status)
        .values(status=RecordStatus.FINALISED, figures=figures, items=items,
                indicators=indicator_results(record.measure, record.fiscal_year),
                finalised_at=now, finalised_by_id=actor.id, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise RecordFrozen
    db.session.refresh(record)
    record_audit(actor, "evaluation.finalised", record, after={
        **_texts(record), "figures": figures, "items": len(items)})


def submit_record(actor: User, record: EvaluationRecord, version: int) -> None:
    """Send the draft for approval (決裁); it is locked until approved or returned."""
    if record.is_final:
        raise RecordFrozen
    _complete(record)
    changed = db.session.execute(
        update(EvaluationRecord)
        .where(*_seen(record, version), EvaluationRecord.status == RecordStatus.DRAFT)
        .values(status=RecordStatus.SUBMITTED, submitted_by_id=actor.id,
                submitted_at=clock.now(), return_reason="")
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise RecordChanged
    db.session.refresh(record)
    record_audit(actor, "evaluation.submitted", record, after={**_texts(record),
                                                               "version": version})


def approve_record(actor: User, record: EvaluationRecord, version: int) -> None:
    """Approve the submitted record, which finalises it."""
    if not can_approve(actor, record):
        raise NotYourApproval
    people = {"updated_by_id": record.updated_by_id, "submitted_by_id": record.submitted_by_id}
    try:
        finalise_record(actor, record, version, from_status=RecordStatus.SUBMITTED)
    except RecordFrozen as error:
        raise RecordChanged from error
    record_audit(actor, "evaluation.approved", record, after={**people, "version": version})


def return_record(actor: User, record: EvaluationRecord, version: int, reason: str) -> None:
    """Send the submitted record back to draft, with the approver's reason."""
    if not can_approve(actor, record):
        raise NotYourApproval
    changed = db.session.execute(
        update(EvaluationRecord)
        .where(*_seen(record, version), EvaluationRecord.status == RecordStatus.SUBMITTED)
        .values(status=RecordStatus.DRAFT, return_reason=reason.strip(),
                version=EvaluationRecord.version + 1)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise RecordChanged
    db.session.refresh(record)
    record_audit(actor, "evaluation.returned", record, reason=reason.strip(),
                 after={"version": record.version})


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
