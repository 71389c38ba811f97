"""``flask komoro send-mail``, ``send-newsletters`` and ``send-digests``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from komoro_engage.core.outbox import NewMailListener
from komoro_engage.extensions import db
from komoro_engage.notifications.digest import send_digests
from komoro_engage.notifications.follow_digest import send_follow_digests
from komoro_engage.notifications.newsletters import send_waiting
from komoro_engage.notifications.outbox import send_due


@click.command("send-mail")
@with_appcontext
@click.option("--loop", "interval", type=click.FloatRange(min=0.1), default=None,
              metavar="SECONDS",
              help="Keep running: on PostgreSQL a new mail wakes the sender at once and it "
                   "looks for due retries every SECONDS; elsewhere it looks every SECONDS.")
def send_mail_command(interval: float | None) -> None:
    """Send the due mails of the outbox; failures are retried later with back-off."""
    if interval is None:
        _write_newsletters()
        click.echo(f"send-mail: {send_due().summary()}")
        return
    listener = NewMailListener(db.engine)
    how = "woken by new mail, " if db.engine.dialect.name == "postgresql" else ""
    click.echo(f"send-mail: sending due mail ({how}looking every {interval:g} s; Ctrl-C stops)")
    listener.start()  # before the first look, so a mail queued meanwhile still wakes us
    try:
        while True:
            _send_logged()
            listener.wait(interval)
    finally:
        listener.close()


def _send_logged() -> None:
    try:
        _write_newsletters()
        report = send_due()
    except Exception as error:  # noqa: BLE001 - a loop that outlives a database hiccup
        db.session.rollback()
        click.echo(f"send-mail: {type(error).__name__}: {error}; trying again", err=True)
    else:
        if report.sent or report.failed or report.given_up or report.dropped:
            click.echo(f"send-mail: {report.summary()}")
    finally:
        db.session.remove()


def _write_newsletters() -> int:
    """The waiting batches of newsletters being sent become outbox mails (committed each)."""
    written = send_waiting(commit=db.session.commit)
    db.session.commit()
    if written:
        click.echo(f"send-mail: {written} newsletter mails written to the outbox")
    return written


@click.command("send-newsletters")
@with_appcontext
def send_newsletters_command() -> None:
    """Write the remaining mails of newsletters being sent, 500 a transaction (resumable)."""
    written = send_waiting(commit=db.session.commit)
    db.session.commit()
    click.echo(f"send-newsletters: {written} mails written to the outbox")


@click.command("send-digests")
@with_appcontext
def send_digests_command() -> None:
    """Tell staff what waits for them (once a day; nothing when every queue is empty), and
    mail the day's follow notifications to those who chose one daily mail."""
    report = send_digests()
    db.session.commit()
    click.echo(f"send-digests: {report.summary()}")
    queued = send_follow_digests()
    db.session.commit()
    click.echo(f"send-digests: {queued} daily mail(s) of followed items queued")


COMMANDS = [send_mail_command, send_newsletters_command, send_digests_command]
