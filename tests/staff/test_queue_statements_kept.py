"""Every staff queue's paged statement is built once and kept (``core.sql.kept_slice``,
``accounts.queries.page_of(kept=True)``): built and cut on every request, each was a new
object whose cache key SQLAlchemy worked out again by walking all of it, about 420 of the
console's 9,700 Python calls (issue 16). The page's numbers still reach the SQL
(tests/staff/test_queue_page_numbers.py) and each page still shows its own items."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from komoro_engage.accounts.models import Role
from komoro_engage.extensions import db
from komoro_engage.staff.queries import QUEUES
from tests.factories import make_user


def paged_statements(client, path: str) -> list:
    """The statements with a LIMIT that one GET of ``path`` runs through the session."""
    ran = []

    def keep(state):
        if getattr(state.statement, "_limit_clause", None) is not None:
            ran.append(state.statement)

    event.listen(Session, "do_orm_execute", keep)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(Session, "do_orm_execute", keep)
    return ran


@pytest.mark.parametrize("queue", QUEUES)
def test_a_queue_pages_with_the_statement_it_built_before(app, login, queue):
    with app.app_context():
        staff = make_user(role=Role.STAFF)
        db.session.commit()
    client = login(staff)
    first = paged_statements(client, f"/staff?queue={queue}")
    again = paged_statements(client, f"/staff?queue={queue}&page=2")
    assert first, "the queue read no page"
    assert len(again) == len(first)
    assert all(any(statement is kept for kept in first) for statement in again), \
        "a queue built its page's statement afresh"
