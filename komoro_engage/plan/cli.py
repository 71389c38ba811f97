"""``flask komoro seed``: load the plan data file."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from komoro_engage.extensions import db
from komoro_engage.plan.loader import PlanDataError, read_plan_file
from komoro_engage.plan.services import seed_plan


@click.command("seed")
@with_appcontext
@click.option("--file", "path", type=click.Path(dir_okay=False),
              help="Plan data file (default: the one shipped with the package).")
def seed(path: str | None) -> None:
    """Load or update the city plan from its data file. Safe to run again."""
    path = path or current_app.config["PLAN_DATA_FILE"]
    try:
        plan = read_plan_file(path)
    except PlanDataError as error:
        raise click.ClickException(f"plan not loaded, database unchanged.\n{error}") from error
    try:
        report = seed_plan(plan)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"Loaded {path} ({plan.municipality}).")
    click.echo(report.summary() if report.changed else "Already up to date: nothing changed.")


COMMANDS = [seed]
