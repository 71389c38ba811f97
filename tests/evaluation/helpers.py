"""Build evaluation rows for tests (inside an app context; flushed, not committed)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from komoro_engage.core.clock import JAPAN
from komoro_engage.extensions import db
from komoro_engage.plan.models import Measure, PlanEdition, RatingLevel
from komoro_engage.proposals.lifecycle.models import ProposalMeasureLink


def measure(code: str = "1-2") -> Measure:
    """A measure of the current plan edition."""
    return db.session.scalars(select(Measure).join(PlanEdition).where(
        PlanEdition.is_current, Measure.code == code)).one()


def rating(code: str = "B") -> RatingLevel:
    return db.session.scalars(select(RatingLevel).where(RatingLevel.code == code)).one()


def jst(*parts) -> datetime:
    """A moment given in Japan time, in UTC as the app stores it (SQLite keeps wall time)."""
    return datetime(*parts, tzinfo=JAPAN).astimezone(UTC)


def link(proposal, *measures) -> None:
    """Staff link ``proposal`` to ``measures`` (active links, as the console makes them)."""
    db.session.execute(insert(ProposalMeasureLink), [
        {"proposal_id": proposal.id, "measure_id": m.id, "fiscal_year": 2025, "note": "",
         "unlink_reason": ""} for m in measures])
