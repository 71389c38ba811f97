"""Real concurrent supports against gunicorn: crossing the threshold moves the proposal once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.proposals.engagement import support_proposal
from komoro_engage.proposals.lifecycle.models import ProposalAnswer, ProposalStatusChange
from komoro_engage.proposals.models import Proposal, ProposalStatus
from tests.factories import make_user
from tests.live import LiveServer, post_at_once, signed_in
from tests.proposals.helpers import make_proposal

THRESHOLD = 3
AT_ONCE = 10


@pytest.mark.no_db_rollback
def test_supports_crossing_the_threshold_together_move_it_once(tmp_path):
    server = LiveServer(tmp_path, SUPPORT_THRESHOLD=THRESHOLD).start()
    try:
        with server.app.app_context():
            proposal = make_proposal()
            for _ in range(THRESHOLD - 1):  # one short of the threshold
                support_proposal(make_user(), proposal)
            assert proposal.status == ProposalStatus.PUBLISHED
            proposal_id = proposal.id
            ids = [make_user().get_id() for _ in range(AT_ONCE)]
            db.session.commit()
        sessions = [signed_in(server, user_id) for user_id in ids]
        statuses = post_at_once(f"{server.url}/proposals/{proposal_id}/support", sessions)
        assert statuses == [302] * AT_ONCE, (statuses, server.log_path.read_text()[-3000:])
        with server.app.app_context():
            stored = db.session.get(Proposal, proposal_id)
            assert stored.status == ProposalStatus.UNDER_REVIEW
            assert stored.support_count == THRESHOLD - 1 + AT_ONCE
            count = lambda query: db.session.scalar(  # noqa: E731
                select(func.count()).select_from(query.subquery()))
            assert count(select(ProposalStatusChange).where(
                ProposalStatusChange.proposal_id == proposal_id,
                ProposalStatusChange.action == "start_review")) == 1
            assert count(select(AuditEntry).where(
                AuditEntry.action == "proposal.review_started",
                AuditEntry.target_id == proposal_id)) == 1
            assert db.session.get(ProposalAnswer, proposal_id).deadline_at is not None
    finally:
        server.close()
