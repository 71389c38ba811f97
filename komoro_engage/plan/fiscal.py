"""Fiscal years (年度): 1 April to 31 March, counted in Japan time."""

from __future__ import annotations

from datetime import date, datetime

from komoro_engage.core.clock import JAPAN

# (first fiscal year named in the era, kanji, romaji, first calendar year of the era).
# A fiscal year takes the era in force for most of it, as official documents do:
# FY1988 is 昭和63年度 (Heisei began in January 1989), FY2019 is 令和元年度
# (Reiwa began on 1 May 2019).
ERAS = (
    (2019, "令和", "Reiwa", 2019),
    (1989, "平成", "Heisei", 1989),
    (1926, "昭和", "Showa", 1926),
)
# Fiscal years anyone may ask for or record: the Heisei era on; years outside are typos.
FIRST_FY, LAST_FY = 1989, 2100


def fiscal_year_of(moment: date | datetime) -> int:
    """The fiscal year that ``moment`` falls in.

    An aware datetime is converted to Japan time first; a naive datetime or a
    date is taken as Japan time already.
    """
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(JAPAN)
    return moment.year if moment.month >= 4 else moment.year - 1


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime, datetime]:
    """Aware start (inclusive) and end (exclusive) of ``fiscal_year`` in Japan time."""
    return (
        datetime(fiscal_year, 4, 1, tzinfo=JAPAN),
        datetime(fiscal_year + 1, 4, 1, tzinfo=JAPAN),
    )


def era_year(fiscal_year: int) -> tuple[str, str, int]:
    """(kanji era, romaji era, year of era) for ``fiscal_year``."""
    for first_fy, kanji, romaji, start in ERAS:
        if fiscal_year >= first_fy:
            return kanji, romaji, fiscal_year - start + 1
    raise ValueError(f"fiscal year {fiscal_year} is before the Showa era")


def format_fiscal_year(fiscal_year: int, language: str = "ja") -> str:
    """「2024年度（令和6年度）」 in Japanese, "FY2024 (Reiwa 6)" in English."""
    kanji, romaji, year = era_year(fiscal_year)
    if language == "en":
        return f"FY{fiscal_year} ({romaji} {year})"
    era_number = "元" if year == 1 else str(year)
    return f"{fiscal_year}年度（{kanji}{era_number}年度）"
