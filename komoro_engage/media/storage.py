"""Photo files on disk: where they live, how they are written, when they are removed.

Files are written before the transaction that records them commits, and
removed only after the transaction that deletes their row commits. Session
hooks keep the two in step: a transaction that ends without committing takes
its new files with it, so a failed form leaves no orphans and a rolled-back
delete leaves no row without its file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import event, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from komoro_engage.core.backup import register_stored_files
from komoro_engage.media.models import Photo

EXTENSIONS = {"image/jpeg": ".jpg", "image/webp": ".webp"}
THUMB_CONTENT_TYPE = "image/webp"  # thumbnails: a third smaller, shown only on our pages
FILE_MODE = 0o644  # readable by the web server, never executable
DIR_MODE = 0o755
_NEW = "komoro_media_new_files"
_DOOMED = "komoro_media_doomed_files"


def new_key() -> str:
    """An unguessable, URL-safe name (192 random bits)."""
    return secrets.token_urlsafe(24)


def photo_path(key: str, content_type: str) -> Path:
    """Where the file named ``key`` lives: ``STORAGE_DIR/photos/ab/abc….jpg``.

    ``key`` is always one we generated (looked up in the database first), so
    nothing a user sends ever becomes part of a path.
    """
    return Path(current_app.config["STORAGE_DIR"]) / relative_path(key, content_type)


def relative_path(key: str, content_type: str) -> str:
    """``photos/ab/abc….jpg``: the file's place under STORAGE_DIR."""
    return f"photos/{key[:2]}/{key}{EXTENSIONS[content_type]}"


def stored_files(connection: Connection) -> list[str]:
    """Every file the photo rows in ``connection``'s database name (backups copy them)."""
    if not inspect(connection).has_table(Photo.__tablename__):
        return []
    rows = connection.execute(select(Photo.key, Photo.content_type, Photo.thumb_key))
    return [path for key, content_type, thumb_key in rows
            for path in (relative_path(key, content_type),
                         relative_path(thumb_key, THUMB_CONTENT_TYPE))]


def register() -> None:
    register_stored_files("photos", stored_files)


def write_file(session: Session, path: Path, data: bytes) -> None:
    """Write ``data`` atomically with mode 0644; removed again if ``session`` never commits."""
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)  # the process umask must not widen or narrow it
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    session.info.setdefault(_NEW, []).append(path)


def remove_after_commit(session: Session, *paths: Path) -> None:
    """Delete ``paths`` once ``session`` commits (nothing happens if it rolls back)."""
    session.info.setdefault(_DOOMED, []).extend(paths)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_NEW, None)
    for path in session.info.pop(_DOOMED, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # Only the outermost transaction decides; after a commit the lists are already empty.
    if transaction.parent is not None:
        return
    for path in session.info.pop(_NEW, []):
        path.unlink(missing_ok=True)
    session.info.pop(_DOOMED, None)
