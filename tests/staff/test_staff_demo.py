"""The staff demo: deterministic, consistent with the proposals it describes, in the console."""

from sqlalchemy import func, select

from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.proposals.demo import load_demo
from komoro_engage.proposals.lifecycle.demo import load_staff_demo
from komoro_engage.proposals.lifecycle.models import (
    ProposalAnswer,
    ProposalMeasureLink,
    ProposalStatusChange,
)
from komoro_engage.proposals.models import Proposal
from komoro_engage.staff.queries import queue_counts


def snapshot() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(select(
        ProposalAnswer.proposal_id, ProposalAnswer.status, ProposalAnswer.body,
        ProposalAnswer.department).order_by(ProposalAnswer.proposal_id))] + [
        tuple(row) for row in db.session.execute(select(
            ProposalMeasureLink.proposal_id, ProposalMeasureLink.measure_id,
            ProposalMeasureLink.note).order_by(ProposalMeasureLink.id))]


def test_staff_demo_is_deterministic_and_consistent(ctx):
    first = db.session.begin_nested()
    load_demo(150, seed=5)
    totals = load_staff_demo(5)
    one = snapshot()
    first.rollback()
    load_demo(150, seed=5)
    assert load_staff_demo(5) == totals and snapshot() == one
    assert totals["answers"] and totals["measure links"] and totals["audit entries"]
    # Every proposal the city decided has its answer and a timeline ending in that status.
    decided = db.session.execute(select(Proposal.id, Proposal.status).where(
        Proposal.status.in_(("adopted", "not_adopted")))).all()
    assert decided
    for proposal_id, status in decided:
        assert db.session.get(ProposalAnswer, proposal_id).status == status
        last = db.session.scalars(select(ProposalStatusChange.to_status).where(
            ProposalStatusChange.proposal_id == proposal_id)
            .order_by(ProposalStatusChange.created_at.desc())).first()
        assert last == status
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) >= totals[
        "audit entries"]
    counts = queue_counts()
    assert counts["pending"] and counts["threshold"]
    # Running it again adds nothing: every proposal has a history now.
    assert load_staff_demo(5)["status changes"] == 0
