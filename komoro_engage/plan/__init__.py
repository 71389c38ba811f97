"""The city plan: editions, policy areas, measures, indicators, priority items, districts."""

from komoro_engage.core.i18n import current_language
from komoro_engage.plan.blueprint import bp
from komoro_engage.plan.fiscal import format_fiscal_year

# 令和6年度 / FY2024 in every template.
bp.add_app_template_filter(lambda fy: format_fiscal_year(fy, current_language()), "fiscal_year")

__all__ = ["bp"]
