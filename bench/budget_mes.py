"""Time the 市民予算 rules on a large vote: MES (with its greedy completion and its trace,
as ``compute_results`` runs it) for 5,000 ballots × 50 projects must take under 10 s.

Not part of the test suite (a timed unit test would be flaky on a shared machine)::

    make bench BENCH_ARGS="--scenario budget-mes"
    .venv/bin/python -m bench.budget_mes --ballots 5000 --projects 50

Writes bench/results/budget_mes.json. Pure computation: no database, no server.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from komoro_engage.budgeting import tally

LIMIT_SECONDS = 10.0
RESULTS = Path(__file__).resolve().parent / "results"


def election(ballots: int, projects: int, points: bool, seed: int) -> tally.Election:
    """Costs from ¥0.5M to ¥8M, popularity skewed (a few favourites, a long tail), a
    budget of a third of the total cost, 5 approvals (or 10 points) on average."""
    rng = random.Random(seed)
    costs = {pid: rng.randint(5, 80) * 100_000 for pid in range(1, projects + 1)}
    weights = [rng.random() ** 2 for _ in costs]
    chosen = {}
    for ballot_id in range(1, ballots + 1):
        picks = set(rng.choices(list(costs), weights=weights, k=rng.randint(1, 9)))
        chosen[ballot_id] = {pid: rng.randint(1, 4) if points else 1 for pid in picks}
    return tally.Election(budget=sum(costs.values()) // 3, points=points, costs=costs,
                          ballots=chosen, points_total=40 if points else None)


def run(ballots: int, projects: int, seed: int) -> dict:
    report = {"ballots": ballots, "projects": projects, "limit_seconds": LIMIT_SECONDS}
    for kind, points in (("approval", False), ("points", True)):
        vote = election(ballots, projects, points, seed)
        started = time.perf_counter()
        result = tally.tally(vote)
        seconds = time.perf_counter() - started
        report[kind] = {"seconds": round(seconds, 2), "mes_funded": len(result.mes),
                        "completion_funded": len(result.completion),
                        "greedy_funded": len(result.greedy)}
        print(f"{kind}: tally (greedy + MES with completion and trace) "
              f"{seconds:.2f} s for {ballots:,} ballots × {projects} projects", flush=True)
    report["ok"] = all(report[k]["seconds"] < LIMIT_SECONDS for k in ("approval", "points"))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.budget_mes", description=__doc__)
    parser.add_argument("--ballots", type=int, default=5000)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    report = run(args.ballots, args.projects, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "budget_mes.json").write_text(json.dumps(report, indent=2) + "\n")
    print("ok" if report["ok"] else f"too slow: limit {LIMIT_SECONDS} s", flush=True)
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
