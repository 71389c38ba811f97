"""The outbox backlog on /metrics: notifications registers the gauge, core reports it."""

from __future__ import annotations

from datetime import timedelta

from komoro_engage.core import clock
from komoro_engage.core.outbox import OutboxMail
from komoro_engage.extensions import db
from tests.metrics import sample, scrape


def _mail(**fields) -> OutboxMail:
    return OutboxMail(to_address="resident@example.jp", subject="件名", body="本文",
                      kind="proposal_approved", **fields)


def test_the_backlog_counts_mail_still_to_send(app, client):
    before = sample(scrape(client), "komoro_outbox_backlog")
    now = clock.now()
    with app.app_context():
        db.session.add_all([
            _mail(next_attempt_at=now),  # due
            _mail(next_attempt_at=now + timedelta(minutes=4), attempts=2),  # waiting to retry
            _mail(next_attempt_at=None, sent_at=now),  # sent
            _mail(next_attempt_at=None, attempts=8, last_error="refused"),  # given up
        ])
        db.session.commit()
    text = scrape(client)
    assert "# TYPE komoro_outbox_backlog gauge" in text
    assert sample(text, "komoro_outbox_backlog") - before == 2
