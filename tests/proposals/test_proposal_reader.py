"""The proposal page reads whether its signed-in reader supports the proposal with the
proposal itself, on read requests only (proposals/reader.py, issue 16)."""

from __future__ import annotations

import pytest
from flask_login import login_user

from komoro_engage.accounts.models import User
from komoro_engage.core.request_facts import known
from komoro_engage.extensions import db
from komoro_engage.proposals.engagement import support_proposal, supported_key
from komoro_engage.proposals.reader import proposal_page
from tests.factories import make_user
from tests.proposals.helpers import make_proposal


def _world(app):
    with app.app_context():
        supporter, reader = make_user(), make_user()
        proposal = make_proposal(title="駅前にベンチを")
        support_proposal(supporter, proposal)
        db.session.commit()
        return proposal.id, supporter, reader, supporter.id


def test_each_reader_sees_their_own_support_without_a_statement_of_its_own(
        app, login, count_queries):
    proposal_id, supporter, reader, _ = _world(app)
    path = f"/proposals/{proposal_id}"
    for person, supports in ((supporter, True), (reader, False), (supporter, True)):
        html = login(person).get(path).get_data(as_text=True)
        assert ("賛同を取り消す" in html) is supports
        assert ('id="support-action" class="primary"' in html) is not supports
        count_queries.of_get(login(person), path)
        own = [s for s in count_queries.statements
               if "FROM support" in s and not s.startswith("SELECT proposal.id")]
        assert own == [], own


def test_supporting_without_javascript_shows_the_support_after_it(app, login):
    proposal_id, _supporter, reader, _ = _world(app)
    client = login(reader)
    client.get(f"/proposals/{proposal_id}")
    response = client.post(f"/proposals/{proposal_id}/support", follow_redirects=True)
    assert "賛同を取り消す" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_only_a_read_keeps_the_readers_support(app, method):
    proposal_id, _supporter, _reader, supporter_id = _world(app)
    with app.test_request_context(f"/proposals/{proposal_id}", method=method):
        login_user(db.session.get(User, supporter_id))
        proposal = proposal_page(proposal_id)
        asked = []
        kept = known(supported_key(proposal.id, supporter_id), lambda: asked.append("asked"))
        assert (kept, asked) == ((True, []) if method == "GET" else (None, ["asked"]))
