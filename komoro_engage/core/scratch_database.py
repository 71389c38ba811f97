"""A throwaway database for tools that need a real server: live tests and the benchmark.

A new SQLite file in a directory, or a new PostgreSQL database created beside a
given server URL (through its ``postgres`` maintenance database); ``drop``
removes the PostgreSQL one (the SQLite file goes with its directory).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool


class ScratchDatabase:
    """A new, empty database; ``url`` is its SQLAlchemy URL."""

    def __init__(self, directory: Path, postgres_url: str | None = None,
                 prefix: str = "komoro_scratch"):
        self._admin = None
        if not postgres_url:
            self.url = f"sqlite:///{directory / f'{prefix}-{uuid.uuid4().hex[:8]}.db'}"
            return
        url = make_url(postgres_url)
        self.name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        # No pool: a scratch database that is never dropped leaves no open connection
        # to the maintenance database behind.
        self._admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT",
                                    poolclass=NullPool)
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = url.set(database=self.name).render_as_string(hide_password=False)

    def drop(self) -> None:
        if self._admin is not None:
            with self._admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self._admin.dispose()
            self._admin = None
