"""How the app drives SQLite: connection pragmas, its own BEGIN, and a queue for writers.

Engine-wide SQLAlchemy events, registered on import by ``extensions``; on PostgreSQL
only the warning about a GET that writes unmarked applies (see below).

Why the queue: SQLite lets one transaction write at a time, and a writer that
finds the lock taken sleeps in SQLite's busy handler for 1, 2, 5, 10 … ms
between tries. When a support holds the lock for 1–2 ms, the next one often
sleeps longer than the work it waits for: two gunicorn workers served fewer
support POSTs than one (224 against 249 per second, bench at 1,000 proposals).
A write request therefore first takes an exclusive ``flock`` on a file beside
the database and gives it back right after its COMMIT or ROLLBACK, and the
kernel wakes the next writer at that moment. SQLite's own lock and busy timeout
still guard everything else: CLI commands, other programs, and a second
connection of the same thread (which skips the queue rather than wait for itself).

A few GET pages write too (following a mailed link, an audited view of personal
data). Their views carry ``core.transaction.writes_on_get`` and begin as write
requests do: read in a plain transaction and then write, they answered "database is
locked" with a 500 whenever the mail sender had committed in between (CI, 2026-12-04).
An unmarked GET that writes is logged as a warning, so a forgotten one shows.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import warnings

from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import Pool

SQLITE_BUSY_TIMEOUT_MS = 10_000
# Each connection's page cache (SQLite's default is 2 MiB). At 100,000 proposals the staff
# tabs' count walks a thousand waiting answers and probes each proposal's row, and a
# search counts up to a thousand matches the same way: those rows lie on a thousand
# pages, which did not fit, so every request read them again from the file (1.4 and
# 1.8 ms; with 32 MiB, 0.5 and 1.0 ms; issue 16). A sync worker uses one connection
# at a time, so this is about 32 MiB a worker at most.
SQLITE_CACHE_KIB = 32 * 1024
LOCK_FD = "komoro_writer_lock_fd"
TURN = "komoro_writer_turn"
WRITE_PENDING = "komoro_write_pending"
READS = ("SELECT", "PRAGMA")
# Not data: transaction control, as the tests' savepoints issue it.
CONTROL = ("BEGIN", "SAVEPO", "RELEAS", "ROLLBA", "COMMIT")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
WRITES_ON_GET = "komoro_writes_on_get"
# Set on a request's environ once Flask dispatches it (a test_request_context is not).
DISPATCHED = "komoro.dispatched"
_thread = threading.local()

# SQLite stores NUMERIC as a double. Plan numbers are declared with at most 14
# significant digits, which a double carries exactly, so the rounding SQLAlchemy
# warns about cannot happen for them.
warnings.filterwarnings(
    "ignore", message=r"Dialect sqlite\+pysqlite does \*not\* support Decimal objects natively"
)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """WAL, foreign keys, a busy timeout and a larger page cache on every SQLite connection.

    pysqlite also starts transactions on its own terms, which breaks SAVEPOINT;
    we switch that off here and emit BEGIN ourselves in ``_begin_sqlite``.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")  # negative: KiB, not pages
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection: Connection) -> None:
    """Reads begin a plain transaction; a write request begins at its first write.

    A deferred transaction that reads first (the signed-in user, the proposal)
    and writes later cannot wait for the lock when another writer committed in
    between: SQLite answers "database is locked" at once, busy_timeout or not.
    So a write request reads outside a transaction, each statement on the latest
    data as on PostgreSQL's READ COMMITTED, and its first statement that is not
    a SELECT takes a turn in the writers' queue and then SQLite's write lock
    (BEGIN IMMEDIATE), serialising everything after it. The reads before it
    stay out of the queue, so the next writer waits only for the writes.
    """
    if connection.dialect.name != "sqlite":
        return
    if has_request_context() and request_writes():
        connection.info[WRITE_PENDING] = True
    else:
        connection.exec_driver_sql("BEGIN")


def request_writes() -> bool:
    """A state-changing method, or a GET whose view says it writes."""
    if request.method not in SAFE_METHODS:
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, WRITES_ON_GET, False)


def reads(verb: str, context) -> bool:
    """Whether a statement only reads, from its first six letters in capitals (``verb``):
    a SELECT or a PRAGMA, or what SQLAlchemy compiled from a SELECT, whatever its first
    word (the comment threads' page begins ``WITH``). A hand-written ``WITH`` may end in
    an INSERT: a write.

    Counted as a write, the comment threads' page made every page with comments log a
    write without ``writes_on_get``, and a comment post that commits before its answer
    take the writers' turn again, through the answer's render (issue 16)."""
    if verb in READS:
        return True
    compiled = getattr(context, "compiled", None)
    return compiled is not None and getattr(compiled.statement, "is_select", False)


@event.listens_for(Engine, "before_cursor_execute")
def _begin_at_first_write(connection: Connection, cursor, statement: str, _parameters,
                          context, _executemany) -> None:
    verb = statement.lstrip()[:6].upper()
    read = reads(verb, context)
    if connection.info.get(WRITE_PENDING) and not read:
        del connection.info[WRITE_PENDING]
        wait_for_turn(connection)
        cursor.execute("BEGIN IMMEDIATE")
    elif (not read and verb not in CONTROL and has_request_context()
          and request.environ.get(DISPATCHED) and not request_writes()):
        # On PostgreSQL such a write is not even in a transaction (postgres_engine.py).
        current_app.logger.warning(
            "%s %s writes (%r) without core.transaction.writes_on_get: it can fail with "
            "'database is locked' on SQLite and is outside a transaction on PostgreSQL "
            "(sqlite_engine.py)", request.method, request.endpoint, statement[:40])


def lock_path(database: str | None) -> str | None:
    """The queue's file beside a SQLite database file; none for an in-memory database."""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return f"{database}.writer-lock"


def wait_for_turn(connection: Connection) -> None:
    """Block until no other write request on this database is inside a transaction."""
    path = lock_path(connection.engine.url.database)
    if path is None or getattr(_thread, "holding", False):
        return
    info = connection.info
    if LOCK_FD not in info:
        info[LOCK_FD] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(info[LOCK_FD], fcntl.LOCK_EX)
    info[TURN] = True
    _thread.holding = True


def end_turn(info: dict) -> None:
    info.pop(WRITE_PENDING, None)
    if info.pop(TURN, False):
        fcntl.flock(info[LOCK_FD], fcntl.LOCK_UN)
        _thread.holding = False


@event.listens_for(Engine, "commit")
def _commit_then_end_turn(connection: Connection) -> None:
    """Commit here, ahead of SQLAlchemy's own (then empty) commit, so the turn ends after it."""
    _finish_then_end_turn(connection, "commit")


@event.listens_for(Engine, "rollback")
def _roll_back_then_end_turn(connection: Connection) -> None:
    _finish_then_end_turn(connection, "rollback")


def _finish_then_end_turn(connection: Connection, finish: str) -> None:
    try:
        if connection.info.get(TURN):
            getattr(connection.connection.dbapi_connection, finish)()
    finally:
        end_turn(connection.info)


@event.listens_for(Pool, "checkin")
def _end_turn_on_return(_dbapi_connection, record) -> None:
    """A connection back in the pool never keeps the turn, whatever went wrong before."""
    if record is not None:
        end_turn(record.info)


@event.listens_for(Pool, "close")
def _close_lock_file(_dbapi_connection, record) -> None:
    if record is not None:
        end_turn(record.info)
        fd = record.info.pop(LOCK_FD, None)
        if fd is not None:
            os.close(fd)
