"""The SQLite writers' queue: a write request's turn spans exactly its transaction."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from flask import Flask
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select, text
from sqlalchemy.exc import OperationalError

from komoro_engage import sqlite_engine
from tests.conftest import TEST_DATABASE_URL

pytestmark = [
    pytest.mark.no_db_rollback,
    pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite only: PostgreSQL has no queue"),
]


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "queue.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE item (n INTEGER)")
    yield engine, sqlite_engine.lock_path(str(path))
    engine.dispose()


def queue_is_free(lock_file: str) -> bool:
    """Whether another process could take the turn right now (a separate open file)."""
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_a_write_request_holds_the_turn_until_it_commits(database):
    engine, lock_file = database
    with Flask(__name__).test_request_context(method="POST"):
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO item VALUES (1)")
            assert not queue_is_free(lock_file)
        assert queue_is_free(lock_file)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM item")) == 1


def test_a_rollback_or_an_error_gives_the_turn_back(database):
    engine, lock_file = database
    with Flask(__name__).test_request_context(method="POST"):
        with pytest.raises(RuntimeError), engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO item VALUES (1)")
            raise RuntimeError("the view failed")
        assert queue_is_free(lock_file)
        connection = engine.connect()
        connection.begin()
        connection.exec_driver_sql("INSERT INTO item VALUES (1)")
        assert not queue_is_free(lock_file)
        connection.close()  # back to the pool without COMMIT or ROLLBACK from us
        assert queue_is_free(lock_file)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM item")) == 0


def test_reads_and_commands_outside_requests_do_not_queue(database):
    engine, lock_file = database
    with Flask(__name__).test_request_context(method="GET"), engine.begin() as connection:
        connection.scalar(text("SELECT count(*) FROM item"))
        assert queue_is_free(lock_file)
    with engine.begin() as connection:  # a CLI command: SQLite's busy timeout guards it
        connection.exec_driver_sql("INSERT INTO item VALUES (1)")
        assert queue_is_free(lock_file)


def test_the_next_writer_starts_after_the_commit_and_sees_it(database):
    engine, _lock_file = database
    app = Flask(__name__)
    first_inside, seen, order = threading.Event(), [], []

    def first():
        with app.test_request_context(method="POST"), engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO item VALUES (1)")
            first_inside.set()
            # The second writer is now waiting for its turn, not inside SQLite.
            threading.Event().wait(0.2)
            order.append("first commits")

    def second():
        first_inside.wait()
        with app.test_request_context(method="POST"), engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO item VALUES (2)")
            order.append("second wrote")
            seen.append(connection.scalar(text("SELECT count(*) FROM item")))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert order == ["first commits", "second wrote"]
    assert seen == [2]
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM item")) == 2


def test_a_second_connection_of_the_same_thread_skips_the_queue(database):
    """Waiting for its own first connection would never end: SQLite's busy timeout
    answers instead, as it did before the queue existed."""
    engine, lock_file = database
    with Flask(__name__).test_request_context(method="POST"):
        with engine.begin() as writer:
            writer.exec_driver_sql("INSERT INTO item VALUES (1)")
            second = engine.connect()
            second.connection.dbapi_connection.execute("PRAGMA busy_timeout=50")
            assert second.scalar(text("SELECT count(*) FROM item")) == 0  # reads go ahead
            with pytest.raises(OperationalError, match="locked"):
                second.exec_driver_sql("INSERT INTO item VALUES (2)")  # no wait for the turn
            second.close()
        assert queue_is_free(lock_file)


def test_a_write_request_reads_outside_the_queue_until_its_first_write(database):
    """Reading first, then writing after another writer committed, neither waits
    for the write lock while reading nor fails with "database is locked"."""
    engine, lock_file = database
    with Flask(__name__).test_request_context(method="POST"):
        with engine.begin() as request_connection:
            assert request_connection.scalar(text("SELECT count(*) FROM item")) == 0
            assert queue_is_free(lock_file)
            with engine.begin() as other:  # e.g. a CLI command, committing in between
                other.exec_driver_sql("INSERT INTO item VALUES (1)")
            request_connection.exec_driver_sql("INSERT INTO item VALUES (2)")
            assert not queue_is_free(lock_file)
            # after the first write the transaction is SQLite's, with its own snapshot
            assert request_connection.scalar(text("SELECT count(*) FROM item")) == 2
        assert queue_is_free(lock_file)


ITEM = Table("item", MetaData(), Column("n", Integer))


def test_a_read_written_with_a_cte_stays_out_of_the_queue(database):
    """SQLAlchemy's ``WITH … SELECT`` (the comment threads' page) reads; its ``WITH …
    INSERT``, and any ``WITH`` written by hand, write and take the turn."""
    engine, lock_file = database
    first = select(ITEM.c.n).limit(30).cte("first")
    with Flask(__name__).test_request_context(method="POST"):
        with engine.begin() as connection:
            assert connection.execute(select(first.c.n)).all() == []
            assert queue_is_free(lock_file)
            connection.execute(insert(ITEM).from_select(["n"], select(first.c.n + 1)))
            assert not queue_is_free(lock_file)
        assert queue_is_free(lock_file)
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "WITH two AS (SELECT 2 AS n) INSERT INTO item SELECT n FROM two")
            assert not queue_is_free(lock_file)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM item")) == 1


def test_an_in_memory_database_has_no_queue_file():
    assert sqlite_engine.lock_path(":memory:") is None
    assert sqlite_engine.lock_path("") is None
    assert sqlite_engine.lock_path("/srv/komoro/app.db") == "/srv/komoro/app.db.writer-lock"
