"""Nothing lost when a gunicorn worker dies mid-load (issue 5, point 5).

Many signed-in residents support and comment at once through real HTTP (CSRF
token in the header and the form); part-way through, one worker is killed
with SIGKILL, the master starts a new one, and the load goes on. Afterwards:
every write the server acknowledged is in the database, requests that died
with the worker left either a whole write or none, and each proposal's
``support_count`` and ``comment_count`` equal its real rows.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import delete, func, select

from komoro_engage.comments.models import Comment
from komoro_engage.extensions import db
from komoro_engage.proposals.models import Proposal, Support
from tests.factories import make_user
from tests.live import request, signed_in
from tests.proposals.helpers import make_proposal

USERS, PROPOSALS, COMMENTS_PER_USER = 24, 5, 4  # 120 supports + 96 comments
CLIENTS = 16  # requests in flight at once
KILL_AFTER = 70  # answered requests before the worker is killed


def worker_pids(master: int) -> list[int]:
    """Children of the gunicorn master, read from /proc (no extra dependency)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # Field 4 is the parent pid; the command name (field 2) may contain spaces.
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            pids.append(int(entry.name))
    return sorted(pids)


def wait_for_workers(master: int, count: int, not_in: set[int], timeout: float = 20) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = worker_pids(master)
        if len(pids) == count and not set(pids) & not_in:
            return pids
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not respawn its worker: {worker_pids(master)}")


def post(server, session: tuple[str, str], kind: str, proposal: int, body: str | None) -> tuple:
    """A support or a comment as a browser sends it: token in the form and the header."""
    cookie, token = session
    form = {"csrf_token": token, **({"body": body} if body else {})}
    path = "support" if kind == "support" else "comments"
    return request(f"{server.url}/proposals/{proposal}/{path}", cookie,
                   data=urlencode(form).encode(), headers={
                       "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded"})


@pytest.mark.no_db_rollback
def test_a_killed_worker_loses_no_acknowledged_write(live_server):
    master = live_server.process.pid
    workers = wait_for_workers(master, live_server.workers, set())
    with live_server.app.app_context():
        proposal_ids = [make_proposal().id for _ in range(PROPOSALS)]
        people = [make_user() for _ in range(USERS)]
        users, user_ids = [user.id for user in people], [user.get_id() for user in people]
        db.session.commit()
    sessions = [signed_in(live_server, user_id) for user_id in user_ids]

    jobs = [("support", user, proposal, None)
            for user in range(USERS) for proposal in proposal_ids]
    jobs += [("comment", user, proposal_ids[(user + n) % PROPOSALS], f"無停止テスト {user}-{n}")
             for user in range(USERS) for n in range(COMMENTS_PER_USER)]
    jobs.sort(key=lambda job: (job[1] * 7 + job[2] * 3 + len(job[3] or "")) % 11)
    answered = []  # (job, status, location) for every response received
    failed = []  # (job, error) for requests that got no response
    lock, killed = threading.Lock(), threading.Event()

    def kill_one_worker() -> None:
        os.kill(workers[0], signal.SIGKILL)
        killed.set()

    def send(job):
        kind, user, proposal, body = job
        try:
            status, headers, _html = post(live_server, sessions[user], kind, proposal, body)
        # Reset or closed by the dying worker, or cut off mid-response: no complete answer.
        except (OSError, http.client.HTTPException) as error:
            with lock:
                failed.append((job, error))
            return
        with lock:
            answered.append((job, status, headers.get("Location", "")))
            if len(answered) == KILL_AFTER and not killed.is_set():
                kill_one_worker()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(send, jobs))
    assert killed.is_set()
    respawned = wait_for_workers(master, live_server.workers, {workers[0]})
    assert time.monotonic() - started < 30
    log = live_server.log_path.read_text()[-3000:]
    assert len(answered) + len(failed) == len(jobs)
    assert all(status == 302 for _job, status, _location in answered), (answered, log)
    # Only requests the killed worker had accepted (gthread queues beyond its threads) are lost.
    assert len(failed) <= CLIENTS, failed

    with live_server.app.app_context():
        support_rows = [tuple(row) for row in db.session.execute(
            select(Support.user_id, Support.proposal_id))]
        comment_rows = list(db.session.scalars(select(Comment)))
        supports, comments = set(support_rows), {row.body: row for row in comment_rows}
        for (kind, user, proposal, body), _status, location in answered:
            if kind == "support":
                assert (users[user], proposal) in supports
            else:
                comment_id = int(re.search(r"#comment-(\d+)$", location).group(1))
                assert comments[body].id == comment_id
                assert (comments[body].author_id, comments[body].proposal_id) == (
                    users[user], proposal)
        # A request that died with the worker committed all of its write or none of it.
        assert len(support_rows) == len(supports)
        assert len(comment_rows) == len(comments)
        assert all(row.body.startswith("無停止テスト ") for row in comment_rows)
        for proposal_id in proposal_ids:
            proposal = db.session.get(Proposal, proposal_id)
            real = [db.session.scalar(select(func.count()).select_from(model).where(
                model.proposal_id == proposal_id)) for model in (Support, Comment)]
            assert [proposal.support_count, proposal.comment_count] == real, proposal_id
            # Threads started at once took one number each, none skipped.
            numbers = sorted(row.thread_number for row in comment_rows
                             if row.proposal_id == proposal_id)
            assert numbers == list(range(1, real[1] + 1)), proposal_id

    # The new worker serves: every supporter who lost a request can finish it now.
    for (kind, user, proposal, body), _error in failed:
        assert post(live_server, sessions[user], kind, proposal, body)[0] == 302
    assert worker_pids(master) == respawned

    with live_server.app.app_context():
        db.session.execute(delete(Comment))
        db.session.execute(delete(Support))
        db.session.commit()
