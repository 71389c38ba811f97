"""Opinion-map snapshots: the votes of a consultation analysed outside requests (the
``analyse-consultations`` command, on a timer) and stored with their time, so pages
read one row instead of computing.

Which consultations are analysed: the open ones, those closed in the last
``RECENT_DAYS`` days (their last votes), and any a staff member asked to refresh.
The math is part B's (opinion_groups.py); this module feeds it and keeps the result.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, Text, and_, bindparam, cast, or_, select

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
from komoro_engage.core.request_facts import keep_answers, known
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
    # The stored payload's text: what is drawn from the map is kept under it (report.py)
    payload_text: str | None = None


# The stored map read as its text, not as JSON decoded by the driver: see opinion_map_of.
PAYLOAD_TEXT = cast(ConsultationAnalysis.payload, Text)


@functools.lru_cache(maxsize=32)
def opinion_map_of(payload_text: str | None) -> OpinionMap | None:
    """The opinion map a stored payload holds (None for an empty one), parsed once.

    Parsing (the JSON, then an object per counted participant) was a seventh of the
    consultation page's time, for a payload that changes once per analysis (issue 16).
    The maps of a few recent payloads are kept, keyed by the text itself, so a changed
    payload is never answered from an older one: a time would not do, as two analyses
    may share one (the clock stands still in tests). The maps are frozen: sharing is safe.
    """
    data = json.loads(payload_text) if payload_text else None
    return OpinionMap.from_json(data) if data else None


def _of_opinion(consultation_id) -> tuple:
    return (ConsultationAnalysis.consultation_id == consultation_id,
            ConsultationAnalysis.kind == AnalysisKind.OPINION.value)


# Built once: every consultation page asks it, when its statement did not bring it.
_LATEST = select(ConsultationAnalysis.computed_at, ConsultationAnalysis.requested_at,
                 PAYLOAD_TEXT).where(*_of_opinion(bindparam("consultation_id")))


def latest_outer_join(statement: Select, consultation_id) -> Select:
    """``statement`` (one row of ``Consultation``) with its latest opinion map's columns, for
    :func:`keep_latest`: the public page's own statement brings them (issue 16)."""
    return (statement.add_columns(ConsultationAnalysis.computed_at.label("opinion_computed_at"),
                                  ConsultationAnalysis.requested_at.label("opinion_requested_at"),
                                  PAYLOAD_TEXT.label("opinion_payload"))
            .outerjoin(ConsultationAnalysis, and_(*_of_opinion(consultation_id))))


def _latest_key(consultation_id: int) -> tuple:
    return ("opinion_snapshot", consultation_id)


def keep_latest(consultation_id: int, row) -> None:
    """The snapshot's columns ``row`` read (:func:`latest_outer_join`), on a read request,
    for :func:`latest` to answer from."""
    found = (None if row.opinion_payload is None  # the payload is never NULL in a snapshot
             else (row.opinion_computed_at, row.opinion_requested_at, row.opinion_payload))
    keep_answers({_latest_key(consultation_id): found})


def latest(consultation_id: int) -> Analysis:
    """The stored opinion map of a consultation (1 statement, none when the page's statement
    brought it); an empty one if none yet."""
    row = known(_latest_key(consultation_id), lambda: db.session.execute(
        _LATEST, {"consultation_id": consultation_id}).first())
    if row is None:
        return Analysis(None, None, None)
    computed_at, requested_at, payload_text = row
    return Analysis(opinion_map_of(payload_text), computed_at, requested_at, payload_text)
