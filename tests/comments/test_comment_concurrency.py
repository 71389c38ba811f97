"""Real concurrent HTTP requests against gunicorn: new threads on one subject at once.

Each new thread takes the number after its subject's last (comments/services.py): twenty
residents starting threads at once on a proposal with thirty leave threads numbered 1 to
50, and no error; replies take no number, and each answer sends its writer to the page
their comment is on.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from sqlalchemy import delete, select

from komoro_engage.comments.models import Comment
from komoro_engage.comments.queries import COMMENTS_PAGE_SIZE
from komoro_engage.comments.services import add_comment
from komoro_engage.extensions import db
from komoro_engage.proposals.models import Proposal
from tests.factories import make_user
from tests.live import post_at_once, request, signed_in
from tests.proposals.helpers import make_proposal

WRITERS = 20


def form(session: tuple[str, str]) -> dict:
    return {"X-CSRFToken": session[1], "Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.no_db_rollback
def test_threads_started_at_once_take_one_number_each(live_server):
    with live_server.app.app_context():
        proposal = make_proposal()
        # A full first page already: the new threads' answers send them to the second.
        first_writer = make_user()
        for n in range(COMMENTS_PAGE_SIZE - 1):
            add_comment(first_writer, proposal, f"前からの意見{n}")
        answered = add_comment(first_writer, proposal, "返信される意見")
        proposal_id, answered_id = proposal.id, answered.id
        ids = [make_user().get_id() for _ in range(WRITERS)]
        db.session.commit()
    sessions = [signed_in(live_server, user_id) for user_id in ids]
    url = f"{live_server.url}/proposals/{proposal_id}/comments"
    statuses = post_at_once(url, sessions, data=urlencode({"body": "同時の意見"}).encode())
    assert statuses == [302] * WRITERS, (statuses, live_server.log_path.read_text()[-3000:])
    # Replies at once: no numbers.
    reply = urlencode({f"reply{answered_id}-body": "同時の返信", "parent_id": answered_id})
    statuses = post_at_once(url, sessions[:3], data=reply.encode())
    assert statuses == [302] * 3, (statuses, live_server.log_path.read_text()[-3000:])
    # Each answer sends its writer to the page their comment is on.
    _, headers, _ = request(url, sessions[4][0], data=urlencode({"body": "最後"}).encode(),
                            headers=form(sessions[4]))
    assert re.search(rf"/proposals/{proposal_id}\?page=2#comment-\d+$", headers["Location"])
    reply = urlencode({f"reply{answered_id}-body": "最後の返信", "parent_id": answered_id})
    _, headers, _ = request(url, sessions[4][0], data=reply.encode(), headers=form(sessions[4]))
    assert re.search(rf"/proposals/{proposal_id}#comment-\d+$", headers["Location"])
    with live_server.app.app_context():
        rows = db.session.execute(select(Comment.body, Comment.thread_number).where(
            Comment.proposal_id == proposal_id)).all()
        numbers = sorted(n for body, n in rows if not body.endswith("の返信"))
        assert numbers == list(range(1, COMMENTS_PAGE_SIZE + WRITERS + 2))
        assert [n for body, n in rows if body.endswith("の返信")] == [None] * 4
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal.comment_count == len(rows) == COMMENTS_PAGE_SIZE + WRITERS + 5
        db.session.execute(delete(Comment))
        db.session.commit()
