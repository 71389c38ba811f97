"""Every account mail goes through the outbox: written in the request, sent afterwards.

A real SMTP server (aiosmtpd) listens during the requests: nothing reaches it until
the outbox's sender runs. With SMTP unreachable the pages answer as usual and the
mails wait for a retry.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.core import clock
from komoro_engage.core.outbox import OutboxMail
from komoro_engage.extensions import db
from komoro_engage.notifications.outbox import send_due
from tests.accounts.conftest import PASSWORD
from tests.factories import make_organisation
from tests.live import free_port
from tests.mailbox import Mailbox

SIGN_UP = {"password": PASSWORD, "district_id": "", "age_band": "", "accept_terms": "y"}


@pytest.fixture
def smtp_at(app):
    """``smtp_at(port)`` points the app's mail at ``port`` (nothing need listen there)."""
    saved = {key: app.config[key] for key in ("MAIL_HOST", "MAIL_PORT")}

    def point(port: int) -> None:
        app.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=port)

    yield point
    app.config.update(saved)


def outbox_rows(app) -> list[OutboxMail]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
        db.session.expunge_all()
        return rows


def send(app):
    with app.app_context():
        report = send_due()
        db.session.remove()
        return report


def every_account_mail(app, account, sign_in) -> dict[str, int]:
    """Each request that mails someone, once; the status codes it answered."""
    account(email="taken@example.jp", nickname="持ち主")
    account(email="forgetful@example.jp")
    account(email="unverified@example.jp", email_verified_at=None)
    _manager_id, manager_email = account(email="manager@example.jp")
    with app.app_context():
        manager = db.session.scalar(select(User).filter_by(email=manager_email))
        organisation_id = make_organisation(manager).id
        db.session.commit()
    visitor = app.test_client()
    return {
        "verify_email": visitor.post("/signup", data={
            **SIGN_UP, "email": "new@example.jp", "nickname": "新しい人"}).status_code,
        "already_registered": visitor.post("/signup", data={
            **SIGN_UP, "email": "taken@example.jp", "nickname": "別の人"}).status_code,
        "reset_password": visitor.post("/password/forgot", data={
            "email": "forgetful@example.jp"}).status_code,
        "verify_again": visitor.post("/login", data={
            "email": "unverified@example.jp", "password": PASSWORD}).status_code,
        "email_change": sign_in("forgetful@example.jp").post("/account/email", data={
            "email": "moved@example.jp", "current_password": PASSWORD}).status_code,
        "invitation": sign_in("manager@example.jp").post(
            f"/organisations/{organisation_id}/invite",
            data={"email": "invitee@example.jp"}).status_code,
    }


EXPECTED = [  # (kind, to) in the order the requests above write them
    ("verify_email", "new@example.jp"),
    ("already_registered", "taken@example.jp"),
    ("reset_password", "forgetful@example.jp"),
    ("verify_email", "unverified@example.jp"),
    ("confirm_email_change", "moved@example.jp"),
    ("email_change_notice", "forgetful@example.jp"),
    ("invitation", "invitee@example.jp"),
]


def test_every_account_mail_is_queued_in_the_request_and_sent_by_the_sender(
        app, account, sign_in, smtp_at):
    box = Mailbox().start()
    smtp_at(box.port)
    try:
        statuses = every_account_mail(app, account, sign_in)
        assert statuses == {"verify_email": 302, "already_registered": 302,
                            "reset_password": 302, "verify_again": 200, "email_change": 302,
                            "invitation": 302}
        assert box.messages == []  # the server listened, but no request talked to it
        rows = outbox_rows(app)
        assert [(row.kind, row.to_address) for row in rows] == EXPECTED
        assert all(row.sent_at is None for row in rows)
        for row in rows:  # the reset mail is written by the sender, with a link minted then
            assert ("http://" in row.body) == (row.kind not in ("email_change_notice",
                                                                 "reset_password"))

        assert send(app).sent == len(EXPECTED)
        for _kind, to in EXPECTED:
            assert box.wait_for(to, timeout=5)
        assert len(box.messages) == len(EXPECTED)
        # Sent: the secret links no longer rest in the database.
        assert {(row.body, row.sent_at is not None) for row in outbox_rows(app)} == {("", True)}
    finally:
        box.stop()


def test_smtp_unreachable_never_shows_and_the_mail_is_retried(app, account, sign_in, smtp_at):
    port = free_port()  # nothing listens there
    smtp_at(port)
    statuses = every_account_mail(app, account, sign_in)
    assert set(statuses.values()) <= {200, 302}  # no 500 for anyone

    report = send(app)
    assert (report.sent, report.failed) == (0, len(EXPECTED))
    rows = outbox_rows(app)
    assert all(row.attempts == 1 and "ConnectionRefusedError" in row.last_error
               and row.next_attempt_at is not None for row in rows)

    box = Mailbox(port=port).start()  # SMTP is back
    try:
        with clock.freeze(clock.now() + timedelta(minutes=2)):  # the first retry is due
            assert send(app).sent == len(EXPECTED)
        for _kind, to in EXPECTED:
            assert box.wait_for(to, timeout=5)
        assert len(box.messages) == len(EXPECTED)
    finally:
        box.stop()


def test_a_reset_for_an_unknown_address_is_queued_alike_and_never_sent(app, client, smtp_at):
    box = Mailbox().start()
    smtp_at(box.port)
    try:
        response = client.post("/password/forgot", data={"email": "Ghost@Example.jp"})
        assert response.status_code == 302
        (row,) = outbox_rows(app)  # the same row a registered address gets
        assert (row.kind, row.to_address, row.body) == ("reset_password", "ghost@example.jp", "")
        report = send(app)
        assert (report.sent, report.dropped) == (0, 1)
        assert outbox_rows(app) == [] and box.messages == []  # gone, and nothing sent
    finally:
        box.stop()


def test_the_reset_mail_is_written_in_the_requesters_language(app, account, client, mailbox):
    account(email="english@example.jp")
    client.set_cookie("lang", "en")
    client.post("/password/forgot", data={"email": "english@example.jp"})
    message = mailbox.last_to("english@example.jp")
    assert message["Subject"] == "[Komoro Engage] Reset your password"
    assert "/password/reset/" in mailbox.body(message)
