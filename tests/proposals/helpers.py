"""Build proposals for tests (call inside an app context; rows are flushed, not committed)."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.extensions import db
from komoro_engage.plan.models import District, PolicyArea
from komoro_engage.proposals import search_sync
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.proposals.services import ProposalData, save_proposal
from tests.factories import make_user

_numbers = itertools.count(1)


def area(number: int = 1) -> PolicyArea:
    return db.session.scalars(select(PolicyArea).where(PolicyArea.number == number)).one()


def district(name: str | None = None) -> District:
    query = select(District).order_by(District.sort_order)
    if name:
        query = query.where(District.name == name)
    return db.session.scalars(query).first()


def make_proposal(author: User | None = None, status: ProposalStatus = ProposalStatus.PUBLISHED,
                  title: str | None = None, body: str = "公園にベンチを増やしてほしいです。",
                  areas: tuple[int, ...] = (1,), **fields) -> Proposal:
    """A proposal put straight into ``status`` (the state machine has its own tests)."""
    author = author or make_user()
    data = ProposalData(
        title=title or f"駅前に花壇をつくる提案{next(_numbers)}", body=body,
        kind=fields.pop("kind", "idea"),
        policy_area_ids=[area(n).id for n in areas],
        district_id=fields.pop("district_id", None),
        point=fields.pop("point", None), landmark=fields.pop("landmark", None),
    )
    proposal = save_proposal(author, data)
    proposal.status = status
    if status != ProposalStatus.DRAFT:
        proposal.submitted_at = clock.now()
    if status in (ProposalStatus.PUBLISHED, ProposalStatus.UNDER_REVIEW,
                  ProposalStatus.ADOPTED, ProposalStatus.NOT_ADOPTED):
        proposal.published_at = fields.pop("published_at", clock.now())
    for key, value in fields.items():
        setattr(proposal, key, value)
    db.session.flush()
    search_sync.sync(proposal)
    return proposal


def committed_proposal_id(app, title: str) -> int:
    """A published proposal committed outside the test's transaction, for live-page tests."""
    with app.app_context():
        found = make_proposal(title=title).id
        db.session.commit()
    return found
