"""The city plan: editions, policy areas, measures, indicators, priority items, districts."""

from komoro_engage.core.content_version import watch_plan_tables
from komoro_engage.core.i18n import current_language
from komoro_engage.plan.blueprint import bp
from komoro_engage.plan.fiscal import format_fiscal_year
from komoro_engage.plan.indicators import achievement_note

# 令和6年度 / FY2024 in every template.
bp.add_app_template_filter(lambda fy: format_fiscal_year(fy, current_language()), "fiscal_year")
# How 達成率 is computed, beside every table that shows one.
bp.add_app_template_global(achievement_note, "achievement_note")

# What pages keep from the plan (core/fragments.py: the home page, the filter menus) is
# built afresh after a commit writes one of these. Indicators and their actuals count: the
# home page shows the latest actual measuring a vision target (e.g. one a survey fed).
PLAN_TABLES = ("plan_edition", "vision", "vision_target", "policy_area", "priority_item",
               "priority_item_measure", "measure", "district", "ku", "indicator",
               "indicator_actual")
watch_plan_tables(*PLAN_TABLES)

__all__ = ["bp"]
