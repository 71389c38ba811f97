"""The one clock the app reads, and how moments are written for people in Japan.

Every "now" in the app (model defaults included) comes from ``now()``, so a test
can fix the moment with ``freeze(...)`` (e.g. the 15-minute comment edit window).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

JAPAN = ZoneInfo("Asia/Tokyo")

_frozen: datetime | None = None


def now() -> datetime:
    """The current moment in UTC (timezone-aware), or the frozen one under ``freeze``."""
    return _frozen if _frozen is not None else datetime.now(UTC)


@contextmanager
def freeze(moment: datetime) -> Iterator[None]:
    """Make ``now()`` answer ``moment`` inside the block (tests, demo data)."""
    global _frozen
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for ``DateTime(timezone=True)``: they are UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def start_of_japan_day(day: date) -> datetime:
    """Midnight starting ``day`` in Japan, as a UTC moment. Bounds in SQL must be UTC:
    SQLite stores UTC text and compares a bound written in Japan time as if it were UTC
    (nine hours off, so "today" began at 09:00)."""
    return datetime(day.year, day.month, day.day, tzinfo=JAPAN).astimezone(UTC)


def japan_today() -> date:
    return now().astimezone(JAPAN).date()
