"""Sending the outbox (``core/outbox.py``): claim due mails, send them over SMTP, retry
with back-off, and blank each body once it is sent or given up (it may hold a secret link).

A run first *claims* a batch in one short statement (it writes its token and a
lease into ``claimed_by`` / ``next_attempt_at``), commits, and only then talks
to the SMTP server, so no database lock is held while the network is slow. Two
runs that overlap never claim the same row: on PostgreSQL the claim skips rows
another run has locked (``FOR UPDATE SKIP LOCKED``); on SQLite the claim is an
UPDATE, the first statement of its transaction, which takes the database's
write lock before it reads (the same effect as ``BEGIN IMMEDIATE``). A run that
dies mid-batch leaves its rows to be picked up again when the lease ends.
"""

from __future__ import annotations

import smtplib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, update

from komoro_engage.core import clock
from komoro_engage.core.mail import send_mail
from komoro_engage.core.outbox import OutboxMail, content
from komoro_engage.extensions import db

BATCH_SIZE = 50
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
# Longer than a batch can take (SMTP times out after 10 s a mail).
LEASE = timedelta(minutes=15)


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0  # will be retried
    given_up: int = 0
    dropped: int = 0  # composed mails with nothing to send (a reset for an unknown address)

    def summary(self) -> str:
        dropped = f", nothing to send for {self.dropped}" if self.dropped else ""
        return (f"sent {self.sent}, failed {self.failed} (will retry), "
                f"gave up {self.given_up}{dropped}")


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the 1st, 2nd, 3rd … failure, at most six hours."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


def backlog() -> int:
    """Mails still to send: due, waiting for a retry, or claimed by a run (``/metrics``).

    A backlog that only grows means ``send-mail`` is not running or SMTP refuses us.
    """
    return db.session.scalar(select(func.count()).select_from(OutboxMail)
                             .where(OutboxMail.next_attempt_at.is_not(None)))


def has_due() -> bool:
    """Whether any mail is due: one read on the index, cheap enough to ask every second."""
    return db.session.scalar(select(OutboxMail.id).where(
        OutboxMail.next_attempt_at <= clock.now()).limit(1)) is not None


def claim_due(limit: int = BATCH_SIZE) -> tuple[str, list[int]]:
    """Take up to ``limit`` due mails for this run and commit the claim."""
    db.session.commit()  # the claim must be the first statement of its transaction
    token = uuid.uuid4().hex
    now = clock.now()
    due = (select(OutboxMail.id).where(OutboxMail.next_attempt_at <= now)
           .order_by(OutboxMail.next_attempt_at, OutboxMail.id).limit(limit))
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = db.session.scalars(
        update(OutboxMail).where(OutboxMail.id.in_(due))
        .values(claimed_by=token, next_attempt_at=now + LEASE)
        .returning(OutboxMail.id).execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return token, sorted(ids)


def send_due(limit: int = BATCH_SIZE) -> SendReport:
    """Send every due mail, batch after batch, and record each outcome."""
    report = SendReport()
    while has_due():  # a read first: nothing due, no write lock taken (SQLite)
        token, ids = claim_due(limit)
        if not ids:
            return report
        mails = db.session.execute(
            select(OutboxMail.id, OutboxMail.to_address, OutboxMail.subject, OutboxMail.body,
                   OutboxMail.unsubscribe_url, OutboxMail.attempts, OutboxMail.kind,
                   OutboxMail.locale)
            .where(OutboxMail.id.in_(ids)).order_by(OutboxMail.id)).all()
        db.session.commit()  # no transaction stays open while SMTP answers
        for mail in mails:
            _send_one(token, mail, report)
    return report


def _send_one(token: str, mail, report: SendReport) -> None:
    mine = (OutboxMail.id == mail.id) & (OutboxMail.claimed_by == token)
    written = content(mail.kind, mail.to_address, mail.locale, mail.subject, mail.body)
    if written is None:  # its composer found nothing to send (the address has no account)
        db.session.execute(delete(OutboxMail).where(mine)
                           .execution_options(synchronize_session=False))
        db.session.commit()
        report.dropped += 1
        return
    subject, body = written
    try:
        send_mail(mail.to_address, subject, body, headers=unsubscribe_headers(
            mail.unsubscribe_url))
    except (smtplib.SMTPException, OSError, ValueError) as error:  # ValueError: a bad address
        attempts = mail.attempts + 1
        give_up = attempts >= MAX_ATTEMPTS or _is_permanent(error)
        retry_at = None if give_up else clock.now() + retry_delay(attempts)
        values = dict(attempts=attempts, next_attempt_at=retry_at, claimed_by=None,
                      last_error=f"{type(error).__name__}: {error}"[:1000])
        if give_up:
            values["body"] = ""  # never sent now: its links need not be kept
            report.given_up += 1
        else:
            report.failed += 1
    else:
        # The body goes once delivered: a reset or verification link must not outlive
        # its mail in the database (backups, a staff query); who, what and when stay.
        values = dict(attempts=mail.attempts + 1, sent_at=clock.now(), next_attempt_at=None,
                      claimed_by=None, last_error="", subject=subject, body="")
        report.sent += 1
    db.session.execute(update(OutboxMail).where(mine).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _is_permanent(error: Exception) -> bool:
    """The server refused the address itself (5xx): trying again will not help."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _message in error.recipients.values())


def unsubscribe_headers(url: str | None) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: mail clients POST to ``url`` without signing in."""
    if not url:
        return {}
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
