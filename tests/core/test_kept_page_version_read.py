"""A kept page is served on one read of the committed version, with no transaction.

The version is read on a connection of its own (``core/content_version.py``),
not through the request's ORM session: opening and committing that session cost
most of a kept page's time. These tests run the app on a database of its own, as
production does (the suite's other tests bind every session to one connection).
"""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from komoro_engage.core.content_version import current_version
from komoro_engage.core.page_cache import HEADER
from komoro_engage.extensions import db
from komoro_engage.proposals.models import Proposal
from tests.proposals.helpers import make_proposal


class Begun:
    """Counts transactions begun: SQLAlchemy connections' and ORM sessions'."""

    def __init__(self):
        self.count = 0

    def __call__(self, *_args):
        self.count += 1

    def __enter__(self):
        event.listen(Engine, "begin", self)
        event.listen(Session, "after_begin", self)
        return self

    def __exit__(self, *_exc):
        event.remove(Engine, "begin", self)
        event.remove(Session, "after_begin", self)


@pytest.mark.no_db_rollback
def test_a_kept_page_begins_no_transaction_and_a_commit_elsewhere_still_reaches_it(
        own_database_app):
    app = own_database_app
    with app.app_context():
        found = make_proposal(title="古いベンチの提案").id
        db.session.commit()
    visitor = app.test_client()
    assert visitor.get(f"/proposals/{found}").headers[HEADER] == "miss"
    with Begun() as begun:
        kept = visitor.get(f"/proposals/{found}")
    assert kept.headers[HEADER] == "hit" and begun.count == 0
    assert "古いベンチの提案" in kept.get_data(as_text=True)

    with app.app_context():
        before = current_version()
        db.session.get(Proposal, found).title = "新しいベンチの提案"
        db.session.commit()
        assert current_version() == before + 1  # read as committed, outside any session
    fresh = visitor.get(f"/proposals/{found}")
    assert fresh.headers[HEADER] == "miss"
    assert "新しいベンチの提案" in fresh.get_data(as_text=True)
    assert visitor.get(f"/proposals/{found}").headers[HEADER] == "hit"


@pytest.mark.no_db_rollback
def test_the_version_is_the_committed_one_not_the_callers_snapshot(own_database_app):
    """A caller whose transaction has already read (SQLite then holds its snapshot) still
    gets the number another connection committed since: whatever it renders afterwards is
    at least as new as the number its page is kept under."""
    app = own_database_app
    with app.app_context():
        found = make_proposal(title="読み取りの提案").id
        db.session.commit()
        assert db.session.get(Proposal, found).title == "読み取りの提案"
        before = current_version()
        with db.engine.begin() as elsewhere:
            elsewhere.exec_driver_sql(
                "UPDATE content_version SET version = version + 1 WHERE id = 1")
        assert current_version() == before + 1
        db.session.rollback()


@pytest.mark.no_db_rollback
def test_the_connection_that_read_the_version_goes_back_to_transactions(own_database_app):
    """PostgreSQL reads the number in autocommit: the pooled connection must come back out
    of it, or the next request's writes would each commit at once and a rollback undo
    nothing."""
    app = own_database_app
    with app.app_context():
        found = make_proposal(title="元の題の提案").id
        db.session.commit()
        db.session.remove()
        current_version()
        db.session.get(Proposal, found).title = "取り消される題"
        db.session.flush()
        db.session.rollback()
        assert db.session.get(Proposal, found).title == "元の題の提案"
