"""The proposal page reads whether its signed-in reader supports the proposal, and the
city's answer and proxy entry, with the proposal itself, on read requests only
(proposals/reader.py, issue 16)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_login import login_user

from komoro_engage.accounts.models import User
from komoro_engage.core.request_facts import known
from komoro_engage.extensions import db
from komoro_engage.proposals.engagement import support_proposal, supported_key
from komoro_engage.proposals.lifecycle.models import ProposalAnswer, ProxyEntry, ProxyOccasion
from komoro_engage.proposals.lifecycle.record import answer_key
from komoro_engage.proposals.models import ProposalStatus
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


def _answered(app) -> int:
    """A proposal typed in by staff from a meeting, answered by the city."""
    with app.app_context():
        proposal = make_proposal(title="公民館に授乳室を", status=ProposalStatus.ADOPTED)
        started = datetime(2026, 5, 1, tzinfo=UTC)
        db.session.add_all([
            ProposalAnswer(proposal_id=proposal.id, body="来年度の改修で設けます。",
                           department="生涯学習課", answered_on=date(2026, 6, 1),
                           answered_at=started + timedelta(days=31),
                           review_started_at=started, deadline_at=started + timedelta(days=60)),
            ProxyEntry(proposal_id=proposal.id, occasion=ProxyOccasion.DISTRICT_MEETING,
                       occasion_detail="乙女地区懇談会", received_on=date(2026, 4, 20))])
        db.session.commit()
        return proposal.id


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_answer_and_proxy_entry_come_with_the_proposal(app, client, login, count_queries,
                                                           signed_in):
    proposal_id = _answered(app)
    viewer = login(make_user_in(app)) if signed_in else client
    path = f"/proposals/{proposal_id}"
    html = viewer.get(path).get_data(as_text=True)
    assert "来年度の改修で設けます。" in html and "乙女地区懇談会" in html
    count_queries.of_get(viewer, path)
    own = [s for s in count_queries.statements if not s.startswith("SELECT proposal.id")
           and ("proposal_answer" in s or "proposal_proxy_entry" in s)]
    assert own == [], own
    assert any("proposal_answer" in s and s.startswith("SELECT proposal.id")
               for s in count_queries.statements), count_queries.statements


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_only_a_read_keeps_the_answer(app, method):
    proposal_id = _answered(app)
    with app.test_request_context(f"/proposals/{proposal_id}", method=method):
        proposal_page(proposal_id)
        asked = []
        kept = known(answer_key(proposal_id), lambda: asked.append("asked"))
        if method == "GET":
            answer, proxy = kept
            assert (answer.department, proxy.occasion_detail, asked) == (
                "生涯学習課", "乙女地区懇談会", [])
        else:
            assert (kept, asked) == (None, ["asked"])


def make_user_in(app):
    with app.app_context():
        person = make_user()
        db.session.commit()
        return person


def test_the_measure_links_are_asked_only_of_a_proposal_ever_linked(app, client, login,
                                                                     count_queries):
    """Whether a proposal was ever linked to a measure rides on its statement: a proposal
    never linked (most) has no statement for its links; one linked and unlinked since
    still shows the past link."""
    from komoro_engage.accounts.models import Role
    from komoro_engage.plan.models import Measure
    from komoro_engage.proposals.lifecycle.links import link_measure, unlink_measure

    with app.app_context():
        never, unlinked = make_proposal(title="一度も紐付けなし"), make_proposal(title="外された")
        staff = make_user(role=Role.STAFF)
        measure = db.session.query(Measure).order_by(Measure.sort_key).first()
        link = link_measure(staff, unlinked, measure, 2026, "検討しました")
        unlink_measure(staff, link, "別の施策で扱います")
        reader = make_user()
        db.session.commit()
        unlinked_id, paths = unlinked.id, [f"/proposals/{p.id}" for p in (never, unlinked)]
    for viewer in (client, login(reader)):
        asked = []
        for path in paths:
            html = viewer.get(path).get_data(as_text=True)
            assert ("別の施策で扱います" in html) is path.endswith(f"/{unlinked_id}")
            count_queries.of_get(viewer, path)
            asked.append(any(s.startswith("SELECT proposal_measure_link")
                             for s in count_queries.statements))
        assert asked == [False, True]
