"""A consistent copy of the database while the site keeps running.

SQLite: the online backup API copies every page in one step inside a read
transaction, so the copy is one committed state even while other connections
write (WAL lets them carry on meanwhile). PostgreSQL: ``pg_dump`` reads a single
snapshot, in its custom format for ``pg_restore``. Either way the copy is
written beside the destination and renamed into place only once it is complete
and checked, so a failed backup never leaves a half-written file at PATH.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """The backup could not be made; the message says why and what to do."""


@dataclass
class BackupReport:
    path: Path
    engine: str
    size_bytes: int
    tables: dict[str, int] = field(default_factory=dict)

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
    url = make_url(database_url)
    partial = destination.with_name(f".{destination.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if url.get_backend_name() == "sqlite":
            report = _backup_sqlite(url.database, partial)
        elif url.get_backend_name() == "postgresql":
            report = _backup_postgresql(url, partial)
        else:
            raise BackupError(f"no backup method for {url.get_backend_name()} databases.")
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    report.path = destination
    return report


def _backup_sqlite(database: str | None, partial: Path) -> BackupReport:
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up.")
    if not Path(database).is_file():
        raise BackupError(f"SQLite database {database} not found.")
    source = sqlite3.connect(f"file:{Path(database).resolve()}?mode=ro", uri=True)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)  # pages=-1: every page in one step, one consistent state
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
        source.close()
    return BackupReport(partial, "sqlite", partial.stat().st_size, counts)


def _libpq_arguments(url) -> tuple[list[str], dict[str, str]]:
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


def _postgres_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. It comes with the PostgreSQL client tools "
            f"(Debian: apt-get install postgresql-client, the same major version as the server)."
        )
    return path


def _backup_postgresql(url, partial: Path) -> BackupReport:
    pg_dump, pg_restore = _postgres_tool("pg_dump"), _postgres_tool("pg_restore")
    arguments, env = _libpq_arguments(url)
    # an argument list, no shell; each value follows its own switch
    dump = subprocess.run(  # noqa: S603
        [pg_dump, "--format=custom", "--no-owner", "--file", str(partial), *arguments,
         "--dbname", url.database],
        env=env, capture_output=True, text=True, check=False,
    )
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
    return BackupReport(partial, "postgresql", partial.stat().st_size, tables)
