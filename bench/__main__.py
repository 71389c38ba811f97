"""``python -m bench``: measure the pages in ``bench/specs.py`` and write bench/results/latest.*.

Builds a fresh database (SQLite by default, ``--database postgresql`` for a new
PostgreSQL database), serves the app with gunicorn (2 sync workers) on
127.0.0.1 and loads each page with wrk for a bounded time. Only loopback is
ever contacted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench import budget_mes, computations, data, load, report, soak, text_map
from bench.specs import BARE, KEPT, PAGES, VISITOR_BUDGET, PageSpec, beside_seconds

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scenario", choices=["pages", "soak", "text-map", "budget-mes"],
                        default="pages",
                        help="pages: each page alone with wrk (default); soak: signed-in "
                             "residents through nginx at a steady rate (bench/soak.py); "
                             "text-map: 1,000 free texts mapped, no HTTP (bench/text_map.py); "
                             "budget-mes: the 市民予算 rules on 5,000 ballots "
                             "(bench/budget_mes.py)")
    parser.add_argument("--minutes", type=float, default=10, help="soak: how long")
    parser.add_argument("--rate", type=float, default=20, help="soak: requests per second")
    parser.add_argument("--residents", type=int, default=40, help="soak: signed-in residents")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-url",
                        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="server to create the benchmark database on (loopback only)")
    parser.add_argument("--proposals", default="1000,100000",
                        help="demo data sizes, comma-separated (needs `flask komoro demo`)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn workers (pages: 2; soak: deploy/gunicorn.conf.py's "
                             "default, 2 × CPUs + 1)")
    parser.add_argument("--only", nargs="*",
                        help="measure only these page names (and the bare route)")
    parser.add_argument("--computations", nargs="*", default=None,
                        help="time only the computations whose name contains one of these "
                             "words (bench/computations.py); with no word, none")
    parser.add_argument("--out", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def skip_reason(spec: PageSpec, endpoints: set[str], ids: dict[str, int]) -> str | None:
    if spec.needs and spec.needs not in endpoints:
        return f"endpoint {spec.needs} does not exist in this app"
    missing = [key for key in ("proposal", "project", "budget", "budget_project")
               if "{" + key + "}" in spec.path + spec.body and key not in ids]
    if missing:
        return f"no {', '.join(missing)} in the demo data"
    if spec.signed_in_as and spec.signed_in_as not in ids:
        return f"no {spec.signed_in_as} account in the demo data to sign in as"
    return None


def as_visitor(spec: PageSpec) -> PageSpec:
    """The same page for a signed-out visitor: kept by the page cache after the warm-up."""
    return replace(spec, name=f"{spec.name}{KEPT}", signed_in_as=None, budget=VISITOR_BUDGET,
                   visitors=False, weigh=False)


def credentials(spec: PageSpec, db_url: str, ids: dict[str, int]) -> dict[str, str]:
    """Headers of the spec's person: a signed session cookie (and the CSRF token for POSTs)."""
    headers = {"HX-Request": "true"} if spec.htmx else {}
    if spec.signed_in_as or spec.method == "POST":
        cookie, token = data.post_credentials(db_url, ids.get(spec.signed_in_as)
                                              if spec.signed_in_as else None)
        headers["Cookie"] = cookie
        if spec.method == "POST":
            headers["X-CSRFToken"] = token
    return headers


def measure_page(spec: PageSpec, server: load.Server, db_url: str, ids: dict[str, int],
                 args: argparse.Namespace) -> dict:
    path, body = spec.path.format(**ids), spec.body.format(**ids)
    spec = replace(spec, body=body)  # ids in a form (the ballot's project, the survey's)
    headers, warm_up, turns = credentials(spec, db_url, ids), None, None
    if spec.sessions:
        # One resident for the check below, then separate halves for warm-up and the
        # measured run, so the run starts with none of its residents supporting.
        every = data.resident_sessions(db_url, ids["proposal"], 2 * spec.sessions + 1)
        warm_up, turns = every[1:spec.sessions + 1], every[spec.sessions + 1:]
        headers = {**headers, "Cookie": every[0][0], "X-CSRFToken": every[0][1]}
    status, response_headers, _body = load.request(server.url + path, spec.method, body,
                                                   headers)
    result = {"name": spec.name, "path": path, "method": spec.method, "status": status,
              "signed_in_as": spec.signed_in_as,
              "queries": int(response_headers.get("X-Query-Count", -1)), "budget": spec.budget}
    if status >= 400:
        result["skipped"] = f"answered {status} before the load started"
        return result
    common = {key: value for key, value in headers.items() if key == "HX-Request"}
    load.run_wrk(server.url + path, 1, args.connections, args.threads, spec.method, body,
                 common if warm_up else headers, warm_up)  # warm-up: templates, caches
    if spec.method == "GET":  # what wrk is about to get: a kept page or a rendered one
        result["page_cache"] = load.request(server.url + path, "GET", "", headers)[1].get(
            "X-Komoro-Cache", "rendered")
    result.update(load.run_wrk(server.url + path, args.duration, args.connections,
                               args.threads, spec.method, body,
                               common if turns else headers, turns))
    if turns:
        result["sessions"] = len(turns)
    if spec.path != BARE.path:  # the ceiling itself needs no second measure
        # The machine's speed drifts within a run: the page is also set against the
        # bare route measured beside it (``beside_seconds``).
        result["bare_after_rps"] = load.run_wrk(
            server.url + BARE.path, beside_seconds(args.duration), args.connections,
            args.threads)["rps"]
    if spec.weigh:
        result["weight"] = load.page_weight(server.url, path)
    return result


def measure_pages(server: load.Server, db_url: str, ids: dict[str, int], endpoints: set[str],
                  args: argparse.Namespace) -> list[dict]:
    """Every selected page as its person sees it, then (GET pages) as a visitor's kept page."""
    pages = []
    for base in PAGES:
        if args.only and base is not BARE and base.name not in args.only:
            continue
        specs = [base] + ([as_visitor(base)] if base.visitors and base.method == "GET" else [])
        for spec in specs:
            reason = skip_reason(spec, endpoints, ids)
            if reason:
                pages.append({"name": spec.name, "path": spec.path, "method": spec.method,
                              "budget": spec.budget, "skipped": reason})
                print(f"  {spec.name}: not measured ({reason})", flush=True)
                continue
            page = measure_page(spec, server, db_url, ids, args)
            pages.append(page)
            print(f"  {spec.name}: {page.get('rps', '-')} req/s, "
                  f"p95 {page.get('latency_ms', {}).get('p95', '-')} ms, "
                  f"{page['queries']} queries {page.get('skipped', '')}", flush=True)
    return pages


def run_size(proposals: int | None, args: argparse.Namespace, workdir: Path) -> dict:
    database = data.bench_database(args.database, workdir, args.postgres_url)
    server = None
    try:
        started = time.monotonic()
        notes = data.prepare(database.url, proposals)
        ids = data.sample_ids(database.url)
        # Building 100,000 proposals leaves about a gigabyte of dirty pages that the
        # kernel writes back while the first pages are measured: flush them first.
        os.sync()
        time.sleep(5)
        endpoints = set(data.bench_side_app(database.url).view_functions)
        server = load.Server(database.url, args.workers, workdir / "gunicorn.log")
        memory_start = server.worker_rss_kb()
        # Other work on the machine shows up in every number: say how busy it was.
        load_start = [round(x, 2) for x in os.getloadavg()]
        pages = measure_pages(server, database.url, ids, endpoints, args)
        memory_end = server.worker_rss_kb()
        return {"proposals_requested": proposals, "demo": data.demo_available(database.url),
                "database": args.database, "notes": notes, "pages": pages,
                "memory_kb": {"start": memory_start, "end": memory_end},
                "load_average": {"start": load_start,
                                 "end": [round(x, 2) for x in os.getloadavg()]},
                "seconds": round(time.monotonic() - started, 1)}
    finally:
        if server:
            server.stop()
        database.drop()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.scenario == "soak":
        return soak.run(args)
    if args.scenario == "text-map":
        return text_map.main(["--texts", "1000", "--json", str(args.out / "text_map.json")])
    if args.scenario == "budget-mes":
        return budget_mes.main([])
    args.workers = args.workers or 2
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    sizes = [int(size) for size in args.proposals.split(",") if size.strip()] or [None]
    # Before the pages, so that wrk and gunicorn do not share the cores with them.
    print("== computations outside requests ==", flush=True)
    timed = computations.measure(computations.selected(args.computations)
                                 if args.computations != [] else [])
    runs = []
    with tempfile.TemporaryDirectory(prefix="komoro-bench-") as tmp:
        for size in sizes:
            print(f"== {args.database}, {size or 0:,} proposals requested ==", flush=True)
            workdir = Path(tmp) / f"size-{size}"
            workdir.mkdir()
            runs.append(run_size(size, args, workdir))
            if not runs[-1]["demo"]:
                print("  no demo command: other sizes would measure the same data; stopping",
                      flush=True)
                break
    args.out.mkdir(parents=True, exist_ok=True)
    paths = report.write(runs, args, args.out, timed)
    print(f"wrote {', '.join(str(p) for p in paths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
