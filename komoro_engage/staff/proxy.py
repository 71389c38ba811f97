"""代理入力: staff type in a proposal received on paper, at a counter or at a 地区懇談会.

The proposal belongs to the named account, or to one shared anonymous account
that cannot sign in; it is published at once (staff have read it) and marked
「職員が代理入力」 with the occasion and the date it was received.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from komoro_engage.accounts.models import Role, User, UserStatus
from komoro_engage.core import clock
from komoro_engage.core.audit import record_audit
from komoro_engage.extensions import db
from komoro_engage.proposals.lifecycle.models import ProxyEntry
from komoro_engage.proposals.models import Proposal, ProposalStatus
from komoro_engage.proposals.services import (
    ProposalData,
    approve_proposal,
    save_proposal,
    submit_proposal,
)

ANONYMOUS_NICKNAME = "匿名（代理入力）"
# Longer than any nickname a person can choose, so nobody can take it.
ANONYMOUS_KEY = "~proxy-anonymous~"


def anonymous_author() -> User:
    """The shared author of anonymous proxy entries; no email, no password: no sign-in."""
    user = db.session.scalar(select(User).where(User.nickname_key == ANONYMOUS_KEY))
    if user is None:
        user = User(email=None, nickname=ANONYMOUS_NICKNAME, nickname_key=ANONYMOUS_KEY,
                    password_hash=None, role=Role.RESIDENT, status=UserStatus.ACTIVE,
                    created_at=clock.now())
        db.session.add(user)
        db.session.flush()
    return user


def enter_by_proxy(staff: User, author: User | None, data: ProposalData, occasion: str,
                   occasion_detail: str, received_on: date) -> Proposal:
    """Create and publish a proposal for ``author`` (None: anonymous)."""
    anonymous = author is None
    author = anonymous_author() if anonymous else author
    proposal = save_proposal(author, data)
    if submit_proposal(proposal) == ProposalStatus.PENDING:
        approve_proposal(staff, proposal, "代理入力")
    entry = ProxyEntry(proposal_id=proposal.id, entered_by_id=staff.id, occasion=occasion,
                       occasion_detail=occasion_detail.strip(), received_on=received_on,
                       anonymous=anonymous, created_at=clock.now())
    db.session.add(entry)
    db.session.flush()
    record_audit(staff, "proposal.proxy_entered", proposal, entry.occasion_detail, after={
        "author": None if anonymous else author.id, "occasion": occasion,
        "received_on": received_on.isoformat()})
    return proposal
