"""Real concurrent HTTP requests against gunicorn: the support count stays exact.

Users are signed in by a session cookie made with the app's own session
serializer (sign-in pages live on another branch); everything else is the real
path: CSRF token read from the page, POSTs from 21 threads at once.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from komoro_engage.extensions import db
from komoro_engage.proposals.models import Proposal, Support
from tests.factories import make_user
from tests.live import post_at_once, signed_in
from tests.proposals.helpers import make_proposal

SUPPORTERS = 20


@pytest.mark.no_db_rollback
def test_twenty_at_once_and_a_double_tap_leave_the_exact_count(live_server):
    with live_server.app.app_context():
        proposal_id = make_proposal().id
        ids = [make_user().get_id() for _ in range(SUPPORTERS)]
        db.session.commit()
    sessions = [signed_in(live_server, user_id) for user_id in ids]
    url = f"{live_server.url}/proposals/{proposal_id}/support"
    # Everyone presses at once; the first user taps twice.
    posts = [*sessions, sessions[0]]
    statuses = post_at_once(url, posts)
    assert statuses == [302] * len(posts), (statuses, live_server.log_path.read_text()[-3000:])
    with live_server.app.app_context():
        stored = db.session.get(Proposal, proposal_id).support_count
        rows = db.session.scalar(select(func.count()).select_from(Support).where(
            Support.proposal_id == proposal_id))
        assert (stored, rows) == (SUPPORTERS, SUPPORTERS)

    # Everyone withdraws at once, the first user twice: back to exactly zero.
    statuses = post_at_once(f"{live_server.url}/proposals/{proposal_id}/unsupport", posts)
    assert statuses == [302] * len(posts), statuses
    with live_server.app.app_context():
        db.session.expire_all()
        assert db.session.get(Proposal, proposal_id).support_count == 0
        db.session.execute(delete(Support))
        db.session.commit()
