"""gunicorn on loopback, wrk against it, and what a page costs: queries, memory, weight."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench.data import ROOT, app_env

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"  # never anything but loopback


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen | None) -> None:
    """Terminate a server the bench started, killing it after 10 s."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def child_pids(pid: int) -> list[int]:
    """The processes ``pid`` started (from any of its threads) that are still alive."""
    found = []
    try:
        listings = list(Path(f"/proc/{pid}/task").glob("*/children"))
    except OSError:  # the process ended after its parent listed it
        return found
    for children in listings:
        try:
            found.extend(int(child) for child in children.read_text().split())
        except OSError:  # the thread or process ended meanwhile
            continue
    return found


def status_kb(pid: int, field: str) -> int:
    """A memory figure (``VmRSS``, ``VmHWM`` …) of ``pid`` in kB, from /proc; 0 once it ended."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


class Server:
    """``gunicorn bench.wsgi:create_bench_app()``, sync workers, on a free loopback port."""

    def __init__(self, database_url: str, workers: int | None, log_path: Path,
                 settings: dict[str, str] | None = None, shipped_config: bool = False):
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log = log_path.open("w")
        env = {**app_env(database_url), **(settings or {})}
        if shipped_config:  # deploy/gunicorn.conf.py, as production runs it
            options = ["-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
            env["KOMORO_BIND"] = f"{HOST}:{self.port}"
            if workers:
                env["KOMORO_WORKERS"] = str(workers)
        else:
            options = ["--bind", f"{HOST}:{self.port}", "--workers", str(workers),
                       "--backlog", "256"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *options, "bench.wsgi:create_bench_app()"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start; see {log_path}")

    def worker_rss_kb(self) -> list[int]:
        """Resident memory of each worker process, from /proc."""
        return [status_kb(pid, "VmRSS") for pid in child_pids(self.process.pid)]

    def stop(self) -> None:
        stop_process(self.process)
        self.log.close()


def request(url: str, method: str = "GET", body: str = "", headers: dict | None = None):
    """One request to our loopback server, redirects not followed: (status, headers, body)."""
    if not url.startswith(f"http://{HOST}:"):
        raise ValueError(f"the benchmark only talks to {HOST}, not {url}")
    data = body.encode() if method == "POST" else None
    req = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 checked above
        url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wrk_script(method: str, body: str, headers: dict[str, str]) -> Path:
    """The spec's request setup followed by the reporting ``done`` function."""
    lines = [f'wrk.method = "{method}"']
    if body:
        lines.append(f"wrk.body = {json.dumps(body)}")
        headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    script = Path(tempfile.mkstemp(prefix="komoro-bench-", suffix=".lua")[1])
    script.write_text("\n".join(lines) + "\n" + (HERE / "report.lua").read_text())
    return script


def toggle_script(path: str, sessions: list[tuple[str, str]], headers: dict[str, str],
                  threads: int) -> Path:
    """POSTs where each wrk thread walks its own residents: support, then withdraw, in turn.

    Thread ``t`` of ``n`` takes every n-th session; request ``i`` goes to resident
    ``i mod k`` and alternates between ``…/support`` and ``…/unsupport`` every
    round, so with more residents than connections every request changes a row.
    """
    base = path.removesuffix("/support")
    entries = ",\n".join(f"  {{{json.dumps(cookie)}, {json.dumps(token)}}}"
                         for cookie, token in sessions)
    extra = "".join(f"[{json.dumps(k)}] = {json.dumps(v)}, " for k, v in headers.items())
    lua = f"""local all = {{
{entries}
}}
local counter = 0
setup = function(thread)
  thread:set("number", counter)
  counter = counter + 1
end
local mine, i = {{}}, 0
init = function(args)
  for n, entry in ipairs(all) do
    if (n - 1) % {threads} == number then table.insert(mine, entry) end
  end
end
request = function()
  local entry = mine[(i % #mine) + 1]
  local action = (math.floor(i / #mine) % 2 == 0) and "/support" or "/unsupport"
  i = i + 1
  return wrk.format("POST", "{base}" .. action, {{{extra}["Cookie"] = entry[1],
    ["X-CSRFToken"] = entry[2], ["Content-Type"] = "application/x-www-form-urlencoded"}}, "")
end
"""
    script = Path(tempfile.mkstemp(prefix="komoro-bench-", suffix=".lua")[1])
    script.write_text(lua + (HERE / "report.lua").read_text())
    return script


def run_wrk(url: str, duration: int, connections: int, threads: int, method: str = "GET",
            body: str = "", headers: dict[str, str] | None = None,
            sessions: list[tuple[str, str]] | None = None) -> dict:
    """wrk for ``duration`` seconds; requests/s, latency percentiles (ms) and errors.

    With ``sessions``, the POST takes turns between them (``toggle_script``).
    """
    if sessions:
        script = toggle_script(urlsplit(url).path, sessions, headers or {}, threads)
    else:
        script = wrk_script(method, body, headers or {})
    try:
        output = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s",
             "-s", str(script), url],
            capture_output=True, text=True, check=True, timeout=duration + 30,
        ).stdout
    finally:
        script.unlink(missing_ok=True)
    line = next(line for line in output.splitlines() if line.startswith("KOMORO_RESULT "))
    raw = json.loads(line.removeprefix("KOMORO_RESULT "))
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1),
        "latency_ms": {k: round(v / 1000, 2) for k, v in raw["latency_us"].items()},
        "errors": raw["errors"],
        "error_count": sum(raw["errors"].values()),
    }


class PageAssets(HTMLParser):
    """The stylesheets, scripts and icons an HTML page makes the browser fetch."""

    def __init__(self):
        super().__init__()
        self.css, self.js, self.icons = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").split()
        if tag == "link" and "stylesheet" in rel:
            self.css.append(attrs["href"])
        elif tag == "link" and "icon" in rel:
            self.icons.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.js.append(attrs["src"])


def page_weight(base: str, path: str) -> dict:
    """Bytes a first visit downloads: HTML + linked CSS and JS, raw and gzip-compressed.

    The app sends everything uncompressed (a reverse proxy compresses); this is
    gzip level 6, what nginx or Caddy send with compression switched on. The
    favicon is counted as a request but not in the bytes (an image, cached).
    """
    status, _headers, html = request(urljoin(base, path))
    parser = PageAssets()
    parser.feed(html.decode("utf-8", "replace"))
    files = {"html": html}
    for href in parser.css + parser.js:
        files[href] = request(urljoin(base, href))[2]
    raw = sum(len(body) for body in files.values())
    compressed = sum(len(gzip.compress(body, compresslevel=6)) for body in files.values())
    return {"status": status, "raw_bytes": raw, "gzip_bytes": compressed,
            "html_gzip_bytes": len(gzip.compress(html, compresslevel=6)),
            "requests": 1 + len(parser.css) + len(parser.js) + len(parser.icons),
            "assets": parser.css + parser.js + parser.icons}
