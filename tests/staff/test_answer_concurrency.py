"""Real concurrent publications against gunicorn (SQLite, or PostgreSQL with
KOMORO_TEST_DATABASE_URL): a double click, or two approvers at once, publish the city's
answer exactly once."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from komoro_engage.accounts.models import Role
from komoro_engage.core.audit import AuditEntry
from komoro_engage.extensions import db
from komoro_engage.proposals.lifecycle import drafts
from komoro_engage.proposals.lifecycle.answers import AnswerData
from komoro_engage.proposals.lifecycle.models import ProposalAnswerDraft, ProposalStatusChange
from tests.factories import make_user
from tests.live import LiveServer, post_at_once, signed_in
from tests.proposals.helpers import make_proposal

AT_ONCE = 6
FORM = urlencode({"version": "1", "confirm": "y"}).encode()


def _counts(proposal_id: int) -> tuple[int, int]:
    count = lambda query: db.session.scalar(  # noqa: E731
        select(func.count()).select_from(query.subquery()))
    return (count(select(AuditEntry).where(AuditEntry.action == "proposal.answered",
                                           AuditEntry.target_id == proposal_id)),
            count(select(ProposalStatusChange).where(
                ProposalStatusChange.proposal_id == proposal_id,
                ProposalStatusChange.action == "answer_published")))


@pytest.mark.no_db_rollback
@pytest.mark.parametrize("approval", [False, True], ids=["publish", "approve"])
def test_publishing_at_once_publishes_once(tmp_path, approval):
    server = LiveServer(tmp_path, ANSWERS_NEED_APPROVAL="true" if approval else "false").start()
    try:
        with server.app.app_context():
            proposal = make_proposal()
            author = make_user(Role.STAFF)
            drafts.save_draft(author, proposal, AnswerData(
                "adopted", "来年度に整備します。", "都市計画課", date(2026, 6, 1)))
            if approval:
                drafts.submit_draft(author, proposal, 1)
                people = [make_user(Role.STAFF).get_id() for _ in range(AT_ONCE)]
            else:
                people = [author.get_id()] * AT_ONCE  # one person clicking again and again
            proposal_id = proposal.id
            db.session.commit()
        step = "approve" if approval else "publish"
        sessions = [signed_in(server, user_id) for user_id in people]
        statuses = post_at_once(f"{server.url}/staff/proposals/{proposal_id}/answer/{step}",
                                sessions, data=FORM)
        assert statuses == [302] * AT_ONCE, (statuses, server.log_path.read_text()[-3000:])
        with server.app.app_context():
            assert _counts(proposal_id) == (1, 1)
            assert db.session.get(ProposalAnswerDraft, proposal_id) is None
            if approval:
                assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
                    AuditEntry.action == "proposal.answer_approved",
                    AuditEntry.target_id == proposal_id)) == 1
    finally:
        server.close()
