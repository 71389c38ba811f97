"""Whether an address is registered does not show in how long sign-up and reset take.

Each test times ``SAMPLES`` requests for a registered address and as many for
unknown ones, interleaved so that load from elsewhere on the machine falls on
both alike, on a database of its own with real commits, with mail going to a
real SMTP server and passwords hashed at OWASP's minimum argon2id cost (production
costs more still). The two distributions are compared by robust statistics: the
difference of the medians relative to their spread (interquartile range), and the
probability that a request of one kind takes longer than one of the other (the
Mann-Whitney U statistic over n²; 0.5 when they cannot be told apart).

Before mail went through the outbox, SMTP was spoken inside the request for a
registered address only, and sign-up skipped the password hash for one. These tests
then failed (medians registered / unknown, shift, superiority; 2 shared cores):
  reset    SQLite 37.0 / 10.6 ms, +1.27, 0.93   PostgreSQL 39.4 / 15.4 ms, +1.09, 0.89
  sign-up  SQLite 51.1 / 126 ms,  -1.67, 0.01   PostgreSQL 51.5 / 135 ms,  -1.67, 0.02
Queuing the reset mail alone still left the registered reset slower (22.2 / 13.1 ms,
+1.02, 0.80: composing and inserting the mail), hence the sender writes that mail.

A round of 40 pairs can look lopsided by chance on a busy machine (a CI run once saw
medians 5.7 / 8.0 ms, shift -0.50, superiority 0.44: two overlapping distributions
whose medians fell apart). So an inconclusive round is followed by another, up to
``ROUNDS``, and the pooled samples are judged again: noise shrinks as samples grow,
while a real difference such as those above stays as large and fails every round.
"""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass

import pytest

from komoro_engage.extensions import db
from tests.accounts.conftest import PASSWORD
from tests.factories import make_user
from tests.live import LiveServer
from tests.mailbox import Mailbox

SAMPLES = 40
WARM_UP = 5
ROUNDS = 3
# A shift of the medians under half the spread, and neither kind slower in more than
# 3 of 4 pairs: the per-request noise hides whatever difference is left.
MAX_SHIFT = 0.5
MAX_SUPERIORITY = 0.75


@dataclass
class Comparison:
    registered_ms: float  # median
    unknown_ms: float
    spread_ms: float  # mean of the two interquartile ranges
    shift: float  # (registered - unknown) / spread
    superiority: float  # P(a registered request takes longer than an unknown one)

    @property
    def indistinguishable(self) -> bool:
        return (abs(self.shift) < MAX_SHIFT
                and 1 - MAX_SUPERIORITY < self.superiority < MAX_SUPERIORITY)


def compare(registered: list[float], unknown: list[float]) -> Comparison:
    def iqr(values):
        quartiles = statistics.quantiles(values, n=4)
        return quartiles[2] - quartiles[0]

    spread = (iqr(registered) + iqr(unknown)) / 2
    slower = sum(1.0 if r > u else 0.5 if r == u else 0.0 for r in registered for u in unknown)
    median_r, median_u = statistics.median(registered), statistics.median(unknown)
    return Comparison(median_r * 1000, median_u * 1000, spread * 1000,
                      (median_r - median_u) / spread, slower / (len(registered) * len(unknown)))


@pytest.fixture
def site(tmp_path):
    """The app over a fresh database of its own (real commits), mailing a real SMTP server."""
    box = Mailbox().start()
    server = LiveServer(tmp_path, MAIL_HOST="127.0.0.1", MAIL_PORT=box.port,
                        WTF_CSRF_ENABLED="false")
    server.app.config.update(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=19456)
    server.prepare_database()  # never started: the test client is enough
    try:
        yield server.app
    finally:
        box.stop()
        server.close()


def judged(app, url: str, registered, unknown) -> Comparison:
    """The comparison of the pooled samples after the first round that cannot tell the
    two kinds apart, or after ``ROUNDS`` rounds."""
    registered_times: list[float] = []
    unknown_times: list[float] = []
    for round_number in range(ROUNDS):
        # Each round's forms are numbered after the last round's (warm-up included), so
        # an unknown address is never one an earlier round signed up.
        more_registered, more_unknown = interleaved(
            app, url, registered, unknown, first=round_number * (WARM_UP + SAMPLES) + WARM_UP)
        registered_times += more_registered
        unknown_times += more_unknown
        comparison = compare(registered_times, unknown_times)
        print(f"{url} after round {round_number + 1}: {comparison}")
        if comparison.indistinguishable:
            break
    return comparison


def interleaved(app, url: str, registered, unknown,
                first: int = 0) -> tuple[list[float], list[float]]:
    """Seconds per request, each from a new visitor (a client of its own, whose session
    does not grow with every request); ``registered(i)`` and ``unknown(i)`` give the
    i-th form, numbered from ``first``."""
    times: dict[str, list[float]] = {"registered": [], "unknown": []}
    gc.collect()
    gc.disable()  # a collection would land on whichever request happened to run
    try:
        for i in range(-WARM_UP, SAMPLES):
            pair = [("registered", registered(first + i)), ("unknown", unknown(first + i))]
            for kind, data in (pair if i % 2 else pair[::-1]):
                client = app.test_client()
                start = time.perf_counter()
                response = client.post(url, data=data)
                elapsed = time.perf_counter() - start
                assert response.status_code == 302, response.get_data(as_text=True)[:500]
                if i >= 0:
                    times[kind].append(elapsed)
    finally:
        gc.enable()
    return times["registered"], times["unknown"]


def registered_account(app, email: str) -> None:
    from komoro_engage.accounts.passwords import hash_password

    with app.app_context():
        make_user(email=email).password_hash = hash_password(PASSWORD)
        db.session.commit()


@pytest.mark.no_db_rollback
def test_reset_request_takes_as_long_for_a_registered_address(site):
    registered_account(site, "known@example.jp")
    comparison = judged(
        site, "/password/forgot",
        lambda i: {"email": "known@example.jp"}, lambda i: {"email": f"ghost{i}@example.jp"})
    assert comparison.indistinguishable, comparison


@pytest.mark.no_db_rollback
def test_sign_up_takes_as_long_for_a_registered_address(site):
    registered_account(site, "taken@example.jp")
    form = {"password": "yama-no-kaze-77", "district_id": "", "age_band": "",
            "accept_terms": "y"}
    comparison = judged(
        site, "/signup",
        lambda i: {**form, "email": "taken@example.jp", "nickname": f"既存{i}"},
        lambda i: {**form, "email": f"new{i}@example.jp", "nickname": f"新規{i}"})
    assert comparison.indistinguishable, comparison
