from decimal import Decimal as D

import pytest

from komoro_engage.plan.indicators import achievement_rate


@pytest.mark.parametrize(
    ("actual", "baseline", "target", "direction", "expected"),
    [
        # 第9次 施策1-2: dissatisfaction 26.3% → 19.5% (lower is better).
        (D("24.2"), D("26.3"), D("19.5"), "lower", D("30.9")),
        (D("23.7"), D("26.3"), D("19.5"), "lower", D("38.2")),
        (D("19.5"), D("26.3"), D("19.5"), "lower", D("100.0")),
        (D("27.0"), D("26.3"), D("19.5"), "lower", D("-10.3")),  # moved the wrong way
        (D("18.0"), D("26.3"), D("19.5"), "lower", D("122.1")),  # beyond the target
        # Higher is better: 60 → 75 %.
        (D("70"), D("60"), D("75"), "higher", D("66.7")),
        (D("75"), D("60"), D("75"), "higher", D("100.0")),
        (D("55"), D("60"), D("75"), "higher", D("-33.3")),
        # No baseline: compared with the target directly.
        (D("30"), None, D("40"), "higher", D("75.0")),
        (D("25"), None, D("20"), "lower", D("80.0")),
    ],
)
def test_achievement_rate_in_both_directions(actual, baseline, target, direction, expected):
    assert achievement_rate(actual, baseline, target, direction) == expected


@pytest.mark.parametrize(
    ("actual", "baseline", "target", "direction"),
    [
        (None, D("1"), D("2"), "higher"),
        (D("1"), D("1"), None, "higher"),
        (D("5"), D("3"), D("3"), "higher"),  # nothing planned to change
        (D("0"), None, D("3"), "lower"),
        (D("4"), None, D("0"), "higher"),
    ],
)
def test_achievement_rate_is_none_when_it_cannot_be_computed(actual, baseline, target, direction):
    assert achievement_rate(actual, baseline, target, direction) is None
