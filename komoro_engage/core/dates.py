"""Dates as people read them (issue 20): 12月13日（日）10:00, in English Sun 13 Dec, 10:00.

The year is written only when it is not this year (in Japan); fiscal years keep their own
form (``2026年度``, the ``fiscal_year`` filter). Machines get ISO 8601 in
``<time datetime>``, the API and the exports. Hand-written tables rather than Babel's
pattern formatting: a list page writes dozens of dates, and these few names never change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

from markupsafe import Markup, escape

from komoro_engage.core import clock
from komoro_engage.core.i18n import current_language

_JA_WEEKDAYS = "月火水木金土日"
_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _in_japan(moment: datetime) -> datetime:
    return clock.as_utc(moment).astimezone(clock.JAPAN)


# The Japan year now, with the UTC moments it starts and ends: a page writes many dates,
# and the clock (which tests freeze and move) is compared, not converted, for each.
_year: tuple[datetime, datetime, int] | None = None


def this_year() -> int:
    """The year now in Japan (a date in it is written without its year)."""
    global _year
    now = clock.now()
    if _year is None or not _year[0] <= now < _year[1]:
        year = _in_japan(now).year
        # Kept in UTC, as the clock answers: comparing moments of one zone skips the
        # offset look-ups that comparing across zones makes.
        _year = (datetime(year, 1, 1, tzinfo=clock.JAPAN).astimezone(UTC),
                 datetime(year + 1, 1, 1, tzinfo=clock.JAPAN).astimezone(UTC), year)
    return _year[2]


def people_date(value: date | datetime | None, language: str | None = None) -> str:
    """12月13日（日）; 2025年12月13日（土） in another year; Sun 13 Dec (2025) in English.

    A datetime is first taken to Japan time (a stored UTC moment late in the evening is
    the next day in Komoro)."""
    if value is None:
        return ""
    day = _in_japan(value).date() if isinstance(value, datetime) else value
    return _day_text(day, language or current_language())


def people_time(moment: datetime | None, language: str | None = None) -> str:
    """12月13日（日）10:00; Sun 13 Dec, 10:00."""
    if moment is None:
        return ""
    local = _in_japan(moment)
    language = language or current_language()
    separator = ", " if language == "en" else ""
    return f"{_day_text(local.date(), language)}{separator}{local.hour:02}:{local.minute:02}"


def _day_text(day: date, language: str) -> str:
    return _written_day(day, language, day.year == this_year())


@lru_cache(maxsize=2048)  # a page of comments or a list writes the same few days again
def _written_day(day: date, language: str, this_year: bool) -> str:
    if language == "en":
        text = f"{_EN_WEEKDAYS[day.weekday()]} {day.day} {_EN_MONTHS[day.month - 1]}"
        return text if this_year else f"{text} {day.year}"
    text = f"{day.month}月{day.day}日（{_JA_WEEKDAYS[day.weekday()]}）"
    return text if this_year else f"{day.year}年{text}"


def time_span(start: datetime | None, end: datetime | None,
              language: str | None = None) -> str:
    """12月13日（日）10:00〜12:00 (the end's day written only when it differs)."""
    if start is None:
        return ""
    language = language or current_language()
    dash = "–" if language == "en" else "〜"
    if end is None:
        return people_time(start, language)
    if _in_japan(end).date() == _in_japan(start).date():
        return f"{people_time(start, language)}{dash}{_in_japan(end):%H:%M}"
    return f"{people_time(start, language)}{dash}{people_time(end, language)}"


def time_tag(moment: datetime | None) -> Markup:
    """``<time datetime="…">12月13日（日）10:00</time>``: people's form, the machine's beside."""
    if moment is None:
        return Markup("")
    # An f-string, not Markup.format: that one runs string.Formatter in Python, and a page
    # of comments writes thirty of these. isoformat() has no character HTML must escape.
    machine = clock.as_utc(moment).isoformat()
    return Markup(f'<time datetime="{machine}">{escape(people_time(moment))}</time>')  # noqa: S704
