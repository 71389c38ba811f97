"""Opinion-map snapshots: the votes of a consultation analysed outside requests (the
``analyse-consultations`` command, on a timer) and stored with their time, so pages
read one row instead of computing.

Which consultations are analysed: the open ones, those closed in the last
``RECENT_DAYS`` days (their last votes), and any a staff member asked to refresh.
The math is part B's (opinion_groups.py); this module feeds it and keeps the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from komoro_engage.accounts.models import User
from komoro_engage.consultations.models import (
    AnalysisKind,
    Consultation,
    ConsultationAnalysis,
    ConsultationStatus,
    Statement,
    StatementStatus,
    StatementVote,
)
from komoro_engage.consultations.opinion_groups import OpinionMap, Vote, analyse
from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db

RECENT_DAYS = 7


def consultation_votes(consultation_id: int) -> tuple[list[Vote], list[int]]:
    """Every vote on the consultation's published statements, and those statements' ids."""
    statements = list(db.session.scalars(
        select(Statement.id).where(Statement.consultation_id == consultation_id,
                                   Statement.status == StatementStatus.PUBLISHED)
        .order_by(Statement.id)))
    rows = db.session.execute(
        select(StatementVote.user_id, StatementVote.statement_id, StatementVote.value)
        .join(Statement, Statement.id == StatementVote.statement_id)
        .where(StatementVote.consultation_id == consultation_id,
               Statement.status == StatementStatus.PUBLISHED))
    return [Vote(user, statement, value) for user, statement, value in rows], statements


def _snapshot(consultation_id: int) -> ConsultationAnalysis | None:
    return db.session.scalar(select(ConsultationAnalysis).where(
        ConsultationAnalysis.consultation_id == consultation_id,
        ConsultationAnalysis.kind == AnalysisKind.OPINION.value))


def analyse_consultation(consultation: Consultation) -> ConsultationAnalysis:
    """Compute and store the consultation's opinion map (flushes, does not commit)."""
    snapshot = _snapshot(consultation.id)
    previous = None
    if snapshot is not None and snapshot.payload:
        previous = OpinionMap.from_json(snapshot.payload).k_choice
    votes, statements = consultation_votes(consultation.id)
    opinion_map = analyse(votes, statements=statements, previous=previous,
                          seed=consultation.id)
    if snapshot is None:
        snapshot = ConsultationAnalysis(consultation_id=consultation.id,
                                        kind=AnalysisKind.OPINION.value)
        db.session.add(snapshot)
    snapshot.payload = opinion_map.to_json()
    snapshot.computed_at = clock.now()
    snapshot.requested_at = None
    db.session.flush()
    return snapshot


def due(now: datetime | None = None) -> list[Consultation]:
    """Open consultations, those closed lately, and those staff asked to refresh."""
    now = now or clock.now()
    requested = select(ConsultationAnalysis.consultation_id).where(
        ConsultationAnalysis.requested_at.is_not(None))
    return list(db.session.scalars(select(Consultation).where(or_(
        Consultation.status == ConsultationStatus.OPEN,
        (Consultation.status == ConsultationStatus.CLOSED)
        & (Consultation.updated_at >= now - timedelta(days=RECENT_DAYS)),
        Consultation.id.in_(requested))).order_by(Consultation.id)))


def request_refresh(staff: User, consultation: Consultation) -> None:
    """Staff ask for a fresh analysis at the command's next run."""
    snapshot = _snapshot(consultation.id)
    if snapshot is None:
        snapshot = ConsultationAnalysis(consultation_id=consultation.id,
                                        kind=AnalysisKind.OPINION.value, payload={})
        db.session.add(snapshot)
    snapshot.requested_at = clock.now()
    record_audit(staff, "consultation.analysis_requested", consultation)
    db.session.flush()


@dataclass(frozen=True)
class Analysis:
    """A stored opinion map, its time, and whether staff asked for a newer one."""

    opinion_map: OpinionMap | None
    computed_at: datetime | None
    requested_at: datetime | None


def latest(consultation_id: int) -> Analysis:
    """The stored opinion map of a consultation (1 statement); an empty one if none yet."""
    snapshot = _snapshot(consultation_id)
    if snapshot is None:
        return Analysis(None, None, None)
    opinion_map = OpinionMap.from_json(snapshot.payload) if snapshot.payload else None
    return Analysis(opinion_map, snapshot.computed_at, snapshot.requested_at)

