"""Dates as people read them (issue 20, point 6): weekday always, year only when not this
year, Japan time, English beside Japanese, ISO kept for machines."""

from __future__ import annotations

from datetime import UTC, date, datetime

from komoro_engage.core import clock
from komoro_engage.core.dates import people_date, people_time, time_span, time_tag

IN_2026 = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


def test_a_day_this_year_has_its_weekday_and_no_year():
    with clock.freeze(IN_2026):
        assert people_date(date(2026, 12, 13), "ja") == "12月13日（日）"
        assert people_date(date(2026, 12, 13), "en") == "Sun 13 Dec"


def test_another_year_is_written():
    with clock.freeze(IN_2026):
        assert people_date(date(2025, 12, 13), "ja") == "2025年12月13日（土）"
        assert people_date(date(2027, 1, 4), "en") == "Mon 4 Jan 2027"


def test_moments_are_japan_time_naive_or_aware():
    with clock.freeze(IN_2026):
        # 2026-12-13 15:30 UTC is 00:30 on Monday the 14th in Komoro
        late = datetime(2026, 12, 13, 15, 30)
        assert people_time(late, "ja") == "12月14日（月）00:30"
        assert people_time(late.replace(tzinfo=UTC), "en") == "Mon 14 Dec, 00:30"
        assert people_time(None, "ja") == "" and people_date(None) == ""


def test_a_span_writes_the_end_day_only_when_it_differs():
    with clock.freeze(IN_2026):
        start = datetime(2026, 12, 13, 1, 0, tzinfo=UTC)  # 10:00 JST
        assert time_span(start, start.replace(hour=3), "ja") == "12月13日（日）10:00〜12:00"
        assert time_span(start, start.replace(hour=3), "en") == "Sun 13 Dec, 10:00–12:00"
        next_day = datetime(2026, 12, 14, 1, 0, tzinfo=UTC)
        assert time_span(start, next_day, "ja") == "12月13日（日）10:00〜12月14日（月）10:00"
        assert time_span(start, None, "ja") == "12月13日（日）10:00"


def test_time_tag_keeps_the_machine_readable_moment(app):
    with app.test_request_context(headers={"Accept-Language": "ja"}), clock.freeze(IN_2026):
        tag = str(time_tag(datetime(2026, 12, 13, 1, 0)))
        assert tag == '<time datetime="2026-12-13T01:00:00+00:00">12月13日（日）10:00</time>'


def test_pages_follow_the_chosen_language(app):
    with app.test_request_context(headers={"Accept-Language": "en"}), clock.freeze(IN_2026):
        assert people_date(date(2026, 12, 13)) == "Sun 13 Dec"


def test_the_year_follows_the_clock_across_new_year_in_japan():
    day = date(2027, 1, 1)
    with clock.freeze(datetime(2026, 12, 31, 14, 59, tzinfo=UTC)):  # 23:59 on the 31st
        assert people_date(day, "ja") == "2027年1月1日（金）"
    with clock.freeze(datetime(2026, 12, 31, 15, 0, tzinfo=UTC)):  # midnight in Japan
        assert people_date(day, "ja") == "1月1日（金）"
    with clock.freeze(IN_2026):
        assert people_date(day, "ja") == "2027年1月1日（金）"
