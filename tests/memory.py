"""Resident memory of a process tree (a gunicorn server: its workers and their children),
read from /proc while a test runs."""

from __future__ import annotations

import threading
import time

from bench.load import child_pids, status_kb


def tree_pids(root: int) -> list[int]:
    """Every live process below ``root`` (not ``root`` itself)."""
    found, waiting = [], child_pids(root)
    while waiting:
        pid = waiting.pop()
        found.append(pid)
        waiting.extend(child_pids(pid))
    return found


def tree_rss_kb(root: int) -> int:
    """The resident memory of every process below ``root``, summed (shared pages count in
    each process: an overestimate, never an underestimate)."""
    return sum(status_kb(pid, "VmRSS") for pid in tree_pids(root))


class PeakSampler:
    """Samples ``tree_rss_kb(root)`` every few milliseconds in a thread; ``peak_kb`` is the
    highest sum seen, ``peak_processes`` the most processes seen at once, ``peak_of_pid``
    each process's own high-water mark (VmHWM, exact even between samples) as last seen
    while it lived."""

    def __init__(self, root: int, interval: float = 0.005):
        self.root, self.interval = root, interval
        self.peak_kb = 0
        self.peak_processes = 0
        self.peak_of_pid: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total, pids = 0, tree_pids(self.root)
            self.peak_processes = max(self.peak_processes, len(pids))
            for pid in pids:
                total += status_kb(pid, "VmRSS")
                self.peak_of_pid[pid] = max(self.peak_of_pid.get(pid, 0),
                                            status_kb(pid, "VmHWM"))
            self.peak_kb = max(self.peak_kb, total)
            time.sleep(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()
