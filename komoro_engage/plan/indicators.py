"""How far an indicator has come from its baseline towards its target."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

LOWER_IS_BETTER = "lower"


def achievement_note() -> str:
    """How ``achievement_rate`` computes 達成率, in words, for pages and the workbook."""
    return _("達成率 =（実績値 − 基準値）÷（目標値 − 基準値）× 100。基準値のない指標は 実績値 ÷ "
             "目標値 × 100（低いほど良い指標は 目標値 ÷ 実績値 × 100）。100%で目標達成、"
             "マイナスは基準値より悪くなったことを表します。")


def achievement_rate(
    actual: Decimal | None,
    baseline: Decimal | None,
    target: Decimal | None,
    direction: str,
) -> Decimal | None:
    """Percent of the way from baseline to target (100 = target reached), or None.

    With a baseline the distance travelled is compared with the distance
    planned, which works alike for "higher is better" and "lower is better"
    (both differences change sign together). Without a baseline the actual is
    compared with the target directly, inverted when lower is better. A rate
    can be negative (moved the wrong way) or above 100 (beyond the target).
    """
    if actual is None or target is None:
        return None
    if baseline is not None:
        planned = target - baseline
        if planned == 0:
            return None
        rate = (actual - baseline) / planned * 100
    elif direction == LOWER_IS_BETTER:
        if actual == 0:
            return None
        rate = target / actual * 100
    else:
        if target == 0:
            return None
        rate = actual / target * 100
    return rate.quantize(Decimal("0.1"))
