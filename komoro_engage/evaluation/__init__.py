"""Evaluation (PDCA): indicators and actuals, records per measure and year, dashboard, exports."""

from komoro_engage.evaluation import views_export, views_staff  # noqa: F401, E402  (routes
from komoro_engage.evaluation.views import bp

__all__ = ["bp"]
