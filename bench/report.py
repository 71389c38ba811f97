"""bench/results/latest.json and latest.md: every number measured, and what it means."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bench import computations
from bench.data import ROOT
from bench.specs import BARE, KEPT, beside_seconds

WEIGHT_BUDGET_BYTES = 60 * 1024
REQUEST_BUDGET = 6
# Each page at the largest size keeps at least this share of its requests/s at the smallest.
GROWTH_BUDGET = 0.8


def _machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=False).stdout.strip()
    return {"cpus": os.cpu_count(), "cpu": cpu,
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "wrk": (wrk.stdout or wrk.stderr).splitlines()[0] if (wrk.stdout or wrk.stderr)
            else "?", "commit": commit}


def _with_ratios(run: dict) -> None:
    """Each page over the bare route: the run's first measure of it, and the ones beside it.

    ``ratio_to_bare`` divides by the bare route measured at the start of the run;
    ``ratio_beside`` by the mean of the bare route measured just before the page (after
    the page before it) and just after it, so that a change in the machine's speed during
    the run moves both sides of the ratio. Budgets are judged on ``ratio_beside`` where the
    run measured it (runs before it did not).
    """
    bare = next((p for p in run["pages"] if p["path"] == BARE.path and "rps" in p), None)
    if not bare:
        return
    before = bare["rps"]
    for page in run["pages"]:
        if "rps" not in page:
            continue
        page["ratio_to_bare"] = round(page["rps"] / bare["rps"], 3)
        after = page.get("bare_after_rps")
        if after:
            page["bare_beside_rps"] = round((before + after) / 2, 1)
            page["ratio_beside"] = round(page["rps"] / page["bare_beside_rps"], 3)
            before = after
        if page.get("budget") is not None:
            page["budget_met"] = (_judged_ratio(page) >= page["budget"]
                                  and page["error_count"] == 0)


def _judged_ratio(page: dict) -> float:
    return page.get("ratio_beside", page["ratio_to_bare"])


def _growth(runs: list[dict]) -> dict:
    """Each page's throughput at the largest size over the smallest (needs demo data).

    Throughput is taken as the ratio to the bare route beside the page, so that the
    minutes between the two sizes' runs, when the machine's speed may change, do not count;
    the plain requests/s quotient is kept beside it. Judged for the pages with a budget: at
    least ``GROWTH_BUDGET`` (issue 16).
    """
    measured = [run for run in runs if run["demo"]]
    if len(measured) < 2:
        return {}
    small, large = measured[0], measured[-1]
    before = {p["name"]: p for p in small["pages"]}
    growth = {}
    for page in large["pages"]:
        first = before.get(page["name"], {})
        if page.get("rps") and first.get("rps"):
            rps_ratio = round(page["rps"] / first["rps"], 3)
            ratio = (round(page["ratio_beside"] / first["ratio_beside"], 3)
                     if page.get("ratio_beside") and first.get("ratio_beside") else rps_ratio)
            judged = page.get("budget") is not None and page["path"] != BARE.path
            growth[page["name"]] = {"ratio": ratio, "rps_ratio": rps_ratio,
                                    "budget": GROWTH_BUDGET if judged else None,
                                    "budget_met": ratio >= GROWTH_BUDGET if judged else None}
    return growth


def write(runs: list[dict], args, out: Path, timed: list[dict] | None = None) -> list[Path]:
    for run in runs:
        _with_ratios(run)
    result = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "settings": {"database": args.database, "duration_s": args.duration,
                     "connections": args.connections, "wrk_threads": args.threads,
                     "gunicorn_workers": args.workers, "gunicorn_worker_class": "sync",
                     "config": "production", "target": "127.0.0.1"},
        "runs": runs,
        "growth_largest_over_smallest": _growth(runs),
        "computations": timed or [],
    }
    json_path, md_path = out / "latest.json", out / "latest.md"
    json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(result))
    return [json_path, md_path]


def _ms(page: dict, key: str) -> str:
    return f"{page['latency_ms'][key]:.1f}" if "latency_ms" in page else "–"


def markdown(result: dict) -> str:
    machine, settings = result["machine"], result["settings"]
    lines = [
        "# Benchmark results",
        "",
        f"Generated {result['generated_at']} by `make bench` at commit `{machine['commit']}` on "
        f"{machine['cpus']} × {machine['cpu']}, Python {machine['python']}, {machine['wrk']}.",
        f"Database: **{settings['database']}**. gunicorn {settings['gunicorn_workers']} "
        f"{settings['gunicorn_worker_class']} workers, production settings, on "
        f"{settings['target']}; wrk {settings['wrk_threads']} threads, "
        f"{settings['connections']} connections, {settings['duration_s']} s per page after a "
        "1 s warm-up. wrk and gunicorn share the same 2 cores, so absolute numbers are "
        "lower than on a server; the ratios to the bare route are the comparable figures. "
        f"Load average when the run ended: {machine['load_average_at_end']} (anything else "
        "running on the machine shows up in these numbers).",
        "",
        "Pages are judged as the people who use them most pay for them: rendered for a "
        "signed-in resident (the demo staff member for the staff pages), with a real session "
        "cookie, so the visitors' page cache (`core/page_cache.py`) is never involved "
        "(column *page cache*: rendered). Each GET page a visitor can open is measured "
        f"again as a signed-out visitor's kept page (rows ending in \"{KEPT}\"): after the "
        "warm-up every such request is a kept page (hit) costing one SQL statement, read on "
        "a pooled connection outside SQLAlchemy's events, so its query column shows 0. The "
        "support POST writes on every request (64 residents supporting and withdrawing in "
        "turn); the comment POST adds a comment on every request. Both send HX-Request, as "
        "a phone with JavaScript does. A budget is met when the ratio reaches it with no errors.",
        "",
        "Two ratios: *ratio to bare* divides by the bare route measured once at the start of "
        "the run; *ratio beside* by the mean of the bare route measured just before the page "
        f"and for {beside_seconds(settings['duration_s'])} s just after it, so that a change in "
        "the machine's speed during the run (other tenants of the host, writeback) moves both "
        "sides. Budgets are judged on the ratio beside; growth compares it too.",
        "",
    ]
    for run in result["runs"]:
        size = run["proposals_requested"]
        lines += [f"## {size or 0:,} proposals requested "
                  f"({'demo data loaded' if run['demo'] else 'no demo data: plan only'})", ""]
        lines += [f"- {note}" for note in run["notes"]]
        if "load_average" in run:
            lines.append(f"- load average (1, 5, 15 min) when the pages started: "
                         f"{run['load_average']['start']}, when they ended: "
                         f"{run['load_average']['end']} (2 cores)")
        lines += ["", "| page | method | req/s | ratio to bare | ratio beside | budget | "
                  "p50 ms | p95 ms | p99 ms | errors | SQL queries | page cache |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for page in run["pages"]:
            if "skipped" in page:
                lines.append(f"| {page['name']} | {page['method']} | not measured: "
                             f"{page['skipped']} | | | {page.get('budget') or ''} | | | | | | |")
                continue
            budget = page.get("budget")
            verdict = "" if budget is None else (
                f"≥ {budget} {'✔' if page.get('budget_met') else '✘'}")
            lines.append(
                f"| {page['name']} | {page['method']} | {page['rps']:,.0f} | "
                f"{page.get('ratio_to_bare', 0):.2f} | {_beside(page)} | {verdict} | "
                f"{_ms(page, 'p50')} | "
                f"{_ms(page, 'p95')} | {_ms(page, 'p99')} | {page['error_count']} | "
                f"{page['queries']} | {page.get('page_cache', '')} |")
        memory = run["memory_kb"]
        lines += ["", f"Worker memory (RSS): {_mb(memory['start'])} at start, "
                  f"{_mb(memory['end'])} after the load.", ""]
        lines += _weight_table(run)
    growth = result["growth_largest_over_smallest"]
    lines += ["## Growth", ""]
    if growth:
        lines += ["| page | ratio beside, largest ÷ smallest size | req/s, largest ÷ smallest "
                  "| budget |", "|---|---:|---:|---|"]
        for name, entry in growth.items():
            verdict = "" if entry["budget"] is None else (
                f"≥ {entry['budget']} {'✔' if entry['budget_met'] else '✘'}")
            lines.append(f"| {name} | {entry['ratio']:.2f} | "
                         f"{entry.get('rps_ratio', entry['ratio']):.2f} | {verdict} |")
    else:
        lines.append("Not measured: it needs two data sizes (`--proposals 1000,100000`).")
    lines.append("")
    if result.get("computations"):
        lines += computations.markdown(result["computations"])
    return "\n".join(lines)


def _beside(page: dict) -> str:
    if "ratio_beside" not in page:
        return "–"
    return f"{page['ratio_beside']:.2f}"


def _mb(sizes_kb: list[int]) -> str:
    return " + ".join(f"{kb / 1024:.0f} MB" for kb in sizes_kb) or "?"


def _weight_table(run: dict) -> list[str]:
    lines = ["Page weight of a first visit: HTML + its CSS and JS, gzip level 6 (the app sends "
             "them uncompressed; the reverse proxy compresses). Requests = HTML + CSS + JS + "
             f"favicon. Budget ≤ {WEIGHT_BUDGET_BYTES // 1024} KB and ≤ {REQUEST_BUDGET} "
             "requests.", "",
             "| page | gzip KB (all) | gzip KB (HTML) | raw KB | requests | within budget |",
             "|---|---:|---:|---:|---:|---|"]
    for page in run["pages"]:
        weight = page.get("weight")
        if not weight:
            continue
        ok = weight["gzip_bytes"] <= WEIGHT_BUDGET_BYTES and weight["requests"] <= REQUEST_BUDGET
        lines.append(f"| {page['name']} | {weight['gzip_bytes'] / 1024:.1f} | "
                     f"{weight['html_gzip_bytes'] / 1024:.1f} | {weight['raw_bytes'] / 1024:.1f} "
                     f"| {weight['requests']} | {'yes' if ok else 'NO'} |")
    return [*lines, ""]
