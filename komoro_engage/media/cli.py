"""``flask komoro prune-photos``: remove photo files that no database row refers to.

They appear only when a process dies between writing a file and committing
(the session hooks in storage.py handle every ordinary failure). The age guard
keeps files of uploads still in flight.
"""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import or_, select

from komoro_engage.extensions import db
from komoro_engage.media.models import Photo


def unreferenced_files(root: Path, older_than_seconds: float) -> list[Path]:
    """Files under ``root`` older than the limit whose key belongs to no photo."""
    cutoff = time.time() - older_than_seconds
    candidates = [path for path in root.glob("*/*") if path.is_file()
                  and path.stat().st_mtime < cutoff]
    orphans = [path for path in candidates if path.name.startswith(".")]  # interrupted writes
    named = [path for path in candidates if not path.name.startswith(".")]
    for start in range(0, len(named), 500):
        batch = named[start:start + 500]
        keys = {path.stem for path in batch}
        known = set()
        for key, thumb_key in db.session.execute(
            select(Photo.key, Photo.thumb_key).where(
                or_(Photo.key.in_(keys), Photo.thumb_key.in_(keys)))
        ):
            known.update((key, thumb_key))
        orphans.extend(path for path in batch if path.stem not in known)
    return orphans


@click.command("prune-photos")
@with_appcontext
@click.option("--older-than-hours", default=24.0, show_default=True,
              help="Leave files younger than this alone (uploads in flight).")
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
def prune_photos(older_than_hours: float, dry_run: bool) -> None:
    """Remove photo files that no photo row refers to."""
    root = Path(current_app.config["STORAGE_DIR"]) / "photos"
    orphans = unreferenced_files(root, older_than_hours * 3600) if root.is_dir() else []
    for path in orphans:
        click.echo(f"{'would remove' if dry_run else 'removed'} {path}")
        if not dry_run:
            path.unlink(missing_ok=True)
    click.echo(f"{len(orphans)} unreferenced file(s){' found' if dry_run else ' removed'}.")


COMMANDS = [prune_photos]
