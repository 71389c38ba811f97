"""Evaluation (PDCA): indicators and actuals, records per measure and year, dashboard, exports."""

from komoro_engage.evaluation import sections
from komoro_engage.evaluation.blueprint import bp

sections.register()  # a measure's evaluation history, on its page

__all__ = ["bp"]
