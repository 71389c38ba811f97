"""``flask komoro send-mail`` with the real test SMTP server (aiosmtpd) on loopback.

The server is stopped and started again: nothing is lost while it is down,
failed mails wait with exponential back-off, and each arrives exactly once.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from komoro_engage.accounts.models import Role
from komoro_engage.core import clock
from komoro_engage.core.mail import build_message
from komoro_engage.core.outbox import OutboxMail
from komoro_engage.extensions import db
from komoro_engage.notifications import kinds, outbox
from komoro_engage.notifications.services import notify
from komoro_engage.proposals.models import ProposalStatus
from komoro_engage.proposals.services import approve_proposal
from tests.factories import make_user
from tests.live import LiveServer
from tests.mailbox import Mailbox
from tests.proposals.helpers import make_proposal

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
MAILS = 30


@pytest.fixture
def smtp(app):
    """The test SMTP server, running; the app is configured to send to it."""
    box = Mailbox().start()
    saved = {key: app.config[key] for key in ("MAIL_HOST", "MAIL_PORT")}
    app.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=box.port)
    yield box
    app.config.update(saved)
    if box._controller._thread is not None:
        box.stop()


@pytest.fixture
def fixed_clock(monkeypatch):
    moment = {"now": START}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


def queue_approval_mail(app) -> tuple[int, str]:
    with app.app_context():
        author = make_user()
        approve_proposal(make_user(role=Role.STAFF),
                         make_proposal(author, ProposalStatus.PENDING, title="駅前に駐輪場を"))
        db.session.commit()
        mail = db.session.scalars(select(OutboxMail).where(OutboxMail.user_id == author.id)).one()
        return mail.id, author.email


def mail_row(app, mail_id: int) -> OutboxMail:
    with app.app_context():
        mail = db.session.get(OutboxMail, mail_id)
        db.session.expunge(mail)
        return mail


def send_mail(runner) -> str:
    result = runner.invoke(args=["komoro", "send-mail"])
    assert result.exit_code == 0, result.output
    return result.output


def test_smtp_stopped_then_restarted_delivers_exactly_once(app, runner, smtp, fixed_clock):
    first_id, first_address = queue_approval_mail(app)
    assert "sent 1" in send_mail(runner)
    assert smtp.wait_for(first_address)["Subject"] == "【こもろ協働ひろば】提案が公開されました"

    smtp.stop()
    mail_id, address = queue_approval_mail(app)

    # The server is down: the mail stays, with its error and a retry time.
    assert "failed 1 (will retry)" in send_mail(runner)
    row = mail_row(app, mail_id)
    assert row.sent_at is None and row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    assert clock.as_utc(row.next_attempt_at) == START + timedelta(minutes=1)

    # Still down a minute later: the wait doubles.
    fixed_clock["now"] = START + timedelta(minutes=1)
    send_mail(runner)
    row = mail_row(app, mail_id)
    assert row.attempts == 2
    assert clock.as_utc(row.next_attempt_at) == START + timedelta(minutes=3)

    restarted = Mailbox(port=smtp.port).start()
    try:
        # Up again, but the retry is not due yet: nothing is sent early.
        assert "sent 0" in send_mail(runner)
        fixed_clock["now"] = START + timedelta(minutes=3)
        assert "sent 1" in send_mail(runner)
        assert "sent 0" in send_mail(runner)  # a second run sends nothing again
        message = restarted.wait_for(address)
    finally:
        restarted.stop()

    assert len(restarted.messages) == 1 and len(smtp.messages) == 1  # each mail once
    assert "「駅前に駐輪場を」が公開されました" in message.get_body().get_content()
    row = mail_row(app, mail_id)
    assert row.sent_at is not None and row.next_attempt_at is None and row.attempts == 3
    assert row.last_error == ""
    assert message["List-Unsubscribe"] == f"<{row.unsubscribe_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail_row(app, first_id).attempts == 1


def test_back_off_is_capped_and_gives_up_keeping_the_row(app, runner, smtp, fixed_clock):
    smtp.stop()
    assert [outbox.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert outbox.retry_delay(30) == outbox.LONGEST_RETRY
    mail_id, _address = queue_approval_mail(app)
    with app.app_context():
        db.session.get(OutboxMail, mail_id).attempts = outbox.MAX_ATTEMPTS - 1
        db.session.commit()

    assert "gave up 1" in send_mail(runner)

    row = mail_row(app, mail_id)
    assert row.attempts == outbox.MAX_ATTEMPTS and row.sent_at is None
    assert row.next_attempt_at is None and "ConnectionRefusedError" in row.last_error
    fixed_clock["now"] = START + timedelta(days=30)
    assert "failed 0" in send_mail(runner)  # never tried again, but kept for staff to see


def test_a_claimed_mail_is_not_taken_by_an_overlapping_run(app, fixed_clock):
    first, _ = queue_approval_mail(app)
    second, _ = queue_approval_mail(app)
    with app.app_context():
        token, claimed = outbox.claim_due(limit=1)
        other_token, other_claimed = outbox.claim_due()
        assert claimed == [first] and other_claimed == [second] and token != other_token
        assert outbox.claim_due()[1] == []
        # A run that died leaves its rows to be taken again once the lease is over.
        fixed_clock["now"] = START + outbox.LEASE
        assert outbox.claim_due()[1] == [first, second]


@pytest.mark.no_db_rollback
def test_two_overlapping_runs_send_each_mail_once(tmp_path):
    """Two senders at once on a real database (file SQLite or PostgreSQL): no mail twice."""
    server = LiveServer(tmp_path)  # never started: only its fresh, migrated database
    server.prepare_database()
    app, box = server.app, Mailbox().start()
    app.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=box.port)
    try:
        with app.app_context():
            for n in range(MAILS):
                notify(make_user(email=f"overlap{n}@example.jp"), kinds.PROPOSAL_APPROVED,
                       {"title": f"提案{n}"}, link="/proposals")
            db.session.commit()
        start = threading.Barrier(2)

        def run(_):
            with app.app_context():
                start.wait()
                try:
                    return outbox.send_due(limit=3).sent
                finally:
                    db.session.remove()

        with ThreadPoolExecutor(2) as pool:
            sent = list(pool.map(run, range(2)))
        assert sum(sent) == MAILS
        recipients = [message["X-Envelope-To"] for message in box.messages]
        assert len(recipients) == MAILS and len(set(recipients)) == MAILS
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(OutboxMail).where(
                OutboxMail.sent_at.is_(None))) == 0
    finally:
        box.stop()
        server.close()


def test_the_unsubscribe_header_stays_a_plain_url_however_long(app):
    url = "https://engage.city.komoro.example.jp/unsubscribe/" + "x" * 120
    with app.app_context():
        raw = build_message("resident@example.jp", "件名", "本文",
                            outbox.unsubscribe_headers(url)).as_bytes()
    assert f"\nList-Unsubscribe: <{url}>\n".encode() in raw
    assert b"\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n" in raw


def test_a_malformed_row_is_recorded_not_fatal(app, runner, smtp, fixed_clock):
    good_id, address = queue_approval_mail(app)
    with app.app_context():
        bad = OutboxMail(to_address="a@example.jp\nBcc: everyone@example.jp", subject="件名",
                         body="本文", kind="proposal_approved", next_attempt_at=START)
        db.session.add(bad)
        db.session.commit()
        bad_id = bad.id
    output = send_mail(runner)
    assert "sent 1, failed 1" in output
    assert smtp.wait_for(address) and mail_row(app, good_id).sent_at is not None
    row = mail_row(app, bad_id)
    assert row.attempts == 1 and row.sent_at is None and "ValueError" in row.last_error
