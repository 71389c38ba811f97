"""On PostgreSQL a kept page reads the content version without the pool's ping.

``core/unpinged_reads.py`` keeps connections outside the pool for that read, and the read
is its own ping: a connection the server dropped is replaced within the same read. These
tests run the app on a PostgreSQL database of its own, as production does.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.pool import NullPool

from komoro_engage.core.page_cache import HEADER
from komoro_engage.core.unpinged_reads import read_one_row
from komoro_engage.extensions import db
from tests.proposals.helpers import make_proposal

pytestmark = pytest.mark.no_db_rollback
BACKEND = "SELECT pg_backend_pid()"


@pytest.fixture
def pg_app(request):
    if not os.environ.get("KOMORO_TEST_DATABASE_URL", "").startswith("postgresql"):
        pytest.skip("only PostgreSQL's pool ping is a round trip; SQLite reads through its pool")
    return request.getfixturevalue("own_database_app")  # a database made only when it runs


def engine_of(app):
    with app.app_context():
        return db.engine


def outside(engine):
    """A connection of its own, from no pool the app uses."""
    return create_engine(engine.url, poolclass=NullPool).connect()


def backends_alive(engine, *pids: int) -> int:
    with outside(engine) as admin:
        return admin.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"),
                             {"pids": list(pids)}).scalar()


def until_gone(engine, *pids: int) -> bool:
    """The server ends a backend a moment after it is told to or its client leaves."""
    for _ in range(100):
        if backends_alive(engine, *pids) == 0:
            return True
        time.sleep(0.05)
    return False


def terminate(engine, *pids: int) -> None:
    with outside(engine) as admin:
        admin.execute(text("SELECT pg_terminate_backend(pid) "
                           "FROM unnest(CAST(:pids AS int[])) AS pid"), {"pids": list(pids)})
    assert until_gone(engine, *pids)


def test_a_kept_page_takes_no_connection_from_the_pool(pg_app):
    with pg_app.app_context():
        found = make_proposal(title="ピンなしの提案").id
        db.session.commit()
    visitor = pg_app.test_client()
    assert visitor.get(f"/proposals/{found}").headers[HEADER] == "miss"
    checkouts = []
    taken = lambda *_args: checkouts.append(1)  # noqa: E731 - a listener and its record
    event.listen(engine_of(pg_app), "checkout", taken)
    try:
        kept = visitor.get(f"/proposals/{found}")
    finally:
        event.remove(engine_of(pg_app), "checkout", taken)
    assert kept.headers[HEADER] == "hit" and "ピンなしの提案" in kept.get_data(as_text=True)
    assert checkouts == []


def test_a_connection_the_server_dropped_is_replaced_within_the_read(pg_app):
    engine = engine_of(pg_app)
    first = read_one_row(engine, BACKEND)[0]
    assert read_one_row(engine, BACKEND)[0] == first  # kept between reads
    terminate(engine, first)
    second = read_one_row(engine, BACKEND)[0]
    assert second != first
    assert read_one_row(engine, BACKEND)[0] == second


def test_kept_pages_survive_a_restart_of_the_database(pg_app):
    """Every connection of the app ends at once, as when PostgreSQL restarts: the kept page
    (read here) and a rendered page (the pool's ping) are both still served."""
    with pg_app.app_context():
        found = make_proposal(title="再起動のあとの提案").id
        db.session.commit()
    engine = engine_of(pg_app)
    visitor = pg_app.test_client()
    assert visitor.get(f"/proposals/{found}").headers[HEADER] == "miss"
    with outside(engine) as admin:
        others = admin.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")).scalars().all()
    assert len(others) == 2  # the kept read's connection and the pool's
    terminate(engine, *others)
    kept = visitor.get(f"/proposals/{found}")
    assert kept.status_code == 200 and kept.headers[HEADER] == "hit"
    rendered = visitor.get("/proposals?q=再起動")  # a search is rendered on the pool's connections
    assert rendered.status_code == 200 and "再起動のあとの提案" in rendered.get_data(as_text=True)


def test_an_error_that_is_not_a_drop_is_raised_and_its_connection_not_kept(pg_app):
    engine = engine_of(pg_app)
    first = read_one_row(engine, BACKEND)[0]
    with pytest.raises(engine.dialect.loaded_dbapi.DataError):
        read_one_row(engine, "SELECT 1 / 0")
    assert until_gone(engine, first)  # closed, not handed to the next read
    assert read_one_row(engine, BACKEND)[0] != first


def test_disposing_the_engine_closes_the_reads_connections(pg_app):
    engine = engine_of(pg_app)
    used = read_one_row(engine, BACKEND)[0]
    engine.dispose()
    assert until_gone(engine, used)
    assert read_one_row(engine, "SELECT 1") == (1,)  # a disposed engine still serves


def test_reads_at_the_same_time_each_have_a_connection_and_keep_it(pg_app):
    """Gunicorn's threaded workers read at once: never two on one connection (psycopg
    would make one wait for the other), and no new connection once each has one."""
    engine = engine_of(pg_app)
    readers = 6
    together = threading.Barrier(readers)

    def read_slowly(_turn):
        together.wait()
        return read_one_row(engine, "SELECT pg_backend_pid() FROM pg_sleep(0.2)")[0]

    with ThreadPoolExecutor(readers) as pool:
        first = set(pool.map(read_slowly, range(readers)))
        second = set(pool.map(read_slowly, range(readers)))
    assert len(first) == readers
    assert second == first


def test_an_error_that_is_not_a_drop_leaves_the_other_connections_alone(pg_app):
    """Only a dropped connection means the server went away; a statement's own error
    closes its connection and is raised, once, with the others kept."""
    engine = engine_of(pg_app)
    together = threading.Barrier(2)

    def read_slowly(_turn):
        together.wait()
        return read_one_row(engine, "SELECT pg_backend_pid() FROM pg_sleep(0.2)")[0]

    with ThreadPoolExecutor(2) as pool:
        kept = set(pool.map(read_slowly, range(2)))
    with pytest.raises(engine.dialect.loaded_dbapi.DataError):
        read_one_row(engine, "SELECT 1 / 0")
    remaining = read_one_row(engine, BACKEND)[0]
    assert remaining in kept and backends_alive(engine, remaining) == 1
    assert until_gone(engine, *(kept - {remaining}))  # the one that failed is closed
