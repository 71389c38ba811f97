"""``python -m bench --scenario soak``: residents at a steady rate through nginx, for minutes.

Signed-in residents read pages, support and withdraw, and comment, at a fixed
rate (20 requests/s by default) for ``--minutes``, through Debian's nginx with
the shipped site file (bench/nginx.py, TLS on loopback) in front of gunicorn
with the shipped config. The schedule is open-loop: a request's latency counts
from the moment it was due, so a server that falls behind shows it. Every
status of 400 or more and every failed connection is an error; the run passes
with none. Writes bench/results/soak.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import statistics
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import bindparam, create_engine, text

from bench import data, load, nginx

# (kind, share of requests)
MIX = (("read", 0.60), ("support", 0.25), ("comment", 0.15))
READ_PATHS = ("/", "/proposals", "/proposals?sort=new", "/proposals/{proposal}",
              "/plan/areas/1", "/dashboard")
FORM = "application/x-www-form-urlencoded"


@dataclass
class Resident:
    cookie: str
    token: str
    supported: set[int] = field(default_factory=set)


def residents_and_targets(database_url: str, count: int) -> tuple[list[Resident], list[int]]:
    """Published proposals far from the support threshold, and residents who wrote none."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            targets = list(connection.scalars(text(
                "SELECT id FROM proposal WHERE status = 'published' "
                "ORDER BY support_count, id LIMIT 5")))
            if not targets:
                raise RuntimeError("no published proposal in the demo data")
            authors = set(connection.scalars(
                text("SELECT author_id FROM proposal WHERE id IN :ids").bindparams(
                    bindparam("ids", expanding=True)), {"ids": targets}))
            user_ids = [uid for uid in connection.scalars(text(
                "SELECT id FROM user_account WHERE role = 'resident' AND status = 'active' "
                "ORDER BY id LIMIT :n"), {"n": count + len(authors)}) if uid not in authors]
    finally:
        engine.dispose()
    app = data.bench_side_app(database_url)
    residents = [Resident(*data.signed_cookie(app, uid)) for uid in user_ids[:count]]
    if len(residents) < count:
        raise RuntimeError(f"only {len(residents)} residents in the demo data")
    return residents, targets


class Driver:
    """Sends the mix on a schedule; each resident has one request in flight at most."""

    def __init__(self, front: nginx.Nginx, residents: list[Resident], targets: list[int],
                 seed: int):
        self.front = front
        self.idle: queue.Queue[Resident] = queue.Queue()
        for resident in residents:
            self.idle.put(resident)
        self.targets = targets
        self.random = random.Random(seed)
        self.local = threading.local()
        self.lock = threading.Lock()
        self.samples: list[tuple[float, str, int, float]] = []  # (due, kind, status, ms)
        self.failures: Counter[str] = Counter()
        # Time from sending to the answer, per page (no waiting for a turn): what each costs.
        self.service: dict[str, list[float]] = {}

    def request_for(self, kind: str, resident: Resident, proposal: int, n: int):
        headers = {"Host": nginx.NAME, "Cookie": resident.cookie, "Accept-Encoding": "gzip"}
        if kind == "read":
            page = self.random.choice(READ_PATHS)
            return "GET", page.format(proposal=proposal), None, headers, page
        # Over HTTPS, Flask-WTF wants a same-site Referer, as a browser sends it.
        headers.update({"X-CSRFToken": resident.token, "Content-Type": FORM,
                        "Referer": f"https://{nginx.NAME}/proposals/{proposal}"})
        if kind == "support":
            action = "unsupport" if proposal in resident.supported else "support"
            resident.supported ^= {proposal}
            headers["HX-Request"] = "true"
            return "POST", f"/proposals/{proposal}/{action}", b"", headers, "support"
        body = urlencode({"body": f"負荷試験のコメント {n}（ソーク）", "stance": ""}).encode()
        return "POST", f"/proposals/{proposal}/comments", body, headers, "comment"

    def send(self, due: float, kind: str, n: int) -> None:
        resident = self.idle.get()
        try:
            method, path, body, headers, page = self.request_for(
                kind, resident, self.random.choice(self.targets), n)
            sent = time.monotonic()
            status = self.exchange(method, path, body, headers)
        finally:
            self.idle.put(resident)
        done = time.monotonic()
        with self.lock:
            self.samples.append((due, kind, status, (done - due) * 1000))
            self.service.setdefault(page, []).append((done - sent) * 1000)

    def exchange(self, method: str, path: str, body: bytes | None, headers: dict) -> int:
        """One request on this thread's kept-alive connection; 0 when it got no answer."""
        for attempt in (1, 2):
            reused = getattr(self.local, "connection", None) is not None
            if not reused:
                self.local.connection = self.front.connection(timeout=30)
            connection = self.local.connection
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except OSError as error:
                connection.close()
                self.local.connection = None
                # nginx may have closed an idle kept-alive connection: once more, on a new one.
                if attempt == 1 and reused and isinstance(error, ConnectionError):
                    continue
                with self.lock:
                    self.failures[type(error).__name__] += 1
                return 0
            if response.will_close:
                connection.close()
                self.local.connection = None
            return response.status
        return 0

    def run(self, rate: float, seconds: float, threads: int) -> float:
        kinds = [kind for kind, _share in MIX]
        weights = [share for _kind, share in MIX]
        total = int(rate * seconds)
        start = time.monotonic() + 0.5
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for n in range(total):
                due = start + n / rate
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                pool.submit(self.send, due, self.random.choices(kinds, weights)[0], n)
        return time.monotonic() - start


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def summarise(samples: list[tuple[float, str, int, float]], failures: Counter,
              seconds: float) -> dict:
    latencies = [ms for *_rest, ms in samples]
    errors = sum(1 for _due, _kind, status, _ms in samples if status >= 400 or status == 0)
    start = min((due for due, *_rest in samples), default=0.0)
    minutes: dict[int, list[float]] = {}
    for due, _kind, _status, ms in samples:
        minutes.setdefault(int((due - start) // 60), []).append(ms)
    return {
        "requests": len(samples), "seconds": round(seconds, 1),
        "rps": round(len(samples) / seconds, 2) if seconds else 0,
        "errors": errors, "connection_failures": dict(failures),
        "statuses": dict(Counter(f"{kind} {status}" for _d, kind, status, _m in samples)),
        "latency_ms": {"p50": percentile(latencies, 0.50), "p95": percentile(latencies, 0.95),
                       "p99": percentile(latencies, 0.99), "max": percentile(latencies, 1.0),
                       "mean": round(statistics.fmean(latencies), 1) if latencies else 0},
        "p95_by_kind_ms": {kind: percentile([ms for _d, k, _s, ms in samples if k == kind],
                                            0.95) for kind, _share in MIX},
        "p95_by_minute_ms": [percentile(values, 0.95) for _minute, values in
                             sorted(minutes.items())],
    }


def write(result: dict, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "soak.json", out / "soak.md"
    json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    latency = result["latency_ms"]
    lines = [
        "# Soak: signed-in residents through nginx", "",
        f"{result['database']}, {result['proposals']:,} demo proposals, "
        f"{result['residents']} residents, gunicorn {result['workers']} workers "
        "(deploy/gunicorn.conf.py) behind nginx (deploy/nginx/komoro-engage.conf, TLS).", "",
        f"- asked: {result['rate']} requests/s for {result['minutes']} min "
        f"({', '.join(f'{share:.0%} {kind}' for kind, share in MIX)})",
        f"- sent: {result['requests']} requests in {result['seconds']} s "
        f"({result['rps']} requests/s)",
        f"- **errors: {result['errors']}** (status ≥ 400 or no answer)",
        f"- latency from the moment each request was due: p50 {latency['p50']} ms, "
        f"**p95 {latency['p95']} ms**, p99 {latency['p99']} ms, max {latency['max']} ms",
        "- p95 by kind: " + ", ".join(f"{k} {v} ms" for k, v in
                                       result["p95_by_kind_ms"].items()),
        f"- p95 minute by minute: {result['p95_by_minute_ms']} ms",
        f"- p50 from sending to answer, by page (ms): {result['service_p50_by_page_ms']}",
        f"- worker memory (kB): start {result['memory_kb']['start']}, "
        f"end {result['memory_kb']['end']}",
        f"- load average: start {result['load_average']['start']}, "
        f"end {result['load_average']['end']}",
        f"- statuses: {result['statuses']}", "",
        "Rate limits are off: every resident comes from 127.0.0.1 by design.", "",
    ]
    md_path.write_text("\n".join(lines))
    return [json_path, md_path]


def run(args: argparse.Namespace) -> int:
    reason = nginx.missing()
    if reason:
        print(f"soak: {reason}")
        return 2
    proposals = int(args.proposals.split(",")[0])
    with tempfile.TemporaryDirectory(prefix="komoro-soak-") as tmp:
        workdir = Path(tmp)
        database = data.bench_database(args.database, workdir, args.postgres_url)
        server = front = None
        try:
            print(f"== soak: {args.database}, {proposals:,} proposals, building ==", flush=True)
            data.prepare(database.url, proposals)
            residents, targets = residents_and_targets(database.url, args.residents)
            server = load.Server(database.url, args.workers, workdir / "gunicorn.log",
                                 {"KOMORO_TRUSTED_PROXIES": "1"}, shipped_config=True)
            (workdir / "nginx").mkdir()
            front = nginx.Nginx(workdir / "nginx", server.port).start()
            memory_start = server.worker_rss_kb()
            load_start = [round(x, 2) for x in os.getloadavg()]
            print(f"   {args.rate} requests/s for {args.minutes} min through nginx", flush=True)
            driver = Driver(front, residents, targets, seed=1)
            seconds = driver.run(args.rate, args.minutes * 60, threads=args.residents)
            result = summarise(driver.samples, driver.failures, seconds)
            result["service_p50_by_page_ms"] = {
                page: percentile(values, 0.5) for page, values in sorted(driver.service.items())}
            result.update(
                database=args.database, proposals=proposals, residents=len(residents),
                workers=len(memory_start), rate=args.rate, minutes=args.minutes,
                memory_kb={"start": memory_start, "end": server.worker_rss_kb()},
                load_average={"start": load_start,
                              "end": [round(x, 2) for x in os.getloadavg()]})
        finally:
            if front:
                front.stop()
            if server:
                server.stop()
            database.drop()
    paths = write(result, args.out)
    print(f"   errors {result['errors']}, p95 {result['latency_ms']['p95']} ms, "
          f"{result['rps']} requests/s; wrote {', '.join(str(p) for p in paths)}")
    return 0 if result["errors"] == 0 else 1
