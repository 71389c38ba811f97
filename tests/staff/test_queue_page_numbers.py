"""The staff queues write their page's LIMIT and OFFSET into the SQL (accounts.queries.page_of),
so PostgreSQL keeps one plan for a queue's card statement instead of planning it on every
request (issue 16). Each page still shows its own items."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, text

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.proposals.models import ProposalStatus
from tests.factories import make_user
from tests.proposals.helpers import make_proposal


def _oldest_pending(app, n: int) -> list[str]:
    """``n`` pending proposals submitted long before any other test's, oldest first."""
    with app.app_context():
        titles = []
        for i in range(n):
            proposal = make_proposal(status=ProposalStatus.PENDING, title=f"承認待ちの古い提案{i}")
            proposal.submitted_at = datetime(2001, 1, 1, tzinfo=UTC) + timedelta(days=i)
            titles.append(proposal.title)
        db.session.commit()
    return titles


def _cards_statement(statements: list[str]) -> str:
    return " ".join(next(s for s in statements if "proposal.body" in s).split())


def test_the_pending_queue_writes_its_page_numbers_into_the_sql(app, login, count_queries,
                                                                 monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    titles = _oldest_pending(app, 3)
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        db.session.commit()
    client = login(staff)

    count_queries.reset()
    first = client.get("/staff").get_data(as_text=True)
    assert "LIMIT 3 OFFSET 0" in _cards_statement(count_queries.statements)
    count_queries.reset()
    second = client.get("/staff?page=2").get_data(as_text=True)
    assert "LIMIT 3 OFFSET 2" in _cards_statement(count_queries.statements)

    assert titles[0] in first and titles[1] in first and titles[2] not in first
    assert titles[2] in second and titles[0] not in second


def test_postgresql_keeps_one_plan_for_the_queue_cards(app, login):
    """psycopg prepares a statement after five runs; PostgreSQL then uses a generic plan
    only if it costs about what a plan for the run's values does. With LIMIT as a
    parameter it never did, and each request planned the card statement again."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("server-side prepared plans are PostgreSQL's")
        staff = make_user(role=Role.STAFF)
        db.session.commit()
    _oldest_pending(app, 3)
    client = login(staff)
    for _ in range(12):
        assert client.get("/staff").status_code == 200
    with app.app_context():
        plans = db.session.execute(text(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE '%proposal.body%'"
            " AND statement LIKE '%ORDER BY proposal.submitted_at%'"
        )).all()
    assert plans, "the queue's card statement was never prepared"
    assert all(generic > 0 and custom <= 5 for generic, custom in plans), plans


def test_the_pending_queue_card_statement_sends_no_parameters(app, login):
    """Its statuses and target types are written into the SQL too (core.sql.written_text):
    PostgreSQL plans a prepared statement without parameters once per connection, where at
    100,000 proposals it planned this one on every request (1.8 ms to plan, 1.5 to run)."""
    titles = _oldest_pending(app, 1)
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        db.session.commit()
        engine = db.engine
    client = login(staff)
    sent = []

    def keep(_conn, _cursor, statement, parameters, *_args):
        if "proposal.body" in statement:
            sent.append(parameters)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        page = client.get("/staff").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert titles[0] in page
    assert len(sent) == 1 and not sent[0], sent
