"""One archive holding a database snapshot and every stored file its rows name.

Photo files never change once written, are written before the transaction that
records them commits, and are removed only after the transaction that deletes
their row commits. So a backup first hard-links every file in STORAGE_DIR into
a staging folder (cheap, same file system; a copy where links are refused),
then takes the database snapshot, then links whatever else the snapshot names.
A file the snapshot names can be missing only if it was both written and
deleted while the backup ran; then the backup starts over, and after a few
tries (or for a file lost before the backup) it fails and names the files.

The archive is a tar (``.tar.gz`` when PATH says so): ``database.sqlite3`` or
``database.pgdump``, ``storage/<path>`` for each file, and ``manifest.json``
(last) with the size and SHA-256 of every member, the engine and the migration.
It is written beside PATH with mode 0600 (it holds personal data) and renamed
into place only when complete. core/restore.py reads it back.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from komoro_engage.core.backup import BackupError, BackupReport, snapshot_database

FORMAT, VERSION = "komoro-engage-backup", 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ATTEMPTS = 3
STAGING_PREFIX = ".backup-staging-"
# komoro-backup-20250401T031500Z.tar: sorts by time; --keep prunes only these names
NAME = re.compile(r"^komoro-backup-\d{8}T\d{6}Z\.tar(\.gz)?$")


@dataclass
class ArchiveReport:
    path: Path
    database: BackupReport
    file_count: int
    file_bytes: int
    seconds: float
    pruned: list[Path]

    def summary(self) -> str:
        rows = sum(self.database.tables.values())
        tables = (f"{len(self.database.tables)} tables, {rows:,} rows"
                  if self.database.engine == "sqlite"
                  else f"{len(self.database.tables)} tables with data")
        lines = [f"Backed up the {self.database.engine} database ({tables}, migration "
                 f"{self.database.revision or 'none'}) and {self.file_count:,} stored files "
                 f"({self.file_bytes:,} bytes) to {self.path} "
                 f"({self.path.stat().st_size:,} bytes) in {self.seconds:.1f}s."]
        lines += [f"Removed the older backup {path}." for path in self.pruned]
        return "\n".join(lines)


def archive_path(path: str | Path, overwrite: bool) -> Path:
    """PATH itself, or a new time-stamped name inside PATH when it is a folder."""
    path = Path(path).resolve()
    if path.is_dir():
        path = path / datetime.now(UTC).strftime("komoro-backup-%Y%m%dT%H%M%SZ.tar")
    if path.exists() and not overwrite:
        raise BackupError(f"{path} already exists; choose a new name or pass --force.")
    if not path.parent.is_dir():
        raise BackupError(f"folder {path.parent} does not exist.")
    return path


def make_backup(database_url: str, storage_dir: str | Path, path: str | Path, *,
                overwrite: bool = False, keep: int | None = None,
                after_snapshot: Callable[[], None] | None = None) -> ArchiveReport:
    """Archive the database and the stored files its snapshot names at ``path``.

    ``path`` may be a folder: the archive gets a time-stamped name there, and
    ``keep`` then removes all but the newest ``keep`` such archives. Tests pass
    ``after_snapshot`` to change the site at the worst moment.
    """
    started = time.monotonic()
    destination = archive_path(path, overwrite)
    if keep is not None and (keep < 1 or destination.parent != Path(path).resolve()):
        raise BackupError("--keep needs a folder as PATH and a number of at least 1.")
    engine = make_url(database_url).get_backend_name()
    storage = Path(storage_dir).resolve()
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".komoro-backup-") as work:
        database_file = Path(work) / DATABASE_MEMBER.get(engine, "database")
        for _attempt in range(ATTEMPTS):
            database_file.unlink(missing_ok=True)
            with _Staging(storage) as staging:
                staging.take_everything()
                report = snapshot_database(database_url, database_file)
                if after_snapshot is not None:
                    after_snapshot()
                missing = staging.take(report.files)
                if not missing:
                    count, size = _write_archive(destination, database_file, report, staging)
                    break
        else:
            shown = ", ".join(sorted(missing)[:5])
            raise BackupError(
                f"{len(missing)} file(s) named by the database are missing from {storage} "
                f"(tried {ATTEMPTS} times): {shown}. Restore them from an older backup, "
                f"or find out why they were removed.")
    pruned = _prune(destination.parent, keep) if keep is not None else []
    return ArchiveReport(destination, report, count, size, time.monotonic() - started, pruned)


class _Staging:
    """Hard links (or copies) of stored files, in a hidden folder inside STORAGE_DIR."""

    def __init__(self, storage: Path):
        self.storage = storage
        self.root = storage / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        self.files: set[str] = set()

    def __enter__(self) -> _Staging:
        if self.storage.is_dir():
            self.root.mkdir(mode=0o700)
        return self

    def __exit__(self, *_exc) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def take_everything(self) -> None:
        if not self.storage.is_dir():
            return
        for folder, folders, names in os.walk(self.storage):
            # hidden: staging folders, restores in progress, interrupted writes
            folders[:] = [name for name in folders if not name.startswith(".")]
            for name in names:
                if not name.startswith("."):
                    self._take(Path(folder, name).relative_to(self.storage).as_posix())

    def take(self, wanted: set[str]) -> set[str]:
        """Stage what the snapshot names and is not staged yet; return what is gone."""
        return {path for path in wanted - self.files if not self._take(path)}

    def _take(self, relative: str) -> bool:
        source, target = self.storage / relative, self.root / relative
        if not self.root.is_dir():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            try:
                os.link(source, target)
            except FileNotFoundError:
                raise
            except OSError:  # links refused (another file system, protected_hardlinks)
                shutil.copyfile(source, target)
        except FileNotFoundError:
            return False
        self.files.add(relative)
        return True


class _Hashing:
    """A file reader that hashes what tarfile reads through it."""

    def __init__(self, handle):
        self.handle, self.sha256 = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        return data


def _add(archive: tarfile.TarFile, name: str, path: Path) -> dict:
    info = tarfile.TarInfo(name)
    stat = path.stat()
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
    with path.open("rb") as handle:
        reader = _Hashing(handle)
        archive.addfile(info, reader)
    return {"size": stat.st_size, "sha256": reader.sha256.hexdigest()}


def _write_archive(destination: Path, database_file: Path, report: BackupReport,
                   staging: _Staging) -> tuple[int, int]:
    partial = destination.with_name(f".{destination.name}.partial")
    partial.unlink(missing_ok=True)
    mode = "w:gz" if destination.name.endswith((".tar.gz", ".tgz")) else "w"
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        with tarfile.open(partial, mode, format=tarfile.PAX_FORMAT) as archive:
            database = {"name": database_file.name,
                        **_add(archive, database_file.name, database_file)}
            files = {relative: _add(archive, f"storage/{relative}", staging.root / relative)
                     for relative in sorted(report.files)}
            manifest = json.dumps({
                "format": FORMAT, "version": VERSION,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "engine": report.engine, "revision": report.revision,
                "tables": report.tables, "database": database, "files": files,
            }, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(manifest), int(time.time()), 0o644
            archive.addfile(info, io.BytesIO(manifest))
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return len(files), sum(entry["size"] for entry in files.values())


def _prune(folder: Path, keep: int) -> list[Path]:
    archives = sorted(path for path in folder.iterdir() if NAME.match(path.name))
    doomed = archives[:-keep]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
