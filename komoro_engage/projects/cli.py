"""``flask komoro send-reminders``: the day-before reminders of activity days."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from komoro_engage.extensions import db


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Remind everyone who RSVPed to an activity day starting tomorrow (Japan time).

    Run it daily (e.g. from cron in the evening); running it twice sends nothing twice.
    """
    from komoro_engage.projects.activities import send_reminders

    sent = send_reminders()
    db.session.commit()
    click.echo(f"sent {sent} activity-day reminder(s)")


COMMANDS = [send_reminders_command]
