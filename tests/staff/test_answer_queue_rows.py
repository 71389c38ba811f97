"""The answer queues read their cards as rows of what each card shows (staff/queries.py
``_answer_cards``, issue 16): a card must still give each proposal its own title, link,
supports, review start and deadline, and the queue must keep the deadline order."""

from __future__ import annotations

from datetime import UTC, datetime

from komoro_engage.core.dates import people_time
from komoro_engage.extensions import db
from komoro_engage.proposals.lifecycle.models import ProposalAnswer
from komoro_engage.proposals.models import ProposalStatus
from tests.proposals.helpers import make_proposal
from tests.staff.test_queue_cards import staff_user

STARTED = datetime(2026, 10, 1, 1, 30, tzinfo=UTC), datetime(2026, 10, 20, 2, 0, tzinfo=UTC)
DEADLINES = datetime(2027, 2, 3, 3, 0, tzinfo=UTC), datetime(2027, 1, 5, 4, 0, tzinfo=UTC)


def card(body: str, proposal_id: int) -> str:
    item = body[body.index(f'id="item-proposal-{proposal_id}"'):]
    return item[:item.index("</li>")]


def test_each_answer_card_shows_its_own_proposal_and_answer(app, login):
    with app.app_context():
        proposals = [make_proposal(status=ProposalStatus.UNDER_REVIEW, title=title)
                     for title in ("支持の多い提案", "締め切りの近い提案")]
        proposals[0].support_count = 1234
        for proposal, started, deadline in zip(proposals, STARTED, DEADLINES, strict=True):
            db.session.add(ProposalAnswer(proposal_id=proposal.id, review_started_at=started,
                                          deadline_at=deadline))
        db.session.commit()
        ids = [proposal.id for proposal in proposals]
    body = login(staff_user(app)).get("/staff?queue=threshold").text
    assert body.index(f'id="item-proposal-{ids[1]}"') < body.index(f'id="item-proposal-{ids[0]}"')
    with app.test_request_context():
        written = [(people_time(started, "ja"), people_time(deadline, "ja"))
                   for started, deadline in zip(STARTED, DEADLINES, strict=True)]
    for proposal_id, title, supports, (started, deadline) in zip(
            ids, ("支持の多い提案", "締め切りの近い提案"), ("1,234", "0"), written, strict=True):
        item = card(body, proposal_id)
        assert f'href="/proposals/{proposal_id}">{title}</a>' in item
        assert f"賛同 {supports}" in item
        assert f"検討開始 {started}" in item and f"回答期限 {deadline}" in item
