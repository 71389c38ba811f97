"""A consistent copy of the database while the site keeps running.

SQLite: the online backup API copies every page in one step inside a read
transaction, so the copy is one committed state even while other connections
write (WAL lets them carry on meanwhile). PostgreSQL: ``pg_dump`` reads a single
snapshot, in its custom format for ``pg_restore``. Either way the copy is
written beside the destination and renamed into place only once it is complete
and checked, so a failed backup never leaves a half-written file at PATH.

Files under STORAGE_DIR belong with the rows that name them. Features register
a lister here (``register_stored_files``) and each snapshot reports the files
*its* rows name: the SQLite copy is read back, and on PostgreSQL the listers
read the very snapshot ``pg_dump`` then dumps (``pg_export_snapshot``).
core/backup_archive.py pairs the two in one archive.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import NullPool

# lister(connection) -> paths relative to STORAGE_DIR of every file the rows name
StoredFiles = Callable[[Connection], Iterable[str]]
_listers: dict[str, StoredFiles] = {}


def register_stored_files(name: str, lister: StoredFiles) -> None:
    """Back up, with each database snapshot, the files ``lister`` finds named in it."""
    _listers[name] = lister


class BackupError(RuntimeError):
    """The backup could not be made; the message says why and what to do."""


@dataclass
class BackupReport:
    path: Path
    engine: str
    size_bytes: int
    tables: dict[str, int] = field(default_factory=dict)
    # what the snapshot's rows name under STORAGE_DIR, and its migration
    files: set[str] = field(default_factory=set)
    revision: str | None = None

    def summary(self) -> str:
        detail = (f"{len(self.tables)} tables, {sum(self.tables.values())} rows"
                  if self.engine == "sqlite" else f"{len(self.tables)} tables with data")
        return (f"Backed up the {self.engine} database to {self.path} "
                f"({self.size_bytes:,} bytes, {detail}).")


def backup_database(database_url: str, destination: str | Path, overwrite: bool = False
                    ) -> BackupReport:
    """Copy the database at ``database_url`` to ``destination`` and check the copy."""
    destination = Path(destination).resolve()
    if destination.exists() and not overwrite:
        raise BackupError(f"{destination} already exists; choose a new name or pass --force.")
    if not destination.parent.is_dir():
        raise BackupError(f"folder {destination.parent} does not exist.")
    partial = destination.with_name(f".{destination.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        report = snapshot_database(database_url, partial)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    report.path = destination
    return report


def snapshot_database(database_url: str, partial: Path) -> BackupReport:
    """Write one consistent copy of the database to ``partial``; report what it holds."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _backup_sqlite(url.database, partial)
    if url.get_backend_name() == "postgresql":
        return _backup_postgresql(url, partial)
    raise BackupError(f"no backup method for {url.get_backend_name()} databases.")


def read_snapshot(connection: Connection) -> tuple[set[str], str | None]:
    """(files its rows name under STORAGE_DIR, alembic revision) of the database at hand."""
    files: set[str] = set()
    for lister in _listers.values():
        files.update(lister(connection))
    revision = None
    if inspect(connection).has_table("alembic_version"):
        revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    return files, revision


def _backup_sqlite(database: str | None, partial: Path) -> BackupReport:
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up.")
    if not Path(database).is_file():
        raise BackupError(f"SQLite database {database} not found.")
    source = sqlite3.connect(f"file:{Path(database).resolve()}?mode=ro", uri=True)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)  # pages=-1: every page in one step, one consistent state
    finally:
        copy.close()
        source.close()
    files, revision = _read_sqlite_copy(partial)
    copy = sqlite3.connect(partial)
    try:
        # a self-contained file: no -wal/-shm companions needed to read it
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy failed SQLite's integrity check: {check}")
        tables = [row[0] for row in copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        counts = {name: copy.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
                  for name in tables}
    finally:
        copy.close()
    return BackupReport(partial, "sqlite", partial.stat().st_size, counts, files, revision)


def _read_sqlite_copy(path: Path) -> tuple[set[str], str | None]:
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return read_snapshot(connection)
    finally:
        engine.dispose()


def libpq_arguments(url) -> tuple[list[str], dict[str, str]]:
    """Connection switches for pg_dump/pg_restore; the password goes in the environment."""
    arguments = []
    if url.host:
        arguments += ["--host", url.host]
    if url.port:
        arguments += ["--port", str(url.port)]
    if url.username:
        arguments += ["--username", url.username]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return arguments, env


def postgres_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. It comes with the PostgreSQL client tools "
            f"(Debian: apt-get install postgresql-client, the same major version as the server)."
        )
    return path


def _backup_postgresql(url, partial: Path) -> BackupReport:
    pg_dump, pg_restore = postgres_tool("pg_dump"), postgres_tool("pg_restore")
    arguments, env = libpq_arguments(url)
    engine = create_engine(url, poolclass=NullPool, isolation_level="REPEATABLE READ")
    try:
        # The transaction exporting the snapshot stays open until pg_dump has read it all:
        # the listers and pg_dump see the same committed state.
        with engine.connect() as connection, connection.begin():
            connection.execute(text("SET TRANSACTION READ ONLY"))
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            files, revision = read_snapshot(connection)
            # an argument list, no shell; each value follows its own switch
            dump = subprocess.run(  # noqa: S603
                [pg_dump, "--format=custom", "--no-owner", "--snapshot", snapshot,
                 "--file", str(partial), *arguments, "--dbname", url.database],
                env=env, capture_output=True, text=True, check=False,
            )
    finally:
        engine.dispose()
    if dump.returncode != 0:
        raise BackupError(f"pg_dump failed: {dump.stderr.strip()}")
    listing = subprocess.run([pg_restore, "--list", str(partial)],  # noqa: S603
                             capture_output=True, text=True, check=False)
    if listing.returncode != 0:
        raise BackupError(f"pg_restore cannot read the dump: {listing.stderr.strip()}")
    # lines look like "3345; 0 16390 TABLE DATA public audit_entry postgres"
    tables = {}
    for line in listing.stdout.splitlines():
        words = line.split()
        if " TABLE DATA " in line and len(words) > words.index("DATA") + 2:
            tables[words[words.index("DATA") + 2]] = 0
    return BackupReport(partial, "postgresql", partial.stat().st_size, tables, files, revision)
