"""Real concurrent HTTP requests against gunicorn: one vote per person and statement.

Twenty people vote on one statement at once, the first of them twice: twenty votes,
a vote count of twenty, and no error (the INSERT yields to the unique constraint and
the second press updates the first one's row). The counts the database keeps move with
them (consultations/vote_counts.py), and one person voting on several statements at once
counts as one participant.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from sqlalchemy import delete, func, select

from komoro_engage.consultations.models import Consultation, Statement, StatementVote
from komoro_engage.extensions import db
from tests.consultations.helpers import make_consultation, make_statement
from tests.factories import make_user
from tests.live import post_at_once, signed_in

VOTERS = 20


@pytest.mark.no_db_rollback
def test_twenty_at_once_and_a_double_tap_leave_one_vote_each(live_server):
    with live_server.app.app_context():
        consultation = make_consultation()
        statement_id = make_statement(consultation, "駅前に屋根を").id
        ids = [make_user().get_id() for _ in range(VOTERS)]
        db.session.commit()
    sessions = [signed_in(live_server, user_id) for user_id in ids]
    url = f"{live_server.url}/statements/{statement_id}/vote"
    posts = [*sessions, sessions[0]]
    statuses = post_at_once(url, posts, data=b"vote=agree")
    assert statuses == [302] * len(posts), (statuses, live_server.log_path.read_text()[-3000:])
    # Everyone changes their mind at once, the first twice: still one vote each.
    statuses = post_at_once(url, posts, data=b"vote=disagree")
    assert statuses == [302] * len(posts), statuses
    with live_server.app.app_context():
        votes = db.session.execute(
            select(func.count(), func.sum(StatementVote.value))
            .where(StatementVote.statement_id == statement_id)).one()
        assert tuple(votes) == (VOTERS, -VOTERS)
        statement = db.session.get(Statement, statement_id)
        assert (statement.vote_count, statement.agree_count, statement.disagree_count,
                statement.pass_count) == (VOTERS, 0, VOTERS, 0)
        kept = db.session.get(Consultation, statement.consultation_id)
        assert (kept.vote_count, kept.participant_count) == (VOTERS, VOTERS)
        db.session.execute(delete(Consultation))
        db.session.commit()


@pytest.mark.no_db_rollback
def test_one_persons_first_votes_on_many_statements_at_once_count_one_participant(
        live_server):
    """Each vote's trigger asks whether the person voted before in the consultation; on
    PostgreSQL two first votes at once would each see none without the lock that takes
    them one at a time."""
    with live_server.app.app_context():
        consultation = make_consultation(seeds=())
        statement_ids = [make_statement(consultation, f"意見{n}").id for n in range(8)]
        consultation_id, voter = consultation.id, make_user().get_id()
        db.session.commit()
    session = signed_in(live_server, voter)
    urls = [f"{live_server.url}/statements/{n}/vote" for n in statement_ids]
    statuses = post_at_once(urls, [session] * len(urls), data=b"vote=pass")
    assert statuses == [302] * len(urls), (statuses, live_server.log_path.read_text()[-3000:])
    with live_server.app.app_context():
        kept = db.session.get(Consultation, consultation_id)
        assert (kept.vote_count, kept.participant_count) == (len(urls), 1)
        db.session.execute(delete(Consultation))
        db.session.commit()


@pytest.mark.no_db_rollback
def test_the_same_statement_sent_twice_at_once_is_stored_once(live_server):
    with live_server.app.app_context():
        consultation_id = make_consultation().id
        author = make_user().get_id()
        db.session.commit()
    session = signed_in(live_server, author)
    url = f"{live_server.url}/consultations/{consultation_id}/statements"
    body = urlencode({"text": "駅前に屋根を"}).encode()
    statuses = post_at_once(url, [session, session, session], data=body)
    assert statuses == [302] * 3, (statuses, live_server.log_path.read_text()[-3000:])
    with live_server.app.app_context():
        rows = db.session.scalars(select(Statement).where(
            Statement.consultation_id == consultation_id, Statement.author_id.is_not(None)))
        assert [(row.text, row.vote_count) for row in rows] == [("駅前に屋根を", 1)]
        db.session.execute(delete(Consultation))
        db.session.commit()
