"""What consultations leave waiting for the staff, for their daily digest (core/waiting.py).

Their reported statements are counted with every other report (proposals/waiting.py
counts reports of all kinds); here only the statements waiting for pre-moderation.
"""

from __future__ import annotations

from sqlalchemy import func, select

from komoro_engage.consultations.models import Statement, StatementStatus
from komoro_engage.core.waiting import register_counter
from komoro_engage.extensions import db


def waiting_counts() -> dict[str, int]:
    """Statements residents sent that staff have not yet approved or hidden (one query)."""
    return {"statements": db.session.scalar(
        select(func.count()).select_from(Statement)
        .where(Statement.status == StatementStatus.PENDING))}


def register() -> None:
    # After the proposals' counts (order 100): the digest reads pending proposals first.
    register_counter("consultations", waiting_counts, order=110)
