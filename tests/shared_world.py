"""Rows many tests start from, built once per module instead of once per test.

A module whose tests each build the same world (the access table's thousand tests, the
page weights' full pages) builds it once with :class:`SharedWorld`, in a module-scoped
fixture, and overrides the root conftest's ``db_connection`` fixture with one that
yields from :meth:`SharedWorld.connection_for_a_test`, so that each test runs in a
savepoint over the world (tests/security/test_access_table.py is the model).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import scoped_session, sessionmaker

from komoro_engage.extensions import db


class SharedWorld:
    """The world built once on a connection of its own, in a transaction never committed;
    each test runs in a savepoint of it, rolled back afterwards, so every test starts
    from the same rows as if it had built them itself.

    Building the access tests' world stores a real photo (a decoder child process) and
    some hundred rows: done for each of a thousand access tests, it was most of their
    time. Files are outside the transaction, so the world's files that a test deleted
    (after a commit of its own) are put back. A world older than ``MAX_AGE`` seconds is
    built afresh, so time windows (a comment stays editable for 15 minutes) hold for it
    as they would for a world built by the test itself.

    ``build()`` runs in an app context, writes through ``db.session`` (commits included)
    and returns what the tests read as ``world``.
    """

    MAX_AGE = 300

    def __init__(self, app, build: Callable[[], Any]):
        self.app = app
        self.build = build
        self.connection = None
        self.world: Any = None

    def __enter__(self) -> SharedWorld:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _build(self) -> None:
        with self.app.app_context():
            self.connection = db.engine.connect()
        self.transaction = self.connection.begin()
        storage = Path(self.app.config["STORAGE_DIR"])
        before = set(storage.rglob("*"))
        original = db.session
        db.session = scoped_session(
            sessionmaker(bind=self.connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id)
        try:
            with self.app.app_context():
                self.world = self.build()
                db.session.remove()
        finally:
            db.session = original
        self.built_at = time.monotonic()
        self.files = {path: path.read_bytes() for path in set(storage.rglob("*")) - before
                      if path.is_file()}

    def close(self) -> None:
        if self.connection is not None:
            self.transaction.rollback()
            self.connection.close()
            self.connection = None

    def savepoint(self):
        """A connection in a new savepoint over the world, for one test."""
        if self.connection is None or time.monotonic() - self.built_at > self.MAX_AGE:
            self.close()
            self._build()
        for path, data in self.files.items():
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        return self.connection.begin_nested()

    def connection_for_a_test(self) -> Iterator:
        """The body of a module's ``db_connection`` fixture: the test's writes are undone,
        the world stays."""
        savepoint = self.savepoint()
        try:
            yield self.connection
        finally:
            if savepoint.is_active:
                savepoint.rollback()
