"""Real concurrent HTTP requests against gunicorn: double taps and parallel submissions of
one person's ballot leave one ballot with one set of choices (the UNIQUE constraint and
the row lock in budgeting/ballots.py). Runs on PostgreSQL too with KOMORO_TEST_DATABASE_URL.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from sqlalchemy import delete, func, select

from komoro_engage.budgeting.models import Ballot, BallotChoice, BudgetProcess, BudgetProject
from komoro_engage.extensions import db
from tests.budgeting.helpers import make_process
from tests.factories import make_user
from tests.live import request, signed_in

VOTERS, TAPS = 6, 4


def _at_once(url: str, posts: list[tuple[tuple[str, str], list[int]]]) -> list[int]:
    barrier = threading.Barrier(len(posts))

    def press(post):
        (cookie, token), chosen = post
        barrier.wait()
        body = urlencode([("csrf_token", token), ("action", "vote"),
                          *(("project", str(pid)) for pid in chosen)]).encode()
        return request(url, cookie, data=body,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})[0]

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        return list(pool.map(press, posts))


@pytest.mark.no_db_rollback
def test_parallel_ballots_of_one_person_leave_one_ballot(live_server):
    with live_server.app.app_context():
        process = make_process(max_approvals=2)
        process_id, ids = process.id, [p.id for p in process.projects]
        voters = [make_user().get_id() for _ in range(VOTERS)]
        db.session.commit()
    sessions = [signed_in(live_server, user_id) for user_id in voters]
    url = f"{live_server.url}/budgets/{process_id}/vote"
    # Each voter sends TAPS ballots at once, each choosing a different pair of projects.
    posts = [(session, [ids[tap], ids[tap + 1]]) for session in sessions for tap in range(TAPS)]
    statuses = _at_once(url, posts)
    assert statuses == [302] * len(posts), (statuses, live_server.log_path.read_text()[-3000:])
    try:
        with live_server.app.app_context():
            ballots = db.session.scalar(select(func.count()).select_from(Ballot).where(
                Ballot.process_id == process_id))
            assert ballots == VOTERS
            per_ballot = db.session.execute(
                select(BallotChoice.ballot_id, func.count()).group_by(BallotChoice.ballot_id)).all()
            # One whole pair each: the last writer's choices, never a mix of two taps.
            assert sorted(n for _b, n in per_ballot) == [2] * VOTERS
    finally:
        with live_server.app.app_context():
            for model in (BallotChoice, Ballot, BudgetProject, BudgetProcess):
                db.session.execute(delete(model))
            db.session.commit()
