"""What waits for the staff, counted by the features that own the work.

The staff's daily digest (notifications/digest.py) says how many items wait for
a decision without knowing any feature: each feature registers a counter here,
``counter() -> {name: count}``, and the counts merge in ``order``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Counter = Callable[[], dict[str, int]]


@dataclass(frozen=True)
class _Entry:
    counter: Counter
    order: int


_counters: dict[str, _Entry] = {}


def register_counter(name: str, counter: Counter, *, order: int = 100) -> None:
    """Count ``counter()`` among what waits; registering ``name`` again replaces it."""
    _counters[name] = _Entry(counter, order)


def unregister_counter(name: str) -> None:
    """Remove a counter (tests)."""
    _counters.pop(name, None)


def waiting_counts() -> dict[str, int]:
    """Every registered count, in the counters' order."""
    result: dict[str, int] = {}
    for entry in sorted(_counters.values(), key=lambda entry: entry.order):
        result.update(entry.counter())
    return result
