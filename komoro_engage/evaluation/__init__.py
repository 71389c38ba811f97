"""Evaluation (PDCA): indicators and actuals, records per measure and year, dashboard, exports."""

from komoro_engage.evaluation import indicators, sections
from komoro_engage.evaluation.blueprint import bp

sections.register()  # a measure's evaluation history, on its page
indicators.register()  # actuals measured elsewhere (a survey) and confirmed by staff

__all__ = ["bp"]
