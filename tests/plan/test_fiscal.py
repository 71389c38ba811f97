from datetime import UTC, date, datetime

import pytest

from komoro_engage.core.clock import JAPAN
from komoro_engage.plan.fiscal import fiscal_year_bounds, fiscal_year_of, format_fiscal_year


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (date(2025, 3, 31), 2024),
        (date(2025, 4, 1), 2025),
        (datetime(2025, 3, 31, 23, 59, 59, tzinfo=JAPAN), 2024),
        (datetime(2025, 4, 1, 0, 0, 0, tzinfo=JAPAN), 2025),
        # 15:00 UTC on 31 March is already 1 April in Japan.
        (datetime(2025, 3, 31, 14, 59, 59, tzinfo=UTC), 2024),
        (datetime(2025, 3, 31, 15, 0, 0, tzinfo=UTC), 2025),
        (date(2024, 12, 31), 2024),
        (date(2025, 1, 1), 2024),
    ],
)
def test_fiscal_year_turns_on_1_april_japan_time(moment, expected):
    assert fiscal_year_of(moment) == expected


@pytest.mark.parametrize(
    ("fiscal_year", "japanese", "english"),
    [
        (2024, "2024年度（令和6年度）", "FY2024 (Reiwa 6)"),
        (2020, "2020年度（令和2年度）", "FY2020 (Reiwa 2)"),
        # Reiwa began on 1 May 2019: FY2019 is officially 令和元年度.
        (2019, "2019年度（令和元年度）", "FY2019 (Reiwa 1)"),
        (2018, "2018年度（平成30年度）", "FY2018 (Heisei 30)"),
        (1989, "1989年度（平成元年度）", "FY1989 (Heisei 1)"),
        # Heisei began in January 1989, but FY1988 stays 昭和63年度.
        (1988, "1988年度（昭和63年度）", "FY1988 (Showa 63)"),
    ],
)
def test_fiscal_year_is_shown_with_its_era(fiscal_year, japanese, english):
    assert format_fiscal_year(fiscal_year) == japanese
    assert format_fiscal_year(fiscal_year, "en") == english


def test_fiscal_year_bounds_are_japan_midnights():
    start, end = fiscal_year_bounds(2024)
    assert start == datetime(2024, 3, 31, 15, 0, tzinfo=UTC)
    assert end == datetime(2025, 3, 31, 15, 0, tzinfo=UTC)
    assert fiscal_year_of(start) == 2024
    assert fiscal_year_of(end) == 2025


def test_years_before_showa_are_refused():
    with pytest.raises(ValueError, match="before the Showa era"):
        format_fiscal_year(1925)
