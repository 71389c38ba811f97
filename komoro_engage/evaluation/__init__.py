"""Evaluation (PDCA): indicators and actuals, records per measure and year, dashboard, exports."""

from komoro_engage.core.content_version import watch_plan_tables
from komoro_engage.evaluation import indicators, sections
from komoro_engage.evaluation.blueprint import bp

# The dashboard keeps what the plan and its finalised evaluations decide
# (evaluation/dashboard.py): a record, an amendment or a rating level written moves the
# plan's version as a measure does, and the next dashboard is built afresh.
watch_plan_tables("evaluation_record", "evaluation_amendment", "rating_level")

sections.register()  # a measure's evaluation history, on its page
indicators.register()  # actuals measured elsewhere (a survey) and confirmed by staff

__all__ = ["bp"]
