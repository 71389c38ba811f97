"""Demo handling (``flask komoro demo``): the demo staff member belongs to two
departments, a few proposals under review are routed to departments (one past its due
date, one reassigned) and one carries an internal note. Run after the staff demo
(proposals/lifecycle/demo.py), which makes the staff member and the answers."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.departments import Department, set_memberships
from komoro_engage.proposals.lifecycle.demo import STAFF_NICKNAME
from komoro_engage.proposals.lifecycle.models import ProposalAnswer
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.staff import handling
from komoro_engage.staff.handling_models import ProposalAssignment

NOTE = "地区の区長さんから補足の電話あり。現地を確認してから回答する予定です。"


def load_handling_demo(seed: int) -> dict:
    """Route up to six unanswered proposals; returns what was created."""
    staff = db.session.scalar(select(User).where(User.nickname == STAFF_NICKNAME))
    departments = {d.name: d for d in db.session.scalars(select(Department))}
    if staff is None or not departments or db.session.scalar(
            select(ProposalAssignment.id).limit(1)) is not None:
        return {}
    rng = random.Random(seed)
    mine = [departments[name] for name in ("企画課", "都市計画課") if name in departments]
    set_memberships(None, staff, {d.id for d in mine})
    waiting = db.session.scalars(
        select(Proposal).join(ProposalAnswer, ProposalAnswer.proposal_id == Proposal.id)
        .where(Proposal.status == ProposalStatus.UNDER_REVIEW,
               ProposalAnswer.answered_at.is_(None))
        .order_by(Proposal.id).limit(6)).all()
    others = [d for d in departments.values() if d.active and d not in mine]
    now = clock.now()
    for index, proposal in enumerate(waiting):
        department = mine[index % len(mine)] if index < 3 and mine else rng.choice(others)
        # The first one is past its due date: 自分の課・期限切れ is not empty.
        due = now - timedelta(days=3) if index == 0 else None
        handling.assign_proposal(staff, proposal, department, due_at=due)
    if len(waiting) > 3 and mine:
        handling.assign_proposal(staff, waiting[3], mine[0], reason="所管の課に移しました")
    if waiting:
        handling.add_note(staff, waiting[0], NOTE)
    return {"assignments": len(waiting), "internal notes": 1 if waiting else 0}
