"""``flask komoro analyse-consultations``: the opinion maps, computed outside requests.

Run by a systemd timer (deploy/systemd/komoro-engage-analyse-consultations.timer);
each consultation is committed on its own, so one failure does not lose the others.
"""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from komoro_engage.consultations import analysis
from komoro_engage.extensions import db


@click.command("analyse-consultations")
@with_appcontext
def analyse_consultations() -> None:
    """Analyse open, recently closed and refresh-requested consultations; store snapshots."""
    due = [(consultation.id, consultation) for consultation in analysis.due()]
    failed = []
    for consultation_id, consultation in due:
        started = time.monotonic()
        try:
            payload = analysis.analyse_consultation(consultation).payload
            db.session.commit()
        except Exception as error:  # the others still run; the timer's status shows it
            db.session.rollback()
            failed.append(consultation_id)
            click.echo(f"consultation {consultation_id}: failed: {error!r}", err=True)
            continue
        click.echo(f"consultation {consultation_id}: {payload['participants_total']:,} "
                   f"participants, {len(payload['groups'])} groups "
                   f"({time.monotonic() - started:.1f} s)")
    click.echo(f"{len(due) - len(failed)} consultations analysed.")
    if failed:
        raise click.ClickException(f"analysis failed for consultations {failed}")


COMMANDS = [analyse_consultations]
