"""/healthz (liveness), /readyz (database and Redis) and /metrics (Prometheus, guarded)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from prometheus_client.mmap_dict import MmapedDict

from komoro_engage import create_app
from komoro_engage.extensions import db, limiter
from tests.live import LiveServer, free_port
from tests.metrics import sample, scrape

CLOSED_DATABASE = "postgresql+psycopg://komoro@127.0.0.1:{port}/komoro"
OUTSIDER = {"REMOTE_ADDR": "203.0.113.50"}


def _app(**settings):
    return create_app("testing", **settings)


@pytest.fixture
def redis_server(tmp_path):
    """A real redis-server on a free loopback port, stopped at the end."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url, socket_timeout=1).ping()
            break
        except redis.RedisError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("redis-server did not start within 10 s")
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


# --- liveness and readiness -------------------------------------------------------------

def test_healthz_answers_ok_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_reports_each_check(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json == {"status": "ok",
                             "checks": {"database": "ok", "redis": "not configured"}}


@pytest.mark.no_db_rollback
def test_with_the_database_unreachable_healthz_is_200_and_readyz_503():
    unreachable = _app(DATABASE_URL=CLOSED_DATABASE.format(port=free_port()))
    client = unreachable.test_client()
    assert client.get("/healthz").status_code == 200  # liveness never asks the database
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json == {"status": "unavailable",
                             "checks": {"database": "unreachable", "redis": "not configured"}}
    with unreachable.app_context():
        db.engine.dispose()


@pytest.mark.no_db_rollback
def test_readyz_reads_without_waiting_for_a_writer(tmp_path):
    """A writer holding SQLite's write lock does not hold up readiness (no write transaction)."""
    path = tmp_path / "busy.db"
    ready = _app(DATABASE_URL=f"sqlite:///{path}")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (x)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (1)")
    try:
        started = time.monotonic()
        response = ready.test_client().get("/readyz")
        assert response.status_code == 200
        assert time.monotonic() - started < 2  # the busy timeout is 10 s
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        with ready.app_context():
            db.engine.dispose()


def test_readyz_is_503_when_the_configured_redis_is_down(app):
    down = _app(DATABASE_URL=app.config["DATABASE_URL"],
                RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{free_port()}/0")
    response = down.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "ok", "redis": "unreachable"}


def test_readyz_is_200_when_the_configured_redis_answers(app, redis_server):
    up = _app(DATABASE_URL=app.config["DATABASE_URL"], RATELIMIT_STORAGE_URI=redis_server)
    response = up.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok", "redis": "ok"}


def test_health_checks_are_exempt_from_rate_limits(app):
    # The limiter object is shared by every app of the process: its default limit is
    # put back afterwards, or later apps with limits switched on would inherit it.
    assert limiter.limit_manager.default_limits == []
    try:
        limited = _app(DATABASE_URL=app.config["DATABASE_URL"], RATELIMIT_ENABLED=True,
                       RATELIMIT_DEFAULT="2 per minute")
        client = limited.test_client()
        for _ in range(5):
            assert client.get("/healthz").status_code == 200
            assert client.get("/readyz").status_code == 200
            assert client.get("/metrics").status_code == 200
        assert [client.get("/plan/districts").status_code for _ in range(3)] == [200, 200, 429]
    finally:
        limiter.limit_manager.set_default_limits([])


# --- metrics ------------------------------------------------------------------------------

def test_metrics_are_hidden_from_other_networks(client):
    response = client.get("/metrics", environ_base=OUTSIDER)
    assert response.status_code == 404
    assert "komoro_http" not in response.get_data(as_text=True)
    wrong = client.get("/metrics", environ_base=OUTSIDER,
                       headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 404


def test_metrics_are_hidden_from_visitors_a_local_proxy_forwards(client):
    """nginx on the same host without ProxyFix: the request comes from loopback."""
    visitor = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert visitor.status_code == 404
    spoofed = client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1, 203.0.113.9"})
    assert spoofed.status_code == 404
    local = client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"})
    assert local.status_code == 200


def test_metrics_answer_the_operators_token_from_anywhere(app):
    guarded = _app(DATABASE_URL=app.config["DATABASE_URL"], METRICS_TOKEN="t0ken-for-prometheus",
                   METRICS_ALLOW="")
    client = guarded.test_client()
    assert client.get("/metrics").status_code == 404  # loopback is no longer allowed
    response = client.get("/metrics", environ_base=OUTSIDER,
                          headers={"Authorization": "Bearer t0ken-for-prometheus"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/plain"


def test_metrics_answer_an_allowed_network(app):
    office = _app(DATABASE_URL=app.config["DATABASE_URL"], METRICS_ALLOW="10.0.0.0/8, ::1")
    client = office.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"}).status_code == 200
    assert client.get("/metrics", environ_base=OUTSIDER).status_code == 404
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200


def test_a_mistyped_network_stops_the_app_at_start(app):
    with pytest.raises(RuntimeError, match="KOMORO_METRICS_ALLOW"):
        _app(DATABASE_URL=app.config["DATABASE_URL"], METRICS_ALLOW="10.0.0.0/33")


def test_requests_are_counted_and_timed_per_endpoint(client):
    before = scrape(client)
    for _ in range(3):
        client.get("/plan/districts")
    client.get("/no-such-page")
    after = scrape(client)
    counted = dict(endpoint="plan.districts", method="GET", status="200")
    assert (sample(after, "komoro_http_requests_total", **counted)
            - sample(before, "komoro_http_requests_total", **counted)) == 3
    unmatched = dict(endpoint="unmatched", method="GET", status="404")
    assert (sample(after, "komoro_http_requests_total", **unmatched)
            - sample(before, "komoro_http_requests_total", **unmatched)) == 1
    timed = "komoro_http_request_duration_seconds_count"
    assert (sample(after, timed, endpoint="plan.districts")
            - sample(before, timed, endpoint="plan.districts")) == 3
    assert sample(after, "komoro_http_request_duration_seconds_sum",
                  endpoint="plan.districts") > 0


@pytest.mark.no_db_rollback
def test_two_gunicorn_workers_report_one_sum(tmp_path, monkeypatch):
    """prometheus_client's multiprocess mode: any worker answers with every worker's counts."""
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    server = LiveServer(tmp_path, workers=2, threads=1)  # sync workers: one request each
    with monkeypatch.context() as env:  # only gunicorn's environment, not this process's
        env.setenv("PROMETHEUS_MULTIPROC_DIR", str(metrics_dir))
        server.start()
    try:
        def readyz(_):
            with urllib.request.urlopen(f"{server.url}/readyz", timeout=10) as response:
                return response.status

        # 8 at a time: while one worker answers, the other takes the next connection.
        with ThreadPoolExecutor(max_workers=8) as pool:
            assert set(pool.map(readyz, range(200))) == {200}
        with urllib.request.urlopen(f"{server.url}/metrics", timeout=10) as response:
            text = response.read().decode()
        per_worker = [_readyz_count(path) for path in metrics_dir.glob("counter_*.db")]
    finally:
        server.close()
    # Which worker accepts each connection is the kernel's choice: usually both count
    # some, but a fast database can let one take all. The sum is what must hold.
    assert 1 <= len(per_worker) <= 2 and sum(per_worker) == 200, f"per worker: {per_worker}"
    # /readyz, not /healthz: the start-up wait asks /healthz an unknown number of times
    assert sample(text, "komoro_http_requests_total", endpoint="core.readyz", method="GET",
                  status="200") == 200
    assert sample(text, "komoro_http_request_duration_seconds_count",
                  endpoint="core.readyz") == 200


def _readyz_count(path) -> float:
    """/readyz requests one worker counted in its own file (prometheus_client's format)."""
    total = 0.0
    for key, value, *_rest in MmapedDict.read_all_values_from_file(str(path)):
        _metric, name, labels, _help = json.loads(key)
        if name == "komoro_http_requests_total" and labels["endpoint"] == "core.readyz":
            total += value
    return total
