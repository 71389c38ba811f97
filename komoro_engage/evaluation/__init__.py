"""Evaluation (PDCA): indicators and actuals, records per measure and year, dashboard, exports."""

from komoro_engage.evaluation import sections, views_export, views_staff  # noqa: F401, E402  (routes
from komoro_engage.evaluation.views import bp

sections.register()  # a measure's evaluation history, on its page

__all__ = ["bp"]
