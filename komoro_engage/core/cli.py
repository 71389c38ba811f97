"""The ``flask komoro …`` command group; each feature contributes its commands."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

komoro_cli = AppGroup("komoro", help="Komoro Engage administration commands.")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path())
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
@click.option("--keep", type=int, default=None,
              help="With a folder as PATH: keep only the newest N backups there.")
def backup(path: str, force: bool, keep: int | None) -> None:
    """Archive the database and its photos to PATH while the site keeps running.

    PATH is a .tar (or .tar.gz) file, or a folder in which a time-stamped
    komoro-backup-<UTC time>.tar is made. The archive holds one consistent
    database snapshot (SQLite online backup, or pg_dump), every stored file
    that snapshot names, and a manifest of SHA-256 sums. Restore it with
    ``flask komoro restore``.
    """
    from komoro_engage.core.backup import BackupError
    from komoro_engage.core.backup_archive import make_backup

    try:
        report = make_backup(current_app.config["DATABASE_URL"], current_app.config["STORAGE_DIR"],
                             path, overwrite=force, keep=keep)
    except BackupError as error:
        raise click.ClickException(f"backup not made: {error}") from error
    click.echo(report.summary())


@click.command("restore")
@with_appcontext
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True,
              help="Replace a database that has tables; move existing files aside.")
def restore(archive: str, force: bool) -> None:
    """Restore a backup made by ``flask komoro backup`` (stop the site first).

    Every member is checked against the manifest before anything is touched;
    the photos go to KOMORO_STORAGE_DIR, then the database to
    KOMORO_DATABASE_URL. Both must be empty unless --force is given.
    """
    from komoro_engage.core.backup import BackupError
    from komoro_engage.core.restore import restore_backup

    try:
        report = restore_backup(archive, current_app.config["DATABASE_URL"],
                                current_app.config["STORAGE_DIR"], force=force)
    except BackupError as error:
        raise click.ClickException(f"restore failed: {error}") from error
    click.echo(report.summary())


COMMANDS = [backup, restore]


def register(app: Flask, feature_modules=()) -> None:
    """Add the ``flask komoro`` group with core's commands and each feature module's ``COMMANDS``.

    The app factory names the feature modules: core sits below the features and
    does not import them.
    """
    for module in feature_modules:
        for command in module.COMMANDS:
            komoro_cli.add_command(command)
    for command in COMMANDS:
        komoro_cli.add_command(command)
    app.cli.add_command(komoro_cli)
