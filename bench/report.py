"""bench/results/latest.json and latest.md: every number measured, and what it means."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bench.data import ROOT
from bench.specs import UNCACHED

WEIGHT_BUDGET_BYTES = 60 * 1024
REQUEST_BUDGET = 6


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
    """Each page over the bare route of its own pass (page cache on, or off)."""
    bares = {p["name"].endswith(UNCACHED): p for p in run["pages"]
             if p["path"] == "/bench/bare" and "rps" in p}
    for page in run["pages"]:
        bare = bares.get(page["name"].endswith(UNCACHED))
        if bare and "rps" in page:
            page["ratio_to_bare"] = round(page["rps"] / bare["rps"], 3)
            if page.get("budget") is not None:
                page["budget_met"] = page["ratio_to_bare"] >= page["budget"]


def _growth(runs: list[dict]) -> dict:
    """Requests/s at the largest size over the smallest, per page (needs demo data)."""
    measured = [run for run in runs if run["demo"]]
    if len(measured) < 2:
        return {}
    small, large = measured[0], measured[-1]
    before = {p["name"]: p.get("rps") for p in small["pages"]}
    return {p["name"]: round(p["rps"] / before[p["name"]], 3)
            for p in large["pages"] if p.get("rps") and before.get(p["name"])}


def write(runs: list[dict], args, out: Path) -> list[Path]:
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
        "Each size is measured twice. First as production runs: signed-out visitors' pages "
        "are kept by each worker until public data changes (`core/page_cache.py`), and wrk "
        "asks for the same address over and over, so after the warm-up every GET is a kept "
        "page (column *page cache*: hit) costing one SQL query; the support POST writes and "
        "moves the content version on every request. Then again with "
        f"`KOMORO_PAGE_CACHE_SECONDS=0` (rows ending in \"{UNCACHED}\"), where every request "
        "renders the page: what a visitor pays after each change, and what a signed-in "
        "person pays always. Budgets are judged on the first pass; the second is reported "
        "beside it, never hidden.",
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
        lines += ["", "| page | method | req/s | ratio to bare | budget | p50 ms | p95 ms | "
                  "p99 ms | errors | SQL queries | page cache |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for page in run["pages"]:
            if "skipped" in page:
                lines.append(f"| {page['name']} | {page['method']} | not measured: "
                             f"{page['skipped']} | | {page.get('budget') or ''} | | | | | | |")
                continue
            budget = page.get("budget")
            verdict = "" if budget is None else (
                f"≥ {budget} {'✔' if page.get('budget_met') else '✘'}")
            lines.append(
                f"| {page['name']} | {page['method']} | {page['rps']:,.0f} | "
                f"{page.get('ratio_to_bare', 0):.2f} | {verdict} | {_ms(page, 'p50')} | "
                f"{_ms(page, 'p95')} | {_ms(page, 'p99')} | {page['error_count']} | "
                f"{page['queries']} | {page.get('page_cache', '')} |")
        memory = run["memory_kb"]
        lines += ["", f"Worker memory (RSS): {_mb(memory['start'])} at start, "
                  f"{_mb(memory['end'])} after the load.", ""]
        lines += _weight_table(run)
    growth = result["growth_largest_over_smallest"]
    lines += ["## Growth", ""]
    if growth:
        lines += ["| page | req/s at largest ÷ smallest size |", "|---|---:|"]
        lines += [f"| {name} | {ratio:.2f} |" for name, ratio in growth.items()]
    else:
        lines.append("Not measured: it needs `flask komoro demo --proposals N` (proposals "
                     "branch) to build two data sizes.")
    lines.append("")
    return "\n".join(lines)


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
