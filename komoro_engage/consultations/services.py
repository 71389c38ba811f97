"""Writing consultations: create and edit them, open and close, statements and their
moderation, proxy entry, votes.

Functions flush but never commit: the request (or CLI command) commits once. Staff
actions are written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import bindparam, select, update

from komoro_engage.accounts.models import User
from komoro_engage.consultations.models import (
    AGREE,
    Consultation,
    ConsultationStatus,
    Statement,
    StatementStatus,
    StatementVote,
)
from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.core.sql import built_once_per_dialect, insert_or_ignore
from komoro_engage.extensions import db
from komoro_engage.moderation.models import Report
from komoro_engage.moderation.reports import ActionNotAllowed
from komoro_engage.plan.models import Measure, PolicyArea


@dataclass
class ConsultationData:
    """What staff fill in; the form builds it, the demo and tests too."""

    title: str
    description: str
    opens_at: datetime
    closes_at: datetime
    measure_ids: list[int] = field(default_factory=list)
    policy_area_ids: list[int] = field(default_factory=list)
    seeds: list[str] = field(default_factory=list)


def save_consultation(staff: User, data: ConsultationData,
                      consultation: Consultation | None = None) -> Consultation:
    """Create a draft consultation, or update one; seed statements are published at once."""
    now = clock.now()
    created = consultation is None
    if consultation is None:
        consultation = Consultation(created_by_id=staff.id, created_at=now,
                                    status=ConsultationStatus.DRAFT)
        db.session.add(consultation)
    consultation.title = data.title.strip()
    consultation.description = data.description.strip()
    consultation.opens_at, consultation.closes_at = data.opens_at, data.closes_at
    consultation.updated_at = now
    consultation.measures = list(db.session.scalars(
        select(Measure).where(Measure.id.in_(data.measure_ids))))
    consultation.policy_areas = list(db.session.scalars(
        select(PolicyArea).where(PolicyArea.id.in_(data.policy_area_ids))))
    db.session.flush()
    known = set() if created else set(db.session.scalars(
        select(Statement.text).where(Statement.consultation_id == consultation.id)))
    seeds = [text for text in dict.fromkeys(s.strip() for s in data.seeds)
             if text and text not in known]
    for text in seeds:
        db.session.add(Statement(consultation_id=consultation.id, text=text, is_seed=True,
                                 entered_by_id=staff.id, status=StatementStatus.PUBLISHED,
                                 created_at=now, published_at=now))
    record_audit(staff, "consultation.created" if created else "consultation.updated",
                 consultation, after={"title": consultation.title, "seeds": len(seeds)})
    return consultation


def set_consultation_status(staff: User, consultation: Consultation, action: str) -> None:
    """Open a draft (or reopen a closed one), or close an open one."""
    target = {"open": ConsultationStatus.OPEN, "close": ConsultationStatus.CLOSED}.get(action)
    if target is None or consultation.status == target:
        raise ActionNotAllowed(action)
    before = str(consultation.status)
    consultation.status = target
    consultation.updated_at = clock.now()
    record_audit(staff, f"consultation.{action}", consultation,
                 before={"status": before}, after={"status": str(target)})
    db.session.flush()


def add_statement(author: User, consultation: Consultation, text: str) -> Statement:
    """A resident's statement: waits for staff unless pre-moderation is off.

    The author agrees with their own statement: that vote is stored now, at
    submission, so the statement is never shown to them to vote on and counts for
    them in the analysis from the moment it is published.
    """
    now = clock.now()
    text = text.strip()
    premoderated = current_app.config.get("CONSULTATION_PREMODERATION", True)
    inserted = db.session.execute(
        insert_or_ignore(Statement).values(
            consultation_id=consultation.id, text=text, author_id=author.id,
            status=StatementStatus.PENDING if premoderated else StatementStatus.PUBLISHED,
            hidden_by_reports=False, is_seed=False, is_proxy=False, proxy_source="",
            vote_count=0, created_at=now, published_at=None if premoderated else now)
        .on_conflict_do_nothing(index_elements=["consultation_id", "author_id", "text"])
        .returning(Statement.id)).scalar()
    statement = db.session.scalar(select(Statement).where(
        Statement.consultation_id == consultation.id, Statement.author_id == author.id,
        Statement.text == text))
    if inserted is not None:  # a double tap finds the first one, already voted on
        cast_vote(author, statement, AGREE)
    return statement


def enter_proxy_statement(staff: User, consultation: Consultation, text: str,
                          source: str) -> Statement:
    """代理入力: a statement collected on paper or at a meeting, published as staff typed it."""
    now = clock.now()
    statement = Statement(consultation_id=consultation.id, text=text.strip(), is_proxy=True,
                          proxy_source=source.strip(), entered_by_id=staff.id,
                          status=StatementStatus.PUBLISHED, created_at=now, published_at=now)
    db.session.add(statement)
    db.session.flush()
    record_audit(staff, "statement.proxy_entered", statement,
                 after={"consultation": consultation.id, "source": statement.proxy_source})
    return statement


# action → (statuses it applies to, the status it leads to)
MODERATION = {
    "approve": ((StatementStatus.PENDING,), StatementStatus.PUBLISHED),
    "hide": ((StatementStatus.PENDING, StatementStatus.PUBLISHED), StatementStatus.HIDDEN),
    "restore": ((StatementStatus.HIDDEN,), StatementStatus.PUBLISHED),
    # Reports looked at and found groundless: the statement stays, its reports close.
    "dismiss": ((StatementStatus.PUBLISHED,), StatementStatus.PUBLISHED),
}


def _set_statement_status(staff: User, statement: Statement, action: str,
                          target: StatementStatus, reason: str) -> None:
    before = str(statement.status)
    statement.status = target
    statement.hidden_by_reports = False
    if target == StatementStatus.PUBLISHED and statement.published_at is None:
        statement.published_at = clock.now()
    record_audit(staff, f"statement.{action}", statement, reason,
                 before={"status": before}, after={"status": str(target)})
    db.session.flush()


def moderate_statement(staff: User, statement: Statement, action: str, reason: str = "") -> None:
    """Approve, hide or restore a statement, or dismiss its reports; all but approval
    close its open reports."""
    allowed, target = MODERATION.get(action, ((), None))
    if statement.status not in allowed:
        raise ActionNotAllowed(action)
    _set_statement_status(staff, statement, action, target, reason)
    if action != "approve":
        db.session.execute(
            update(Report).where(Report.target_type == Statement.__tablename__,
                                 Report.target_id == statement.id, Report.resolved_at.is_(None))
            .values(resolved_at=clock.now()).execution_options(synchronize_session=False))


def moderate_statement_in_console(staff: User, action: str, statement: Statement,
                                  reason: str) -> None:
    """A staff console action on one statement, with the console's meaning of each (as
    for proposals and comments): ``hide`` on a statement reports hid confirms it,
    ``dismiss`` keeps the statement (bringing back one reports hid). The console closes
    the open reports and logs that itself (staff/actions.py), so this does not."""
    if action == "hide" and statement.hidden_by_reports:
        statement.hidden_by_reports = False
        record_audit(staff, "statement.hidden_by_moderator", statement, reason,
                     before={"status": "hidden", "hidden_by_reports": True},
                     after={"status": "hidden", "hidden_by_reports": False})
        db.session.flush()
    elif action == "dismiss":
        if statement.hidden_by_reports:
            _set_statement_status(staff, statement, "restore", StatementStatus.PUBLISHED,
                                  reason)
    elif action in ("approve", "hide", "restore") and (
            statement.status in MODERATION[action][0]):
        _set_statement_status(staff, statement, action, MODERATION[action][1], reason)
    else:
        raise ActionNotAllowed(f"{action} on statement {statement.id} ({statement.status})")


def hide_reported_statement(statement: Statement) -> None:
    """Enough distinct reports: hidden until staff restore it (or leave it hidden)."""
    if statement.status == StatementStatus.PUBLISHED:
        statement.status = StatementStatus.HIDDEN
        statement.hidden_by_reports = True
        record_audit(None, "statement.hidden_by_reports", statement)
        db.session.flush()


def _vote_upsert():
    """The vote's upsert: every vote runs it (built once, see built_once_per_dialect)."""
    upsert = insert_or_ignore(StatementVote).values(
        statement_id=bindparam("statement_id"), user_id=bindparam("user_id"),
        consultation_id=bindparam("consultation_id"), value=bindparam("value"),
        created_at=bindparam("now"), updated_at=bindparam("now"))
    return (upsert.on_conflict_do_update(
                index_elements=["statement_id", "user_id"],
                set_={"value": upsert.excluded.value, "updated_at": upsert.excluded.updated_at})
            .returning(StatementVote.created_at == StatementVote.updated_at))


def cast_vote(user: User, statement: Statement, value: int) -> bool:
    """Record or change ``user``'s vote; True when it is their first on this statement.

    One statement whether the vote is new or changed, and one vote per person and
    statement under double taps and parallel requests: an upsert on the unique
    constraint. The database's triggers move the counts with it (``vote_counts.py``): the
    statement's votes, so its card goes behind less-voted ones, its tallies and the
    consultation's turnout. A new row has ``created_at == updated_at`` (both ``now``); a changed one
    keeps its older ``created_at``, so the row says which happened. (Under a clock frozen
    by a test, a vote changed at the very moment it was cast would count as new: the
    count only orders the cards.)
    """
    now = clock.now()
    return bool(db.session.execute(built_once_per_dialect(_vote_upsert), {
        "statement_id": statement.id, "user_id": user.id,
        "consultation_id": statement.consultation_id, "value": value, "now": now,
    }).scalar_one())
