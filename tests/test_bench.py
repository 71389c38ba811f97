"""The benchmark's own measuring aids agree with the test suite's (``make bench`` itself is
not part of the test run: it needs wrk and takes minutes)."""

import pytest

from bench.__main__ import skip_reason
from bench.load import PageAssets
from bench.specs import PAGES
from bench.wsgi import create_bench_app
from komoro_engage.extensions import db

pytestmark = pytest.mark.no_db_rollback


@pytest.fixture(scope="module")
def bench_client(app):
    bench_app = create_bench_app("testing", DATABASE_URL=app.config["DATABASE_URL"])
    yield bench_app.test_client()
    with bench_app.app_context():
        db.engine.dispose()


def test_bare_route_and_query_header_exist_only_in_the_bench_app(bench_client, client):
    response = bench_client.get("/bench/bare")
    assert response.status_code == 200 and response.data == b"ok"
    assert response.headers["X-Query-Count"] == "0"
    assert client.get("/bench/bare").status_code == 404
    assert "X-Query-Count" not in client.get("/").headers


@pytest.mark.parametrize("path", ["/", "/plan/areas/1", "/plan/districts"])
def test_query_header_matches_the_suites_query_counter(bench_client, client, count_queries,
                                                       path):
    client.get(path)  # the product app, counted by the test suite's fixture
    bench_client.get(path)  # each app keeps its own plan fragments (core/fragments.py)
    count_queries.reset()
    client.get(path)
    header = int(bench_client.get(path).headers["X-Query-Count"])
    assert header == count_queries.count > 0


def test_page_weight_finds_the_css_js_and_icon_of_a_page(client):
    parser = PageAssets()
    parser.feed(client.get("/").get_data(as_text=True))
    unversioned = [href.split("?v=")[0] for href in parser.css + parser.js + parser.icons]
    assert unversioned == ["/static/css/site.css", "/static/vendor/htmx-2.0.4.min.js",
                           "/static/favicon.svg"]


def test_slots_for_missing_features_are_reported_not_dropped():
    endpoints = {"plan.home", "core.set_language", "bench_bare"}
    reasons = {spec.name: skip_reason(spec, endpoints, {"resident": 2}) for spec in PAGES}
    assert reasons["home"] is None and reasons["bare route (ceiling)"] is None
    assert "does not exist" in reasons["proposal list (filtered)"]
    with_endpoints = endpoints | {"proposals.detail", "proposals.support"}
    detail = next(spec for spec in PAGES if spec.name == "proposal detail")
    support = next(spec for spec in PAGES if spec.name == "support POST")
    assert "no proposal" in skip_reason(detail, with_endpoints, {"resident": 2})
    assert skip_reason(detail, with_endpoints, {"proposal": 1, "resident": 2}) is None
    assert "resident" in skip_reason(support, with_endpoints, {"proposal": 1})


def test_budgets_are_judged_on_signed_in_pages_and_kept_pages_beside_them():
    """Issue 16: every budgeted page is rendered for a signed-in person; each page a
    visitor opens is measured again as a kept page with its own budget."""
    from bench.__main__ import as_visitor
    from bench.specs import BARE, VISITOR_BUDGET

    budgeted = [spec for spec in PAGES if spec.budget is not None]
    assert {spec.name for spec in budgeted} >= {
        "home", "proposal list (filtered)", "search, 2 characters", "proposal detail",
        "project list", "project detail", "dashboard", "staff console", "support POST",
        "comment POST"}
    assert all(spec.signed_in_as for spec in budgeted)
    for spec in PAGES:
        if spec.visitors and spec is not BARE:
            kept = as_visitor(spec)
            assert kept.signed_in_as is None and kept.budget == VISITOR_BUDGET


def test_the_report_judges_ratios_errors_and_growth():
    from bench.report import GROWTH_BUDGET, _growth, _with_ratios

    def run(rps_page, errors=0):
        return {"demo": True, "pages": [
            {"name": "bare", "path": "/bench/bare", "rps": 1000.0, "error_count": 0},
            {"name": "list", "path": "/proposals", "rps": rps_page, "budget": 0.15,
             "error_count": errors}]}

    small, large, failing = run(200.0), run(150.0), run(300.0, errors=1)
    for measured in (small, large, failing):
        _with_ratios(measured)
    assert small["pages"][1]["budget_met"] is True
    assert failing["pages"][1]["budget_met"] is False  # fast but with an error
    growth = _growth([small, large])
    assert growth["list"]["ratio"] == 0.75 < GROWTH_BUDGET
    assert growth["list"]["budget_met"] is False


def test_pages_are_judged_against_the_bare_route_measured_beside_them():
    """The machine's speed drifts within a run: a page measured while it ran at half speed
    is set against the bare route measured just before and after it, not minutes earlier."""
    from bench.report import _growth, _with_ratios, markdown

    def run(list_rps, bare_after):
        return {"demo": True, "proposals_requested": 1000, "notes": [],
                "memory_kb": {"start": [], "end": []}, "pages": [
                    {"name": "bare", "path": "/bench/bare", "method": "GET", "rps": 1000.0,
                     "error_count": 0, "queries": 0},
                    {"name": "home", "path": "/", "method": "GET", "rps": 200.0,
                     "budget": 0.15, "error_count": 0, "queries": 3,
                     "bare_after_rps": bare_after},
                    {"name": "list", "path": "/proposals", "method": "GET",
                     "rps": list_rps, "budget": 0.15, "error_count": 0, "queries": 4,
                     "bare_after_rps": bare_after}]}

    slow = run(list_rps=90.0, bare_after=600.0)  # half speed from the second page on
    _with_ratios(slow)
    bare, home, proposals = slow["pages"]
    assert home["bare_beside_rps"] == 800.0 and home["ratio_beside"] == 0.25
    assert proposals["bare_beside_rps"] == 600.0  # home's second measure and its own
    assert proposals["ratio_to_bare"] == 0.09 and proposals["ratio_beside"] == 0.15
    assert proposals["budget_met"] is True
    assert "ratio_beside" not in bare
    fast = run(list_rps=150.0, bare_after=1000.0)
    _with_ratios(fast)
    growth = _growth([fast, slow])
    assert growth["list"]["rps_ratio"] == 0.6 and growth["list"]["ratio"] == 1.0
    text = markdown({"generated_at": "now", "computations": [], "runs": [slow],
                     "growth_largest_over_smallest": growth,
                     "machine": {"commit": "abc", "cpus": 2, "cpu": "x", "python": "3.11",
                                 "wrk": "wrk", "load_average_at_end": [0, 0, 0]},
                     "settings": {"database": "sqlite", "gunicorn_workers": 2,
                                  "gunicorn_worker_class": "sync", "target": "127.0.0.1",
                                  "wrk_threads": 2, "connections": 16, "duration_s": 10}})
    assert "| list | GET | 90 | 0.09 | 0.15 | ≥ 0.15 ✔ |" in text
    assert "| list | 1.00 | 0.60 | ≥ 0.8 ✔ |" in text


def test_each_page_is_followed_by_a_measure_of_the_bare_route(monkeypatch):
    """What ``ratio beside`` divides by: the bench loads the bare route again after every
    page but the bare route itself (wrk and gunicorn are not run here: the calls are
    recorded)."""
    import argparse

    from bench import __main__ as bench_main
    from bench import load
    from bench.specs import BARE, PageSpec

    loaded = []
    monkeypatch.setattr(load, "request", lambda *args, **kwargs: (200, {}, b""))
    monkeypatch.setattr(load, "run_wrk", lambda url, duration, *args, **kwargs: loaded.append(
        (url.removeprefix("http://x"), duration)) or {"rps": 100.0, "error_count": 0})

    class Server:
        url = "http://x"

    args = argparse.Namespace(duration=9, connections=16, threads=2)
    page = PageSpec("home", "/", signed_in_as=None, weigh=False)
    result = bench_main.measure_page(page, Server(), "sqlite://", {}, args)
    assert loaded == [("/", 1), ("/", 9), ("/bench/bare", 3)]
    assert result["bare_after_rps"] == 100.0
    loaded.clear()
    bench_main.measure_page(BARE, Server(), "sqlite://", {}, args)
    assert loaded == [("/bench/bare", 1), ("/bench/bare", 9)]


def test_the_soak_counts_every_failed_or_refused_request_as_an_error():
    from collections import Counter

    from bench.soak import summarise

    samples = [(0.0, "read", 200, 10.0), (0.1, "support", 200, 20.0),
               (0.2, "comment", 302, 30.0), (61.0, "read", 503, 40.0), (62.0, "read", 0, 50.0)]
    result = summarise(samples, Counter({"ConnectionResetError": 1}), seconds=62.0)
    assert result["errors"] == 2 and result["requests"] == 5
    assert result["latency_ms"]["max"] == 50.0
    assert len(result["p95_by_minute_ms"]) == 2


def test_the_profiler_sends_one_cookie_every_request_as_wrk_does(app):
    """A post that flashes a message and redirects answers with a longer cookie; wrk
    never takes it, so neither may the in-process profiler, or the flashed messages pile
    up in the session it decodes (a 4x cost on the ballot POST that wrk never paid)."""
    from flask import flash, request

    from bench.profile import Page
    from bench.specs import PageSpec

    bench_app = create_bench_app("testing", DATABASE_URL=app.config["DATABASE_URL"])
    cookies = []

    def flashing():
        cookies.append(request.headers["Cookie"])
        flash("saved")
        return "ok"

    bench_app.add_url_rule("/bench/flashing", "bench_flashing", flashing)
    page = Page(bench_app, PageSpec("flashing", "/bench/flashing", signed_in_as=None), {})
    assert [page.request() for _ in range(3)] == [200, 200, 200]
    assert len(set(cookies)) == 1 and "session=" in cookies[0]
    with bench_app.app_context():
        db.engine.dispose()


def test_the_profiler_browses_as_the_browser_its_cookie_was_signed_in_from(app):
    """Flask-Login keeps an identifier of the signing-in browser (address and agent) and
    writes back the session of any other on every request. The bench's cookies are
    signed in as wrk browses (no User-Agent); the in-process profiler must send the same,
    or its figures carry a cookie's signing that the served pages never do."""
    from flask_login.utils import _create_identifier

    from bench.data import wrk_request_context
    from bench.profile import Page
    from bench.specs import PageSpec

    bench_app = create_bench_app("testing", DATABASE_URL=app.config["DATABASE_URL"])
    bench_app.add_url_rule("/bench/identifier", "bench_identifier", _create_identifier)
    page = Page(bench_app, PageSpec("identifier", "/bench/identifier", signed_in_as=None), {})
    seen = page.client.open(page.path, headers=page.headers).get_data(as_text=True)
    with wrk_request_context(bench_app):
        assert seen == _create_identifier()
    with bench_app.app_context():
        db.engine.dispose()
