"""The bench entry for the opinion groups runs and is reported (``make bench`` times it
at 2,000 × 300; the suite only runs it small and never judges time)."""

from __future__ import annotations

from bench import computations
from bench.report import markdown


def test_the_opinion_groups_entry_runs_small_and_is_reported():
    small = computations.opinion_groups(participants=120, statements=30, votes_each=(8, 20))
    [result] = computations.measure([small], repeat=1)
    assert result["found"]["participants_counted"] == 120 and result["found"]["groups"] >= 2
    assert len(result["seconds"]) == 1 and result["budget_s"] == 10.0
    assert result["slowest_s"] == result["seconds"][0]
    assert result["budget_met"] == (result["slowest_s"] < 10.0)
    report = markdown({"generated_at": "now", "machine": {
        "commit": "x", "cpus": 2, "cpu": "cpu", "python": "3.11", "wrk": "wrk",
        "load_average_at_end": []}, "settings": {
        "database": "sqlite", "gunicorn_workers": 2, "gunicorn_worker_class": "sync",
        "target": "127.0.0.1", "wrk_threads": 2, "connections": 16, "duration_s": 10},
        "runs": [], "growth_largest_over_smallest": {}, "computations": [result]})
    assert "## Computations outside requests" in report and small.name in report


def test_make_bench_times_the_full_size_entry():
    [entry] = computations.selected(["opinion groups"])
    assert entry.name == "opinion groups, 2,000 participants × 300 statements"
    assert computations.selected(["no such computation"]) == []


def test_make_bench_runs_every_computation_unless_told_otherwise():
    from bench.__main__ import parse_args

    assert parse_args([]).computations is None  # all of them
    assert parse_args(["--computations"]).computations == []  # none
    assert parse_args(["--computations", "opinion"]).computations == ["opinion"]
