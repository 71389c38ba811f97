"""A person's 市民予算 ballots in their data download (/account/data.json).

On account deletion a ballot stays counted (results already published must not change)
and names nobody: the account row it points to is emptied by accounts/erasure.py, and the
ballot holds only choices, a district and an age band.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from komoro_engage.accounts.erasure import register_export_section
from komoro_engage.accounts.models import User
from komoro_engage.budgeting.models import Ballot
from komoro_engage.extensions import db


def export_ballots(user: User) -> list[dict]:
    ballots = db.session.scalars(select(Ballot).where(Ballot.user_id == user.id)
                                 .options(selectinload(Ballot.choices)).order_by(Ballot.id))
    return [{"process_id": b.process_id, "submitted_at": b.submitted_at.isoformat(),
             "district_id": b.district_id, "age_band": b.age_band,
             "choices": [{"project_id": c.project_id, "points": c.points} for c in b.choices]}
            for b in ballots]


def register() -> None:
    register_export_section("budget_ballots", export_ballots)
