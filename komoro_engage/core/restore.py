"""Bring back an archive of core/backup_archive.py: the stored files, then the database.

Nothing is touched until every member has been read out of the archive into a
hidden folder inside STORAGE_DIR and matched its SHA-256 in the manifest. The
files are put in place first, then the database: a restore that fails halfway
leaves files no row names (harmless), never rows without their files. Targets
must be empty (no tables, no files) unless ``force``: then the database is
replaced and the previous files are moved aside, not deleted.
Run it with the site stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from komoro_engage.core.backup import (
    BackupError,
    libpq_arguments,
    postgres_tool,
    read_snapshot,
)
from komoro_engage.core.backup_archive import DATABASE_MEMBER, FORMAT, MANIFEST, VERSION

_SAFE_PART = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$")  # never "." or ".."


@dataclass
class RestoreReport:
    engine: str
    target: str
    revision: str | None
    tables: int
    file_count: int
    file_bytes: int
    moved_aside: Path | None

    def summary(self) -> str:
        lines = [
            f"Checked {self.file_count + 1:,} members against the manifest's SHA-256 sums.",
            f"Restored {self.file_count:,} stored files ({self.file_bytes:,} bytes).",
            f"Restored the {self.engine} database into {self.target} ({self.tables} tables, "
            f"migration {self.revision or 'none'}); run `flask db upgrade` if this code is newer.",
        ]
        if self.moved_aside:
            lines.append(f"The files that were there before are in {self.moved_aside}; "
                         f"delete that folder once the site looks right.")
        return "\n".join(lines)


def restore_backup(archive_path: str | Path, database_url: str, storage_dir: str | Path,
                   force: bool = False) -> RestoreReport:
    """Restore ``archive_path`` into the database at ``database_url`` and ``storage_dir``."""
    url = make_url(database_url)
    storage = Path(storage_dir).resolve()
    try:
        archive = tarfile.open(archive_path, "r:*")  # noqa: SIM115 - closed by the with below
    except tarfile.TarError as error:
        raise BackupError(f"{archive_path} is not a readable tar archive ({error}).") from error
    with archive:
        manifest = _manifest(archive)
        if manifest["engine"] != url.get_backend_name():
            raise BackupError(f"this is a {manifest['engine']} backup; the target database is "
                              f"{url.get_backend_name()}.")
        if not force:
            _require_empty(url, storage)
        storage.mkdir(parents=True, exist_ok=True)
        unpacked = storage / f".restore-{secrets.token_hex(4)}"
        unpacked.mkdir(mode=0o700)
        try:
            _unpack(archive, manifest, unpacked)
            moved = _place_files(unpacked / "storage", storage)
            database_file = unpacked / manifest["database"]["name"]
            if url.get_backend_name() == "sqlite":
                _restore_sqlite(database_file, url.database)
            else:
                _restore_postgresql(database_file, url, force)
        finally:
            shutil.rmtree(unpacked, ignore_errors=True)
    tables = _check_restored(url, storage)
    sizes = [entry["size"] for entry in manifest["files"].values()]
    return RestoreReport(url.get_backend_name(), url.render_as_string(hide_password=True),
                         manifest["revision"], tables, len(sizes), sum(sizes), moved)


def _manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError, AttributeError) as error:
        raise BackupError(f"not a Komoro Engage backup: no readable {MANIFEST}.") from error
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} "
                          f"version {manifest.get('version')!r}.")
    if manifest["database"]["name"] != DATABASE_MEMBER.get(manifest["engine"]):
        raise BackupError("the manifest names an unexpected database member.")
    for relative in manifest["files"]:
        parts = PurePosixPath(relative).parts
        if not parts or not all(_SAFE_PART.match(part) for part in parts):
            raise BackupError(f"the manifest names an unsafe path: {relative!r}.")
    return manifest


def _require_empty(url, storage: Path) -> None:
    if _tables(url):
        raise BackupError(f"the database {url.render_as_string(hide_password=True)} already "
                          f"has tables; restore into an empty one, or pass --force to replace it.")
    if storage.is_dir() and any(path.is_file() for path in storage.rglob("*")):
        raise BackupError(f"{storage} already holds files; restore into an empty folder, "
                          f"or pass --force (the files there are moved aside).")


def _tables(url) -> list[str]:
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        return []
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return inspect(connection).get_table_names()
    except OperationalError as error:
        raise BackupError(f"cannot open the database {url.render_as_string(hide_password=True)}"
                          f" (create it first, e.g. createdb): {error.orig}") from error
    finally:
        engine.dispose()


def _unpack(archive: tarfile.TarFile, manifest: dict, folder: Path) -> None:
    """Read each expected member into ``folder`` and check its size and SHA-256."""
    expected = {manifest["database"]["name"]: manifest["database"],
                **{f"storage/{path}": entry for path, entry in manifest["files"].items()}}
    for member in archive:
        if member.name == MANIFEST:
            continue
        entry = expected.pop(member.name, None)
        if entry is None or not member.isfile():
            raise BackupError(f"the archive holds {member.name!r}, which the manifest "
                              f"does not list.")
        target = folder / member.name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with archive.extractfile(member) as source, target.open("wb") as handle:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        target.chmod(0o644)
        if digest.hexdigest() != entry["sha256"] or member.size != entry["size"]:
            raise BackupError(f"{member.name} does not match its checksum: the archive is "
                              f"damaged.")
    if expected:
        raise BackupError(f"the archive lacks {len(expected)} member(s) its manifest lists, "
                          f"such as {sorted(expected)[0]}.")


def _place_files(unpacked: Path, storage: Path) -> Path | None:
    """Move each top folder (``photos``) into STORAGE_DIR; set aside what was there."""
    moved = None
    if not unpacked.is_dir():
        return None
    for folder in sorted(unpacked.iterdir()):
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        target = storage / folder.name
        if target.exists():
            if moved is None:
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                moved = storage / f".replaced-{stamp}-{secrets.token_hex(2)}"
                moved.mkdir()
            os.replace(target, moved / folder.name)
        os.replace(folder, target)
    return moved


def _restore_sqlite(copy: Path, database: str | None) -> None:
    if not database or database == ":memory:":
        raise BackupError("cannot restore into an in-memory SQLite database.")
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(copy), sqlite3.connect(database)
    try:
        # page by page into the target, replacing what it held; its WAL stays consistent
        source.backup(target)
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        target.close()
        source.close()
    if check != "ok":
        raise BackupError(f"the restored database failed SQLite's integrity check: {check}")


def _restore_postgresql(dump: Path, url, force: bool) -> None:
    pg_restore = postgres_tool("pg_restore")
    arguments, env = libpq_arguments(url)
    replace = ["--clean", "--if-exists"] if force else []
    # one transaction: a failed restore leaves the database as it was
    result = subprocess.run(  # noqa: S603 - an argument list, no shell
        [pg_restore, "--no-owner", "--exit-on-error", "--single-transaction", *replace,
         *arguments, "--dbname", url.database, str(dump)],
        env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _check_restored(url, storage: Path) -> int:
    """Check every file the restored rows name is in place; count the tables."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            named, _revision = read_snapshot(connection)
            tables = len(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    missing = sorted(path for path in named if not (storage / path).is_file())
    if missing:
        raise BackupError(f"{len(missing)} file(s) the restored database names are missing "
                          f"from {storage}, such as {missing[0]}.")
    return tables
