"""The ``flask komoro …`` command group; each feature contributes its commands."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

komoro_cli = AppGroup("komoro", help="Komoro Engage administration commands.")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
def backup(path: str, force: bool) -> None:
    """Copy the database to PATH while the site keeps running.

    SQLite: a single-file copy (open it with sqlite3; restore by putting it in
    place of the database file while the app is stopped). PostgreSQL: a pg_dump
    custom-format archive (restore with pg_restore --dbname NEW_DB PATH).
    """
    from komoro_engage.core.backup import BackupError, backup_database

    try:
        report = backup_database(current_app.config["DATABASE_URL"], path, overwrite=force)
    except BackupError as error:
        raise click.ClickException(f"backup not made: {error}") from error
    click.echo(report.summary())


COMMANDS = [backup]


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
