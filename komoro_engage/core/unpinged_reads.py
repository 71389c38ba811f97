"""PostgreSQL connections outside the pool, for the one read a visitor's kept page makes.

The pool pings each connection it hands out (``pool_pre_ping``), so that a connection the
server dropped (a restart, an idle timeout) is replaced instead of failing a request. On
PostgreSQL that ping is a round trip of its own, as long as the read it guards: a kept page
reads only the content version (``content_version.current_version``). Here that read is
its own ping: when it fails on a dropped connection, the connections kept here are closed
and the read is made once more on a new one.

The connections are made by the engine (its connect settings apply), detached from its
pool, kept in autocommit, and closed when the engine is disposed. There are at most as
many as requests read at once in this process (one per sync worker). They are made by the
first kept page a process serves, so each gunicorn worker makes its own after the fork.
"""

from __future__ import annotations

import threading
import weakref

from sqlalchemy import event
from sqlalchemy.engine import Engine

_readers: weakref.WeakKeyDictionary[Engine, _Reader] = weakref.WeakKeyDictionary()
_readers_lock = threading.Lock()


def read_one_row(engine: Engine, sql: str) -> tuple | None:
    """The first row of ``sql`` (a read that needs no transaction), without a pool ping."""
    reader = _readers.get(engine)
    if reader is None:
        with _readers_lock:
            reader = _readers.get(engine) or _Reader(engine)
            _readers[engine] = reader
    return reader.read(sql)


class _Reader:
    def __init__(self, engine: Engine):
        self._engine = weakref.ref(engine)  # a strong one would keep the dictionary's key
        self._dialect = engine.dialect
        self._idle: list = []
        self._open: list = []  # idle or in use: what disposing the engine closes
        self._lock = threading.Lock()
        event.listen(engine, "engine_disposed", self._close_all)

    def read(self, sql: str) -> tuple | None:
        with self._lock:
            connection = self._idle.pop() if self._idle else None
        for fresh in (connection is None, True):
            if fresh:
                connection = self._connect()
            try:
                row = _fetch(connection, sql)
            except BaseException as error:
                dropped = not fresh and self._dropped(error, connection)  # before closing it
                self._close(connection)
                if not dropped:
                    raise
                self._close_all()  # the server went away: the other kept ones are gone too
                continue
            with self._lock:
                self._idle.append(connection)
            return row
        raise AssertionError("unreachable: the second try returns or raises")

    def _connect(self):
        pooled = self._engine().raw_connection()
        connection = pooled.driver_connection
        pooled.detach()  # ours from now on: closed here, never returned to the pool
        connection.rollback()  # whatever the pool's first-connect checks began
        connection.autocommit = True
        with self._lock:
            self._open.append(connection)
        return connection

    def _dropped(self, error: BaseException, connection) -> bool:
        return (isinstance(error, self._dialect.loaded_dbapi.Error)
                and self._dialect.is_disconnect(error, connection, None))

    def _close(self, connection) -> None:
        with self._lock:
            if connection in self._idle:
                self._idle.remove(connection)
            if connection in self._open:
                self._open.remove(connection)
        connection.close()

    def _close_all(self, *_engine) -> None:
        with self._lock:
            connections, self._open, self._idle = self._open, [], []
        for connection in connections:
            connection.close()


def _fetch(connection, sql: str) -> tuple | None:
    cursor = connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchone()
    finally:
        cursor.close()
