"""Work that runs outside requests (analyses behind snapshots), timed against its budget.

``make bench`` times each entry of ``COMPUTATIONS`` once before it loads the pages
(so wrk and gunicorn do not share the cores with it) and reports them in
bench/results/latest.{json,md}. Alone, without wrk or a database::

    .venv/bin/python -m bench.computations [--only NAME ...] [--repeat 3] [--json PATH]

An entry builds its input untimed, then runs ``repeat`` times; the budget is judged on
the slowest run. Another analysis joins by adding one ``Computation`` to the tuple.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Computation:
    name: str
    budget_s: float
    prepare: Callable[[], object]  # builds the input; not timed
    run: Callable[[object], dict]  # the timed work; returns what it found, for the report
    what: str


def opinion_groups(participants: int = 2000, statements: int = 300,
                   votes_each: tuple[int, int] = (40, 120)) -> Computation:
    """Issue 17: Polis's opinion groups of a consultation, in < 10 s at 2,000 × 300."""
    from komoro_engage.consultations.opinion_groups import analyse
    from komoro_engage.consultations.opinion_planted import planted_votes

    groups = 4
    own = max(1, statements // 6)  # each group's own statements: half of them, together

    def prepare():
        return planted_votes(groups=groups, per_group=participants // groups,
                             statements=statements, own=own, consensus=statements // 30,
                             seen=votes_each, noise=0.1, seed=1).votes

    def run(votes):
        found = analyse(votes, seed=1)
        return {"votes": len(votes), "participants_counted": found.participants_counted,
                "groups": len(found.groups)}

    return Computation(
        name=f"opinion groups, {participants:,} participants × {statements} statements",
        budget_s=10.0, prepare=prepare, run=run,
        what=f"analyse() of {participants:,} residents voting on {votes_each[0]}–"
             f"{votes_each[1]} of {statements} statements each ({groups} planted groups)")


COMPUTATIONS: tuple[Callable[[], Computation], ...] = (opinion_groups,)


def measure(computations: list[Computation], repeat: int = 3) -> list[dict]:
    """Each computation's timings (seconds), the slowest judged against its budget."""
    results = []
    for computation in computations:
        data = computation.prepare()
        load_start = [round(x, 2) for x in os.getloadavg()]
        seconds, found = [], {}
        for _ in range(repeat):
            started = time.perf_counter()
            found = computation.run(data)
            seconds.append(round(time.perf_counter() - started, 3))
        results.append({"name": computation.name, "what": computation.what,
                        "budget_s": computation.budget_s, "seconds": seconds,
                        "slowest_s": max(seconds),
                        "budget_met": max(seconds) < computation.budget_s, "found": found,
                        "load_average": {"start": load_start,
                                         "end": [round(x, 2) for x in os.getloadavg()]}})
        print(f"  {computation.name}: {', '.join(f'{s:.2f}' for s in seconds)} s "
              f"(budget < {computation.budget_s:g} s) {found}", flush=True)
    return results


def markdown(results: list[dict]) -> list[str]:
    """The report's section on computations."""
    lines = ["## Computations outside requests", "",
             "Each is run on this machine's 2 cores with nothing else of the benchmark "
             "running; the budget is judged on the slowest run.", "",
             "| computation | runs (s) | slowest (s) | budget | what |",
             "|---|---|---:|---|---|"]
    for r in results:
        verdict = f"< {r['budget_s']:g} s {'✔' if r['budget_met'] else '✘'}"
        lines.append(f"| {r['name']} | {', '.join(f'{s:.2f}' for s in r['seconds'])} | "
                     f"{r['slowest_s']:.2f} | {verdict} | {r['what']} |")
    return [*lines, ""]


def selected(only: list[str] | None) -> list[Computation]:
    chosen = [make() for make in COMPUTATIONS]
    return [c for c in chosen if not only or any(word in c.name for word in only)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="computations whose name contains a word")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results = measure(selected(args.only), args.repeat)
    print("\n".join(markdown(results)))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    return 0 if all(r["budget_met"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
