"""``python -m bench.profile``: where one page's time goes, in-process, per page.

Renders each page of ``bench/specs.py`` through the app's test client, signed in
as the spec says (a demo resident or the demo staff member), the page cache not
involved, and reports per request: Python function calls, template macro calls,
SQL statements and milliseconds, then the functions that cost most (cProfile).

    python -m bench.profile --database sqlite:////tmp/db.sqlite          # every page
    python -m bench.profile --database … --only "proposal list" --top 40

The database must already hold the plan and demo data (``flask komoro seed`` and
``flask komoro demo``); ``--build N`` makes a fresh SQLite file with N proposals.
Call counts are deterministic for the same data; milliseconds are not.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from dataclasses import replace
from pathlib import Path

from bench import data
from bench.specs import BARE, PAGES, PageSpec


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of a demo database")
    parser.add_argument("--build", type=int, default=0,
                        help="first make this SQLite file afresh with N demo proposals")
    parser.add_argument("--only", nargs="*", help="page names from bench/specs.py")
    parser.add_argument("--path", help="profile this GET path (as a signed-in resident) instead")
    parser.add_argument("--requests", type=int, default=20, help="measured requests per page")
    parser.add_argument("--top", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key for --top")
    parser.add_argument("--kept", action="store_true",
                        help="signed-out visitors' kept pages (page cache on) instead")
    parser.add_argument("--sql", action="store_true", help="print one request's statements")
    parser.add_argument("--by-package", action="store_true",
                        help="share of the time spent in each package's own code")
    return parser.parse_args(argv)


def by_package(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Own time (cProfile's tottime) summed per package: where the time is, not who called."""
    totals: dict[str, float] = {}
    for (filename, _line, _name), entry in stats.stats.items():
        if "site-packages/" in filename:
            name = filename.split("site-packages/")[1].split("/")[0].removesuffix(".py")
        elif "/templates/" in filename:
            name = "templates"
        elif "/komoro_engage/" in filename:
            name = "komoro_engage"
        elif filename.startswith("~") or filename.startswith("<"):
            name = "builtins"
        else:
            name = "stdlib/other"
        totals[name] = totals.get(name, 0.0) + entry[2]
    whole = sum(totals.values()) or 1.0
    return sorted(((name, value / whole) for name, value in totals.items()),
                  key=lambda item: -item[1])[:10]


class Page:
    """One spec made ready to request in-process: path filled in, client signed in."""

    def __init__(self, app, spec: PageSpec, ids: dict[str, int]):
        self.spec, self.app = replace(spec, body=spec.body.format(**ids)), app
        self.path = spec.path.format(**ids)
        self.body = spec.body.format(**ids)
        # The same cookie on every request, as wrk sends it: a client keeping the answers'
        # cookies would pile up the flashed messages of posts whose redirect is never read.
        self.client = app.test_client(use_cookies=False)
        # With no User-Agent, as wrk and the cookie's sign-in (data.wrk_request_context):
        # the test client's own ("Werkzeug/…") made Flask-Login mark the session not
        # fresh and write it back on every request, work the served pages never do.
        self.client.environ_base.pop("HTTP_USER_AGENT", None)
        self.headers: dict[str, str] = {"HX-Request": "true"} if spec.htmx else {}
        user_id = ids.get(spec.signed_in_as) if spec.signed_in_as else None
        cookie, token = data.signed_cookie(app, user_id)
        self.headers["Cookie"] = cookie
        self.headers["X-CSRFToken"] = token
        self.turn = 0

    def request(self) -> int:
        body = self.body
        if self.spec.alternate:  # a support, then its withdrawal: every request writes
            self.turn += 1
            path = self.path if self.turn % 2 else self.path.replace(*self.spec.alternate)
        else:
            path = self.path
        response = self.client.open(path, method=self.spec.method, data=body or None,
                                    headers=self.headers,
                                    content_type="application/x-www-form-urlencoded")
        response.get_data()
        return response.status_code


def measure(page: Page, requests: int) -> tuple[dict, pstats.Stats]:
    from sqlalchemy import event

    from komoro_engage.extensions import db

    for _ in range(3):  # warm-up: templates compiled, caches filled
        status = page.request()
    started = time.perf_counter()
    for _ in range(requests):  # unprofiled: the milliseconds a request really takes
        page.request()
    plain_ms = 1000 * (time.perf_counter() - started) / requests
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(data.CONTROL):
            statements.append(statement)

    with page.app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        status = page.request()
    profiler.disable()
    elapsed = time.perf_counter() - started
    event.remove(engine, "before_cursor_execute", count)
    stats = pstats.Stats(profiler)
    calls, macros = work_of(stats)
    figures = {"status": status, "calls": calls // requests, "macro_calls": macros // requests,
               "queries": len(statements) // requests,
               "statements": statements[:len(statements) // requests],
               "ms": round(plain_ms, 2), "profiled_ms": round(1000 * elapsed / requests, 2)}
    return figures, stats


def work_of(stats: pstats.Stats) -> tuple[int, int]:
    """(Python function calls, Jinja macro calls) in a profile: counts, the same every run.

    A compiled template's macros are functions named ``macro`` in the template's file;
    cProfile counts a generator's every resumption as a call, so streamed template
    blocks weigh by their output's pieces too.
    """
    calls = sum(entry[1] for entry in stats.stats.values())
    macros = sum(entry[1] for (filename, _line, name), entry in stats.stats.items()
                 if name == "macro" and filename.endswith(".html"))
    return calls, macros


def count_work(request) -> dict:
    """The work of one ``request()`` (a test client call): status, calls and macro calls."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        response = request()
        response.get_data()
    finally:
        profiler.disable()
    calls, macros = work_of(pstats.Stats(profiler))
    return {"status": response.status_code, "calls": calls, "macro_calls": macros}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.build:
        path = Path(args.database.removeprefix("sqlite:///"))
        path.unlink(missing_ok=True)
        print(data.prepare(args.database, args.build), flush=True)
    ids = data.sample_ids(args.database)
    app = data.bench_side_app(args.database, **({} if args.kept else {"PAGE_CACHE_SECONDS": 0}))
    app.add_url_rule(BARE.path, "bench_bare", lambda: "ok")
    print(f"{'page':42} {'status':>6} {'calls':>8} {'macros':>7} {'SQL':>4} {'ms':>7} "
          f"{'prof ms':>8}")
    specs = [PageSpec(args.path, args.path)] if args.path else PAGES
    for spec in specs:
        if args.only and spec.name not in args.only:
            continue
        if spec.needs and spec.needs not in app.view_functions:
            continue
        if args.kept:
            if not spec.visitors:
                continue
            spec = replace(spec, signed_in_as=None)
        page = Page(app, spec, ids)
        figures, stats = measure(page, args.requests)
        print(f"{spec.name:42} {figures['status']:>6} {figures['calls']:>8} "
              f"{figures['macro_calls']:>7} {figures['queries']:>4} {figures['ms']:>7} "
              f"{figures['profiled_ms']:>8}",
              flush=True)
        if args.sql:
            for statement in figures["statements"]:
                print("    " + " ".join(statement.split())[:300])
        if args.by_package:
            print("    " + ", ".join(f"{name} {share:.0%}" for name, share in by_package(stats)))
        if args.top:
            stats.sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
